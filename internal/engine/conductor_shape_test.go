package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// The tests here pin behaviour matched against the real Conductor 3.32.1
// server by the compatibility suite (compat/): each names the scenario
// whose golden trace shows it.

// ResetCallbacks makes a task that waits out callbackAfterSeconds pollable
// now (spec_simple_reset_callbacks).
func TestResetCallbacks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	task := h.mustPoll("a")
	require.NoError(t, h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId,
		Status: model.InProgressTask, CallbackAfterSeconds: 3600}))
	require.Nil(t, h.poll("a"), "the callback delay holds the task back")
	h.advance(time.Minute)
	require.Nil(t, h.poll("a"))

	require.NoError(t, h.e.ResetCallbacks(h.ctx, id))
	got, err := h.e.GetTask(h.ctx, task.TaskId)
	require.NoError(t, err)
	require.Zero(t, got.CallbackAfterSeconds)
	require.Equal(t, t0.Add(time.Minute).UnixMilli(), got.UpdateTime, "the reset is an update")
	again := h.mustPoll("a")
	require.Equal(t, task.TaskId, again.TaskId)

	require.NoError(t, h.e.ResetCallbacks(h.ctx, id), "nothing left to reset is fine")
	h.complete(again, nil)
	requireKind(t, h.e.ResetCallbacks(h.ctx, id), KindConflict, "Workflow is in terminal state. Status = COMPLETED")
	requireKind(t, h.e.ResetCallbacks(h.ctx, "nope"), KindNotFound, "No such workflow found by id: nope")
	requireViolations(t, h.e.ResetCallbacks(h.ctx, ""), ve("resetCallbacks.arg0", "WorkflowId cannot be null or empty."))
}

// A task without a callback delay, or one already handed out, is left alone.
func TestResetCallbacksLeavesOtherTasks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	before, err := h.e.GetWorkflow(h.ctx, id, true)
	require.NoError(t, err)
	require.NoError(t, h.e.ResetCallbacks(h.ctx, id))
	after, err := h.e.GetWorkflow(h.ctx, id, true)
	require.NoError(t, err)
	require.Equal(t, before.Tasks[0].UpdateTime, after.Tasks[0].UpdateTime, "no callback: not touched")
	task := h.mustPoll("a")
	require.NoError(t, h.e.ResetCallbacks(h.ctx, id))
	got, err := h.e.GetTask(h.ctx, task.TaskId)
	require.NoError(t, err)
	require.Equal(t, model.TaskInProgress, got.Status, "an IN_PROGRESS task is not re-queued")
	require.Nil(t, h.poll("a"))
}

func requireKind(t *testing.T, err error, kind Kind, msg string) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, kind, e.Kind)
	require.Equal(t, msg, e.Message)
}

// The failure workflow gets the failed workflow as Conductor's
// WorkflowModel JSON (failure_workflow).
func TestFailureWorkflowInputIsWorkflowModel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a"})
	main := simpleWorkflow("main", "a")
	main.FailureWorkflow = "handler"
	h.workflowDef(main)
	h.workflowDef(simpleWorkflow("handler", "h"))
	id := h.start("main", map[string]any{"k": "v"})
	task := h.mustPoll("a")
	h.fail(task, "broken")
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	fid, _ := wf.Output["conductor.failure_workflow"].(string)
	require.NotEmpty(t, fid)
	fw := h.workflow(fid).Input["failedWorkflow"].(map[string]any)

	require.Equal(t, "RUNNING", fw["previousStatus"])
	require.Equal(t, task.TaskId, fw["failedTaskId"])
	require.Equal(t, "", fw["ownerApp"])
	require.Contains(t, fw, "updatedTime")
	for _, k := range []string{"history", "startTime", "updateTime", "rateLimited"} {
		require.NotContains(t, fw, k, "WorkflowModel has no %s", k)
	}
	tasks := fw["tasks"].([]any)
	require.Len(t, tasks, 1)
	tm := tasks[0].(map[string]any)
	for k, want := range map[string]any{"asyncComplete": false, "cachedOutput": false, "callbackAfterMs": 0.0,
		"idempotent": false, "idempotentExecution": false, "nonWorkflowEventTask": false, "waitTimeout": 0.0,
		"notifications": map[string]any{}, "onStateChange": map[string]any{}, "firstScheduledTime": float64(t0.UnixMilli())} {
		require.Equal(t, want, tm[k], k)
	}
	for _, k := range []string{"executionMetadata", "firstStartTime"} {
		require.NotContains(t, tm, k, "TaskModel has no %s", k)
	}
}

// A workflow that never failed a task has no failed-name sets in the
// WorkflowModel JSON (@JsonInclude NON_EMPTY) and no failedTaskId.
func TestWorkflowModelLeavesOutEmptySets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	require.NoError(t, h.e.withWorkflow(h.ctx, id, func(x *execution) error {
		m := workflowModelValue(x)
		require.NotContains(t, m, "failedReferenceTaskNames")
		require.NotContains(t, m, "failedTaskNames")
		require.NotContains(t, m, "failedTaskId")
		require.NotContains(t, m, "previousStatus")
		return nil
	}))
}

