package scenario

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/batonhq/baton/compat/trace"
)

// Input resolution (ParametersUtils), input templates, workflow output and the
// failure workflow.

func expressionScenarios() []Scenario {
	return []Scenario{
		{Name: "input_expressions", Source: "typed, concatenated, nested, escaped expressions; array indexes and JSONPath filters; task and workflow context", Run: inputExpressions},
		{Name: "task_input_template", Source: "TaskDef.inputTemplate: added when absent, replaces resolved nulls, loses to inputParameters", Run: taskInputTemplate},
		{Name: "workflow_output_default", Source: "no outputParameters: the workflow output is the last task's output", Run: workflowOutputDefault},
		{Name: "failure_workflow", Source: "failureWorkflow started on task failure with the failed workflow's details; not on user terminate", Run: failureWorkflow},
		{Name: "failure_workflow_from_input", Source: "failureWorkflow given as $workflow.input.x (the harness's form, simple_workflow_1_integration_test.json)", Run: failureWorkflowFromInput},
		{Name: "failure_workflow_from_input_braces", Source: "failureWorkflow given as ${workflow.input.x}: Conductor splits the string on dots and looks up input key \"x}\", so no failure workflow starts", Run: failureWorkflowFromInputBraces},
	}
}

func inputExpressions(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 0}), s.TaskDef("b", M{"retryCount": 0}))
	params := M{
		"typedNum": "${workflow.input.num}", "typedBool": "${workflow.input.flag}", "typedObj": "${workflow.input.obj}",
		"typedList": "${workflow.input.list}", "typedNull": "${workflow.input.nothing}",
		"concat": "n=${workflow.input.num}, s=${workflow.input.str}", "concatMissing": "x-${workflow.input.missing}",
		"missing": "${workflow.input.missing}", "nestedKey": "${workflow.input.obj.${workflow.input.key}}",
		"escaped": "$${workflow.input.num}", "escapedConcat": "a $${x} b ${workflow.input.str}",
		"index": "${workflow.input.list[1].name}", "indexFromInput": "${workflow.input.list[${workflow.input.idx}].id}",
		"deepIndex": "${workflow.input.obj.k2.deep[2]}", "filter": "${workflow.input.list[?(@.id == 2)].name}",
		"filterObj": "${workflow.input.list[?(@.name == 'one')]}", "wildcard": "${workflow.input.list[*].id}",
		"fromTask": "${a.output.v}", "fromTaskTyped": "${a.output.n}", "fromTaskNested": "${a.output.m.x}",
		"taskStatus": "${a.status}", "taskInput": "${a.input.x}", "workflowId": "${workflow.workflowId}",
		"correlationId": "${workflow.correlationId}", "workflowType": "${workflow.workflowType}", "version": "${workflow.version}",
		"nestedMap": M{"inner": "${workflow.input.str}", "list": []any{"${workflow.input.num}", "lit", 5, nil}},
		"ownTaskId": "${CPEWF_TASK_ID}", "literalNum": 12, "literalBool": true, "literalNull": nil,
	}
	s.RegisterWorkflow(s.WorkflowDef("wf", M{"outputParameters": M{"all": "${b.input}", "sum": "${b.output.sum}", "str": "v=${workflow.input.str}"}},
		s.Simple("a", "a", M{"inputParameters": M{"x": "${workflow.input.str}"}}), s.Simple("b", "b", M{"inputParameters": params})))
	id := s.Start("wf", M{"num": 7, "str": "hello", "flag": true, "nothing": nil,
		"obj":  M{"k1": "v1", "k2": M{"deep": []any{1, 2, 3}}},
		"list": []any{M{"id": 1, "name": "one"}, M{"id": 2, "name": "two"}}, "key": "k1", "idx": 1,
	}, M{"correlationId": "expr-corr"})
	s.PollComplete("a", M{"v": "from-a", "n": 3, "m": M{"x": 1}})
	s.PollComplete("b", M{"sum": 10})
	s.AwaitStatus(id, "COMPLETED")
}

func taskInputTemplate(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 0, "inputTemplate": M{
		"tplOnly": "tpl", "both": "tpl", "nullResolved": "tpl-default", "expr": "${workflow.input.s}", "nested": M{"k": "${workflow.input.s}"},
	}}))
	s.RegisterWorkflow(s.WorkflowDef("wf", nil, s.Simple("a", "a", M{"inputParameters": M{
		"both": "param", "nullResolved": "${workflow.input.missing}", "own": "${workflow.input.s}",
	}})))
	id := s.Start("wf", M{"s": "S"}, nil)
	s.PollComplete("a", nil)
	s.AwaitStatus(id, "COMPLETED")
}

func workflowOutputDefault(s *S) {
	s.twoTasks(nil)
	id := s.Start("wf", M{"x": 1}, nil)
	s.PollComplete("a", M{"v": "a"})
	s.PollComplete("b", M{"last": "b", "n": 2})
	s.AwaitStatus(id, "COMPLETED")
}

// failureWF registers the failure workflow "fwf" (one task "f" that echoes its input).
func (s *S) failureWF() {
	s.RegisterTaskDefs(s.TaskDef("f", M{"retryCount": 0}))
	s.RegisterWorkflow(s.WorkflowDef("fwf", nil, s.Simple("f", "f", M{"inputParameters": M{
		"workflowId": "${workflow.input.workflowId}", "reason": "${workflow.input.reason}",
		"failureStatus": "${workflow.input.failureStatus}", "failureTaskId": "${workflow.input.failureTaskId}",
		"failedStatus": "${workflow.input.failedWorkflow.status}", "x": "${workflow.input.x}",
	}})))
}

// failAndFollow fails task "a" of workflow id and follows the failure workflow it starts
// (expect says whether one should start).
func (s *S) failAndFollow(id string, expect bool) {
	s.must(s.Fail(s.AwaitPoll("a"), "FAILED", "broken on purpose"), http.StatusOK)
	wf := s.AwaitStatus(id, "FAILED")
	out, _ := wf["output"].(M)
	fid := str(out, "conductor.failure_workflow")
	s.Check("output names a failure workflow: "+fmt.Sprint(expect), (fid != "") == expect)
	if fid == "" {
		s.NoTask("f", "no failure workflow task")
		return
	}
	s.learn(fid, trace.IDWorkflow)
	s.PollComplete("f", M{"handled": true})
	s.AwaitStatus(fid, "COMPLETED")
}

func failureWorkflow(s *S) {
	s.failureWF()
	s.oneTask(nil, M{"failureWorkflow": s.N("fwf")})
	id := s.Start("wf", M{"x": 1}, M{"correlationId": "failing"})
	s.failAndFollow(id, true)
	other := s.Start("wf", M{"x": 2}, nil)
	s.WF(http.MethodDelete, "/workflow/{workflowId}", other, url.Values{"reason": {"by hand"}})
	s.GetWorkflow(other, "terminated by hand")
	s.NoTask("f", "no failure workflow for a user terminate")
}

func failureWorkflowFromInput(s *S) {
	s.failureWF()
	s.oneTask(nil, M{"failureWorkflow": "$workflow.input.onFailure"})
	id := s.Start("wf", M{"x": 1, "onFailure": s.N("fwf")}, nil)
	s.failAndFollow(id, true)
}

func failureWorkflowFromInputBraces(s *S) {
	s.failureWF()
	s.oneTask(nil, M{"failureWorkflow": "${workflow.input.onFailure}"})
	id := s.Start("wf", M{"x": 1, "onFailure": s.N("fwf")}, nil)
	s.failAndFollow(id, false)
}
