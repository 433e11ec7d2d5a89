package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestEveryClientAgainstBaton drives each typed client through Baton's own
// server, so that the client's idea of the wire (paths, escaping, text/plain
// ids, 204s, error sentinels) and the server's agree.
func TestEveryClientAgainstBaton(t *testing.T) {
	t.Parallel()
	api := batontest.NewServer(t).Client()
	ctx := t.Context()
	const taskType = "tour/ü task" // a slash and unicode stay in one path segment

	// Metadata.
	require.NoError(t, api.Metadata().RegisterTaskDefs(ctx, *model.NewTaskDef(taskType)))
	td, err := api.Metadata().GetTaskDef(ctx, taskType)
	require.NoError(t, err)
	require.Equal(t, taskType, td.Name)
	td.Description = "updated"
	require.NoError(t, api.Metadata().UpdateTaskDef(ctx, td))
	defs, err := api.Metadata().ListTaskDefs(ctx)
	require.NoError(t, err)
	require.Len(t, defs, 1)
	require.Equal(t, "updated", defs[0].Description)
	_, err = api.Metadata().GetTaskDef(ctx, "missing")
	require.ErrorIs(t, err, client.ErrNotFound)

	def := model.NewWorkflowDef("tour", model.WorkflowTask{Name: taskType, TaskReferenceName: "step", Type: model.TaskTypeSimple})
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, def, false))
	require.ErrorIs(t, api.Metadata().RegisterWorkflowDef(ctx, def, false), client.ErrConflict)
	def2 := *def
	def2.Version = 2
	bulkDefs, err := api.Metadata().UpdateWorkflowDefs(ctx, def2)
	require.NoError(t, err)
	require.Equal(t, []string{"tour"}, bulkDefs.BulkSuccessfulResults)
	latest, err := api.Metadata().GetWorkflowDef(ctx, "tour", 0)
	require.NoError(t, err)
	require.Equal(t, 2, latest.Version)
	all, err := api.Metadata().ListWorkflowDefs(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.NoError(t, api.Metadata().DeleteWorkflowDef(ctx, "tour", 2))
	_, err = api.Metadata().GetWorkflowDef(ctx, "tour", 2)
	require.ErrorIs(t, err, client.ErrNotFound)

	// Workflows and tasks.
	id, err := api.Workflows().Start(ctx, model.NewStartWorkflowRequest("tour", 1, "c-1", map[string]any{"n": 1}))
	require.NoError(t, err)
	tasks, err := api.Tasks().BatchPoll(ctx, taskType, client.BatchPollOptions{Count: 2, WorkerID: "w1", Timeout: 100 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	require.Equal(t, id, tasks[0].WorkflowInstanceId)
	empty, err := api.Tasks().Poll(ctx, taskType, client.PollOptions{})
	require.NoError(t, err)
	require.Nil(t, empty, "204 on an empty queue")

	require.NoError(t, api.Tasks().AddLog(ctx, tasks[0].TaskId, `a "quoted" line`))
	logs, err := api.Tasks().Logs(ctx, tasks[0].TaskId)
	require.NoError(t, err)
	require.Len(t, logs, 1)
	require.Equal(t, `a "quoted" line`, logs[0].Log)

	id2, err := api.Workflows().StartByName(ctx, "tour", nil, client.StartOptions{Version: 1, CorrelationID: "c-2"})
	require.NoError(t, err)
	result := model.NewTaskResultFromTask(&tasks[0])
	result.Status = model.CompletedTask
	next, err := api.Tasks().UpdateV2(ctx, result)
	require.NoError(t, err)
	require.NotNil(t, next, "update-v2 hands out the next task")
	require.Equal(t, id2, next.WorkflowInstanceId)

	wf, err := api.Workflows().Get(ctx, id, true)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Len(t, wf.Tasks, 1)
	state, err := api.Workflows().Status(ctx, id2, false, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowRunning, state.Status)
	running, err := api.Workflows().Running(ctx, "tour", 1)
	require.NoError(t, err)
	require.Equal(t, []string{id2}, running)
	byCorr, err := api.Workflows().ByCorrelationID(ctx, "tour", "c-1", true, false)
	require.NoError(t, err)
	require.Len(t, byCorr, 1)

	require.NoError(t, api.Workflows().Pause(ctx, id2))
	require.NoError(t, api.Workflows().Resume(ctx, id2))
	require.NoError(t, api.Workflows().Terminate(ctx, id2, "tour over"))
	require.ErrorIs(t, api.Workflows().Terminate(ctx, id, "too late"), client.ErrConflict)
	require.NoError(t, api.Workflows().Retry(ctx, id2, false))
	require.NoError(t, api.Workflows().Restart(ctx, id, false))
	rerun, err := api.Workflows().Rerun(ctx, id, nil)
	require.ErrorIs(t, err, client.ErrConflict, "a running workflow cannot be rerun (%q)", rerun)

	bulk, err := api.Bulk().Terminate(ctx, []string{id, id2, "nope"}, "bulk")
	require.NoError(t, err)
	require.ElementsMatch(t, []string{id, id2}, bulk.BulkSuccessfulResults)
	require.Contains(t, bulk.BulkErrorResults, "nope")
	require.NoError(t, api.Workflows().Remove(ctx, id, false))
	_, err = api.Workflows().Get(ctx, id, false)
	require.ErrorIs(t, err, client.ErrNotFound)

	_, err = api.Workflows().Search(ctx, client.SearchOptions{Size: 10, Query: "workflowType = 'tour'"})
	require.NoError(t, err)
	_, err = api.Tasks().Search(ctx, client.SearchOptions{Size: 10})
	require.NoError(t, err)
	sizes, err := api.Tasks().QueueSizes(ctx, taskType)
	require.NoError(t, err)
	require.Contains(t, sizes, taskType)
	pollData, err := api.Tasks().PollData(ctx, taskType)
	require.NoError(t, err)
	require.NotEmpty(t, pollData)

	// Execute: no worker runs, so the wait ends with the workflow running.
	sig, err := api.Workflows().Execute(ctx, "tour", 1, nil, client.ExecuteOptions{WaitForSeconds: 1})
	require.NoError(t, err)
	require.Equal(t, model.WorkflowRunning, sig.TargetWorkflowStatus)

	_, err = api.Workflows().Get(ctx, "..", false)
	require.ErrorContains(t, err, "not a usable name")
	require.NoError(t, api.Metadata().DeleteTaskDef(ctx, taskType))
}
