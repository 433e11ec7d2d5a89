package scenario

// Ports of test-harness/.../integration/StartWorkflowSpec.groovy (v3.32.1) with its fixture
// workflow_that_starts_another_workflow.json. The spec pops the START_WORKFLOW task from its
// queue and executes it by hand; the servers run it themselves. The third case of "start
// another workflow" (input from external payload storage) needs a storage the servers do not
// have and is left out.

const startWorkflowSpec = "StartWorkflowSpec: "

func startWorkflowSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_start_workflow_by_name", Source: startWorkflowSpec + "start another workflow using name and version", Run: specStartByName},
		{Name: "spec_start_workflow_by_def", Source: startWorkflowSpec + "start another workflow using workflow definition", Run: specStartByDef},
		{Name: "spec_start_workflow_bad_request", Source: startWorkflowSpec + "start_workflow does not conform to StartWorkflowRequest", Run: specStartBadRequest},
	}
}

func (s *S) starterWF() {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	s.RegisterWorkflow(s.harnessWF("workflow_that_starts_another_workflow", M{
		"description": "A workflow that uses START_WORKFLOW task to start another workflow", "inputParameters": []any{"start_workflow"}},
		Sys("START_WORKFLOW", "st", M{"name": "start_workflow", "inputParameters": M{"startWorkflow": "${workflow.input.startWorkflow}"}})))
}

// startAnother runs the starter with the input and checks the started workflow.
func (s *S) startAnother(input M) {
	s.starterWF()
	id := s.Start("workflow_that_starts_another_workflow", input, M{"version": 1, "correlationId": "starter_corr"})
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("starter completed", wf, "COMPLETED: START_WORKFLOW=COMPLETED")
	out, _ := Tasks(wf)[0]["outputData"].(M)
	started := str(out, "workflowId")
	s.Check("output has the started workflow's id", started != "")
	if started == "" {
		return
	}
	s.learnWorkflow(started)
	sw := s.AwaitStatus(started, "RUNNING")
	s.Check("started workflow has the starter's correlationId", str(sw, "correlationId") == "starter_corr")
	s.Check("started workflow has input", sw["input"] != nil)
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.PollComplete("integration_task_2", nil)
	s.AwaitStatus(started, "COMPLETED")
}

func specStartByName(s *S) {
	s.startAnother(M{"startWorkflow": M{"name": s.N("integration_test_wf"), "input": M{"param1": "value1", "param2": "value2"}}})
}

func specStartByDef(s *S) {
	task := func(n int, tp2 string) M {
		ns := itoa(n)
		return M{"name": s.N("integration_task_" + ns), "taskReferenceName": "t" + ns, "type": "SIMPLE",
			"inputParameters": M{"tp1": "${workflow.input.param1}", "tp2": tp2, "tp3": "${CPEWF_TASK_ID}"}}
	}
	def := M{"name": s.N("dynamic_wf"), "version": 1, "ownerEmail": "abc@abc.com",
		"tasks": []any{task(1, "${workflow.input.param2}"), task(2, "${t1.output.op}")}}
	s.startAnother(M{"startWorkflow": M{"name": s.N("dynamic_wf"), "workflowDef": def}})
}

func specStartBadRequest(s *S) {
	s.starterWF()
	id := s.Start("workflow_that_starts_another_workflow", M{"start_workflow": M{"param1": "value1", "param2": "value2"}}, M{"version": 1})
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("starter failed", wf, "FAILED: START_WORKFLOW=FAILED")
	s.Check("the task has a reason", str(Tasks(wf)[0], "reasonForIncompletion") != "")
}
