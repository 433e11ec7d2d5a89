package model_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// Terminal/successful/retriable flags follow Conductor's Task.Status and
// Workflow.WorkflowStatus enums.
func TestTaskStatusFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		s                               model.TaskStatus
		terminal, successful, retriable bool
	}{
		{model.TaskInProgress, false, true, true},
		{model.TaskCanceled, true, false, false},
		{model.TaskFailed, true, false, true},
		{model.TaskFailedWithTerminalError, true, false, false},
		{model.TaskCompleted, true, true, true},
		{model.TaskCompletedWithErrors, true, true, true},
		{model.TaskScheduled, false, true, true},
		{model.TaskTimedOut, true, false, true},
		{model.TaskSkipped, true, true, false},
	}
	require.Len(t, model.TaskStatuses, len(cases))
	for _, c := range cases {
		require.True(t, c.s.IsValid(), c.s)
		require.Equal(t, c.terminal, c.s.IsTerminal(), "terminal %s", c.s)
		require.Equal(t, c.successful, c.s.IsSuccessful(), "successful %s", c.s)
		require.Equal(t, c.retriable, c.s.IsRetriable(), "retriable %s", c.s)
	}
	for _, bad := range []model.TaskStatus{"", "completed", "DONE"} {
		require.False(t, bad.IsValid())
		require.False(t, bad.IsTerminal())
		require.False(t, bad.IsRetriable())
	}
}

func TestWorkflowStatusFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		s                    model.WorkflowStatus
		terminal, successful bool
	}{
		{model.WorkflowRunning, false, false},
		{model.WorkflowCompleted, true, true},
		{model.WorkflowFailed, true, false},
		{model.WorkflowTimedOut, true, false},
		{model.WorkflowTerminated, true, false},
		{model.WorkflowPaused, false, true},
	}
	require.Len(t, model.WorkflowStatuses, len(cases))
	for _, c := range cases {
		require.True(t, c.s.IsValid())
		require.Equal(t, c.terminal, c.s.IsTerminal(), c.s)
		require.Equal(t, c.successful, c.s.IsSuccessful(), c.s)
	}
	require.False(t, model.WorkflowStatus("running").IsValid())
}

func TestTaskResultStatus(t *testing.T) {
	t.Parallel()
	require.Equal(t, model.TaskResultStatus("COMPLETED"), model.CompletedTask)
	require.Equal(t, model.TaskResultStatus("FAILED"), model.FailedTask)
	require.Equal(t, model.TaskResultStatus("FAILED_WITH_TERMINAL_ERROR"), model.FailedWithTerminalErrorTask)
	require.Equal(t, model.TaskResultStatus("IN_PROGRESS"), model.InProgressTask)
	require.True(t, model.CompletedTask.IsTerminal())
	require.True(t, model.CompletedTask.IsSuccessful())
	require.False(t, model.InProgressTask.IsTerminal())
	require.True(t, model.FailedWithTerminalErrorTask.IsTerminal())
	require.False(t, model.FailedTask.IsSuccessful())
	require.False(t, model.TaskResultStatus("SCHEDULED").IsValid())
	require.Equal(t, model.TaskCompleted, model.CompletedTask.TaskStatus())
}
