package sdkcheck_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// The lease tests run a handler for longer than the task's 2 s response
// timeout and ask the server to decide the workflow at the moments the
// timeout would be due (Conductor checks response timeouts only when it
// decides; its sweeper would come minutes later).
const (
	leaseResponseTimeout = 2 // seconds
	leaseWork            = 5 * time.Second
)

// leaseDecides are the moments after the poll at which the test calls
// decide. Without extensions the first finds the task timed out; with only
// the first extension (at 1.6 s) the second does. With extensions every
// 1.6 s each comes at most 1 s after the latest one, leaving the server 1 s
// to apply an extension before the decide would see the lease as expired.
var leaseDecides = []time.Duration{2500 * time.Millisecond, 4000 * time.Millisecond}

// TestWorkerLeaseExtension: a handler that runs 5 s on a task with
// responseTimeoutSeconds 2 is kept alive by the worker's extendLease
// updates: decides at 2.5 s and 4 s find no timeout, the task is neither
// timed out nor retried, its context is never cancelled, and it completes.
func TestWorkerLeaseExtension(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()
	def := taskDef(e.name("lease"))
	def.ResponseTimeoutSeconds = leaseResponseTimeout
	def.RetryCount = 1 // a timeout would show as a retry
	wf := e.oneTaskWorkflow(def)

	polled := make(chan time.Time, 4)
	ctxErr := make(chan error, 4)
	host := e.newHost(e.newAPI(rec.URL), worker.HostConfig{})
	require.NoError(t, host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name,
		Func: func(task *model.WorkerTask) (any, error) {
			polled <- time.Now()
			timer := time.NewTimer(leaseWork) // the work
			defer timer.Stop()
			select {
			case <-timer.C:
				ctxErr <- nil
				return map[string]any{"worked": leaseWork.String()}, nil
			case <-task.Context().Done():
				ctxErr <- context.Cause(task.Context())
				return nil, context.Cause(task.Context())
			}
		},
	}))

	id := e.start(wf, nil, "")
	var at time.Time
	select {
	case at = <-polled:
	case <-e.ctx.Done():
		t.Fatal("the task was never polled")
	}
	for _, d := range leaseDecides {
		e.waitUntil(at.Add(d))
		e.decide(id)
		task := latestTask(t, e, id)
		require.Equal(t, model.TaskInProgress, task.Status, "%v after the poll, a decide finds the task still running", d)
		require.Zero(t, task.RetryCount)
	}
	require.NoError(t, <-ctxErr, "the task's context was not cancelled")

	w := e.awaitStatus(id, model.WorkflowCompleted)
	require.Len(t, w.Tasks, 1, "no timeout, no retry: %s", describe(w))
	require.Equal(t, model.TaskCompleted, w.Tasks[0].Status)
	require.Equal(t, 1, w.Tasks[0].PollCount)
	require.Empty(t, polled, "the handler ran once")

	ext := rec.find(forTask(w.Tasks[0].TaskId, func(x exchange) bool { return isUpdate(x) && x.result().ExtendLease }))
	t.Logf("%d lease extensions in %v with responseTimeoutSeconds %d", len(ext), leaseWork, leaseResponseTimeout)
	require.GreaterOrEqual(t, len(ext), 2, "the worker extended the lease (every 1.6 s)")
	for _, x := range ext {
		require.Equal(t, 200, x.Status, "extendLease answer: %s", x.Answer)
		require.Equal(t, model.InProgressTask, x.result().Status)
	}
}

// TestWorkerLeaseControl is the same schedule with lease extension turned
// off, to show the decides above would catch a missing extension: the first
// decide times the task out and Conductor retries it; the worker's own lease
// timer has already cancelled the handler's context (ErrLeaseLost), and the
// retry completes.
func TestWorkerLeaseControl(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	def := taskDef(e.name("lease_off"))
	def.ResponseTimeoutSeconds = leaseResponseTimeout
	def.RetryCount = 1
	wf := e.oneTaskWorkflow(def)

	polled := make(chan time.Time, 4)
	cause := make(chan error, 4)
	host := e.newHost(e.api, worker.HostConfig{})
	require.NoError(t, host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name, DisableLeaseExtension: true,
		Func: func(task *model.WorkerTask) (any, error) {
			polled <- time.Now()
			if task.RetryCount > 0 {
				return map[string]any{"attempt": task.RetryCount}, nil
			}
			// Ignore the cancelled context until the decide has run, as
			// work that cannot stop would.
			<-task.Context().Done()
			cause <- context.Cause(task.Context())
			timer := time.NewTimer(leaseDecides[0])
			defer timer.Stop()
			<-timer.C
			return map[string]any{"late": true}, nil
		},
	}))

	id := e.start(wf, nil, "")
	var at time.Time
	select {
	case at = <-polled:
	case <-e.ctx.Done():
		t.Fatal("the task was never polled")
	}
	e.waitUntil(at.Add(leaseDecides[0]))
	e.decide(id)
	require.ErrorIs(t, <-cause, worker.ErrLeaseLost, "the worker gave up the task when its lease expired")

	w := e.awaitStatus(id, model.WorkflowCompleted)
	require.Len(t, w.Tasks, 2, describe(w))
	require.Equal(t, model.TaskTimedOut, w.Tasks[0].Status, describe(w))
	require.Contains(t, w.Tasks[0].ReasonForIncompletion, "responseTimeout")
	require.Equal(t, model.TaskCompleted, w.Tasks[1].Status)
	require.Equal(t, 1, w.Tasks[1].RetryCount)
	require.Equal(t, w.Tasks[0].TaskId, w.Tasks[1].RetriedTaskId)
	require.Equal(t, map[string]any{"attempt": float64(1)}, w.Tasks[1].OutputData)
}

// latestTask returns the last task row of workflow id.
func latestTask(t *testing.T, e *env, id string) model.WorkerTask {
	t.Helper()
	w, err := e.api.Workflows().Get(e.ctx, id, true)
	require.NoError(t, err)
	require.NotEmpty(t, w.Tasks, describe(w))
	return w.Tasks[len(w.Tasks)-1]
}
