package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/script"
	"github.com/batonhq/baton/model"
)

func simple(ref string) model.WorkflowTask {
	return model.WorkflowTask{Name: ref, TaskReferenceName: ref, Type: model.TaskTypeSimple}
}

// TestFlowDefinitionRules checks WorkflowTaskTypeConstraint's rules for the
// control-flow types, with Conductor's messages.
func TestFlowDefinitionRules(t *testing.T) {
	t.Parallel()
	const path = "registerWorkflowDef.arg0"
	cases := []struct {
		name string
		task model.WorkflowTask
		more []model.WorkflowTask
		want []model.ValidationError
	}{
		{"switch without cases", model.WorkflowTask{Name: "sw", TaskReferenceName: "sw", Type: model.TaskTypeSwitch,
			EvaluatorType: "value-param", Expression: "x", DecisionCases: map[string][]model.WorkflowTask{}},
			nil, []model.ValidationError{ve(path+".tasks[0]", "decisionCases should have atleast one task for taskType: SWITCH taskName: sw")}},
		{"switch without evaluator", model.WorkflowTask{Name: "sw", TaskReferenceName: "sw", Type: model.TaskTypeSwitch,
			Expression: "x", DecisionCases: map[string][]model.WorkflowTask{"a": {simple("a")}}},
			nil, []model.ValidationError{ve(path+".tasks[0]", "evaluatorType field is required for taskType: SWITCH taskName: sw")}},
		{"switch with a script that does not parse", model.WorkflowTask{Name: "sw", TaskReferenceName: "sw", Type: model.TaskTypeSwitch,
			EvaluatorType: "javascript", Expression: "$.x ==", DecisionCases: map[string][]model.WorkflowTask{"a": {simple("a")}}},
			nil, nil}, // message checked below: it carries goja's wording
		{"decision without case", model.WorkflowTask{Name: "d", TaskReferenceName: "d", Type: model.TaskTypeDecision,
			DecisionCases: map[string][]model.WorkflowTask{"a": {simple("a")}}},
			nil, []model.ValidationError{ve(path+".tasks[0]", "caseValueParam or caseExpression field is required for taskType: DECISION taskName: d")}},
		{"fork without branches", model.WorkflowTask{Name: "f", TaskReferenceName: "f", Type: model.TaskTypeForkJoin},
			[]model.WorkflowTask{{Name: "j", TaskReferenceName: "j", Type: model.TaskTypeJoin}},
			[]model.ValidationError{ve(path+".tasks[0]", "forkTasks should have atleast one task for taskType: FORK_JOIN taskName: f")}},
		{"fork not followed by a join", model.WorkflowTask{Name: "f", TaskReferenceName: "f", Type: model.TaskTypeForkJoin,
			ForkTasks: [][]model.WorkflowTask{{simple("a")}}},
			[]model.WorkflowTask{simple("b")},
			[]model.ValidationError{ve(path, "FORK_JOIN task f must be followed by a JOIN task")}},
		{"do while without condition or tasks", model.WorkflowTask{Name: "l", TaskReferenceName: "l", Type: model.TaskTypeDoWhile},
			nil, []model.ValidationError{
				ve(path+".tasks[0]", "loopCondition field is required for taskType: DO_WHILE taskName: l"),
				ve(path+".tasks[0]", "loopOver field is required for taskType: DO_WHILE taskName: l")}},
		{"dynamic without name param", model.WorkflowTask{Name: "dy", TaskReferenceName: "dy", Type: model.TaskTypeDynamic},
			nil, []model.ValidationError{ve(path+".tasks[0]", "dynamicTaskNameParam field is required for taskType: DYNAMIC taskName: dy")}},
		{"dynamic fork without params", model.WorkflowTask{Name: "df", TaskReferenceName: "df", Type: model.TaskTypeForkJoinDynamic},
			[]model.WorkflowTask{{Name: "j", TaskReferenceName: "j", Type: model.TaskTypeJoin}},
			[]model.ValidationError{
				ve(path+".tasks[0]", "dynamicForkTasksParam field is required for taskType: FORK_JOIN_DYNAMIC taskName: df"),
				ve(path+".tasks[0]", "dynamicForkTasksInputParamName field is required for taskType: FORK_JOIN_DYNAMIC taskName: df")}},
		{"dynamic fork with both forms", model.WorkflowTask{Name: "df", TaskReferenceName: "df", Type: model.TaskTypeForkJoinDynamic,
			DynamicForkJoinTasksParam: "a", DynamicForkTasksParam: "b"},
			[]model.WorkflowTask{{Name: "j", TaskReferenceName: "j", Type: model.TaskTypeJoin}},
			[]model.ValidationError{ve(path+".tasks[0]", "dynamicForkJoinTasksParam or combination of dynamicForkTasksInputParamName and dynamicForkTasksParam cam be used for taskType: FORK_JOIN_DYNAMIC taskName: df")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			d := model.NewWorkflowDef("bad", append([]model.WorkflowTask{tc.task}, tc.more...)...)
			err := h.e.RegisterWorkflowDef(h.ctx, d, false)
			if tc.want == nil {
				var e *Error
				require.ErrorAs(t, err, &e)
				require.Len(t, e.ValidationErrors, 1)
				require.Contains(t, e.ValidationErrors[0].Message, "Expression is not well formatted: ")
				require.Contains(t, e.ValidationErrors[0].Message, ", taskType: SWITCH taskName sw")
				return
			}
			requireViolations(t, err, tc.want...)
		})
	}
}

