package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// requireViolations asserts err is a validation error listing exactly want
// (path and message).
func requireViolations(t *testing.T, err error, want ...model.ValidationError) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, KindInvalid, e.Kind)
	require.Equal(t, "Validation failed, check below errors for detail.", e.Message)
	got := make([]model.ValidationError, len(e.ValidationErrors))
	for i, v := range e.ValidationErrors {
		got[i] = model.ValidationError{Path: v.Path, Message: v.Message}
	}
	require.ElementsMatch(t, want, got)
}

func ve(path, msg string) model.ValidationError {
	return model.ValidationError{Path: path, Message: msg}
}

func intp(v int) *int { return &v }

func TestTaskDefValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		def  model.TaskDef
		want []model.ValidationError
	}{
		{"no name", model.TaskDef{}, []model.ValidationError{ve("registerTaskDef.arg0[0].name", "TaskDef name cannot be null or empty")}},
		{"negative retry count", model.TaskDef{Name: "t", RetryCount: -1},
			[]model.ValidationError{ve("registerTaskDef.arg0[0].retryCount", "TaskDef retryCount: 0 must be >= 0")}},
		{"negative response timeout", model.TaskDef{Name: "t", ResponseTimeoutSeconds: -5},
			[]model.ValidationError{ve("registerTaskDef.arg0[0].responseTimeoutSeconds", "TaskDef responseTimeoutSeconds: -5 should be minimum 1 second")}},
		{"timeout shorter than the default response timeout", model.TaskDef{Name: "t", TimeoutSeconds: 10},
			[]model.ValidationError{ve("registerTaskDef.arg0[0]", "TaskDef: t responseTimeoutSeconds: 3600 must be less than timeoutSeconds: 10")}},
		{"timeout beyond total", model.TaskDef{Name: "t", TimeoutSeconds: 100, ResponseTimeoutSeconds: 10, TotalTimeoutSeconds: 50},
			[]model.ValidationError{ve("registerTaskDef.arg0[0]", "TaskDef: t timeoutSeconds: 100 must be less than or equal to totalTimeoutSeconds: 50")}},
		{"negative poll timeout", model.TaskDef{Name: "t", PollTimeoutSeconds: intp(-1)},
			[]model.ValidationError{ve("registerTaskDef.arg0[0].pollTimeoutSeconds", "TaskDef pollTimeoutSeconds: 0 must be >= 0")}},
		{"backoff scale below one", model.TaskDef{Name: "t", BackoffScaleFactor: -2},
			[]model.ValidationError{ve("registerTaskDef.arg0[0].backoffScaleFactor", "Backoff scale factor. Applicable for LINEAR_BACKOFF")}},
		{"negatives", model.TaskDef{Name: "t", MaxRetryDelaySeconds: -1, BackoffJitterMs: -1, TotalTimeoutSeconds: -1}, []model.ValidationError{
			ve("registerTaskDef.arg0[0].maxRetryDelaySeconds", "TaskDef maxRetryDelaySeconds: 0 must be >= 0"),
			ve("registerTaskDef.arg0[0].backoffJitterMs", "TaskDef backoffJitterMs: 0 must be >= 0"),
			ve("registerTaskDef.arg0[0].totalTimeoutSeconds", "TaskDef totalTimeoutSeconds: 0 must be >= 0"),
		}},
		{"unknown enums", model.TaskDef{Name: "t", TimeoutPolicy: "NEVER", RetryLogic: "SOMETIMES"}, []model.ValidationError{
			ve("registerTaskDef.arg0[0].timeoutPolicy", "TaskDef timeoutPolicy must be one of RETRY, TIME_OUT_WF, ALERT_ONLY"),
			ve("registerTaskDef.arg0[0].retryLogic", "TaskDef retryLogic must be one of FIXED, LINEAR_BACKOFF, EXPONENTIAL_BACKOFF"),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			err := h.e.RegisterTaskDefs(h.ctx, []model.TaskDef{tc.def})
			requireViolations(t, err, tc.want...)
			defs, err := h.e.ListTaskDefs(h.ctx)
			require.NoError(t, err)
			require.Empty(t, defs, "a rejected request changes nothing")
		})
	}
}

