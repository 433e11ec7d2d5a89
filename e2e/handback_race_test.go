package e2e

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// TestRetriedHandBackDoesNotTakeTaskFromNextWorker guards against a
// duplicate execution: a host shutting down hands its running task back
// (IN_PROGRESS, callbackAfterSeconds 0); the server re-queues it, but the
// answer is lost on the way back. Another worker (w2) then polls the task
// and runs it. Had the first worker resent its hand-back, the server would
// apply it now and put w2's task back in the queue, to be run a second time.
// An IN_PROGRESS result is not idempotent, so the worker does not resend one
// after an error that may have reached the server.
func TestRetriedHandBackDoesNotTakeTaskFromNextWorker(t *testing.T) {
	t.Parallel()
	e := newEnv(t, server.Config{})
	e.chain("hb_flow", []model.TaskDef{taskDef("hb", nil)}, "hb")
	retry := make(chan struct{})
	handBacks := 0
	e.proxy.setFault(func(req proxyReq, _ *rand.Rand) action {
		if req.kind != "update" || req.result.WorkerId != "w1" || req.result.Status != model.InProgressTask {
			return action{}
		}
		handBacks++
		if handBacks == 1 {
			return action{lose: true} // the server re-queues the task; w1 never hears
		}
		return action{hold: retry} // a resent hand-back would wait here until w2 runs the task
	})

	stuck := newGate(1)
	first := e.newHost(func(c *worker.HostConfig) { c.HandBackTimeout = time.Second })
	e.startWorker(first, worker.WorkerConfig{TaskName: "hb", WorkerID: "w1", Func: func(task *model.WorkerTask) (any, error) {
		stuck.started <- task
		<-task.Context().Done()
		return nil, context.Cause(task.Context())
	}})
	e.start("hb_flow", nil, nil)
	task := stuck.await(t, 1)[0]

	running := newGate(1)
	second := e.newHost()
	e.startWorker(second, worker.WorkerConfig{TaskName: "hb", WorkerID: "w2", Func: func(task *model.WorkerTask) (any, error) {
		running.started <- task
		select {
		case <-running.release:
			return map[string]any{"by": "w2"}, nil
		case <-task.Context().Done():
			return nil, context.Cause(task.Context())
		}
	}})
	t.Cleanup(func() { close(running.release) })                                   // before the hosts' cleanup shutdowns, if the test fails
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond) // hands the task back at once
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- first.Shutdown(ctx) }()
	require.Equal(t, task.TaskId, running.await(t, 1)[0].TaskId, "w2 got the handed-back task")

	close(retry) // a resent hand-back, had there been one, reaches the server now
	require.ErrorContains(t, <-done, "1 unfinished tasks handed back")
	e.proxy.locked(func() { require.Equal(t, 1, handBacks, "the hand-back whose answer was lost is not resent") })
	row := e.task(task.TaskId)
	require.Equal(t, model.TaskInProgress, row.Status, "a stale hand-back must not re-queue a task another worker runs")
	require.Equal(t, "w2", row.WorkerId, "the task still belongs to the worker running it")

	running.let(1)
	e.waitFinal(1)
	require.NoError(t, shutdown(second))
}
