package sdkcheck_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestBulkClient calls every method of client.BulkClient against the real
// server on two workflows and an unknown id: the known ids succeed, the
// unknown one is reported in bulkErrorResults, and the call itself does not
// fail.
func TestBulkClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bulk := e.api.Bulk()
	wf := e.oneTaskWorkflow(taskDef(e.name("bulk")))
	id1 := e.start(wf, map[string]any{"n": 1}, "")
	id2 := e.start(wf, map[string]any{"n": 2}, "")
	unknown := "no-such-workflow-" + e.prefix
	ids := []string{id1, id2, unknown}

	check := func(op string, res *model.BulkResponse[string]) {
		t.Helper()
		require.ElementsMatch(t, []string{id1, id2}, res.BulkSuccessfulResults, "%s: %+v", op, res)
		require.Len(t, res.BulkErrorResults, 1, "%s: %+v", op, res)
		require.Contains(t, res.BulkErrorResults[unknown], unknown, "%s: the reason names the id", op)
	}
	both := func(status model.WorkflowStatus) {
		t.Helper()
		e.awaitStatus(id1, status)
		e.awaitStatus(id2, status)
	}

	res, err := bulk.Pause(e.ctx, ids)
	require.NoError(t, err)
	check("pause", res)
	both(model.WorkflowPaused)

	res, err = bulk.Resume(e.ctx, ids)
	require.NoError(t, err)
	check("resume", res)
	both(model.WorkflowRunning)

	res, err = bulk.Terminate(e.ctx, ids, "bulk stop")
	require.NoError(t, err)
	check("terminate", res)
	both(model.WorkflowTerminated)
	w := e.awaitStatus(id1, model.WorkflowTerminated)
	require.Equal(t, "bulk stop", w.ReasonForIncompletion)

	res, err = bulk.Retry(e.ctx, ids)
	require.NoError(t, err)
	check("retry", res)
	w = e.await(id1, "retried", func(w *model.Workflow) bool {
		return w.Status == model.WorkflowRunning && len(w.Tasks) == 2 && w.Tasks[1].Status == model.TaskScheduled
	})
	require.Equal(t, 1, w.Tasks[1].RetryCount)

	res, err = bulk.Terminate(e.ctx, ids, "before restart")
	require.NoError(t, err)
	check("terminate", res)
	both(model.WorkflowTerminated)
	res, err = bulk.Restart(e.ctx, ids, false)
	require.NoError(t, err)
	check("restart", res)
	w = e.await(id2, "restarted", func(w *model.Workflow) bool {
		return w.Status == model.WorkflowRunning && len(w.Tasks) == 1 && w.Tasks[0].Status == model.TaskScheduled
	})
	require.Zero(t, w.Tasks[0].RetryCount)

	// A running workflow cannot be restarted: the answer says so per id.
	res, err = bulk.Restart(e.ctx, []string{id1}, false)
	require.NoError(t, err)
	require.Empty(t, res.BulkSuccessfulResults)
	require.Contains(t, res.BulkErrorResults[id1], "not in terminal state")

	res, err = bulk.Terminate(e.ctx, ids, "before remove")
	require.NoError(t, err)
	check("terminate", res)
	both(model.WorkflowTerminated)
	res, err = bulk.Remove(e.ctx, ids, false)
	require.NoError(t, err)
	check("remove", res)
	for _, id := range []string{id1, id2} {
		_, err := e.api.Workflows().Get(e.ctx, id, false)
		require.ErrorIs(t, err, client.ErrNotFound, "removed")
	}
}
