package sdkcheck_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// testTimeout bounds one test, however slow the server is.
const testTimeout = 90 * time.Second

// awaitInterval is how often an awaited state is read again.
const awaitInterval = 100 * time.Millisecond

// env is one test's view of the server: a client, a context bounded by
// testTimeout and helpers that fail the test on any error.
type env struct {
	t   *testing.T
	ctx context.Context
	// prefix starts every name the test registers (sdk_ and random hex),
	// so tests, repeated runs (-count) and other runs can share a server.
	prefix string
	base   string
	api    *client.APIClient
	raw    *http.Client // for the calls the SDK does not make
	log    *slog.Logger // collected, printed only when the test fails
}

func newEnv(t *testing.T) *env {
	t.Helper()
	base := requireServer(t)
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	e := &env{t: t, ctx: ctx, base: base, prefix: "sdk_" + randomHex(4), log: testLogger(t)}
	e.api = e.newAPI(base)
	e.raw = &http.Client{Transport: e.transport(), Timeout: 30 * time.Second}
	return e
}

// transport returns a transport whose idle connections are closed when the
// test ends (goleak would see them otherwise).
func (e *env) transport() *http.Transport {
	tr := &http.Transport{MaxIdleConnsPerHost: 32, IdleConnTimeout: 30 * time.Second}
	e.t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// newAPI returns a client for the API root base, on a transport of its own
// whose idle connections are closed when the test ends.
func (e *env) newAPI(base string) *client.APIClient {
	e.t.Helper()
	api, err := client.NewAPIClientWithConfig(client.Config{
		HTTP:       settings.NewHttpSettings(base),
		HTTPClient: &http.Client{Transport: e.transport()},
		UserAgent:  "baton-sdkcheck",
	})
	require.NoError(e.t, err)
	return api
}

// name returns a name unique to this test: prefix_suffix.
func (e *env) name(suffix string) string { return e.prefix + "_" + suffix }

// taskDef returns a task definition without retries and with a 60 s
// response timeout; edit the copy before registering it.
func taskDef(name string) model.TaskDef {
	d := model.NewTaskDef(name)
	d.RetryCount = 0
	d.RetryDelaySeconds = 0
	d.ResponseTimeoutSeconds = 60
	d.OwnerEmail = "sdkcheck@example.com"
	return *d
}

func simple(name, ref string, input map[string]any) model.WorkflowTask {
	return model.WorkflowTask{Name: name, TaskReferenceName: ref, Type: model.TaskTypeSimple, InputParameters: input}
}

// registerTasks registers task definitions.
func (e *env) registerTasks(defs ...model.TaskDef) {
	e.t.Helper()
	require.NoError(e.t, e.api.Metadata().RegisterTaskDefs(e.ctx, defs...))
}

// registerWorkflow registers (or overwrites) version 1 of a workflow
// running tasks in sequence.
func (e *env) registerWorkflow(name string, output map[string]any, tasks ...model.WorkflowTask) {
	e.t.Helper()
	def := model.NewWorkflowDef(name, tasks...)
	def.OutputParameters = output
	def.OwnerEmail = "sdkcheck@example.com"
	require.NoError(e.t, e.api.Metadata().RegisterWorkflowDef(e.ctx, def, true))
}

// oneTaskWorkflow registers a task definition and a workflow "<task>_wf"
// running it once with the workflow's input; it returns the workflow name.
func (e *env) oneTaskWorkflow(def model.TaskDef) string {
	e.t.Helper()
	e.registerTasks(def)
	wf := def.Name + "_wf"
	e.registerWorkflow(wf, map[string]any{"out": "${a.output}"},
		simple(def.Name, "a", map[string]any{"in": "${workflow.input}"}))
	return wf
}

// start starts the latest version of workflow name.
func (e *env) start(name string, input map[string]any, correlationID string) string {
	e.t.Helper()
	id, err := e.api.Workflows().StartByName(e.ctx, name, input, client.StartOptions{CorrelationID: correlationID})
	require.NoError(e.t, err)
	require.NotEmpty(e.t, id)
	return id
}

// await reads workflow id (with its tasks) until ok holds on two reads in a
// row (Conductor stores a retried task's new row before it marks the old
// one, so one read can fall between them), and returns the last read.
func (e *env) await(id, what string, ok func(*model.Workflow) bool) *model.Workflow {
	e.t.Helper()
	var last *model.Workflow
	var lastErr error
	hits := 0
	tick := time.NewTicker(awaitInterval)
	defer tick.Stop()
	for {
		wf, err := e.api.Workflows().Get(e.ctx, id, true)
		switch {
		case err != nil:
			lastErr, hits = err, 0
		case ok(wf):
			last, lastErr = wf, nil
			if hits++; hits == 2 {
				return wf
			}
		default:
			last, lastErr, hits = wf, nil, 0
		}
		select {
		case <-e.ctx.Done():
			e.t.Fatalf("workflow %s: %s: not reached before the test's deadline; last error %v; last state %s",
				id, what, lastErr, describe(last))
		case <-tick.C:
		}
	}
}

// awaitStatus waits for workflow id to reach status.
func (e *env) awaitStatus(id string, status model.WorkflowStatus) *model.Workflow {
	e.t.Helper()
	return e.await(id, "status "+string(status), func(w *model.Workflow) bool { return w.Status == status })
}

// decide asks the server to evaluate workflow id now, as Conductor's specs
// call sweep(): Conductor finds timeouts only when it decides.
func (e *env) decide(id string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPut, e.base+"/workflow/decide/"+url.PathEscape(id), nil)
	require.NoError(e.t, err)
	resp, err := e.raw.Do(req)
	require.NoError(e.t, err)
	_ = resp.Body.Close()
	require.Equal(e.t, http.StatusOK, resp.StatusCode, "PUT /workflow/decide/%s", id)
}

