package model_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestNewTaskResultFromTask(t *testing.T) {
	t.Parallel()
	task := &model.WorkerTask{TaskId: "t1", WorkflowInstanceId: "w1", WorkerId: "worker-7"}
	r := model.NewTaskResultFromTask(task)
	require.Equal(t, "t1", r.TaskId)
	require.Equal(t, "w1", r.WorkflowInstanceId)
	require.Equal(t, "worker-7", r.WorkerId)
	require.Empty(t, r.Status, "the caller sets the status")

	r = model.NewTaskResultFromTask(&model.WorkerTask{TaskId: "t2"})
	require.Equal(t, model.Hostname(), r.WorkerId, "falls back to the host name")
	require.NotEmpty(t, r.WorkerId)
}

func TestNewTaskResultFromTaskWithError(t *testing.T) {
	t.Parallel()
	task := &model.WorkerTask{TaskId: "t1", WorkflowInstanceId: "w1"}
	base := errors.New("card declined")
	cases := []struct {
		name   string
		err    error
		status model.TaskResultStatus
		reason string
	}{
		{"plain", base, model.FailedTask, "card declined"},
		{"terminal", model.NewTerminalError(base), model.FailedWithTerminalErrorTask, "card declined"},
		{"wrapped terminal", fmt.Errorf("charge: %w", model.NewTerminalError(base)), model.FailedWithTerminalErrorTask, "charge: card declined"},
		{"sdk name", model.NewNonRetryableError(base), model.FailedWithTerminalErrorTask, "card declined"},
		{"nil", nil, model.FailedTask, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := model.NewTaskResultFromTaskWithError(task, c.err)
			require.Equal(t, c.status, r.Status)
			require.Equal(t, c.reason, r.ReasonForIncompletion)
		})
	}
}

func TestTerminalError(t *testing.T) {
	t.Parallel()
	base := errors.New("bad input")
	te := model.NewTerminalError(base)
	require.ErrorIs(t, te, base, "Unwrap exposes the cause")
	require.True(t, model.IsTerminalError(fmt.Errorf("a: %w", fmt.Errorf("b: %w", te))))
	require.False(t, model.IsTerminalError(base))
	require.False(t, model.IsTerminalError(nil))
	require.Equal(t, "terminal error", (&model.TerminalError{}).Error())
	var nilTE *model.TerminalError
	require.Equal(t, "terminal error", nilTE.Error())
}

func TestTaskResultLog(t *testing.T) {
	t.Parallel()
	r := model.NewTaskResult("t1", "w1")
	r.Log("step 1", 1700000000000)
	require.Equal(t, []model.TaskExecLog{{Log: "step 1", TaskId: "t1", CreatedTime: 1700000000000}}, r.Logs)
}

func TestWorkerTaskContext(t *testing.T) {
	t.Parallel()
	task := &model.WorkerTask{TaskId: "t1"}
	require.Equal(t, context.Background(), task.Context())
	var nilTask *model.WorkerTask
	require.Equal(t, context.Background(), nilTask.Context())

	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	c := task.WithContext(ctx)
	require.Equal(t, "v", c.Context().Value(key{}))
	require.Equal(t, "t1", c.TaskId)
	require.Equal(t, context.Background(), task.Context(), "the original is unchanged")
	require.Panics(t, func() { task.WithContext(nil) }) //nolint:staticcheck // nil is the case under test
}

func TestWorkflowHelpers(t *testing.T) {
	t.Parallel()
	w := &model.Workflow{Tasks: []model.WorkerTask{
		{ReferenceTaskName: "a", TaskId: "1"}, {ReferenceTaskName: "b", TaskId: "2"}, {ReferenceTaskName: "a", TaskId: "3"},
	}}
	require.Equal(t, "3", w.TaskByRefName("a").TaskId, "the latest attempt wins")
	require.Nil(t, w.TaskByRefName("zzz"))

	wt := model.WorkflowTask{Name: "x"}
	require.Equal(t, model.TaskTypeSimple, wt.TaskType())
	wt.Type = model.TaskTypeHTTP
	require.Equal(t, model.TaskTypeHTTP, wt.TaskType())

	r := model.NewStartWorkflowRequest("wf", 0, "c1", nil)
	require.Nil(t, r.Version, "0 means latest")
	r = model.NewStartWorkflowRequest("wf", 2, "", nil)
	require.Equal(t, 2, *r.Version)

	d := model.NewTaskDef("t")
	require.Equal(t, 3, d.RetryCount)
	require.Equal(t, int64(3600), d.ResponseTimeoutSeconds)
	wd := model.NewWorkflowDef("w", model.WorkflowTask{Name: "t", TaskReferenceName: "t"})
	require.Equal(t, 1, wd.Version)
	require.Equal(t, 2, wd.SchemaVersion)
}
