package scenario

import (
	"net/http"
	"net/url"
	"time"
)

// Ports of test-harness/src/test/groovy/com/netflix/conductor/test/integration/SimpleWorkflowSpec.groovy
// (v3.32.1). Waits are shortened; inputs and expected outcomes are the spec's.

const simpleSpec = "SimpleWorkflowSpec: "

func simpleSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_simple_completion", Source: simpleSpec + "Test simple workflow completion", Run: specSimpleCompletion},
		{Name: "spec_simple_null_inputs", Source: simpleSpec + "Test simple workflow with null inputs", Run: specNullInputs},
		{Name: "spec_simple_terminal_error", Source: simpleSpec + "Test simple workflow terminal error condition", Run: specTerminalError},
		{Name: "spec_simple_response_timeout", Source: simpleSpec + "Test Simple Workflow with response timeout (responseTimeoutSeconds 10 → 2, callback 2 → 1)", Run: specResponseTimeout},
		{Name: "spec_simple_schema_version", Source: simpleSpec + "Test if the workflow definitions with and without schema version can be registered", Run: specSchemaVersion},
		{Name: "spec_simple_restart_same_def", Source: simpleSpec + "Test Simple workflow restart without using the latest definition", Run: specRestartSameDef},
		{Name: "spec_simple_restart_latest_def", Source: simpleSpec + "Test Simple workflow restart with the latest definition", Run: specRestartLatestDef},
		{Name: "spec_simple_task_retries", Source: simpleSpec + "Test simple workflow with task retries (retryDelaySeconds 2 → 1)", Run: specTaskRetries},
		{Name: "spec_simple_workflow_retry", Source: simpleSpec + "Test simple workflow with retry at workflow level", Run: specWorkflowRetry},
		{Name: "spec_simple_long_running", Source: simpleSpec + "Test Long running simple workflow (callback 5 s → 1 s)", Run: specLongRunning},
		{Name: "spec_simple_reset_callbacks", Source: simpleSpec + "Test simple workflow when the task's call back after seconds are reset", Run: specResetCallbacks},
		{Name: "spec_simple_non_restartable", Source: simpleSpec + "Test non restartable simple workflow", Run: specNonRestartable},
		{Name: "spec_simple_update_callback", Source: simpleSpec + "Test simple workflow when update task's result with call back after seconds", Run: specUpdateCallback},
	}
}

func specSimpleCompletion(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "unit_test_1"})
	s.ExpectShape(id, "started", "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.ExpectShape(id, "t1 done", "RUNNING: integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	t2 := s.AwaitPoll("integration_task_2")
	in, _ := t2["inputData"].(M)
	s.Check("t2 input tp1 = p1 value, tp2 = task1.done", str(in, "tp1") == "p1 value" && str(in, "tp2") == "task1.done")
	s.must(s.Complete(t2, nil), http.StatusOK)
	wf := s.GetWorkflow(id, "")
	out, _ := wf["output"].(M)
	_, hasO3 := out["o3"]
	s.CheckShape("completed", wf, "COMPLETED: integration_task_1=COMPLETED integration_task_2=COMPLETED")
	s.Check("output has o3", hasO3)
}

