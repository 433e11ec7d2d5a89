package scenario

import (
	"slices"
	"strings"

	"github.com/batonhq/baton/compat/trace"
)

// Ports of test-harness/.../integration/LambdaAndTerminateTaskSpec.groovy (v3.32.1) with its
// fixtures (terminate_task_*_workflow*.json, simple_lambda_workflow_integration_test.json,
// failure_workflow_for_terminate_task_workflow.json, decision_and_terminate_integration_test.json).

const terminateSpec = "LambdaAndTerminateTaskSpec: "

func terminateSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_terminate_completed", Source: terminateSpec + "Test workflow with a terminate task when the status is completed", Run: specTerminateCompleted},
		{Name: "spec_terminate_failed", Source: terminateSpec + "Test workflow with a terminate task when the status is failed", Run: specTerminateFailed},
		{Name: "spec_terminate_with_subworkflow", Source: terminateSpec + "Test workflow with a terminate task when the workflow has a subworkflow", Run: specTerminateSubWorkflow},
		{Name: "spec_terminate_in_decision", Source: terminateSpec + "Test workflow with a terminate task within a decision branch", Run: specTerminateDecision},
		{Name: "spec_lambda", Source: terminateSpec + "Test workflow with lambda task", Run: specLambda},
	}
}

const lambdaScript = "if ($.input.a==1){return {testvalue: true}} else{return {testvalue: false}}"

func lambda0() M {
	return Sys("LAMBDA", "lambda0", M{"name": "lambda", "inputParameters": M{"input": "${workflow.input}", "scriptExpression": lambdaScript}})
}

// harnessWF is a workflow definition with the fixtures' common fields.
func (s *S) harnessWF(name string, fields M, tasks ...M) M {
	def := s.WorkflowDef(name, M{"inputParameters": []any{}, "outputParameters": M{}, "restartable": true,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "ownerEmail": harnessEmail}, tasks...)
	for k, v := range fields {
		def[k] = v
	}
	return def
}

func (s *S) terminateWF(name string, terminate M, fields M) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.harnessWF("failure_workflow", nil, lambda0()))
	s.RegisterWorkflow(s.harnessWF(name, mergeM(M{"failureWorkflow": s.N("failure_workflow")}, fields),
		lambda0(),
		Sys("TERMINATE", "terminate0", M{"name": "terminate", "inputParameters": terminate}),
		s.Simple("integration_task_2", "t2", M{"inputParameters": M{}}),
	))
}

