package sdkcheck_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// TestWorkflowClient calls every method of client.WorkflowClient against
// the real server, with the state each call leaves checked through Get and
// Status, and the conflict and not-found answers each call gives when the
// workflow is in the wrong state.
func TestWorkflowClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wfs, tasks := e.api.Workflows(), e.api.Tasks()
	def := taskDef(e.name("wc"))
	e.registerTasks(def)
	wf := e.name("wc_wf")
	e.registerWorkflow(wf, map[string]any{"a": "${a.output.v}"},
		simple(def.Name, "a", map[string]any{"x": "${workflow.input.x}"}),
		simple(def.Name, "b", nil))
	corr := e.prefix + "-wc"

	// Start (full request) and StartByName (version, correlation id, priority).
	prio := 3
	id, err := wfs.Start(e.ctx, &model.StartWorkflowRequest{
		Name: wf, Version: new(1), CorrelationId: corr, Input: map[string]any{"x": "one"}, Priority: &prio,
	})
	require.NoError(t, err)
	id2, err := wfs.StartByName(e.ctx, wf, map[string]any{"x": "two"}, client.StartOptions{Version: 1, CorrelationID: corr, Priority: 7})
	require.NoError(t, err)
	require.NotEqual(t, id, id2)

	w, err := wfs.Get(e.ctx, id, true)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowRunning, w.Status)
	require.Equal(t, wf, w.WorkflowName)
	require.Equal(t, 1, w.WorkflowVersion)
	require.Equal(t, corr, w.CorrelationId)
	require.Equal(t, 3, w.Priority)
	require.Equal(t, map[string]any{"x": "one"}, w.Input)
	require.Len(t, w.Tasks, 1)
	require.Equal(t, model.TaskScheduled, w.Tasks[0].Status)
	w2, err := wfs.Get(e.ctx, id2, false)
	require.NoError(t, err)
	require.Empty(t, w2.Tasks, "includeTasks=false")
	require.Equal(t, 7, w2.Priority)

	st, err := wfs.Status(e.ctx, id, true, true)
	require.NoError(t, err)
	require.Equal(t, id, st.WorkflowId)
	require.Equal(t, model.WorkflowRunning, st.Status)

	running, err := wfs.Running(e.ctx, wf, 1)
	require.NoError(t, err)
	require.Subset(t, running, []string{id, id2})
	running, err = wfs.Running(e.ctx, wf, 0)
	require.NoError(t, err)
	require.Subset(t, running, []string{id, id2}, "version 0 is the server's default, 1")

	byCorr, err := wfs.ByCorrelationID(e.ctx, wf, corr, false, true)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{id, id2}, workflowIDs(byCorr))
	require.NotEmpty(t, byCorr[0].Tasks, "includeTasks=true")

	// Pause and Resume; Resume of a running workflow is Conductor's 500.
	require.NoError(t, wfs.Pause(e.ctx, id))
	st, err = wfs.Status(e.ctx, id, false, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowPaused, st.Status)
	require.NoError(t, wfs.Resume(e.ctx, id))
	st, err = wfs.Status(e.ctx, id, false, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowRunning, st.Status)
	requireStatus(t, wfs.Resume(e.ctx, id), http.StatusInternalServerError, "is not PAUSED")

	// Conflicts of a running workflow.
	require.ErrorIs(t, wfs.Restart(e.ctx, id, false), client.ErrConflict)
	_, err = wfs.Rerun(e.ctx, id, nil)
	require.ErrorIs(t, err, client.ErrConflict)
	// Conductor answers a retry of a running workflow with 404 "Workflow is
	// still running", so it matches ErrNotFound, not ErrConflict.
	requireStatus(t, wfs.Retry(e.ctx, id, false), http.StatusNotFound, "still running")
	requireStatus(t, wfs.Remove(e.ctx, id, true), http.StatusBadRequest, "Cannot archive")

	// SkipTask b before it is scheduled; completing a then completes the workflow.
	require.NoError(t, wfs.SkipTask(e.ctx, id, "b", nil))
	_, err = tasks.UpdateByRefName(e.ctx, id, "a", model.CompletedTask, map[string]any{"v": "done"}, "")
	require.NoError(t, err)
	w = e.awaitStatus(id, model.WorkflowCompleted)
	require.Equal(t, model.TaskSkipped, w.TaskByRefName("b").Status)
	require.Equal(t, map[string]any{"a": "done"}, w.Output)
	st, err = wfs.Status(e.ctx, id, true, false)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"a": "done"}, st.Output)

	// Conflicts of a completed workflow.
	require.ErrorIs(t, wfs.Terminate(e.ctx, id, "too late"), client.ErrConflict)
	require.ErrorIs(t, wfs.Retry(e.ctx, id, false), client.ErrConflict, "nothing to retry")
	requireStatus(t, wfs.SkipTask(e.ctx, id, "b", nil), http.StatusInternalServerError, "cannot be skipped")

	// Restart runs it again from the start.
	require.NoError(t, wfs.Restart(e.ctx, id, true))
	w = e.await(id, "restarted", func(w *model.Workflow) bool {
		return w.Status == model.WorkflowRunning && len(w.Tasks) == 1 && w.Tasks[0].Status == model.TaskScheduled
	})
	require.Equal(t, "a", w.Tasks[0].ReferenceTaskName)

	// Terminate, then Retry brings the terminated task back.
	require.NoError(t, wfs.Terminate(e.ctx, id, "stopped by sdkcheck"))
	w = e.awaitStatus(id, model.WorkflowTerminated)
	require.Equal(t, "stopped by sdkcheck", w.ReasonForIncompletion)
	require.Equal(t, model.TaskCanceled, w.Tasks[0].Status)
	require.NoError(t, wfs.Terminate(e.ctx, id, "again"), "terminating a terminated workflow does nothing")
	require.NoError(t, wfs.Retry(e.ctx, id, false))
	w = e.await(id, "retried", func(w *model.Workflow) bool {
		return w.Status == model.WorkflowRunning && len(w.Tasks) == 2 && w.Tasks[1].Status == model.TaskScheduled
	})
	require.Equal(t, 1, w.Tasks[1].RetryCount)

	// Rerun a finished workflow with new input.
	require.NoError(t, wfs.Terminate(e.ctx, id, "before rerun"))
	e.awaitStatus(id, model.WorkflowTerminated)
	rerun, err := wfs.Rerun(e.ctx, id, &model.RerunWorkflowRequest{WorkflowInput: map[string]any{"x": "rerun"}})
	require.NoError(t, err)
	require.Equal(t, id, rerun, "a rerun keeps the workflow id")
	w = e.await(id, "rerun", func(w *model.Workflow) bool { return w.Status == model.WorkflowRunning })
	require.Equal(t, map[string]any{"x": "rerun"}, w.Input)
	require.Equal(t, "rerun", w.Tasks[len(w.Tasks)-1].InputData["x"])

	// Search (the index may lag).
	e.eventually("workflow search finds both", 30*time.Second, func() (bool, string) {
		res, err := wfs.Search(e.ctx, client.SearchOptions{Query: "correlationId='" + corr + "'", Size: 10, Sort: []string{"startTime:ASC"}})
		if err != nil {
			return false, err.Error()
		}
		ids := []string{}
		for _, s := range res.Results {
			ids = append(ids, s.WorkflowId)
			if s.WorkflowType != wf {
				return false, "wrong workflow type " + s.WorkflowType
			}
		}
		slices.Sort(ids)
		want := []string{id, id2}
		slices.Sort(want)
		return res.TotalHits == 2 && slices.Equal(ids, want), fmt.Sprintf("%d hits: %v", res.TotalHits, ids)
	})

	// Remove deletes it for good.
	require.NoError(t, wfs.Terminate(e.ctx, id2, "cleanup"))
	require.NoError(t, wfs.Remove(e.ctx, id2, false))
	_, err = wfs.Get(e.ctx, id2, false)
	require.ErrorIs(t, err, client.ErrNotFound)

	// Not found.
	unknown := "no-such-workflow-" + e.prefix
	_, err = wfs.Get(e.ctx, unknown, true)
	require.ErrorIs(t, err, client.ErrNotFound)
	_, err = wfs.Status(e.ctx, unknown, false, false)
	require.ErrorIs(t, err, client.ErrNotFound)
	_, err = wfs.StartByName(e.ctx, e.name("never_registered"), nil, client.StartOptions{})
	require.ErrorIs(t, err, client.ErrNotFound)
	_, err = wfs.Start(e.ctx, &model.StartWorkflowRequest{Name: e.name("never_registered")})
	require.ErrorIs(t, err, client.ErrNotFound)
	require.ErrorIs(t, wfs.Terminate(e.ctx, unknown, ""), client.ErrNotFound)
	require.ErrorIs(t, wfs.Pause(e.ctx, unknown), client.ErrNotFound)
	byCorr, err = wfs.ByCorrelationID(e.ctx, wf, "no-such-correlation", true, false)
	require.NoError(t, err)
	require.Empty(t, byCorr)
}

