package executor_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// setup returns an executor on a fresh server, with an "add" worker
// running, and registers the workflows "sum" (one add task) and "gate" (a
// WAIT task, then an add task).
func setup(t *testing.T) *executor.WorkflowExecutor {
	t.Helper()
	srv := batontest.NewServer(t)
	api := srv.Client()
	host := worker.NewWorkerHostWithApiClient(api)
	require.NoError(t, host.StartWorker("add", func(t *model.WorkerTask) (any, error) {
		a, _ := t.InputData["a"].(float64)
		b, _ := t.InputData["b"].(float64)
		return map[string]any{"sum": a + b}, nil
	}, 4, 5*time.Millisecond))
	exec := executor.NewWorkflowExecutor(api)
	t.Cleanup(func() {
		require.NoError(t, exec.Close())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, host.Shutdown(ctx))
	})
	add := workflow.NewSimpleTask("add", "add").Input("a", "${workflow.input.a}").Input("b", "${workflow.input.b}")
	require.NoError(t, workflow.NewConductorWorkflow(exec).Name("sum").Version(1).Add(add).
		OutputParameters(map[string]any{"sum": add.OutputRef("sum")}).Register(true))
	require.NoError(t, workflow.NewConductorWorkflow(exec).Name("gate").Version(1).
		Add(workflow.NewWaitTask("gate")).Add(add).
		OutputParameters(map[string]any{"sum": add.OutputRef("sum")}).Register(true))
	return exec
}

func TestExecuteTyped(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	type result struct {
		Sum int `json:"sum"`
	}
	got, err := executor.Execute[result](t.Context(), exec, model.NewStartWorkflowRequest("sum", 1, "", map[string]any{"a": 40, "b": 2}))
	require.NoError(t, err)
	require.Equal(t, result{Sum: 42}, got)

	_, err = executor.Execute[result](t.Context(), exec, model.NewStartWorkflowRequest("nope", 0, "", nil))
	require.ErrorIs(t, err, client.ErrNotFound)
}

// A workflow that outlives the server's synchronous wait is watched to its
// end; a canceled context ends the wait.
func TestExecuteOutlivesServerWait(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := executor.Execute[map[string]any](ctx, exec, model.NewStartWorkflowRequest("gate", 1, "c-outlive", nil))
	require.ErrorIs(t, err, context.DeadlineExceeded)

	runs, err := exec.GetByCorrelationIds("gate", false, false, "c-outlive")
	require.NoError(t, err)
	require.Len(t, runs["c-outlive"], 1)
	id := runs["c-outlive"][0].WorkflowId
	require.NoError(t, exec.Terminate(id, "test over"))
	wf, err := exec.WaitForCompletion(t.Context(), id)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowTerminated, wf.Status)
}

func TestStartWorkflowsAndWait(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	var reqs []*model.StartWorkflowRequest
	for i := range 5 {
		reqs = append(reqs, model.NewStartWorkflowRequest("sum", 1, "batch", map[string]any{"a": i, "b": 1}))
	}
	reqs = append(reqs, model.NewStartWorkflowRequest("", 1, "", nil)) // fails
	runs := exec.StartWorkflows(true, reqs...)
	require.Len(t, runs, 6)
	require.Error(t, runs[5].Err)
	exec.WaitForRunningWorkflowsUntilTimeout(10*time.Second, runs...)
	for i, rw := range runs[:5] {
		require.NoError(t, rw.Err)
		require.NotNil(t, rw.CompletedWorkflow, "workflow %d", i)
		require.Equal(t, model.WorkflowCompleted, rw.CompletedWorkflow.Status)
		require.Equal(t, map[string]any{"sum": float64(i + 1)}, rw.CompletedWorkflow.Output)
	}
	byCorr, err := exec.GetByCorrelationIds("sum", true, false, "batch", "none")
	require.NoError(t, err)
	require.Len(t, byCorr["batch"], 5)
	require.Empty(t, byCorr["none"])

	state, err := exec.GetWorkflowStatus(runs[0].WorkflowId, true, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, state.Status)
	_, err = exec.GetWorkflowStatus("no-such-workflow", true, false)
	require.ErrorIs(t, err, client.ErrNotFound)

	found, err := exec.Search(0, 10, "workflowType = 'sum' AND status = 'COMPLETED'", "*")
	require.NoError(t, err)
	require.Len(t, found, 5)

	require.NoError(t, exec.RemoveWorkflow(runs[0].WorkflowId))
	_, err = exec.GetWorkflow(runs[0].WorkflowId, false)
	require.ErrorIs(t, err, client.ErrNotFound)
}

