package sdkcheck_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// The executor's calls on registered workflows, as
// workflow/executor/executor_test.go makes them on Baton's server.

// registerSumAndGate registers version 1 of prefix_sum (one add task) and
// prefix_gate (a WAIT task "gate", then the add task) and returns their
// names. Both output {sum}.
func (w *wfEnv) registerSumAndGate() (sum, gate string) {
	w.t.Helper()
	add := workflow.NewSimpleTask(w.add, "add").Input("a", "${workflow.input.a}").Input("b", "${workflow.input.b}")
	out := map[string]any{"sum": add.OutputRef("sum")}
	s := w.workflow("sum").Version(1).Add(add).OutputParameters(out)
	require.NoError(w.t, s.RegisterWithContext(w.ctx, true))
	g := w.workflow("gate").Version(1).Add(workflow.NewWaitTask("gate")).Add(add).OutputParameters(out)
	require.NoError(w.t, g.RegisterWithContext(w.ctx, true))
	return s.GetName(), g.GetName()
}

// TestExecutorStartAndFind: typed Execute, StartWorkflows with their
// watches, MonitorExecution, GetByCorrelationIds, GetWorkflowStatus,
// Search and RemoveWorkflow.
func TestExecutorStartAndFind(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	sum, _ := w.registerSumAndGate()

	type result struct {
		Sum int `json:"sum"`
	}
	got, err := executor.Execute[result](w.ctx, w.exec, model.NewStartWorkflowRequest(sum, 1, "", map[string]any{"a": 40, "b": 2}))
	require.NoError(t, err)
	require.Equal(t, result{Sum: 42}, got)
	_, err = executor.Execute[result](w.ctx, w.exec, model.NewStartWorkflowRequest(w.name("nope"), 0, "", nil))
	require.ErrorIs(t, err, client.ErrNotFound)

	batch := w.name("batch")
	var reqs []*model.StartWorkflowRequest
	for i := range 4 {
		reqs = append(reqs, model.NewStartWorkflowRequest(sum, 1, batch, map[string]any{"a": i, "b": 1}))
	}
	reqs = append(reqs, model.NewStartWorkflowRequest(w.name("nope"), 1, "", nil)) // fails
	runs := w.exec.StartWorkflowsWithContext(w.ctx, true, reqs...)
	require.Len(t, runs, 5)
	require.ErrorIs(t, runs[4].Err, client.ErrNotFound)
	w.exec.WaitForRunningWorkflowsUntilTimeout(30*time.Second, runs...)
	for i, rw := range runs[:4] {
		require.NoError(t, rw.Err)
		require.NotNil(t, rw.CompletedWorkflow, "workflow %d", i)
		require.Equal(t, model.WorkflowCompleted, rw.CompletedWorkflow.Status)
		require.Equal(t, map[string]any{"sum": float64(i + 1)}, rw.CompletedWorkflow.Output)
	}

	id, err := w.exec.StartWorkflowWithContext(w.ctx, model.NewStartWorkflowRequest(sum, 1, "", map[string]any{"a": 1, "b": 2}))
	require.NoError(t, err)
	ch, err := w.exec.MonitorExecution(id)
	require.NoError(t, err)
	wf, err := executor.WaitForWorkflowCompletionUntilTimeout(ch, 30*time.Second)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"sum": 3.0}, wf.Output)

	none := w.name("none")
	byCorr, err := w.exec.GetByCorrelationIdsWithContext(w.ctx, sum, true, false, batch, none)
	require.NoError(t, err)
	require.Len(t, byCorr[batch], 4)
	require.Empty(t, byCorr[none])

	state, err := w.exec.GetWorkflowStatusWithContext(w.ctx, runs[0].WorkflowId, true, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, state.Status)
	require.Equal(t, map[string]any{"sum": 1.0}, state.Output)
	_, err = w.exec.GetWorkflowStatusWithContext(w.ctx, w.name("no-such-workflow"), true, false)
	require.ErrorIs(t, err, client.ErrNotFound)

	query := fmt.Sprintf("workflowType = '%s' AND status = 'COMPLETED'", sum)
	w.eventually("search finds the 6 completed workflows", 20*time.Second, func() (bool, string) {
		found, err := w.exec.SearchWithContext(w.ctx, 0, 20, query, "*")
		return err == nil && len(found) == 6, fmt.Sprintf("%d found, error %v", len(found), err)
	})

	require.NoError(t, w.exec.RemoveWorkflowWithContext(w.ctx, runs[0].WorkflowId))
	_, err = w.exec.GetWorkflowWithContext(w.ctx, runs[0].WorkflowId, false)
	require.ErrorIs(t, err, client.ErrNotFound)
}