// TestLoopConditionThatNeverEnds: a loopCondition still running when the
// script time limit passes fails the loop, and the workflow, with a reason
// that says so.
func TestLoopConditionThatNeverEnds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Script = script.Config{Timeout: 50 * time.Millisecond} })
	d := model.NewWorkflowDef("spin", model.WorkflowTask{Name: "l", TaskReferenceName: "l", Type: model.TaskTypeDoWhile,
		LoopCondition: "while (true) {}", LoopOver: []model.WorkflowTask{simple("step")}})
	h.workflowDef(d)
	id := h.start("spin", nil)
	h.complete(h.mustPoll("step"), nil)
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	require.Equal(t, model.TaskFailedWithTerminalError, wf.Tasks[0].Status)
	require.Contains(t, wf.Tasks[0].ReasonForIncompletion, "Unable to evaluate condition while (true) {}, exception ")
	require.Contains(t, wf.Tasks[0].ReasonForIncompletion, "interrupted")
}

// TestForkOfSwitchesCompletesInOneRequest: operators that need no worker
// (a fork of switches whose cases have nothing to run, and its join) all
// end inside the request that starts the workflow.
func TestForkOfSwitchesCompletesInOneRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sw := func(ref string) model.WorkflowTask {
		return model.WorkflowTask{Name: ref, TaskReferenceName: ref, Type: model.TaskTypeSwitch, EvaluatorType: "value-param",
			Expression: "v", InputParameters: map[string]any{"v": "none"}, DecisionCases: map[string][]model.WorkflowTask{"x": {simple(ref + "_x")}}}
	}
	d := model.NewWorkflowDef("fs",
		model.WorkflowTask{Name: "f", TaskReferenceName: "f", Type: model.TaskTypeForkJoin, ForkTasks: [][]model.WorkflowTask{{sw("a")}, {sw("b")}}},
		model.WorkflowTask{Name: "j", TaskReferenceName: "j", Type: model.TaskTypeJoin, JoinOn: []string{"a", "b"}})
	h.workflowDef(d)
	id := h.start("fs", nil)
	require.Equal(t, model.WorkflowCompleted, h.workflow(id).Status)
	require.Equal(t, []string{"f:COMPLETED", "a:COMPLETED", "b:COMPLETED", "j:COMPLETED"}, h.statuses(id))
}

// TestRestartFinishesForksAndLoops stops the engine with a fork half done
// inside the second iteration of a loop, and a plain fork waiting on a
// branch, and checks that a new engine over the same store finishes both.
func TestRestartFinishesForksAndLoops(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fork := func(ref string, a, b string) []model.WorkflowTask {
		return []model.WorkflowTask{
			{Name: ref, TaskReferenceName: ref, Type: model.TaskTypeForkJoin, ForkTasks: [][]model.WorkflowTask{{simple(a)}, {simple(b)}}},
			{Name: ref + "_join", TaskReferenceName: ref + "_join", Type: model.TaskTypeJoin, JoinOn: []string{a, b}},
		}
	}
	h.workflowDef(model.NewWorkflowDef("loop", model.WorkflowTask{Name: "l", TaskReferenceName: "l", Type: model.TaskTypeDoWhile,
		LoopCondition: "$.l.iteration < 2", LoopOver: fork("f", "a", "b")}))
	h.workflowDef(model.NewWorkflowDef("fork", append(fork("g", "c", "d"), simple("e"))...))
	loopID := h.start("loop", nil)
	forkID := h.start("fork", nil)
	h.complete(h.mustPoll("a"), map[string]any{"a": 1})
	h.complete(h.mustPoll("b"), map[string]any{"b": 1})
	h.complete(h.mustPoll("a"), map[string]any{"a": 2}) // a__2; b__2 still queued
	h.complete(h.mustPoll("c"), nil)                    // d still queued

	h2 := reopen(t, h)
	h2.e.RunDueTimers()
	h2.complete(h2.mustPoll("b"), map[string]any{"b": 2})
	h2.complete(h2.mustPoll("d"), map[string]any{"d": 1})
	h2.complete(h2.mustPoll("e"), nil)

	loop := h2.workflow(loopID)
	require.Equal(t, model.WorkflowCompleted, loop.Status)
	require.Equal(t, []string{"l:COMPLETED", "f__1:COMPLETED", "a__1:COMPLETED", "b__1:COMPLETED", "f_join__1:COMPLETED",
		"f__2:COMPLETED", "a__2:COMPLETED", "b__2:COMPLETED", "f_join__2:COMPLETED"}, h2.statuses(loopID))
	require.Equal(t, map[string]any{"a__2": map[string]any{"a": 2.0}, "b__2": map[string]any{"b": 2.0}},
		loop.Tasks[0].OutputData["2"].(map[string]any)["f_join"])
	require.Equal(t, model.WorkflowCompleted, h2.workflow(forkID).Status)
	require.Equal(t, []string{"g:COMPLETED", "c:COMPLETED", "d:COMPLETED", "g_join:COMPLETED", "e:COMPLETED"}, h2.statuses(forkID))
}
