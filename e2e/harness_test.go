package e2e

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// env is one test's world: a Baton server, a proxy in front of it for the
// workers, and an admin client that talks to the server directly, so that
// faults injected for the workers never touch the test's own calls.
type env struct {
	t     *testing.T
	admin *client.APIClient
	proxy *faultProxy
	logs  *syncBuffer
}

// newEnv starts a server (in memory unless cfg says otherwise) and a proxy
// seeded from the test's name, so a failing run can be replayed.
func newEnv(t *testing.T, cfg server.Config) *env {
	t.Helper()
	srv := batontest.NewServerWithConfig(t, cfg)
	return newEnvFor(t, srv.URL(), srv.Client())
}

func newEnvFor(t *testing.T, apiURL string, admin *client.APIClient) *env {
	t.Helper()
	e := &env{t: t, admin: admin, proxy: newProxy(t, apiURL, seedOf(t)), logs: &syncBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("worker log:\n%s", e.logs.String())
		}
	})
	return e
}

func seedOf(t *testing.T) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(t.Name()))
	return h.Sum64()
}

// newHost returns a WorkerHost talking through the proxy, with short
// back-offs so fault tests run quickly on the wall clock. It is shut down
// when the test ends, if the test did not.
func (e *env) newHost(opts ...func(*worker.HostConfig)) *worker.WorkerHost {
	e.t.Helper()
	cfg := worker.HostConfig{
		Client:    e.proxy.client(e.t),
		Logger:    slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
		LookupEnv: func(string) (string, bool) { return "", false },
		RetryMin:  time.Millisecond,
		RetryMax:  20 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	h, err := worker.NewWorkerHostWithConfig(cfg)
	require.NoError(e.t, err)
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = h.Shutdown(ctx)
	})
	return h
}

// startWorker starts a worker with a short long-poll, so idle pollers cycle
// quickly and host shutdowns do not wait long for a poll under way, and
// tells the proxy its batch size.
func (e *env) startWorker(h *worker.WorkerHost, cfg worker.WorkerConfig) {
	e.t.Helper()
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 100 * time.Millisecond
	}
	cfg.PollInterval = max(cfg.PollInterval, 10*time.Millisecond)
	e.proxy.expectCapacity(cmp.Or(cfg.WorkerID, model.Hostname()), queueKey(cfg.TaskName, cfg.Domain), max(cfg.Concurrency, 1))
	require.NoError(e.t, h.StartWorkerWithConfig(cfg))
}

// taskDef returns a definition without retries or timeouts worth noticing;
// edit adjusts it.
func taskDef(name string, edit func(*model.TaskDef)) model.TaskDef {
	d := model.TaskDef{Name: name, RetryCount: 0, ResponseTimeoutSeconds: 3600, TimeoutPolicy: model.TimeOutWorkflow}
	if edit != nil {
		edit(&d)
	}
	return d
}

// chain registers a workflow running SIMPLE tasks one after the other, each
// given the workflow input under "in" and the previous task's output under
// "prev".
func (e *env) chain(name string, defs []model.TaskDef, taskNames ...string) {
	e.t.Helper()
	ctx := e.t.Context()
	require.NoError(e.t, e.admin.Metadata().RegisterTaskDefs(ctx, defs...))
	tasks := make([]model.WorkflowTask, len(taskNames))
	for i, n := range taskNames {
		in := map[string]any{"in": "${workflow.input}"}
		if i > 0 {
			in["prev"] = "${" + tasks[i-1].TaskReferenceName + ".output}"
		}
		tasks[i] = model.WorkflowTask{Name: n, TaskReferenceName: fmt.Sprintf("%s_%d", n, i), Type: model.TaskTypeSimple, InputParameters: in}
	}
	require.NoError(e.t, e.admin.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef(name, tasks...), false))
}

// start starts a workflow and returns its id.
func (e *env) start(name string, input map[string]any, taskToDomain map[string]string) string {
	e.t.Helper()
	req := model.NewStartWorkflowRequest(name, 0, "", input)
	req.TaskToDomain = taskToDomain
	id, err := e.admin.Workflows().Start(e.t.Context(), req)
	require.NoError(e.t, err)
	return id
}

// workflow returns a workflow with its task rows.
func (e *env) workflow(id string) *model.Workflow {
	e.t.Helper()
	wf, err := e.admin.Workflows().Get(e.t.Context(), id, true)
	require.NoError(e.t, err)
	return wf
}

// waitServer polls the server until cond holds for the workflow, for state
// the server changes on its own (timeouts); it fails after 20 s.
func (e *env) waitServer(id, what string, cond func(*model.Workflow) bool) *model.Workflow {
	e.t.Helper()
	var wf *model.Workflow
	e.eventually(what, func() bool {
		wf = e.workflow(id)
		return cond(wf)
	})
	return wf
}

// eventually checks cond every few milliseconds until it holds, and fails
// the test after 20 s. It is for state that no event of the proxy marks.
func (e *env) eventually(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("still waiting after 20s for %s", what)
		}
		<-tick.C
	}
}

// queueSize returns how many tasks wait in a queue on the server.
func (e *env) queueSize(taskType, domain string) int {
	e.t.Helper()
	n, err := e.admin.Tasks().QueueSize(e.t.Context(), taskType, domain)
	require.NoError(e.t, err)
	return n
}

// calls counts handler invocations per task id: with the server's task
// rows it tells every execution apart.
type calls struct {
	mu     sync.Mutex
	byTask map[string]int
}

func newCalls() *calls { return &calls{byTask: map[string]int{}} }

// add records an invocation and returns its number for that task id.
func (c *calls) add(taskID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byTask[taskID]++
	return c.byTask[taskID]
}

func (c *calls) of(taskID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byTask[taskID]
}

func (c *calls) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.byTask))
	for k, v := range c.byTask {
		m[k] = v
	}
	return m
}

func (c *calls) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.byTask {
		n += v
	}
	return n
}

// gate holds each task's handler until the test lets it go.
type gate struct {
	started chan *model.WorkerTask
	release chan struct{}
}

func newGate(n int) *gate {
	return &gate{started: make(chan *model.WorkerTask, n), release: make(chan struct{}, n)}
}

// await waits until n handlers have started and returns their tasks.
func (g *gate) await(t *testing.T, n int) []*model.WorkerTask {
	t.Helper()
	watchdog := time.NewTimer(20 * time.Second)
	defer watchdog.Stop()
	var got []*model.WorkerTask
	for len(got) < n {
		select {
		case task := <-g.started:
			got = append(got, task)
		case <-watchdog.C:
			t.Fatalf("only %d of %d handlers started within 20s", len(got), n)
		}
	}
	return got
}

// let releases n held handlers.
func (g *gate) let(n int) {
	for range n {
		g.release <- struct{}{}
	}
}

// syncBuffer is a bytes.Buffer safe for a logger's concurrent writes.
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

// task returns a task row from the server.
func (e *env) task(id string) *model.WorkerTask {
	e.t.Helper()
	task, err := e.admin.Tasks().Get(e.t.Context(), id)
	require.NoError(e.t, err)
	return task
}
