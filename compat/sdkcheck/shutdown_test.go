package sdkcheck_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// TestWorkerShutdownHandsBack: a host shut down with a short deadline while
// its handler is blocked cancels the handler's context (cause
// ErrShutdownDeadline) and hands the task back as IN_PROGRESS with
// callbackAfterSeconds 0. The real server then holds it as SCHEDULED, ready
// at once: a fresh worker gets it on its first poll (not after the 60 s
// response timeout) and completes it. It is the same task row, polled
// twice, never retried.
func TestWorkerShutdownHandsBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()
	def := taskDef(e.name("handback"))
	wf := e.oneTaskWorkflow(def)

	started := make(chan string, 1)
	cause := make(chan error, 1)
	first := e.newHost(e.newAPI(rec.URL), worker.HostConfig{HandBackTimeout: time.Second})
	require.NoError(t, first.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name, WorkerID: "first",
		Func: func(task *model.WorkerTask) (any, error) {
			started <- task.TaskId
			<-task.Context().Done()
			cause <- context.Cause(task.Context())
			return nil, context.Cause(task.Context())
		},
	}))
	id := e.start(wf, map[string]any{"n": 1}, "")
	var taskID string
	select {
	case taskID = <-started:
	case <-e.ctx.Done():
		t.Fatal("the first worker never got the task")
	}

	ctx, cancel := context.WithTimeout(e.ctx, 2*time.Second)
	defer cancel()
	err := first.Shutdown(ctx)
	require.Error(t, err, "a shutdown that hands a task back says so")
	require.Contains(t, err.Error(), "1 unfinished tasks handed back")
	require.ErrorIs(t, <-cause, worker.ErrShutdownDeadline)

	back := rec.find(forTask(taskID, func(x exchange) bool { return isUpdate(x) || isUpdateV2(x) }))
	require.Len(t, back, 1, "one result for the task: the hand-back")
	r := back[0].result()
	require.True(t, isUpdate(back[0]), "a hand-back goes to POST /tasks: it must not bring a new task")
	require.Equal(t, 200, back[0].Status, "hand-back answer: %s", back[0].Answer)
	require.Equal(t, model.InProgressTask, r.Status)
	require.Zero(t, r.CallbackAfterSeconds)
	require.False(t, r.ExtendLease)

	task, err := e.api.Tasks().Get(e.ctx, taskID)
	require.NoError(t, err)
	require.Equal(t, model.TaskScheduled, task.Status, "Conductor holds a handed-back worker task as SCHEDULED")
	require.Zero(t, task.CallbackAfterSeconds)
	require.Equal(t, 1, task.PollCount)
	require.Zero(t, task.RetryCount)

	// A fresh worker (another host, as after a redeploy) gets it at once.
	second := e.newHost(e.api, worker.HostConfig{})
	restarted := time.Now()
	require.NoError(t, second.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name, WorkerID: "second",
		Func: func(task *model.WorkerTask) (any, error) {
			return map[string]any{"by": "second", "taskId": task.TaskId}, nil
		},
	}))
	w := e.awaitStatus(id, model.WorkflowCompleted)
	t.Logf("the handed-back task completed %v after the second worker started", time.Since(restarted))
	require.Len(t, w.Tasks, 1, "handed back, not retried: %s", describe(w))

	task, err = e.api.Tasks().Get(e.ctx, taskID)
	require.NoError(t, err)
	require.Equal(t, model.TaskCompleted, task.Status)
	require.Equal(t, 2, task.PollCount, "polled by the first worker, then by the second")
	require.Zero(t, task.RetryCount)
	require.Equal(t, "second", task.WorkerId)
	require.Equal(t, map[string]any{"by": "second", "taskId": taskID}, task.OutputData)

	// The hand-back left a line in the task's log.
	logs, err := e.api.Tasks().Logs(e.ctx, taskID)
	require.NoError(t, err)
	found := false
	for _, l := range logs {
		found = found || strings.Contains(l.Log, "handed back for another worker")
	}
	require.True(t, found, "the task log tells of the hand-back: %+v", logs)
	require.NoError(t, second.Shutdown(e.ctx), "a host whose tasks all finished shuts down cleanly")
}
