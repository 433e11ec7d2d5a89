package model_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestConductorGoNames(t *testing.T) {
	t.Parallel()
	task := func(t *model.Task) *model.WorkerTask { return t }(&model.WorkerTask{TaskId: "t1"})
	require.Equal(t, "t1", task.TaskId)
	run := func(r *model.WorkflowRun) *model.SignalResponse { return r }(&model.SignalResponse{Status: "COMPLETED"})
	require.Equal(t, "COMPLETED", run.Status)

	for _, s := range model.WorkflowTerminalStates {
		require.True(t, s.IsTerminal(), s)
	}
	require.Len(t, model.WorkflowTerminalStates, 4)
	require.False(t, model.RunningWorkflow.IsTerminal())
	require.False(t, model.PausedWorkflow.IsTerminal())
	require.False(t, model.ScheduledTask.IsValid(), "a worker cannot report SCHEDULED")

	r := model.NewIdempotentStartWorkflowRequest("wf", 2, "c1", "key", model.IdempotencyReturnExisting, map[string]any{"a": 1})
	require.Equal(t, "wf", r.Name)
	require.Equal(t, 2, *r.Version)
	require.Equal(t, "c1", r.CorrelationId)
	require.Equal(t, "key", r.IdempotencyKey)
	require.Equal(t, model.IdempotencyReturnExisting, r.IdempotencyStrategy)
	require.Equal(t, map[string]any{"a": 1}, r.Input)
	require.Nil(t, model.NewStartWorkflowRequestLegacy("wf", 0, "", nil).Version, "0 means the latest")
}