func TestRegisterTaskDefsListPaths(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	requireViolations(t, h.e.RegisterTaskDefs(h.ctx, nil), ve("registerTaskDef.arg0", "TaskDefList cannot be empty or null"))
	requireViolations(t, h.e.RegisterTaskDefs(h.ctx, []model.TaskDef{}), ve("registerTaskDef.arg0", "TaskDefList is empty"))
	err := h.e.RegisterTaskDefs(h.ctx, []model.TaskDef{{Name: "ok"}, {Name: ""}})
	requireViolations(t, err, ve("registerTaskDef.arg0[1].name", "TaskDef name cannot be null or empty"))
	_, err = h.e.GetTaskDef(h.ctx, "ok")
	require.Equal(t, KindNotFound, KindOf(err), "one bad definition rejects them all")
}

func TestTaskDefLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	require.NoError(t, h.e.RegisterTaskDefs(h.ctx, []model.TaskDef{{Name: "a", RetryCount: 2}}))
	got, err := h.e.GetTaskDef(h.ctx, "a")
	require.NoError(t, err)
	require.Equal(t, int64(3600), got.ResponseTimeoutSeconds, "zero means the server default")
	require.Equal(t, model.TimeOutWorkflow, got.TimeoutPolicy)
	require.Equal(t, model.RetryFixed, got.RetryLogic)
	require.Equal(t, 1, got.BackoffScaleFactor)
	require.NotNil(t, got.CreateTime)
	require.Equal(t, t0.UnixMilli(), *got.CreateTime)

	// Register is an upsert, update keeps the creation time.
	require.NoError(t, h.e.RegisterTaskDefs(h.ctx, []model.TaskDef{{Name: "a", RetryCount: 4}}))
	h.advance(5e9)
	require.NoError(t, h.e.UpdateTaskDef(h.ctx, &model.TaskDef{Name: "a", RetryCount: 7}))
	got, err = h.e.GetTaskDef(h.ctx, "a")
	require.NoError(t, err)
	require.Equal(t, 7, got.RetryCount)
	require.Equal(t, t0.UnixMilli(), *got.CreateTime)
	require.Equal(t, t0.UnixMilli()+5000, *got.UpdateTime)

	err = h.e.UpdateTaskDef(h.ctx, &model.TaskDef{Name: "nope"})
	require.EqualError(t, err, "No such task by name nope")
	require.Equal(t, KindNotFound, KindOf(err))
	_, err = h.e.GetTaskDef(h.ctx, "nope")
	require.EqualError(t, err, "No such taskType found by name: nope")
	require.EqualError(t, h.e.DeleteTaskDef(h.ctx, "nope"), "No such task definition")
	requireViolations(t, h.e.DeleteTaskDef(h.ctx, ""), ve("unregisterTaskDef.arg0", "TaskName cannot be null or empty"))
	_, err = h.e.GetTaskDef(h.ctx, "")
	requireViolations(t, err, ve("getTaskDef.arg0", "TaskType cannot be null or empty"))
	requireViolations(t, h.e.UpdateTaskDef(h.ctx, nil), ve("updateTaskDef.arg0", "TaskDef cannot be null"))

	require.NoError(t, h.e.DeleteTaskDef(h.ctx, "a"))
	defs, err := h.e.ListTaskDefs(h.ctx)
	require.NoError(t, err)
	require.Empty(t, defs)
}