// TestWorkflowExecute: Execute waits for a workflow a worker completes and
// answers with its final state; with nobody working on it, it answers after
// WaitForSeconds with the state so far.
func TestWorkflowExecute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	def := taskDef(e.name("exec"))
	wf := e.oneTaskWorkflow(def)
	idle := taskDef(e.name("exec_idle"))
	idleWF := e.oneTaskWorkflow(idle)

	host := e.newHost(e.api, worker.HostConfig{})
	require.NoError(t, host.StartWorker(def.Name, func(task *model.WorkerTask) (any, error) {
		return map[string]any{"echo": task.InputData["in"]}, nil
	}, 1, 0))

	start := time.Now()
	resp, err := e.api.Workflows().Execute(e.ctx, wf, 1, &model.StartWorkflowRequest{Input: map[string]any{"k": "v"}},
		client.ExecuteOptions{WaitForSeconds: 10, RequestID: "req-" + e.prefix})
	require.NoError(t, err)
	t.Logf("Execute of a workflow a worker completes answered after %v", time.Since(start))
	require.Equal(t, model.WorkflowCompleted, resp.TargetWorkflowStatus)
	require.Equal(t, "req-"+e.prefix, resp.RequestId)
	require.NotEmpty(t, resp.WorkflowId)
	require.Equal(t, map[string]any{"out": map[string]any{"echo": map[string]any{"k": "v"}}}, resp.Output)
	require.False(t, resp.SignalTimeout)

	start = time.Now()
	resp, err = e.api.Workflows().Execute(e.ctx, idleWF, 0, nil, client.ExecuteOptions{WaitForSeconds: 1})
	require.NoError(t, err)
	require.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "the server waited")
	require.Equal(t, model.WorkflowRunning, resp.TargetWorkflowStatus)
	require.True(t, resp.SignalTimeout)
	require.NoError(t, e.api.Workflows().Terminate(e.ctx, resp.WorkflowId, "sdkcheck: nobody works on it"))

	resp, err = e.api.Workflows().Execute(e.ctx, idleWF, 0, &model.StartWorkflowRequest{CorrelationId: e.prefix},
		client.ExecuteOptions{WaitForSeconds: 1, ReturnStrategy: model.ReturnBlockingWorkflow})
	require.NoError(t, err)
	require.Equal(t, model.ReturnBlockingWorkflow, resp.ResponseType)
	require.Equal(t, e.prefix, resp.CorrelationId)
	require.Equal(t, resp.TargetWorkflowId, resp.WorkflowId)
	require.NoError(t, e.api.Workflows().Terminate(e.ctx, resp.WorkflowId, "sdkcheck: nobody works on it"))
	// Conductor OSS 3.32.1 answers the task strategies with 500 "value"
	// while the blocking task is a worker task nobody has polled.
	_, err = e.api.Workflows().Execute(e.ctx, idleWF, 0, nil,
		client.ExecuteOptions{WaitForSeconds: 1, ReturnStrategy: model.ReturnBlockingTask, WaitUntilTaskRefs: []string{"a"}})
	requireStatus(t, err, http.StatusInternalServerError, "value")

	_, err = e.api.Workflows().Execute(e.ctx, e.name("never_registered"), 0, nil, client.ExecuteOptions{WaitForSeconds: 1})
	require.ErrorIs(t, err, client.ErrNotFound)
}

// requireStatus checks that err is the server's answer with that status and
// a message containing msg.
func requireStatus(t *testing.T, err error, status int, msg string) {
	t.Helper()
	var ae *client.APIError
	require.True(t, errors.As(err, &ae), "want an *APIError with status %d, got %v", status, err)
	require.Equal(t, status, ae.StatusCode, "%v", err)
	require.Contains(t, ae.Response.Message, msg)
}

func workflowIDs(ws []model.Workflow) []string {
	ids := make([]string, len(ws))
	for i := range ws {
		ids[i] = ws[i].WorkflowId
	}
	return ids
}
