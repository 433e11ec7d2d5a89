package e2e

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// TestLostUpdateV2AnswerOrphansTheTaskItCarried documents what update-v2
// costs when its answer is lost on the way back (as in Conductor, whose
// updateTaskV2 is the same update then poll): the server completed the
// result and handed the next task to the worker in that answer, so the
// task is IN_PROGRESS for a worker that never saw it. The worker resends
// its result (the server ignores it, the task being done) and gets yet
// another task. The orphan waits out its responseTimeoutSeconds, times out
// and is retried as a new row, which the worker runs; the handler never
// ran the orphan. Without a response timeout the orphan's workflow would
// hang: keep responseTimeoutSeconds short for tasks that use update-v2.
func TestLostUpdateV2AnswerOrphansTheTaskItCarried(t *testing.T) {
	t.Parallel()
	const n = 4
	clk := newOffsetClock()
	e := newEnv(t, server.Config{Clock: clk})
	e.chain("lost_flow", []model.TaskDef{taskDef("lost", func(d *model.TaskDef) {
		d.ResponseTimeoutSeconds, d.RetryCount, d.RetryDelaySeconds = 10, 1, 0
	})}, "lost")
	e.proxy.setFault(func(req proxyReq, _ *rand.Rand) action {
		return action{lose: req.kind == "update-v2" && req.n == 1}
	})
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.start("lost_flow", nil, nil)
	}
	runs := newCalls()
	host := e.newHost()
	e.startWorker(host, worker.WorkerConfig{TaskName: "lost", Func: func(task *model.WorkerTask) (any, error) {
		runs.add(task.TaskId)
		return map[string]any{"taskId": task.TaskId}, nil
	}})

	e.waitFinal(n - 1) // every task but the orphan
	var first, orphan string
	e.proxy.locked(func() {
		r := e.proxy.results[0]
		require.Equal(t, "lost", r.outcome)
		require.NotEmpty(t, r.next, "the lost answer carried a task")
		first, orphan = r.taskID, r.next
		require.Equal(t, 2, e.proxy.applied[first], "the worker sent its result again")
		require.Zero(t, e.proxy.deliveries[orphan], "the orphan never reached the worker")
	})
	row := e.task(orphan)
	require.Equal(t, model.TaskInProgress, row.Status, "the server thinks a worker has it")
	require.Zero(t, runs.of(orphan))

	clk.AdvanceTo(time.UnixMilli(row.UpdateTime).Add(10*time.Second + 100*time.Millisecond)) // its response timeout
	e.waitFinal(n)
	require.NoError(t, shutdown(host))
	for _, id := range ids {
		wf := e.workflow(id)
		require.Equal(t, model.WorkflowCompleted, wf.Status)
		if wf.Tasks[0].TaskId != orphan {
			require.Len(t, wf.Tasks, 1)
			continue
		}
		require.Len(t, wf.Tasks, 2, "the orphan timed out and was retried")
		require.Equal(t, model.TaskTimedOut, wf.Tasks[0].Status)
		require.Equal(t, model.TaskCompleted, wf.Tasks[1].Status)
		require.Equal(t, 1, runs.of(wf.Tasks[1].TaskId))
	}
	require.Zero(t, runs.of(orphan), "the handler never ran the orphan")
	require.Equal(t, n, runs.total())
}
