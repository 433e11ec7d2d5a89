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

// TestWorkerShutdownWaitsOutIdlePollOnConductor: Conductor announces no
// poll release, so a host neither asks it to end its polls nor cuts them:
// its shutdown waits for the idle long poll under way, which the server
// answers (200 []), so a task handed out at that moment could not be lost.
func TestWorkerShutdownWaitsOutIdlePollOnConductor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()
	api := e.newAPI(rec.URL)
	def := taskDef(e.name("idlepoll"))
	e.registerTasks(def)
	require.False(t, api.CanReleasePolls(), "Conductor's answers announce no Baton capabilities")

	host := e.newHost(api, worker.HostConfig{})
	require.NoError(t, host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name, PollTimeout: time.Second,
		Func: func(*model.WorkerTask) (any, error) { return nil, nil },
	}))
	isPoll := func(x exchange) bool { return strings.HasPrefix(x.Path, "/tasks/poll/batch/"+def.Name) }
	polls := func(xs []exchange) []exchange {
		var out []exchange
		for _, x := range xs {
			if isPoll(x) {
				out = append(out, x)
			}
		}
		return out
	}
	// The first idle poll has been answered; the next is (almost surely)
	// under way as the shutdown starts.
	e.awaitCalls(rec, "a first idle poll", func(xs []exchange) bool { return len(polls(xs)) >= 1 })
	require.NoError(t, host.Shutdown(e.ctx))
	require.False(t, api.CanReleasePolls())
	// The host has returned, so every poll it sent has reached the proxy.
	all := e.awaitCalls(rec, "every poll recorded", func([]exchange) bool { return rec.settled() })
	require.Empty(t, rec.find(func(x exchange) bool { return strings.Contains(x.Path, "/release") }))
	for _, x := range polls(all) {
		require.Equal(t, 200, x.Status, "every poll was answered, none cut: %s", x.Answer)
	}
}
