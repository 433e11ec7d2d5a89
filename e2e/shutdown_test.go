package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// TestShutdownHandsBackUnfinishedTasks shuts a host down while it runs four
// tasks: two finish during the drain and are reported, two run past the
// deadline and are handed back. Shutdown returns before its deadline, the
// server has the two handed back as SCHEDULED with no callback delay (the
// same task rows, not retries), and a second host completes them.
func TestShutdownHandsBackUnfinishedTasks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, server.Config{})
	e.chain("sd_flow", []model.TaskDef{taskDef("sd", nil)}, "sd")

	g := newGate(4)
	runs := newCalls()
	var mu sync.Mutex
	causes := map[string]error{}
	first := e.newHost(func(c *worker.HostConfig) { c.HandBackTimeout = 500 * time.Millisecond })
	e.startWorker(first, worker.WorkerConfig{TaskName: "sd", Concurrency: 4, Func: func(task *model.WorkerTask) (any, error) {
		runs.add(task.TaskId)
		g.started <- task
		if task.InputData["in"].(map[string]any)["mode"] == "finish" {
			<-g.release
			return map[string]any{"by": "first"}, nil
		}
		<-task.Context().Done() // runs until the shutdown deadline takes it back
		mu.Lock()
		causes[task.TaskId] = context.Cause(task.Context())
		mu.Unlock()
		return nil, context.Cause(task.Context())
	}})

	modeOf := map[string]string{}
	for _, mode := range []string{"finish", "stuck", "finish", "stuck"} {
		modeOf[e.start("sd_flow", map[string]any{"mode": mode}, nil)] = mode
	}
	g.await(t, 4)

	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	done := make(chan error, 1)
	go func() { done <- first.Shutdown(ctx) }()
	g.let(2) // the finishing tasks report during the drain
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Shutdown did not return")
	}
	require.True(t, time.Now().Before(deadline), "Shutdown returned within its deadline")
	require.ErrorContains(t, err, "2 unfinished tasks handed back to the server")
	require.NotContains(t, err.Error(), "dropped")

	handedBack := map[string]bool{}
	for id, mode := range modeOf {
		row := e.workflow(id).Tasks[0]
		if mode == "finish" {
			require.Equal(t, model.TaskCompleted, row.Status, "reported during the drain")
			require.Equal(t, map[string]any{"by": "first"}, row.OutputData)
			continue
		}
		handedBack[row.TaskId] = true
		require.Equal(t, model.TaskScheduled, row.Status, "handed back, queued again")
		require.Zero(t, row.CallbackAfterSeconds, "pollable at once")
		require.Equal(t, 1, row.PollCount)
		mu.Lock()
		require.ErrorIs(t, causes[row.TaskId], worker.ErrShutdownDeadline, "the handler's context said why")
		mu.Unlock()
	}
	require.Len(t, handedBack, 2)
	require.Equal(t, 2, e.queueSize("sd", ""))
	e.proxy.locked(func() {
		backs := 0
		for _, r := range e.proxy.results {
			if handedBack[r.taskID] && r.outcome == "acked" {
				require.Equal(t, "update", r.kind, "a hand-back must not fetch a task")
				require.Equal(t, model.InProgressTask, r.status)
				require.Zero(t, r.callback)
				backs++
			}
		}
		require.Equal(t, 2, backs, "each unfinished task handed back once")
	})

	second := e.newHost()
	e.startWorker(second, worker.WorkerConfig{TaskName: "sd", Concurrency: 2, Func: func(task *model.WorkerTask) (any, error) {
		runs.add(task.TaskId)
		return map[string]any{"by": "second"}, nil
	}})
	e.waitFinal(4)
	for id, mode := range modeOf {
		wf := e.workflow(id)
		require.Equal(t, model.WorkflowCompleted, wf.Status)
		require.Len(t, wf.Tasks, 1, "no retry rows: the same task came back")
		row := wf.Tasks[0]
		if mode == "stuck" {
			require.Equal(t, map[string]any{"by": "second"}, row.OutputData)
			require.Equal(t, 2, row.PollCount)
			require.Equal(t, 2, runs.of(row.TaskId), "run by each host once")
		} else {
			require.Equal(t, 1, runs.of(row.TaskId))
		}
	}
	require.NoError(t, shutdown(second))
}

func shutdown(h *worker.WorkerHost) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return h.Shutdown(ctx)
}
