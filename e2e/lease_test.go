package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// TestLeaseExtensionKeepsLongTaskAlive runs two long tasks with a one-second
// responseTimeoutSeconds side by side on a server whose clock the test can
// move: "leased" on a worker that extends leases, "unleased" on one with
// lease extension off, polled just after. Once the proxy has seen the
// worker's extendLease for the first task, the server clock jumps past both
// tasks' original response timeouts (not past the extended one): the
// server times out the unleased task, while the leased one stays
// IN_PROGRESS, then completes, run once, as the only row of its workflow.
func TestLeaseExtensionKeepsLongTaskAlive(t *testing.T) {
	t.Parallel()
	const rt = time.Second
	clk := newOffsetClock()
	e := newEnv(t, server.Config{Clock: clk})
	short := func(d *model.TaskDef) { d.ResponseTimeoutSeconds = int64(rt / time.Second) }
	e.chain("leased_flow", []model.TaskDef{taskDef("leased", short)}, "leased")
	e.chain("unleased_flow", []model.TaskDef{taskDef("unleased", short)}, "unleased")

	leased, unleased := newGate(1), newGate(1)
	runs := newCalls()
	ctxErr := make(chan error, 1)
	host := e.newHost()
	e.startWorker(host, worker.WorkerConfig{TaskName: "leased", Func: func(task *model.WorkerTask) (any, error) {
		runs.add(task.TaskId)
		leased.started <- task
		<-leased.release
		ctxErr <- task.Context().Err()
		return map[string]any{"done": true}, nil
	}})
	e.startWorker(host, worker.WorkerConfig{TaskName: "unleased", DisableLeaseExtension: true, Func: gated(unleased)})

	a := e.start("leased_flow", nil, nil)
	taskA := leased.await(t, 1)[0]
	b := e.start("unleased_flow", nil, nil)
	taskB := unleased.await(t, 1)[0]
	require.Equal(t, int64(1), taskA.ResponseTimeoutSeconds, "the worker learns the lease from the task")

	e.proxy.waitFor(t, "the worker to extend the lease", func() bool { return e.proxy.extends[taskA.TaskId] > 0 })
	rowA, rowB := e.task(taskA.TaskId), e.task(taskB.TaskId)
	require.Greater(t, rowA.UpdateTime, rowA.StartTime, "the extension restamped the task")
	jump := time.UnixMilli(rowB.StartTime).Add(rt + 100*time.Millisecond) // past both original deadlines
	require.True(t, jump.Before(time.UnixMilli(rowA.UpdateTime).Add(rt)), "not past the extended one")
	clk.AdvanceTo(jump)

	wfB := e.waitServer(b, "the unleased task to time out", func(wf *model.Workflow) bool {
		return wf.Tasks[0].Status == model.TaskTimedOut
	})
	require.Contains(t, wfB.Tasks[0].ReasonForIncompletion, "responseTimeout")
	rowA = e.task(taskA.TaskId)
	require.Equal(t, model.TaskInProgress, rowA.Status, "extended: alive past its first response timeout")
	require.GreaterOrEqual(t, clk.Now().UnixMilli()-rowA.StartTime, rt.Milliseconds())

	leased.let(1)
	unleased.let(1)
	e.waitFinal(2) // the unleased result is acknowledged too, and ignored: its task has ended
	require.NoError(t, shutdown(host))
	require.NoError(t, <-ctxErr, "the leased task's context stayed alive until it returned")

	wfA := e.workflow(a)
	require.Equal(t, model.WorkflowCompleted, wfA.Status)
	require.Len(t, wfA.Tasks, 1, "no timeout, no retry row")
	require.Equal(t, 1, wfA.Tasks[0].PollCount)
	require.Equal(t, 1, runs.of(taskA.TaskId))
	wfB = e.workflow(b)
	require.Equal(t, model.WorkflowTimedOut, wfB.Status)
	require.Equal(t, model.TaskTimedOut, wfB.Tasks[0].Status, "a late result does not revive a timed-out task")
}
