package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// TestInProgressWithCallbackRequeuesTheTask: a handler that answers
// IN_PROGRESS with callbackAfterSeconds gets the same task again once the
// delay has passed on the server's clock (moved here, not waited for), and
// its second answer completes it. One row, polled twice, run twice.
func TestInProgressWithCallbackRequeuesTheTask(t *testing.T) {
	t.Parallel()
	clk := newOffsetClock()
	e := newEnv(t, server.Config{Clock: clk})
	e.chain("cb_flow", []model.TaskDef{taskDef("cb", nil)}, "cb")
	runs := newCalls()
	host := e.newHost()
	e.startWorker(host, worker.WorkerConfig{TaskName: "cb", Func: func(task *model.WorkerTask) (any, error) {
		if runs.add(task.TaskId) == 1 {
			r := model.NewTaskResultFromTask(task)
			r.Status, r.CallbackAfterSeconds, r.OutputData = model.InProgressTask, 30, map[string]any{"step": 1}
			return r, nil
		}
		return map[string]any{"step": 2}, nil
	}})
	id := e.start("cb_flow", nil, nil)
	e.proxy.waitFor(t, "the IN_PROGRESS answer", func() bool {
		return len(e.proxy.results) > 0 && e.proxy.results[0].outcome == "acked"
	})
	row := e.workflow(id).Tasks[0]
	require.Equal(t, model.TaskScheduled, row.Status)
	require.Equal(t, int64(30), row.CallbackAfterSeconds)
	require.Equal(t, map[string]any{"step": float64(1)}, row.OutputData)

	clk.AdvanceTo(time.UnixMilli(row.UpdateTime).Add(30*time.Second + 100*time.Millisecond))
	e.waitFinal(1)
	require.NoError(t, shutdown(host))
	wf := e.workflow(id)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Len(t, wf.Tasks, 1)
	require.Equal(t, 2, wf.Tasks[0].PollCount)
	require.Equal(t, map[string]any{"step": float64(2)}, wf.Tasks[0].OutputData)
	require.Equal(t, 2, runs.of(row.TaskId))
	e.proxy.locked(func() {
		require.Equal(t, "update", e.proxy.results[0].kind, "an IN_PROGRESS answer must not fetch a task")
	})
}
