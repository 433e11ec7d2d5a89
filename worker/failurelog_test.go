package worker

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// records is a slog.Handler that keeps every record.
type records struct {
	mu   sync.Mutex
	recs []slog.Record
	more chan struct{} // closed at the next record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) WithAttrs([]slog.Attr) slog.Handler       { return r } // attrs of With are not needed here
func (r *records) WithGroup(string) slog.Handler            { return r }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec.Clone())
	if r.more != nil {
		close(r.more)
		r.more = nil
	}
	return nil
}

// matching returns the records at level or above whose message is msg.
func (r *records) matching(level slog.Level, msg string) []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []slog.Record
	for _, rec := range r.recs {
		if rec.Level >= level && rec.Message == msg {
			out = append(out, rec)
		}
	}
	return out
}

// waitFor blocks until n records match.
func (r *records) waitFor(t *testing.T, n int, level slog.Level, msg string) []slog.Record {
	t.Helper()
	watchdog := time.NewTimer(10 * time.Second)
	defer watchdog.Stop()
	for {
		r.mu.Lock()
		if r.more == nil {
			r.more = make(chan struct{})
		}
		ch := r.more
		r.mu.Unlock()
		if got := r.matching(level, msg); len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-watchdog.C:
			t.Fatalf("waited 10s for %d records %q; have %d", n, msg, len(r.matching(level, msg)))
		}
	}
}

func attr(rec slog.Record, key string) (slog.Value, bool) {
	var v slog.Value
	found := false
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v, found = a.Value, true
			return false
		}
		return true
	})
	return v, found
}

// deadURL returns a loopback URL where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr + "/api"
}

const unreachable = "worker: cannot reach the server; is it running, and is the URL right? backing off"

// TestDeadServerIsLoggedRateLimited: the first failed poll is logged at once
// with the URL and a hint; later ones at most once per FailureLogInterval,
// saying how many were left out.
func TestDeadServerIsLoggedRateLimited(t *testing.T) {
	t.Parallel()
	url := deadURL(t)
	clk := newFakeClock()
	logs := &records{}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(url), HTTPClient: &http.Client{Transport: tr}})
	require.NoError(t, err)
	host, err := NewWorkerHostWithConfig(HostConfig{
		Client: api, Logger: slog.New(logs), LookupEnv: noEnv, clock: clk,
		RetryMin: 2 * time.Second, RetryMax: 2 * time.Second, rand: func() float64 { return 0 }, // every retry 1 s away
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = host.Shutdown(context.Background()) })
	require.NoError(t, host.StartWorker("t", completed, 1, time.Second))

	first := logs.waitFor(t, 1, slog.LevelWarn, unreachable)[0]
	u, _ := attr(first, "url")
	require.Equal(t, url, u.String())
	_, ok := attr(first, "not_logged_since_last_line")
	require.False(t, ok, "nothing was left out before the first line")

	// Each retry is one second away; 29 of them fail within the interval.
	for i := range 29 {
		clk.waitPending(t, time.Second)
		clk.Advance(time.Second)
		// The failure is counted before the next back-off timer is set.
		clk.waitPending(t, time.Second)
		require.Len(t, logs.matching(slog.LevelWarn, unreachable), 1, "retry %d", i+1)
	}
	clk.Advance(time.Second) // 30 s after the first line
	second := logs.waitFor(t, 2, slog.LevelWarn, unreachable)[1]
	n, ok := attr(second, "not_logged_since_last_line")
	require.True(t, ok)
	require.Equal(t, int64(29), n.Int64())
	f, _ := attr(second, "failures_in_a_row")
	require.Equal(t, int64(31), f.Int64())
}

// TestWrongRootIsLogged: a base URL without /api logs the 404 with the URL
// meant.
func TestWrongRootIsLogged(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	logs := &records{}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(srv.URL), HTTPClient: &http.Client{Transport: tr}})
	require.NoError(t, err)
	host, err := NewWorkerHostWithConfig(HostConfig{Client: api, Logger: slog.New(logs), LookupEnv: noEnv, clock: newFakeClock()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = host.Shutdown(context.Background()) })
	require.NoError(t, host.StartWorker("t", completed, 1, time.Second))
	rec := logs.waitFor(t, 1, slog.LevelWarn, "worker: poll failed; backing off")[0]
	e, _ := attr(rec, "error")
	require.Contains(t, e.String(), "did you mean "+srv.URL+"/api?")
}

// TestDocsConstructorsReportBadURL: the constructors of Conductor's Go
// documentation return no error; StartWorker, WaitWorkers and Shutdown
// return it.
func TestDocsConstructorsReportBadURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"localhost:8080", "", "ftp://x", "http://"} {
		h := NewWorkerHostWithApiClient(client.NewAPIClient(settings.NewHttpSettings(raw)))
		err := h.StartWorker("t", completed, 1, time.Second)
		require.ErrorContains(t, err, "absolute http(s) URL", "URL %q", raw)
		require.Equal(t, err, h.WaitWorkers())
		require.Equal(t, err, h.Shutdown(context.Background()))
		_, err = NewWorkerHostWithConfig(HostConfig{Client: client.NewAPIClient(settings.NewHttpSettings(raw))})
		require.ErrorContains(t, err, "absolute http(s) URL")
	}
	h := NewWorkerHostWithApiClient(client.NewAPIClient(settings.NewHttpSettings("localhost:8080")))
	require.ErrorContains(t, h.StartWorker("t", completed, 1, time.Second), `did you mean "http://localhost:8080/api"?`)
}

// TestDefaultLoggerIsQuietAtInfo: a host without a Logger writes warnings
// (to stderr), not info lines.
func TestDefaultLoggerIsQuietAtInfo(t *testing.T) {
	t.Setenv(client.EnvLogLevel, "") // not parallel: it sets the environment
	cfg := HostConfig{}.WithDefaults()
	require.True(t, cfg.Logger.Enabled(context.Background(), slog.LevelWarn))
	require.False(t, cfg.Logger.Enabled(context.Background(), slog.LevelInfo))
	t.Setenv(client.EnvLogLevel, "info")
	require.True(t, HostConfig{}.WithDefaults().Logger.Enabled(context.Background(), slog.LevelInfo))
}
