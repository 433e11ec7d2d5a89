package scenario

import (
	"net/http"
	"net/url"
	"time"
)

// Ports of test-harness/.../integration/SubWorkflowSpec.groovy (v3.32.1) with its fixtures
// simple_one_task_sub_workflow_integration_test.json, simple_workflow_1_integration_test.json and
// workflow_with_sub_workflow_1_integration_test.json, and the task definitions
// WorkflowTestUtil registers for them. The spec runs the SUB_WORKFLOW task by hand
// (asyncSystemTaskExecutor.execute); the servers run it themselves, so the scenarios wait for it.

const subWorkflowSpec = "SubWorkflowSpec: "

func subWorkflowSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_subworkflow_timeout_retry", Source: subWorkflowSpec + "Test retrying a subworkflow where parent workflow timed out due to workflowTimeout (timeoutSeconds 10 → 3)", Run: specSubWorkflowTimeoutRetry},
		{Name: "spec_subworkflow_terminate", Source: subWorkflowSpec + "Test terminating a subworkflow terminates parent workflow", Run: specSubWorkflowTerminate},
		{Name: "spec_subworkflow_retry_resume", Source: subWorkflowSpec + "Test retrying a workflow with subworkflow resume", Run: specSubWorkflowRetryResume},
	}
}

// registerSubWorkflowFixtures registers the harness's task definitions and the three fixture
// workflows; task2Retries overrides integration_task_2's retryCount when >= 0.
func (s *S) registerSubWorkflowFixtures(task2Retries int, parentFields M) {
	s.registerSubWorkflowFixturesRetries(task2Retries, 1, parentFields)
}

// registerSubWorkflowFixturesRetries is registerSubWorkflowFixtures with sub_workflow_task's
// retryCount (the harness's: 1).
func (s *S) registerSubWorkflowFixturesRetries(task2Retries, subRetries int, parentFields M) {
	over := map[string]M{}
	if task2Retries >= 0 {
		over["integration_task_2"] = M{"retryCount": task2Retries}
	}
	s.registerIntegrationTasks(over)
	s.RegisterTaskDefs(
		s.TaskDef("simple_task_in_sub_wf", M{"retryCount": 0, "ownerEmail": harnessEmail}),
		s.TaskDef("sub_workflow_task", M{"retryCount": subRetries, "responseTimeoutSeconds": 5, "retryDelaySeconds": 0, "ownerEmail": harnessEmail}),
	)
	s.RegisterWorkflow(s.harnessWF("sub_workflow", M{"description": "sub_workflow"},
		s.Simple("simple_task_in_sub_wf", "t1", M{"inputParameters": M{}})))
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	parent := s.harnessWF("integration_test_wf_with_sub_wf", M{"description": "integration_test_wf_with_sub_wf",
		"inputParameters": []any{"param1", "param2"}, "failureWorkflow": "$workflow.input.failureWfName"},
		s.Simple("integration_task_1", "t1", M{"inputParameters": M{"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}"}}),
		M{"name": s.N("sub_workflow_task"), "taskReferenceName": "t2", "type": "SUB_WORKFLOW",
			"inputParameters":  M{"param1": "${workflow.input.param1}", "param2": "${workflow.input.param2}", "subwf": "${workflow.input.nextSubwf}"},
			"subWorkflowParam": M{"name": "${workflow.input.subwf}", "version": 1}},
	)
	for k, v := range parentFields {
		parent[k] = v
	}
	s.RegisterWorkflow(parent)
}

func (s *S) subWorkflowInput(subwf, next string) M {
	in := M{"param1": "p1 value", "param2": "p2 value", "subwf": s.N(subwf)}
	if next != "" {
		in["nextSubwf"] = s.N(next)
	}
	return in
}

