package scenario

import "time"

// Ports of test-harness/.../integration/WaitTaskSpec.groovy (v3.32.1) with its fixtures
// wait_workflow_integration_test.json and set_variable_workflow_integration_test.json, and
// WAIT with a duration and an until time (WaitTaskMapper, Wait).

const waitSpec = "WaitTaskSpec: "

func waitSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_wait_set_variable", Source: waitSpec + "Test workflow with set variable task", Run: specWaitSetVariable},
		{Name: "spec_wait_simple", Source: waitSpec + "Verify that a wait based simple workflow is executed", Run: specWaitSimple},
		{Name: "spec_wait_duration", Source: "WAIT with duration \"1s\" and \"1 seconds\" completes by itself (Wait, WaitTaskMapper)", Run: specWaitDuration},
		{Name: "spec_wait_until_past", Source: "WAIT with an until time that has passed, with and without a zone, completes at once (Wait, WaitTaskMapper)", Run: specWaitUntilPast},
	}
}

func specWaitSetVariable(s *S) {
	s.RegisterTaskDefs(s.harnessTask("simple", 1, 120, 120, nil))
	s.RegisterWorkflow(s.WorkflowDef("set_variable_workflow_integration_test", M{
		"inputParameters": []any{}, "outputParameters": M{"variables": "${workflow.variables}"},
		"restartable": true, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "ownerEmail": harnessEmail,
	},
		s.Simple("simple", "simple", M{"description": "simple", "inputParameters": M{}}),
		Sys("SET_VARIABLE", "set_variable_1", M{"name": "set_variable", "inputParameters": M{"var": "${workflow.input.var}"}}),
		Sys("WAIT", "wait0", M{"name": "wait", "inputParameters": M{}}),
	))
	id := s.Start("set_variable_workflow_integration_test", M{"var": "var_test_value"}, M{"version": 1})
	s.ExpectShape(id, "started", "RUNNING: simple=SCHEDULED")
	s.PollComplete("simple", M{"ok1": "ov1"})
	wf := s.ExpectShape(id, "wait reached", "RUNNING: simple=COMPLETED SET_VARIABLE=COMPLETED WAIT=IN_PROGRESS")
	s.Check("variables = {var: var_test_value}", jsonEq(wf["variables"], M{"var": "var_test_value"}))
	s.CompleteRow(Row(wf, "wait0"), "COMPLETED", nil)
	wf = s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: simple=COMPLETED SET_VARIABLE=COMPLETED WAIT=COMPLETED")
	s.Check("output = {variables: {var: var_test_value}}", jsonEq(wf["output"], M{"variables": M{"var": "var_test_value"}}))
}

func specWaitSimple(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.WorkflowDef("test_wait_workflow", M{
		"inputParameters": []any{}, "outputParameters": M{}, "restartable": true,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "ownerEmail": harnessEmail,
	},
		Sys("WAIT", "wait0", M{"name": "wait", "inputParameters": M{}}),
		s.Simple("integration_task_1", "t1", M{"inputParameters": M{}}),
	))
	id := s.Start("test_wait_workflow", M{}, M{"version": 1})
	wf := s.ExpectShape(id, "started", "RUNNING: WAIT=IN_PROGRESS")
	s.queueSize("integration_task_1")
	s.NoTask("integration_task_1", "nothing to poll while waiting")
	s.CompleteRow(Row(wf, "wait0"), "COMPLETED", nil)
	s.ExpectShape(id, "wait completed", "RUNNING: WAIT=COMPLETED integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: WAIT=COMPLETED integration_task_1=COMPLETED")
}

func specWaitDuration(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("wait_duration", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY"},
		Sys("WAIT", "wait_short", M{"inputParameters": M{"duration": "1s"}}),
		Sys("WAIT", "wait_words", M{"inputParameters": M{"duration": "${workflow.input.d}"}}),
	))
	started := time.Now()
	id := s.Start("wait_duration", M{"d": "1 seconds"}, nil)
	s.ExpectShape(id, "started", "RUNNING: WAIT=IN_PROGRESS")
	wf := s.AwaitDeciding(id, "COMPLETED")
	s.Note("both waits done after", DelayClass(time.Since(started), 2))
	s.CheckShape("completed", wf, "COMPLETED: WAIT=COMPLETED WAIT=COMPLETED")
	in, _ := Row(wf, "wait_words")["inputData"].(M)
	s.Check("the duration came from the workflow input", str(in, "duration") == "1 seconds")
}

func specWaitUntilPast(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("wait_until", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY"},
		Sys("WAIT", "until_zone", M{"inputParameters": M{"until": "2020-01-01 00:00 GMT"}}),
		Sys("WAIT", "until_local", M{"inputParameters": M{"until": "2020-01-01 00:00"}}),
		Sys("WAIT", "until_day", M{"inputParameters": M{"until": "2020-01-01"}}),
	))
	id := s.Start("wait_until", M{}, nil)
	s.CheckShape("completed", s.AwaitDeciding(id, "COMPLETED"), "COMPLETED: WAIT=COMPLETED WAIT=COMPLETED WAIT=COMPLETED")
}