// failureWorkflow "$workflow.input.x" names the failure workflow by an
// input; "${workflow.input.x}" looks up the key "x}" as Conductor does and
// starts nothing (failure_workflow_from_input, _braces).
func TestFailureWorkflowFromInputForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		form   string
		starts bool
	}{
		{"$workflow.input.onFailure", true},
		{"${workflow.input.onFailure}", false},
		{"$workflow", false},
		{"$workflow.input.number", false},
	} {
		t.Run(tc.form, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.taskDef(&model.TaskDef{Name: "a"})
			main := simpleWorkflow("main", "a")
			main.FailureWorkflow = tc.form
			h.workflowDef(main)
			h.workflowDef(simpleWorkflow("handler", "h"))
			id := h.start("main", map[string]any{"onFailure": "handler", "number": 7.0})
			h.fail(h.mustPoll("a"), "broken")
			wf := h.workflow(id)
			require.Equal(t, model.WorkflowFailed, wf.Status)
			_, has := wf.Output["conductor.failure_workflow"]
			require.Equal(t, tc.starts, has)
		})
	}
}

// Definitions carry Conductor's audit fields: createTime and updateTime
// always (0 when unset), createdBy "" once registered, updatedBy "" once
// updated (taskdef_crud, workflowdef_crud, poll_task_shape).
func TestDefinitionAuditFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	require.NoError(t, h.e.RegisterTaskDefs(h.ctx, []model.TaskDef{{Name: "a", CreatedBy: "me", UpdatedBy: "me", OwnerApp: "app"}}))
	d, err := h.e.GetTaskDef(h.ctx, "a")
	require.NoError(t, err)
	require.Equal(t, t0.UnixMilli(), *d.CreateTime)
	require.Zero(t, *d.UpdateTime)
	require.Empty(t, d.CreatedBy, "Conductor records the (empty) client app, not what was sent")
	require.Equal(t, "app", d.OwnerApp)
	require.Equal(t, []string{}, d.RuntimeMetadata)

	h.advance(time.Second)
	require.NoError(t, h.e.UpdateTaskDef(h.ctx, &model.TaskDef{Name: "a", RetryCount: 5}))
	d, err = h.e.GetTaskDef(h.ctx, "a")
	require.NoError(t, err)
	require.Equal(t, t0.UnixMilli(), *d.CreateTime, "creation kept")
	require.Equal(t, t0.Add(time.Second).UnixMilli(), *d.UpdateTime)

	wd := simpleWorkflow("wf", "a")
	require.NoError(t, h.e.RegisterWorkflowDef(h.ctx, wd, false))
	got, err := h.e.GetWorkflowDef(h.ctx, "wf", 1)
	require.NoError(t, err)
	require.Equal(t, t0.Add(time.Second).UnixMilli(), *got.CreateTime)
	require.Zero(t, *got.UpdateTime)
	h.advance(time.Second)
	require.NoError(t, h.e.RegisterWorkflowDef(h.ctx, simpleWorkflow("wf", "a"), true))
	got, err = h.e.GetWorkflowDef(h.ctx, "wf", 1)
	require.NoError(t, err)
	require.Zero(t, *got.CreateTime, "an overwrite keeps only what the body says, as Conductor's updateWorkflowDef")
	require.Equal(t, t0.Add(2*time.Second).UnixMilli(), *got.UpdateTime)
}

// Tasks carry Conductor's executionMetadata, and an unregistered task's
// ad-hoc definition has zero times and an empty runtimeMetadata
// (poll_task_shape).
func TestTaskShape(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "unregistered"))
	h.start("wf", nil)
	task := h.mustPoll("unregistered")
	require.Equal(t, map[string]any{"additionalContext": map[string]any{}, "empty": true, "additionalContextMap": map[string]any{}},
		task.ExecutionMetadata)
	require.NotNil(t, task.TaskDefinition)
	require.Zero(t, *task.TaskDefinition.CreateTime)
	require.Zero(t, *task.TaskDefinition.UpdateTime)
	require.Equal(t, []string{}, task.TaskDefinition.RuntimeMetadata)
}

// A skipped task is the bare row Conductor's skipTaskFromWorkflow makes:
// no workflowType, a WorkflowTask named after it with no taskDefinition
// (skip_task_io).
func TestSkippedTaskShape(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a", "b"))
	id := h.start("wf", nil)
	require.NoError(t, h.e.SkipTask(h.ctx, id, "b", &model.SkipTaskRequest{TaskInput: map[string]any{"in": "1"}}))
	wf := h.workflow(id)
	b := wf.TaskByRefName("b")
	require.NotNil(t, b)
	require.Equal(t, model.TaskSkipped, b.Status)
	require.Empty(t, b.WorkflowType)
	require.Nil(t, b.TaskDefinition)
	require.NotNil(t, b.WorkflowTask)
	require.Equal(t, "b", b.WorkflowTask.Name)
	require.Equal(t, "b", b.WorkflowTask.TaskReferenceName)
	require.Equal(t, model.TaskTypeSimple, b.WorkflowTask.Type)
	require.NotNil(t, b.ExecutionMetadata)
}