// waitUntil blocks until the wall clock reaches at, or the test's deadline.
// Timeouts on a real server are wall-clock events: there is no clock to move.
func (e *env) waitUntil(at time.Time) {
	e.t.Helper()
	timer := time.NewTimer(time.Until(at))
	defer timer.Stop()
	select {
	case <-e.ctx.Done():
		e.t.Fatalf("test deadline passed while waiting for %s", at.Format(time.TimeOnly))
	case <-timer.C:
	}
}

// newHost returns a WorkerHost on api that ignores the environment's worker
// settings, logs into the test's log and is shut down when the test ends.
func (e *env) newHost(api *client.APIClient, cfg worker.HostConfig) *worker.WorkerHost {
	e.t.Helper()
	cfg.Client = api
	cfg.Logger = e.log
	cfg.LookupEnv = func(string) (string, bool) { return "", false }
	h, err := worker.NewWorkerHostWithConfig(cfg)
	require.NoError(e.t, err)
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = h.Shutdown(ctx) // a test that checks the shutdown has called it already
	})
	return h
}

// describe prints a workflow's status and task rows on one line.
func describe(w *model.Workflow) string {
	if w == nil {
		return "<none>"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s", w.Status)
	if w.ReasonForIncompletion != "" {
		fmt.Fprintf(&b, " (%s)", w.ReasonForIncompletion)
	}
	b.WriteString(":")
	for _, t := range w.Tasks {
		fmt.Fprintf(&b, " %s=%s[retry %d, polls %d]", t.ReferenceTaskName, t.Status, t.RetryCount, t.PollCount)
	}
	return b.String()
}

// testLogger collects log lines and prints them if the test fails.
func testLogger(t *testing.T) *slog.Logger {
	buf := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("worker log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventually calls cond every awaitInterval until it reports true, and fails
// the test with cond's last note if the test's deadline or within passes.
func (e *env) eventually(what string, within time.Duration, cond func() (bool, string)) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, within)
	defer cancel()
	tick := time.NewTicker(awaitInterval)
	defer tick.Stop()
	for {
		ok, note := cond()
		if ok {
			return
		}
		select {
		case <-ctx.Done():
			e.t.Fatalf("%s: not reached within %v: %s", what, within, note)
		case <-tick.C:
		}
	}
}

// awaitQueued waits until n tasks of taskType wait in the default queue.
func (e *env) awaitQueued(taskType string, n int) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("%d tasks of %s queued", n, taskType), 20*time.Second, func() (bool, string) {
		got, err := e.api.Tasks().QueueSize(e.ctx, taskType, "")
		return err == nil && got == n, fmt.Sprintf("queue size %d, error %v", got, err)
	})
}