// One unknown workflow does not hold up the others: its channel closes
// without a value while the other's delivers.
func TestMonitorIsolatesWorkflows(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	unknown, err := exec.MonitorExecution("no-such-workflow")
	require.NoError(t, err)
	id, err := exec.StartWorkflow(model.NewStartWorkflowRequest("sum", 1, "", map[string]any{"a": 1, "b": 2}))
	require.NoError(t, err)
	known, err := exec.MonitorExecution(id)
	require.NoError(t, err)
	wf, err := executor.WaitForWorkflowCompletionUntilTimeout(known, 10*time.Second)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	_, err = executor.WaitForWorkflowCompletionUntilTimeout(unknown, 10*time.Second)
	require.ErrorContains(t, err, "watch ended")
}

// Close ends the watch of a workflow that never ends, and later watches fail.
func TestCloseEndsWatches(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	id, err := exec.StartWorkflow(model.NewStartWorkflowRequest("gate", 1, "", nil))
	require.NoError(t, err)
	ch, err := exec.MonitorExecution(id)
	require.NoError(t, err)
	_, err = executor.WaitForWorkflowCompletionUntilTimeout(ch, time.Millisecond)
	require.ErrorIs(t, err, executor.ErrTimeout)
	done := make(chan error, 1)
	go func() {
		_, err := exec.WaitForCompletion(context.Background(), id)
		done <- err
	}()
	require.NoError(t, exec.Close())
	require.NoError(t, exec.Close()) // idempotent
	_, ok := <-ch
	require.False(t, ok)
	require.Error(t, <-done)
	_, err = exec.MonitorExecution(id)
	require.Error(t, err)
	require.NoError(t, exec.Terminate(id, "test over"))
}

// The lifecycle calls on one workflow held by a WAIT task.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	ctx := t.Context()
	id, err := exec.StartWorkflowWithContext(ctx, model.NewStartWorkflowRequest("gate", 1, "", map[string]any{"a": 1, "b": 1}))
	require.NoError(t, err)

	require.NoError(t, exec.PauseWithContext(ctx, id))
	wf, err := exec.GetWorkflowWithContext(ctx, id, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowPaused, wf.Status)
	require.NoError(t, exec.ResumeWithContext(ctx, id))

	// Skipping the add task before it is scheduled, then completing the gate.
	require.NoError(t, exec.SkipTasksFromWorkflowWithContext(ctx, id, "add", model.SkipTaskRequest{}))
	require.NoError(t, exec.UpdateTaskByRefNameWithContext(ctx, "gate", id, model.CompletedTask, nil))
	wf, err = exec.WaitForCompletion(ctx, id)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, wf.Status)

	// Restart runs it from the start: the gate waits again.
	require.NoError(t, exec.RestartWithContext(ctx, id, false))
	require.NoError(t, exec.TerminateWithFailureWithContext(ctx, id, "stop", false))
	wf, err = exec.WaitForCompletion(ctx, id)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowTerminated, wf.Status)

	// Retry resumes the terminated workflow at its last task.
	require.NoError(t, exec.RetryWithContext(ctx, id, false))
	require.NoError(t, exec.UpdateTaskByRefName("gate", id, model.CompletedTask, nil))
	wf, err = exec.WaitForCompletion(ctx, id)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Equal(t, map[string]any{"sum": 2.0}, wf.Output)

	// ReRun with new input.
	rerunID, err := exec.ReRunWithContext(ctx, id, model.RerunWorkflowRequest{WorkflowInput: map[string]any{"a": 5, "b": 5}})
	require.NoError(t, err)
	require.Equal(t, id, rerunID)
	require.NoError(t, exec.UpdateTaskByRefName("gate", id, model.CompletedTask, nil))
	wf, err = exec.WaitForCompletion(ctx, id)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"sum": 10.0}, wf.Output)

	require.NoError(t, exec.UnRegisterWorkflowWithContext(ctx, "gate", 1))
	_, err = exec.StartWorkflow(model.NewStartWorkflowRequest("gate", 1, "", nil))
	require.ErrorIs(t, err, client.ErrNotFound)
}

func TestWithoutClient(t *testing.T) {
	t.Parallel()
	exec := executor.NewWorkflowExecutor(nil)
	defer exec.Close()
	_, err := exec.GetWorkflow("x", false)
	require.ErrorContains(t, err, "no API client")
	_, err = executor.NewWorkflowExecutorWithConfig(nil, executor.Config{MinPollInterval: time.Second, MaxPollInterval: time.Millisecond})
	require.ErrorContains(t, err, "MaxPollInterval")
}