func mergeM(a, b M) M {
	out := M{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func specTerminateCompleted(s *S) {
	s.terminateWF("test_terminate_task_wf", M{"terminationStatus": "COMPLETED", "workflowOutput": "${lambda0.output}"},
		M{"outputParameters": M{"o1": "${lambda0.output}", "o2": "${t2.output}"}})
	id := s.Start("test_terminate_task_wf", M{"a": 1}, M{"version": 1})
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed by TERMINATE", wf, "COMPLETED: LAMBDA=COMPLETED TERMINATE=COMPLETED")
	s.Check("output = {result: {testvalue: true}}", jsonEq(wf["output"], M{"result": M{"testvalue": true}}))
}

func specTerminateFailed(s *S) {
	s.terminateWF("test_terminate_task_failed_wf", M{"terminationStatus": "FAILED", "terminationReason": "Early exit in terminate",
		"workflowOutput": "${lambda0.output}"}, nil)
	id := s.Start("test_terminate_task_failed_wf", M{"a": 1}, M{"version": 1})
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("failed by TERMINATE", wf, "FAILED: LAMBDA=COMPLETED TERMINATE=COMPLETED")
	s.Check("reason is the termination reason", str(wf, "reasonForIncompletion") == "Early exit in terminate")
	out, _ := wf["output"].(M)
	failure := str(out, "conductor.failure_workflow")
	s.Check("output names the failure workflow", failure != "")
	if failure == "" {
		return
	}
	s.learnWorkflow(failure)
	fw := s.AwaitStatus(failure, "COMPLETED")
	in, _ := fw["input"].(M)
	s.Check("failure workflow input workflowId is the failed workflow", str(in, "workflowId") == id)
	s.CheckShape("failure workflow", fw, "COMPLETED: LAMBDA=COMPLETED")
}

func specTerminateSubWorkflow(s *S) {
	s.registerIntegrationTasks(nil)
	lambda := func(ref string) M {
		return Sys("LAMBDA", ref, M{"name": "test_lambda_task" + ref[len(ref)-1:], "inputParameters": M{
			"lambdaValue": "${workflow.input.lambdaValue}",
			"scriptExpression": "var i = 10; if ($.lambdaValue == 1){ return {testvalue: 'Lambda value was 1', iValue: i} } " +
				"else { return {testvalue: 'Lambda value was NOT 1', iValue: i + 3} }"}})
	}
	s.RegisterWorkflow(M{"name": s.N("test_terminate_task_sub_wf"), "version": 1, "schemaVersion": 2, "ownerEmail": harnessEmail,
		"tasks": []any{s.Simple("integration_task_3", "t3", nil)}})
	s.RegisterWorkflow(M{"name": s.N("test_terminate_task_parent_wf"), "version": 1, "schemaVersion": 2, "ownerEmail": harnessEmail,
		"tasks": []any{
			Sys("FORK_JOIN", "forkx", M{"name": "test_forkjoin", "forkTasks": []any{
				[]any{lambda("lambdaTask1"), Sys("SUB_WORKFLOW", "test_terminate_subworkflow", M{
					"subWorkflowParam": M{"name": s.N("test_terminate_task_sub_wf")}})},
				[]any{lambda("lambdaTask2"), Sys("WAIT", "basicJavaA", M{"name": "test_wait_task"}),
					Sys("TERMINATE", "terminate0", M{"name": "terminate", "inputParameters": M{"terminationStatus": "COMPLETED", "workflowOutput": "some output"}}),
					Sys("WAIT", "basicJavaB", M{"name": "test_second_wait_task"})},
			}}),
			Sys("JOIN", "thejoin", M{"name": "join", "joinOn": []any{"test_terminate_subworkflow", "basicJavaB"}}),
		}})
	id := s.Start("test_terminate_task_parent_wf", M{"a": 1}, M{"version": 1})
	s.AwaitRow(id, "test_terminate_subworkflow", "IN_PROGRESS")
	sub := s.SubWorkflowOf(id, "test_terminate_subworkflow")
	wf := s.ExpectShape(id, "sub-workflow and wait running", "RUNNING: FORK=COMPLETED LAMBDA=COMPLETED LAMBDA=COMPLETED JOIN=IN_PROGRESS SUB_WORKFLOW=IN_PROGRESS WAIT=IN_PROGRESS")
	s.ExpectShape(sub, "sub-workflow started", "RUNNING: integration_task_3=SCHEDULED")
	s.CompleteRow(Row(wf, "basicJavaA"), "COMPLETED", nil)
	wf = s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed by TERMINATE", wf, "COMPLETED: FORK=COMPLETED LAMBDA=COMPLETED LAMBDA=COMPLETED JOIN=CANCELED SUB_WORKFLOW=CANCELED WAIT=COMPLETED TERMINATE=COMPLETED")
	sw := s.AwaitStatus(sub, "TERMINATED")
	s.CheckShape("sub-workflow terminated", sw, "TERMINATED: integration_task_3=CANCELED")
	s.Check("sub-workflow reason names the parent's termination",
		strings.HasPrefix(str(sw, "reasonForIncompletion"), "Parent workflow has been terminated with reason: Workflow is COMPLETED by TERMINATE task"))
}

func specTerminateDecision(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.harnessWF("ConditionalTerminateWorkflow", M{"description": "ConditionalTerminateWorkflow",
		"inputParameters": []any{"param1", "param2"}, "outputParameters": M{"o2": "${t3.output.op}"}},
		s.Simple("integration_task_1", "t1", M{"inputParameters": M{"tp11": "${workflow.input.param1}", "tp12": "${workflow.input.param2}"}}),
		Sys("DECISION", "decision", M{"inputParameters": M{"case": "${workflow.input.case}"}, "caseValueParam": "case",
			"decisionCases": M{
				"one": []any{s.Simple("integration_task_2", "t2", M{"inputParameters": M{"tp21": "${workflow.input.param1}"}})},
				"two": []any{Sys("TERMINATE", "terminate0", M{"name": "terminate", "inputParameters": M{"terminationStatus": "FAILED", "workflowOutput": "${t1.output.op}"}})},
			}}),
		s.Simple("integration_task_3", "t3", M{"inputParameters": M{"tp31": "${workflow.input.param2}"}}),
	))
	id := s.Start("ConditionalTerminateWorkflow", M{"param1": "p1", "param2": "p2", "case": "two"}, M{"version": 1})
	s.ExpectShape(id, "started", "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", M{"op": "task1 completed"})
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("failed by TERMINATE", wf, "FAILED: integration_task_1=COMPLETED DECISION=COMPLETED TERMINATE=COMPLETED")
	s.Check("output = {output: task1 completed}", jsonEq(wf["output"], M{"output": "task1 completed"}))
}

func specLambda(s *S) {
	s.RegisterWorkflow(s.harnessWF("test_lambda_wf", nil, lambda0()))
	id := s.Start("test_lambda_wf", M{"a": 1}, M{"version": 1})
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: LAMBDA=COMPLETED")
	s.Check("output {result: {testvalue: true}}", jsonEq(Tasks(wf)[0]["outputData"], M{"result": M{"testvalue": true}}))
}

// learnWorkflow records a workflow's final state (one the scenario found in an output).
func (s *S) learnWorkflow(id string) {
	if id != "" && !slices.Contains(s.workflows, id) {
		s.kinds[id] = trace.IDWorkflow
		s.workflows = append(s.workflows, id)
	}
}