func TestWorkflowDefValidation(t *testing.T) {
	t.Parallel()
	simple := func(name, ref string, in map[string]any) model.WorkflowTask {
		return model.WorkflowTask{Name: name, TaskReferenceName: ref, InputParameters: in}
	}
	cases := []struct {
		name string
		def  *model.WorkflowDef
		want []model.ValidationError
	}{
		{"no name, no tasks", &model.WorkflowDef{SchemaVersion: 2}, []model.ValidationError{
			ve("registerWorkflowDef.arg0.name", "WorkflowDef name cannot be null or empty"),
			ve("registerWorkflowDef.arg0.tasks", "WorkflowTask list cannot be empty"),
		}},
		{"schema version 1", &model.WorkflowDef{Name: "w", SchemaVersion: 1, Tasks: []model.WorkflowTask{simple("a", "a", nil)}},
			[]model.ValidationError{ve("registerWorkflowDef.arg0.schemaVersion", "workflowDef schemaVersion: 2 is only supported")}},
		{"task fields", model.NewWorkflowDef("w", model.WorkflowTask{StartDelay: -1}), []model.ValidationError{
			ve("registerWorkflowDef.arg0.tasks[0].name", "WorkflowTask name cannot be empty or null"),
			ve("registerWorkflowDef.arg0.tasks[0].taskReferenceName", "WorkflowTask taskReferenceName name cannot be empty or null"),
			ve("registerWorkflowDef.arg0.tasks[0].startDelay", "must be greater than or equal to 0"),
		}},
		{"duplicate reference names", model.NewWorkflowDef("w", simple("a", "x", nil), simple("b", "x", nil)),
			[]model.ValidationError{ve("registerWorkflowDef.arg0", "taskReferenceName: x should be unique across tasks for a given workflowDefinition: w")}},
		{"unknown reference in input", model.NewWorkflowDef("w", simple("a", "a", map[string]any{
			"ok": "${workflow.input.x}", "self": "${a.output.y}", "sys": "${CPEWF_TASK_ID}", "bad": "${ghost.output.z}",
			"nested": map[string]any{"list": []any{"x-${ghost2.input}"}}, "escaped": "$${ghost3.output}",
		})), []model.ValidationError{
			ve("registerWorkflowDef.arg0", "taskReferenceName: ghost for given task: a input value: bad of input parameter: ${ghost.output.z} is not defined in workflow definition."),
			ve("registerWorkflowDef.arg0", "taskReferenceName: ghost2 for given task: a input value: list of input parameter: x-${ghost2.input} is not defined in workflow definition."),
		}},
		{"malformed path", model.NewWorkflowDef("w", simple("a", "a", map[string]any{"k": "${workflow.input.a b}", "deep": "${workflow..input}"})),
			[]model.ValidationError{ve("registerWorkflowDef.arg0", "key: k input parameter value: workflow.input.a b is not valid")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			requireViolations(t, h.e.RegisterWorkflowDef(h.ctx, tc.def, false), tc.want...)
			err := h.e.ValidateWorkflowDef(h.ctx, tc.def)
			require.Equal(t, KindInvalid, KindOf(err))
			defs, err := h.e.ListWorkflowDefs(h.ctx)
			require.NoError(t, err)
			require.Empty(t, defs)
		})
	}
}

func TestWorkflowDefLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := simpleWorkflow("flow", "a")
	require.NoError(t, h.e.ValidateWorkflowDef(h.ctx, d))
	require.NoError(t, h.e.RegisterWorkflowDef(h.ctx, d, false))

	err := h.e.RegisterWorkflowDef(h.ctx, d, false)
	require.EqualError(t, err, "Workflow with flow.1 already exists!")
	require.Equal(t, KindConflict, KindOf(err))
	d.Description = "changed"
	require.NoError(t, h.e.RegisterWorkflowDef(h.ctx, d, true), "overwrite replaces")
	got, err := h.e.GetWorkflowDef(h.ctx, "flow", 1)
	require.NoError(t, err)
	require.Equal(t, "changed", got.Description)

	v0 := simpleWorkflow("flow", "a")
	v0.Version = 0
	require.EqualError(t, h.e.RegisterWorkflowDef(h.ctx, v0, false), "Workflow with flow.1 already exists!", "version 0 means 1")

	d2 := simpleWorkflow("flow", "a", "b")
	d2.Version = 2
	resp, err := h.e.UpdateWorkflowDefs(h.ctx, []model.WorkflowDef{*d2})
	require.NoError(t, err)
	require.Equal(t, []string{"flow"}, resp.BulkSuccessfulResults)
	latest, err := h.e.GetWorkflowDef(h.ctx, "flow", 0)
	require.NoError(t, err)
	require.Equal(t, 2, latest.Version)

	_, err = h.e.GetWorkflowDef(h.ctx, "flow", 9)
	require.EqualError(t, err, "No such workflow found by name: flow, version: 9")
	_, err = h.e.GetWorkflowDef(h.ctx, "ghost", 0)
	require.EqualError(t, err, "No such workflow found by name: ghost, version: null")
	require.EqualError(t, h.e.DeleteWorkflowDef(h.ctx, "flow", 9), "No such workflow definition: flow version: 9")
	require.NoError(t, h.e.DeleteWorkflowDef(h.ctx, "flow", 2))
	latest, err = h.e.GetWorkflowDef(h.ctx, "flow", 0)
	require.NoError(t, err)
	require.Equal(t, 1, latest.Version, "the cache forgets a deleted version")

	_, err = h.e.UpdateWorkflowDefs(h.ctx, []model.WorkflowDef{*d2, {Name: "bad"}})
	requireViolations(t, err,
		ve("updateWorkflowDef.arg0[1].tasks", "WorkflowTask list cannot be empty"),
		ve("updateWorkflowDef.arg0[1].schemaVersion", "workflowDef schemaVersion: 2 is only supported"))
	_, err = h.e.UpdateWorkflowDefs(h.ctx, []model.WorkflowDef{})
	requireViolations(t, err, ve("updateWorkflowDef.arg0", "WorkflowDefList is empty"))
	requireViolations(t, h.e.RegisterWorkflowDef(h.ctx, nil, false), ve("registerWorkflowDef.arg0", "WorkflowDef cannot be null"))
}

func TestStartWorkflowErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("flow", "a"))
	cases := []struct {
		name string
		req  *model.StartWorkflowRequest
		kind Kind
		msg  string
	}{
		{"nil", nil, KindInvalid, "Validation failed, check below errors for detail."},
		{"no name", &model.StartWorkflowRequest{}, KindInvalid, "Validation failed, check below errors for detail."},
		{"priority 100", &model.StartWorkflowRequest{Name: "flow", Priority: intp(100)}, KindInvalid, "Validation failed, check below errors for detail."},
		{"unknown latest", &model.StartWorkflowRequest{Name: "ghost"}, KindNotFound, "No such workflow defined. name=ghost, version=null"},
		{"unknown version", &model.StartWorkflowRequest{Name: "flow", Version: intp(3)}, KindNotFound, "No such workflow defined. name=flow, version=3"},
		{"invalid ad-hoc definition", &model.StartWorkflowRequest{Name: "x", WorkflowDef: &model.WorkflowDef{Name: "x", SchemaVersion: 2}},
			KindInvalid, "Validation failed, check below errors for detail."},
	}
	for _, tc := range cases {
		_, err := h.e.StartWorkflow(h.ctx, tc.req)
		var e *Error
		require.ErrorAs(t, err, &e, tc.name)
		require.Equal(t, tc.kind, e.Kind, tc.name)
		require.Equal(t, tc.msg, e.Message, tc.name)
	}
	_, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "flow", Priority: intp(-1)})
	requireViolations(t, err, ve("startWorkflow.arg0.priority", "priority: -1 should be minimum 0"))
	_, err = h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "x", WorkflowDef: &model.WorkflowDef{Name: "x", SchemaVersion: 2}})
	requireViolations(t, err, ve("startWorkflow.arg0.workflowDef.tasks", "WorkflowTask list cannot be empty"))
	found, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 10})
	require.NoError(t, err)
	require.Zero(t, found.TotalHits, "failed starts leave nothing behind")
}

func TestStartAdHocDefinitionAndPriority(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := simpleWorkflow("adhoc", "a")
	id, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "adhoc", WorkflowDef: d, Priority: intp(42),
		CorrelationId: "c1", Input: map[string]any{"k": "v"}})
	require.NoError(t, err)
	wf := h.workflow(id)
	require.Equal(t, 42, wf.Priority)
	require.Equal(t, "c1", wf.CorrelationId)
	require.Equal(t, "adhoc", wf.WorkflowName)
	require.Equal(t, 42, wf.Tasks[0].WorkflowPriority)
	def := wf.Tasks[0].WorkflowTask.TaskDefinition
	require.NotNil(t, def, "the ad-hoc task definition is filled in")
	require.Equal(t, 3, def.RetryCount)
	require.Equal(t, 60, def.RetryDelaySeconds)
	require.Equal(t, int64(3600), def.ResponseTimeoutSeconds)
	_, err = h.e.GetWorkflowDef(h.ctx, "adhoc", 0)
	require.Equal(t, KindNotFound, KindOf(err), "an ad-hoc definition is not registered")
}