func specNullInputs(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	def := s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/{name}", Args: []string{s.N("integration_test_wf")}, Query: url.Values{"version": {"1"}}}).Obj()
	_, hasKey := firstTaskParams(def)["someNullKey"]
	s.Check("stored def keeps inputParameters.someNullKey", hasKey)
	id := s.Start("integration_test_wf", M{"param1": "p1 value", "param2": nil}, M{"version": 1, "correlationId": "unit_test_1"})
	wf := s.GetWorkflow(id, "")
	s.CheckShape("started", wf, "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", M{"someOtherKey": M{"a": 1, "A": nil}, "someKey": nil})
	wf = s.GetWorkflow(id, "")
	s.CheckShape("t1 done", wf, "RUNNING: integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	out, _ := Tasks(wf)[0]["outputData"].(M)
	_, hasSomeKey := out["someKey"]
	s.Check("t1 output keeps null someKey", hasSomeKey && out["someKey"] == nil)
}

func firstTaskParams(def M) M {
	ts, _ := def["tasks"].([]any)
	if len(ts) == 0 {
		return nil
	}
	t, _ := ts[0].(M)
	p, _ := t["inputParameters"].(M)
	return p
}

func specTerminalError(s *S) {
	s.registerIntegrationTasks(nil)
	def := s.linearWF("integration_test_wf", nil)
	def["outputParameters"].(M)["validationErrors"] = "${t1.output.ErrorMessage}"
	s.RegisterWorkflow(def)
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "unit_test_1"})
	s.ExpectShape(id, "started", "RUNNING: integration_task_1=SCHEDULED")
	r := s.WF(http.MethodPost, "/workflow/{workflowId}/restart", id, nil)
	s.Check("restart of a running workflow is a conflict (409)", r.Status == http.StatusConflict)
	t1 := s.AwaitPoll("integration_task_1")
	res := TaskResult(t1, "FAILED_WITH_TERMINAL_ERROR", M{"TERMINAL_ERROR": "Integration endpoint down: FOOBAR", "ErrorMessage": "There was a terminal error"})
	res["reasonForIncompletion"] = "NON TRANSIENT ERROR OCCURRED: An integration point required to complete the task is down"
	s.must(s.Update(res), http.StatusOK)
	wf := s.AwaitStatus(id, "FAILED")
	out, _ := wf["output"].(M)
	s.Check("output o1 = p1 value and validationErrors = There was a terminal error",
		str(out, "o1") == "p1 value" && str(out, "validationErrors") == "There was a terminal error")
	s.Check("reason names t1 and its reason", str(wf, "reasonForIncompletion") ==
		"Task "+str(t1, "taskId")+" failed with status: FAILED and reason: 'NON TRANSIENT ERROR OCCURRED: An integration point required to complete the task is down'")
	s.Check("no retry although retryCount is 1", len(Tasks(wf)) == 1)
}

func specResponseTimeout(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterTaskDefs(s.TaskDef("task_rt", M{"timeoutSeconds": 120, "retryCount": 1, "retryDelaySeconds": 0,
		"responseTimeoutSeconds": 2, "ownerEmail": harnessEmail}))
	s.RegisterWorkflow(s.WorkflowDef("RTOWF", M{
		"inputParameters": []any{"param1", "param2"}, "ownerEmail": harnessEmail,
		"outputParameters": M{"o1": "${workflow.input.param1}", "o2": "${t2.output.uuid}", "o3": "${t1.output.op}"},
		"failureWorkflow":  "$workflow.input.failureWfName", "timeoutPolicy": "ALERT_ONLY",
	},
		s.Simple("task_rt", "t1", M{"inputParameters": M{"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}"}}),
		s.Simple("integration_task_2", "t2", M{"inputParameters": M{"tp1": "${workflow.input.param1}", "tp2": "${t1.output.op}"}}),
	))
	id := s.Start("RTOWF", specInput(), M{"version": 1, "correlationId": "unit_test_1"})
	s.ExpectShape(id, "started", "RUNNING: task_rt=SCHEDULED")
	t := s.AwaitPoll("task_rt")
	polled := time.Now()
	s.Check("polled task is IN_PROGRESS", str(t, "status") == "IN_PROGRESS")
	s.NoTask("task_rt", "no second task to poll")
	s.SweepAfter(id, polled, 2500*time.Millisecond) // the spec: Thread.sleep(11000), then decide
	wf := s.AwaitTasks(id, 2, "SCHEDULED")
	s.CheckShape("after the response timeout", wf, "RUNNING: task_rt=TIMED_OUT task_rt=SCHEDULED")
	t2 := s.AwaitPoll("task_rt")
	r := TaskResult(t2, "IN_PROGRESS", nil)
	r["callbackAfterSeconds"] = 1
	s.must(s.Update(r), http.StatusOK)
	s.ExpectShape(id, "after IN_PROGRESS with callback", "RUNNING: task_rt=TIMED_OUT task_rt=SCHEDULED")
	s.PollComplete("task_rt", M{"op": "task1.done"})
	s.PollComplete("integration_task_2", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: task_rt=TIMED_OUT task_rt=COMPLETED integration_task_2=COMPLETED")
}

func specSchemaVersion(s *S) {
	task := M{"name": s.N("integration_task_1"), "taskReferenceName": "t1"}
	s.RegisterWorkflow(M{"name": s.N("Test_schema_version1"), "version": 1, "ownerEmail": harnessEmail, "tasks": []any{task}})
	s.RegisterWorkflow(M{"name": s.N("Test_schema_version2"), "version": 1, "schemaVersion": 2, "ownerEmail": harnessEmail, "tasks": []any{task}})
	for _, n := range []string{"Test_schema_version1", "Test_schema_version2"} {
		d := s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/{name}", Args: []string{s.N(n)}, Query: url.Values{"version": {"1"}}, Label: "get " + n}).Obj()
		s.Check(n+" has schemaVersion 2", num(d, "schemaVersion") == 2)
	}
}

// failFirstTask starts the linear workflow with integration_task_1 at retryCount 0, fails it and
// returns the FAILED workflow's id.
func (s *S) failedLinear() string {
	s.registerIntegrationTasks(map[string]M{"integration_task_1": {"retryCount": 0}})
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "integration_test_1"})
	s.must(s.Fail(s.AwaitPoll("integration_task_1"), "FAILED", "failed.."), http.StatusOK)
	s.CheckShape("failed", s.AwaitStatus(id, "FAILED"), "FAILED: integration_task_1=FAILED")
	return id
}