// startWithSub starts the parent, completes its integration_task_1 and returns the parent's
// and the sub-workflow's ids once the SUB_WORKFLOW task runs.
func (s *S) startWithSub(correlation string, in M) (string, string) {
	id := s.Start("integration_test_wf_with_sub_wf", in, M{"version": 1, "correlationId": correlation})
	s.ExpectShape(id, "started", "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.AwaitRow(id, "t2", "IN_PROGRESS")
	sub := s.SubWorkflowOf(id, "t2")
	s.ExpectShape(id, "sub-workflow task running", "RUNNING: integration_task_1=COMPLETED SUB_WORKFLOW=IN_PROGRESS")
	return id, sub
}

func specSubWorkflowTimeoutRetry(s *S) {
	s.registerSubWorkflowFixtures(-1, M{"timeoutPolicy": "TIME_OUT_WF", "timeoutSeconds": 3})
	started := time.Now()
	id, sub := s.startWithSub("wf_with_subwf_test_1", s.subWorkflowInput("sub_workflow", ""))
	s.ExpectShape(sub, "sub-workflow started", "RUNNING: simple_task_in_sub_wf=SCHEDULED")
	s.SweepAfter(id, started, 3500*time.Millisecond) // the spec: Thread.sleep(10000), then sweep
	s.CheckShape("parent timed out", s.AwaitStatus(id, "TIMED_OUT"), "TIMED_OUT: integration_task_1=COMPLETED SUB_WORKFLOW=CANCELED")
	s.CheckShape("sub-workflow terminated", s.AwaitStatus(sub, "TERMINATED"), "TERMINATED: simple_task_in_sub_wf=CANCELED")
	r := s.WF(http.MethodPost, "/workflow/{workflowId}/retry", sub, url.Values{"resumeSubworkflowTasks": {"false"}})
	s.Check("retry answers 204", r.Status == http.StatusNoContent)
	s.ExpectShape(sub, "sub-workflow retried", "RUNNING: simple_task_in_sub_wf=CANCELED simple_task_in_sub_wf=SCHEDULED")
	s.ExpectShape(id, "parent resumed", "RUNNING: integration_task_1=COMPLETED SUB_WORKFLOW=IN_PROGRESS")
	s.PollComplete("simple_task_in_sub_wf", M{"op": "simple_task_in_sub_wf.done"})
	s.CheckShape("sub-workflow completed", s.AwaitStatus(sub, "COMPLETED"), "COMPLETED: simple_task_in_sub_wf=CANCELED simple_task_in_sub_wf=COMPLETED")
	wf := s.AwaitDeciding(id, "COMPLETED")
	s.CheckShape("parent completed", wf, "COMPLETED: integration_task_1=COMPLETED SUB_WORKFLOW=COMPLETED")
	out, _ := wf["output"].(M)
	s.Note("parent output op", out["op"])
}

func specSubWorkflowTerminate(s *S) {
	s.registerSubWorkflowFixtures(-1, nil)
	id, sub := s.startWithSub("wf_with_subwf_test_1", s.subWorkflowInput("sub_workflow", ""))
	s.ExpectShape(sub, "sub-workflow started", "RUNNING: simple_task_in_sub_wf=SCHEDULED")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", sub, url.Values{"reason": {"terminating from a test case"}})
	sw := s.AwaitStatus(sub, "TERMINATED")
	s.CheckShape("sub-workflow terminated", sw, "TERMINATED: simple_task_in_sub_wf=CANCELED")
	s.Check("reason is the terminate reason", str(sw, "reasonForIncompletion") == "terminating from a test case")
	wf := s.AwaitDeciding(id, "TERMINATED")
	s.CheckShape("parent terminated", wf, "TERMINATED: integration_task_1=COMPLETED SUB_WORKFLOW=CANCELED")
	s.Note("parent reason", str(wf, "reasonForIncompletion"))
}

func specSubWorkflowRetryResume(s *S) {
	s.registerSubWorkflowFixturesRetries(0, 0, nil) // see failedTree for sub_workflow_task's retryCount
	id, sub := s.startWithSub("wf_retry_with_subwf_resume_test", s.subWorkflowInput("integration_test_wf", ""))
	s.ExpectShape(sub, "sub-workflow started", "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.ExpectShape(sub, "sub-workflow t1 done", "RUNNING: integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll("integration_task_2"), "FAILED", "failed"), http.StatusOK)
	s.CheckShape("sub-workflow failed", s.AwaitStatus(sub, "FAILED"), "FAILED: integration_task_1=COMPLETED integration_task_2=FAILED")
	s.CheckShape("parent failed", s.AwaitDeciding(id, "FAILED"), "FAILED: integration_task_1=COMPLETED SUB_WORKFLOW=FAILED")
	r := s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, url.Values{"resumeSubworkflowTasks": {"true"}})
	s.Check("retry answers 204", r.Status == http.StatusNoContent)
	s.ExpectShape(sub, "sub-workflow retried", "RUNNING: integration_task_1=COMPLETED integration_task_2=FAILED integration_task_2=SCHEDULED")
	s.ExpectShape(id, "parent running", "RUNNING: integration_task_1=COMPLETED SUB_WORKFLOW=IN_PROGRESS")
	s.PollComplete("integration_task_2", M{"op": "task2.done"})
	s.CheckShape("sub-workflow completed", s.AwaitStatus(sub, "COMPLETED"), "COMPLETED: integration_task_1=COMPLETED integration_task_2=FAILED integration_task_2=COMPLETED")
	wf := s.AwaitDeciding(id, "COMPLETED")
	s.CheckShape("parent completed", wf, "COMPLETED: integration_task_1=COMPLETED SUB_WORKFLOW=COMPLETED")
	s.Check("subworkflowChanged is false", Row(wf, "t2")["subworkflowChanged"] != true)
}