// Retry and rerun leave the old endTime until the workflow ends again;
// the attempts a workflow retry schedules carry an updateTime
// (spec_simple_workflow_retry, rerun_with_new_input).
func TestRetryAndRerunKeepEndTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a", RetryCount: 0})
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	h.fail(h.mustPoll("a"), "broken")
	ended := h.workflow(id).EndTime
	require.NotZero(t, ended)

	h.advance(time.Second)
	require.NoError(t, h.e.Retry(h.ctx, id, false))
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowRunning, wf.Status)
	require.Equal(t, ended, wf.EndTime)
	require.Equal(t, t0.Add(time.Second).UnixMilli(), wf.Tasks[1].UpdateTime)

	h.fail(h.mustPoll("a"), "broken again")
	ended = h.workflow(id).EndTime
	_, err := h.e.Rerun(h.ctx, id, &model.RerunWorkflowRequest{ReRunFromWorkflowId: id})
	require.NoError(t, err)
	wf = h.workflow(id)
	require.Equal(t, model.WorkflowRunning, wf.Status)
	require.Equal(t, ended, wf.EndTime)

	h.advance(time.Second)
	h.complete(h.mustPoll("a"), nil)
	require.Equal(t, t0.Add(2*time.Second).UnixMilli(), h.workflow(id).EndTime, "a new end replaces it")
}

// Task logs come back ordered by createdTime, so a TaskResult's lines with
// the worker's earlier times come first (task_logs).
func TestTaskLogsByCreatedTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	task := h.mustPoll("a")
	require.NoError(t, h.e.AddTaskLog(h.ctx, task.TaskId, "first written"))
	require.NoError(t, h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId,
		Status: model.CompletedTask, Logs: []model.TaskExecLog{{Log: "from the worker", CreatedTime: 1}}}))
	logs, err := h.e.TaskLogs(h.ctx, task.TaskId)
	require.NoError(t, err)
	require.Len(t, logs, 2)
	require.Equal(t, "from the worker", logs[0].Log)
	require.Equal(t, "first written", logs[1].Log)
}

// Workflow search answers workflows with "tasks": [] (spec_http_all).
func TestWorkflowSearchHasEmptyTasks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	h.start("wf", nil)
	res, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 10, Query: "workflowType IN (wf)"})
	require.NoError(t, err)
	require.Len(t, res.Results, 1)
	require.NotNil(t, res.Results[0].Tasks)
	require.Empty(t, res.Results[0].Tasks)
}

// SWITCH and DECISION definitions need their structural fields, with
// WorkflowTaskTypeConstraint's messages (workflowdef_validation).
func TestSwitchAndDecisionConstraints(t *testing.T) {
	t.Parallel()
	const path = "registerWorkflowDef.arg0.tasks[0]"
	for _, tc := range []struct {
		name string
		wt   model.WorkflowTask
		want []model.ValidationError
	}{
		{"switch with nothing", model.WorkflowTask{Name: "sw", TaskReferenceName: "sw", Type: model.TaskTypeSwitch}, []model.ValidationError{
			ve(path, "evaluatorType field is required for taskType: SWITCH taskName: sw"),
			ve(path, "decisionCases field is required for taskType: SWITCH taskName: sw")}},
		{"switch without expression, empty cases", model.WorkflowTask{Name: "sw", TaskReferenceName: "sw", Type: model.TaskTypeSwitch,
			EvaluatorType: "value-param", DecisionCases: map[string][]model.WorkflowTask{}}, []model.ValidationError{
			ve(path, "expression field is required for taskType: SWITCH taskName: sw"),
			ve(path, "decisionCases should have atleast one task for taskType: SWITCH taskName: sw")}},
		{"decision with nothing", model.WorkflowTask{Name: "d", TaskReferenceName: "d", Type: model.TaskTypeDecision}, []model.ValidationError{
			ve(path, "caseValueParam or caseExpression field is required for taskType: DECISION taskName: d"),
			ve(path, "decisionCases field is required for taskType: DECISION taskName: d")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			d := model.NewWorkflowDef("w", tc.wt)
			requireViolations(t, h.e.RegisterWorkflowDef(h.ctx, d, false), tc.want...)
		})
	}
	h := newHarness(t)
	ok := model.WorkflowTask{Name: "sw", TaskReferenceName: "sw", Type: model.TaskTypeSwitch, EvaluatorType: "value-param",
		Expression: "x", DecisionCases: map[string][]model.WorkflowTask{"a": {{Name: "a", TaskReferenceName: "a", Type: model.TaskTypeSimple}}}}
	require.NoError(t, h.e.ValidateWorkflowDef(h.ctx, model.NewWorkflowDef("w", ok)))
}