// TestExecutorLifecycle: the calls that steer one workflow held by a WAIT
// task: ExecuteWorkflow up to a task, Pause, Resume, Skip, completing by
// reference name, Restart, Terminate, Retry, ReRun, UnRegister.
func TestExecutorLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	ctx := w.ctx
	_, gate := w.registerSumAndGate()

	// The server answers once the workflow reaches the gate.
	run, err := w.exec.ExecuteWorkflowWithContext(ctx, model.NewStartWorkflowRequest(gate, 1, "", map[string]any{"a": 1, "b": 1}), "gate")
	require.NoError(t, err)
	require.Equal(t, string(model.WorkflowRunning), run.Status)
	id := run.WorkflowId

	require.NoError(t, w.exec.PauseWithContext(ctx, id))
	wf, err := w.exec.GetWorkflowWithContext(ctx, id, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowPaused, wf.Status)
	require.NoError(t, w.exec.ResumeWithContext(ctx, id))

	// Skipping the add task before it is scheduled, then completing the gate.
	require.NoError(t, w.exec.SkipTasksFromWorkflowWithContext(ctx, id, "add", model.SkipTaskRequest{}))
	require.NoError(t, w.exec.UpdateTaskByRefNameWithContext(ctx, "gate", id, model.CompletedTask, nil))
	wf = w.waitFor(id, model.WorkflowCompleted)
	require.Equal(t, model.TaskSkipped, wf.TaskByRefName("add").Status, describe(wf))

	// Restart runs it from the start: the gate waits again.
	require.NoError(t, w.exec.RestartWithContext(ctx, id, false))
	require.NoError(t, w.exec.TerminateWithContext(ctx, id, "stop"))
	wf = w.waitFor(id, model.WorkflowTerminated)
	require.Equal(t, "stop", wf.ReasonForIncompletion)

	// Retry resumes the terminated workflow at its last task.
	require.NoError(t, w.exec.RetryWithContext(ctx, id, false))
	require.NoError(t, w.exec.UpdateTaskByRefNameWithContext(ctx, "gate", id, model.CompletedTask, nil))
	wf = w.waitFor(id, model.WorkflowCompleted)
	require.Equal(t, map[string]any{"sum": 2.0}, wf.Output)

	// ReRun with new input.
	rerunID, err := w.exec.ReRunWithContext(ctx, id, model.RerunWorkflowRequest{WorkflowInput: map[string]any{"a": 5, "b": 5}})
	require.NoError(t, err)
	require.Equal(t, id, rerunID)
	require.NoError(t, w.exec.UpdateTaskByRefNameWithContext(ctx, "gate", id, model.CompletedTask, nil))
	wf = w.waitFor(id, model.WorkflowCompleted)
	require.Equal(t, map[string]any{"sum": 10.0}, wf.Output)

	require.NoError(t, w.exec.UnRegisterWorkflowWithContext(ctx, gate, 1))
	_, err = w.exec.StartWorkflowWithContext(ctx, model.NewStartWorkflowRequest(gate, 1, "", nil))
	require.ErrorIs(t, err, client.ErrNotFound)
}

// TestExecutorRetryFailed: a workflow whose task fails is retried from
// that task and completes; the failed run stays in the task list.
func TestExecutorRetryFailed(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	flaky := workflow.NewSimpleTask(w.flaky, "flaky").Input("v", "${workflow.input.v}")
	wf := w.workflow("retry").Add(flaky).OutputParameters(map[string]any{"v": flaky.OutputRef("v")})
	_, err := workflow.Execute[map[string]any](w.ctx, wf, map[string]any{"v": "again"})
	var werr *executor.WorkflowError
	require.ErrorAs(t, err, &werr)
	require.Equal(t, model.WorkflowFailed, werr.Workflow.Status)
	id := werr.Workflow.WorkflowId

	require.NoError(t, w.exec.RetryWithContext(w.ctx, id, false))
	done := w.waitFor(id, model.WorkflowCompleted)
	require.Equal(t, map[string]any{"v": "again"}, done.Output)
	require.Len(t, done.Tasks, 2, describe(done))
	require.Equal(t, model.TaskFailedWithTerminalError, done.Tasks[0].Status, describe(done))
	require.Equal(t, model.TaskCompleted, done.Tasks[1].Status, describe(done))
}

// The executor's watch outlives the server's synchronous wait: a
// canceled context ends typed Execute, and the workflow is found by its
// correlation id.
func TestExecutorExecuteCanceled(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	_, gate := w.registerSumAndGate()
	corr := w.name("outlive")
	ctx, cancel := context.WithTimeout(w.ctx, 500*time.Millisecond)
	defer cancel()
	_, err := executor.Execute[map[string]any](ctx, w.exec, model.NewStartWorkflowRequest(gate, 1, corr, nil))
	require.ErrorIs(t, err, context.DeadlineExceeded)

	var id string
	w.eventually("the started workflow is found by correlation id", 10*time.Second, func() (bool, string) {
		runs, err := w.exec.GetByCorrelationIdsWithContext(w.ctx, gate, false, false, corr)
		if err != nil || len(runs[corr]) != 1 {
			return false, fmt.Sprintf("%v, error %v", runs, err)
		}
		id = runs[corr][0].WorkflowId
		return true, ""
	})
	require.NoError(t, w.exec.TerminateWithContext(w.ctx, id, "test over"))
	require.Equal(t, model.WorkflowTerminated, w.wait(id).Status)
}
