package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// testEnv is a host wired to a fake Conductor, a private metrics registry
// and a log buffer.
type testEnv struct {
	fake *fakeConductor
	host *WorkerHost
	reg  *prometheus.Registry
	logs *syncBuffer
}

// setup returns a host on a fresh fake server. Back-off is shortened so the
// fault tests run fast on the wall clock; opts adjust the config.
func setup(t *testing.T, opts ...func(*HostConfig)) *testEnv {
	t.Helper()
	fake := newFakeConductor(t)
	env := &testEnv{fake: fake, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	cfg := HostConfig{
		Client:     fake.api,
		Registerer: env.reg,
		Logger:     slog.New(slog.NewJSONHandler(env.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		LookupEnv:  noEnv,
		RetryMin:   time.Millisecond,
		RetryMax:   20 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	host, err := NewWorkerHostWithConfig(cfg)
	require.NoError(t, err)
	env.host = host
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = host.Shutdown(ctx)
	})
	return env
}

func withClock(c clock) func(*HostConfig) { return func(h *HostConfig) { h.clock = c } }

func withRand(v float64) func(*HostConfig) {
	return func(h *HostConfig) { h.rand = func() float64 { return v } }
}

func withEnv(vars map[string]string) func(*HostConfig) {
	return func(h *HostConfig) {
		h.LookupEnv = func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
}

func noEnv(string) (string, bool) { return "", false }

// start starts a worker and fails the test on error. Polls are short so an
// idle worker parks quickly on the wall clock.
func (e *testEnv) start(t *testing.T, cfg WorkerConfig) *worker {
	t.Helper()
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 50 * time.Millisecond
	}
	require.NoError(t, e.host.StartWorkerWithConfig(cfg))
	ws := e.host.workersNamed(cfg.TaskName)
	require.NotEmpty(t, ws)
	return ws[len(ws)-1]
}

func (e *testEnv) shutdown(t *testing.T, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return e.host.Shutdown(ctx)
}

// counterValue reads one series of a counter vector from the env's registry.
func (e *testEnv) counterValue(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metric:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
						found = true
					}
				}
				if !found {
					continue metric
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			if g := m.GetGauge(); g != nil {
				return g.GetValue()
			}
		}
	}
	return 0
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the log lines containing every one of parts.
func (b *syncBuffer) lines(parts ...string) []string {
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		ok := l != ""
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

// gate is a handler that blocks each task until the test lets it go, and
// reports when tasks start.
type gate struct {
	started chan *model.WorkerTask
	release chan struct{}
}

func newGate(buffer int) *gate {
	return &gate{started: make(chan *model.WorkerTask, buffer), release: make(chan struct{}, buffer)}
}

// handler blocks until released or the task's context ends; it returns the
// context's cause in the latter case.
func (g *gate) handler(t *model.WorkerTask) (any, error) {
	g.started <- t
	select {
	case <-g.release:
		return map[string]any{"done": t.TaskId}, nil
	case <-t.Context().Done():
		return nil, context.Cause(t.Context())
	}
}

func (g *gate) waitStarted(t *testing.T, n int) []*model.WorkerTask {
	t.Helper()
	watchdog := time.NewTimer(10 * time.Second)
	defer watchdog.Stop()
	var got []*model.WorkerTask
	for len(got) < n {
		select {
		case task := <-g.started:
			got = append(got, task)
		case <-watchdog.C:
			t.Fatalf("only %d of %d tasks started within 10s", len(got), n)
		}
	}
	return got
}

// completed is a handler that completes every task with its input as output.
func completed(t *model.WorkerTask) (any, error) { return t.InputData, nil }

func jsonNumber(s string) any { return json.Number(s) }