func specRestartSameDef(s *S) {
	id := s.failedLinear()
	r := s.WF(http.MethodPost, "/workflow/{workflowId}/restart", id, url.Values{"useLatestDefinitions": {"false"}})
	s.Check("restart answers 204", r.Status == http.StatusNoContent)
	s.ExpectShape(id, "restarted", "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", nil)
	s.PollComplete("integration_task_2", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: integration_task_1=COMPLETED integration_task_2=COMPLETED")
}

func specRestartLatestDef(s *S) {
	id := s.failedLinear()
	def := s.linearWF("integration_test_wf", M{"version": 2})
	def["tasks"] = append(def["tasks"].([]any), s.Simple("integration_task_20", "task_added", nil))
	s.RegisterWorkflow(def)
	r := s.WF(http.MethodPost, "/workflow/{workflowId}/restart", id, url.Values{"useLatestDefinitions": {"true"}})
	s.Check("restart answers 204", r.Status == http.StatusNoContent)
	s.ExpectShape(id, "restarted", "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", nil)
	s.PollComplete("integration_task_2", nil)
	t := s.PollComplete("integration_task_20", nil)
	s.Check("task_added belongs to the restarted workflow", str(t, "referenceTaskName") == "task_added" && str(t, "workflowInstanceId") == id)
	wf := s.AwaitStatus(id, "COMPLETED")
	s.Check("three tasks", len(Tasks(wf)) == 3)
}

func specTaskRetries(s *S) {
	s.registerIntegrationTasks(map[string]M{"integration_task_2": {"retryCount": 3, "retryDelaySeconds": 1}})
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "integration_test_1"})
	t1 := s.AwaitPoll("integration_task_1")
	in, _ := t1["inputData"].(M)
	op := "task1.output -> " + str(in, "p1") + "." + str(in, "p2")
	s.must(s.Complete(t1, M{"op": op}), http.StatusOK)
	var failedAt time.Time
	for try := 1; try <= 3; try++ {
		t := s.AwaitPoll("integration_task_2")
		if try > 1 {
			s.Note("retry became pollable after", DelayClass(time.Since(failedAt), 1))
		}
		tin, _ := t["inputData"].(M)
		s.Check("input tp2 and tp1", str(tin, "tp2") == op && str(tin, "tp1") == "p1 value")
		if try == 3 {
			s.must(s.Complete(t, nil), http.StatusOK)
			break
		}
		failedAt = time.Now()
		s.must(s.Fail(t, "FAILED", "failure...0"), http.StatusOK)
	}
	wf := s.AwaitStatus(id, "COMPLETED")
	ts := Tasks(wf)
	s.CheckShape("completed", wf, "COMPLETED: integration_task_1=COMPLETED integration_task_2=FAILED integration_task_2=FAILED integration_task_2=COMPLETED")
	s.Check("retriedTaskId links each retry to the previous row", len(ts) == 4 &&
		str(ts[2], "retriedTaskId") == str(ts[1], "taskId") && str(ts[3], "retriedTaskId") == str(ts[2], "taskId"))
}
