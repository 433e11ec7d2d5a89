package scenario

import (
	"net/http"
	"net/url"
	"time"

	"github.com/batonhq/baton/compat/trace"
)

// Ports of test-harness/.../integration/WorkflowAndTaskConfigurationSpec.groovy (v3.32.1).

const configSpec = "WorkflowAndTaskConfigurationSpec: "

func configSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_config_optional_task", Source: configSpec + "Test simple workflow which has an optional task (timeouts 5 s → 2 s)", Run: specOptional},
		{Name: "spec_config_permissive_task", Source: configSpec + "Test simple workflow which has a permissive task", Run: specPermissive},
		{Name: "spec_config_permissive_optional_task", Source: configSpec + "Test simple workflow which has a permissive optional task (timeouts 5 s → 2 s)", Run: specPermissiveOptional},
		{Name: "spec_config_input_template", Source: configSpec + "test workflow with input template parsing", Run: specInputTemplate},
		{Name: "spec_config_task_timeout", Source: configSpec + "Test simple workflow with task time out configuration", Run: specTaskTimeout},
		{Name: "spec_config_workflow_timeout", Source: configSpec + "Test workflow timeout configurations", Run: specWorkflowTimeout},
		{Name: "spec_config_retry_timed_out_workflow", Source: configSpec + "Test retrying a timed out workflow due to workflow timeout", Run: specRetryTimedOut},
		{Name: "spec_config_retry_timed_out_no_failed_tasks", Source: configSpec + "Test retrying a timed out workflow due to workflow timeout without unsuccessful tasks", Run: specRetryTimedOutNoFailed},
		{Name: "spec_config_rerun_multiple", Source: configSpec + "Test re-running the simple workflow multiple times after completion", Run: specRerunMultiple},
		{Name: "spec_config_skip_task", Source: configSpec + "Test task skipping in simple workflows", Run: specSkip},
		{Name: "spec_config_pause_resume", Source: configSpec + "Test pause and resume simple workflow", Run: specPauseResume},
		{Name: "spec_config_callback_after_seconds", Source: configSpec + "Test simple workflow with callbackAfterSeconds for tasks (2 s and 5 s → 2 s and 3 s)", Run: specCallbackAfter},
		{Name: "spec_config_no_tasks", Source: configSpec + "Test workflow with no tasks (ephemeral definition in the start request)", Run: specNoTasks},
		{Name: "spec_config_task_def_template", Source: configSpec + "Test task def template (ephemeral definition in the start request)", Run: specTaskDefTemplate},
		{Name: "spec_config_task_def_not_registered", Source: configSpec + "Test task def created if not exist", Full: true, Run: specTaskDefNotRegistered},
	}
}

// optionalTaskDef is the harness's task_optional with its 5 s timeouts shortened to 2 s.
func (s *S) optionalTaskDef() M {
	return s.TaskDef("task_optional", M{"timeoutSeconds": 2, "retryCount": 1, "timeoutPolicy": "RETRY",
		"retryDelaySeconds": 0, "responseTimeoutSeconds": 2, "ownerEmail": harnessEmail})
}

func (s *S) optionalWF(name string, first M) M {
	return s.WorkflowDef(name, M{
		"inputParameters":  []any{"param1", "param2"},
		"outputParameters": M{"o1": "${workflow.input.param1}", "o2": "${t2.output.uuid}", "o3": "${t1.output.op}"},
		"timeoutPolicy":    "ALERT_ONLY", "ownerEmail": harnessEmail,
	}, first, s.Simple("integration_task_2", "t2", M{"inputParameters": M{"tp1": "${workflow.input.param1}", "tp2": "${t1.output.op}"}}))
}

func specOptional(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterTaskDefs(s.optionalTaskDef())
	s.RegisterWorkflow(s.optionalWF("optional_task_wf", s.Simple("task_optional", "t1", M{"optional": true,
		"inputParameters": M{"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}"}})))
	id := s.Start("optional_task_wf", specInput(), M{"version": 1, "correlationId": "integration_test"})
	s.ExpectShape(id, "started", "RUNNING: task_optional=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll("task_optional"), "FAILED", "NETWORK ERROR"), http.StatusOK)
	s.CheckShape("retried", s.AwaitTasks(id, 2, "SCHEDULED"), "RUNNING: task_optional=FAILED task_optional=SCHEDULED")
	s.AwaitPoll("task_optional")                        // and never complete it
	s.SweepAfter(id, time.Now(), 2500*time.Millisecond) // the spec: Thread.sleep(5000), then decide
	wf := s.AwaitTasks(id, 3, "SCHEDULED")
	s.CheckShape("timed out, optional", wf, "RUNNING: task_optional=FAILED task_optional=COMPLETED_WITH_ERRORS integration_task_2=SCHEDULED")
	s.PollComplete("integration_task_2", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: task_optional=FAILED task_optional=COMPLETED_WITH_ERRORS integration_task_2=COMPLETED")
}

func specPermissive(s *S) {
	s.registerIntegrationTasks(nil)
	inline := func(name string) M {
		return M{"name": s.N(name), "description": name, "retryCount": 1, "timeoutSeconds": 120, "timeoutPolicy": "TIME_OUT_WF",
			"retryLogic": "FIXED", "retryDelaySeconds": 0, "responseTimeoutSeconds": 3600, "rateLimitPerFrequency": 0, "rateLimitFrequencyInSeconds": 1}
	}
	def := s.optionalWF("permissive_task_wf", s.Simple("task_permissive", "t1", M{"permissive": true, "retryCount": 1,
		"taskDefinition": inline("task_permissive"), "inputParameters": M{"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}"}}))
	t2 := def["tasks"].([]any)[1].(M)
	t2["permissive"], t2["retryCount"], t2["taskDefinition"] = true, 1, inline("integration_task_2")
	s.RegisterWorkflow(def)
	id := s.Start("permissive_task_wf", specInput(), M{"version": 1, "correlationId": "integration_test"})
	s.ExpectShape(id, "started", "RUNNING: task_permissive=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll("task_permissive"), "FAILED", "NETWORK ERROR"), http.StatusOK)
	s.CheckShape("retried", s.AwaitTasks(id, 2, "SCHEDULED"), "RUNNING: task_permissive=FAILED task_permissive=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll("task_permissive"), "FAILED", "NETWORK ERROR"), http.StatusOK)
	wf := s.AwaitTasks(id, 3, "SCHEDULED")
	s.CheckShape("permissive failure continues", wf, "RUNNING: task_permissive=FAILED task_permissive=FAILED integration_task_2=SCHEDULED")
	failedID := str(Tasks(wf)[1], "taskId")
	s.PollComplete("integration_task_2", nil)
	wf = s.AwaitStatus(id, "FAILED")
	s.CheckShape("failed at the end", wf, "FAILED: task_permissive=FAILED task_permissive=FAILED integration_task_2=COMPLETED")
	s.Check("reason names the last permissive failure",
		str(wf, "reasonForIncompletion") == "Task "+failedID+" failed with status: FAILED and reason: 'NETWORK ERROR'")
}

func specPermissiveOptional(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterTaskDefs(s.optionalTaskDef())
	def := s.optionalWF("permissive_optional_task_wf", s.Simple("task_optional", "t1", M{"optional": true, "permissive": true,
		"inputParameters": M{"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}"}}))
	def["tasks"].([]any)[1].(M)["permissive"] = true
	s.RegisterWorkflow(def)
	id := s.Start("permissive_optional_task_wf", specInput(), M{"version": 1, "correlationId": "integration_test"})
	s.must(s.Fail(s.AwaitPoll("task_optional"), "FAILED", "NETWORK ERROR"), http.StatusOK)
	s.CheckShape("retried", s.AwaitTasks(id, 2, "SCHEDULED"), "RUNNING: task_optional=FAILED task_optional=SCHEDULED")
	s.AwaitPoll("task_optional")
	s.SweepAfter(id, time.Now(), 2500*time.Millisecond)
	s.CheckShape("timed out, optional", s.AwaitTasks(id, 3, "SCHEDULED"),
		"RUNNING: task_optional=FAILED task_optional=COMPLETED_WITH_ERRORS integration_task_2=SCHEDULED")
	s.PollComplete("integration_task_2", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: task_optional=FAILED task_optional=COMPLETED_WITH_ERRORS integration_task_2=COMPLETED")
}

func specInputTemplate(s *S) {
	s.registerIntegrationTasks(nil)
	def := s.linearWF("integration_test_template_wf", M{
		"inputParameters": []any{"param1", "param2", "param3", "param4"},
		"inputTemplate": M{"param1": M{"nested_object": M{"nested_key": "nested_value"}},
			"param2": []any{"list", "of", "strings"}, "param3": "string"},
		"outputParameters": M{"output": "${t1.output.op}", "param1": "${workflow.input.param1}",
			"param2": "${workflow.input.param2}", "param3": "${workflow.input.param3}"},
	})
	def["tasks"] = def["tasks"].([]any)[:1]
	s.RegisterWorkflow(def)
	id := s.Start("integration_test_template_wf", M{"param3": "external string"}, M{"version": 1, "correlationId": "integration_test"})
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	wf := s.AwaitStatus(id, "COMPLETED")
	s.Check("output merges the template under the given input", jsonEq(wf["output"], M{"output": "task1.done", "param3": "external string",
		"param2": []any{"list", "of", "strings"}, "param1": M{"nested_object": M{"nested_key": "nested_value"}}}))
}

func specTaskTimeout(s *S) {
	s.registerIntegrationTasks(map[string]M{"integration_task_1": {"retryCount": 1, "timeoutSeconds": 1,
		"responseTimeoutSeconds": 1, "retryDelaySeconds": 0, "timeoutPolicy": "RETRY"}})
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	in := specInput()
	in["failureWfName"] = "FanInOutTest"
	id := s.Start("integration_test_wf", in, M{"version": 1, "correlationId": "unit_test_1"})
	s.ExpectShape(id, "started", "RUNNING: integration_task_1=SCHEDULED")
	s.AwaitPoll("integration_task_1")
	s.SweepAfter(id, time.Now(), 1500*time.Millisecond) // the spec: Thread.sleep(3000), then sweep
	s.CheckShape("timed out, retried", s.AwaitTasks(id, 2, "SCHEDULED"), "RUNNING: integration_task_1=TIMED_OUT integration_task_1=SCHEDULED")
	s.AwaitPoll("integration_task_1")
	s.SweepAfter(id, time.Now(), 1500*time.Millisecond)
	s.CheckShape("timed out twice", s.AwaitStatus(id, "TIMED_OUT"), "TIMED_OUT: integration_task_1=TIMED_OUT integration_task_1=TIMED_OUT")
}

// timedOutWF3 starts integration_test_wf3 with the spec's 5 s TIME_OUT_WF workflow timeout and polls t1;
// it returns the workflow, the polled task and when the workflow started.
func (s *S) timedOutWF3() (string, M, time.Time) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.wf3(M{"timeoutPolicy": "TIME_OUT_WF", "timeoutSeconds": 5}))
	in := specInput()
	in["failureWfName"] = "FanInOutTest"
	started := time.Now()
	id := s.Start("integration_test_wf3", in, M{"version": 1, "correlationId": "unit_test_3"})
	s.ExpectShape(id, "started", "RUNNING: integration_task_1=SCHEDULED")
	return id, s.AwaitPoll("integration_task_1"), started
}

func specWorkflowTimeout(s *S) {
	id, _, started := s.timedOutWF3()
	s.SweepAfter(id, started, 5500*time.Millisecond) // the spec: Thread.sleep(6000), then sweep
	s.CheckShape("timed out", s.AwaitStatus(id, "TIMED_OUT"), "TIMED_OUT: integration_task_1=CANCELED")
}

func specRetryTimedOut(s *S) {
	id, _, started := s.timedOutWF3()
	s.SweepAfter(id, started, 5500*time.Millisecond)
	wf := s.AwaitStatus(id, "TIMED_OUT")
	s.CheckShape("timed out", wf, "TIMED_OUT: integration_task_1=CANCELED")
	s.Check("lastRetriedTime 0", num(wf, "lastRetriedTime") == 0)
	s.Check("retry answers 204", s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, nil).Status == http.StatusNoContent)
	wf = s.GetWorkflow(id, "")
	s.CheckShape("retried", wf, "RUNNING: integration_task_1=CANCELED integration_task_1=SCHEDULED")
	s.Check("lastRetriedTime set", num(wf, "lastRetriedTime") != 0)
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}

func specRetryTimedOutNoFailed(s *S) {
	id, t1, started := s.timedOutWF3()
	s.must(s.Complete(t1, nil), http.StatusOK)
	s.ExpectShape(id, "t1 done", "RUNNING: integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	s.SweepAfter(id, started, 5500*time.Millisecond)
	wf := s.AwaitStatus(id, "TIMED_OUT")
	s.Check("t1 still COMPLETED", str(Tasks(wf)[0], "status") == "COMPLETED")
	s.Check("retry answers 204", s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, nil).Status == http.StatusNoContent)
	s.WF(http.MethodPut, "/workflow/decide/{workflowId}", id, nil) // the spec: sweep(workflowInstanceId)
	wf = s.AwaitWorkflow(id, "RUNNING with integration_task_2 SCHEDULED", func(wf M) bool {
		for _, t := range Tasks(wf) {
			if str(t, "taskType") == s.N("integration_task_2") && str(t, "status") == "SCHEDULED" {
				return statusIs(wf, "RUNNING")
			}
		}
		return false
	})
	s.Check("t1 kept COMPLETED, lastRetriedTime set", str(Tasks(wf)[0], "status") == "COMPLETED" && num(wf, "lastRetriedTime") != 0)
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}

func specRerunMultiple(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "unit_test_1"})
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.PollComplete("integration_task_2", nil)
	wf := s.AwaitStatus(id, "COMPLETED")
	r := s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{id},
		Body: M{"reRunFromWorkflowId": id, "reRunFromTaskId": Tasks(wf)[1]["taskId"]}})
	s.Check("rerun from t2 answers the same id", r.Status == http.StatusOK && r.Text() == id)
	s.ExpectShape(id, "rerun from t2", "RUNNING: integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	t2 := s.AwaitPoll("integration_task_2")
	in, _ := t2["inputData"].(M)
	s.Check("t2 input after rerun", str(in, "tp1") == "p1 value" && str(in, "tp2") == "task1.done")
	s.must(s.Complete(t2, nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
	r = s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{id}, Body: M{"reRunFromWorkflowId": id}})
	s.Check("full rerun answers the same id", r.Status == http.StatusOK && r.Text() == id)
	s.ExpectShape(id, "full rerun", "RUNNING: integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.PollComplete("integration_task_2", nil)
	s.CheckShape("completed again", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: integration_task_1=COMPLETED integration_task_2=COMPLETED")
}

func specSkip(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.wf3(nil))
	id := s.Start("integration_test_wf3", specInput(), M{"version": 1, "correlationId": "unit_test_3"})
	r := s.WF(http.MethodPut, "/workflow/{workflowId}/skiptask/t2", id, nil)
	s.Check("skiptask answers 200", r.Status == http.StatusOK)
	s.ExpectShape(id, "t2 skipped", "RUNNING: integration_task_2=SKIPPED integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.ExpectShape(id, "t3 next", "RUNNING: integration_task_2=SKIPPED integration_task_1=COMPLETED integration_task_3=SCHEDULED")
	s.PollComplete("integration_task_3", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: integration_task_2=SKIPPED integration_task_1=COMPLETED integration_task_3=COMPLETED")
}

func specPauseResume(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "unit_test_1"})
	s.Check("pause answers 200", s.WF(http.MethodPut, "/workflow/{workflowId}/pause", id, nil).Status == http.StatusOK)
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.ExpectShape(id, "paused", "PAUSED: integration_task_1=COMPLETED")
	s.NoTask("integration_task_2", "next task not scheduled while paused")
	s.WF(http.MethodPut, "/workflow/decide/{workflowId}", id, nil)
	s.NoTask("integration_task_2", "not even after decide")
	s.Check("resume answers 200", s.WF(http.MethodPut, "/workflow/{workflowId}/resume", id, nil).Status == http.StatusOK)
	s.ExpectShape(id, "resumed", "RUNNING: integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	s.PollComplete("integration_task_2", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: integration_task_1=COMPLETED integration_task_2=COMPLETED")
}

func specCallbackAfter(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "unit_test_1"})
	for _, step := range []struct {
		task     string
		callback int
	}{{"integration_task_1", 2}, {"integration_task_2", 3}} {
		t := s.AwaitPoll(step.task)
		r := TaskResult(t, "IN_PROGRESS", nil)
		r["callbackAfterSeconds"] = step.callback
		sent := time.Now()
		s.must(s.Update(r), http.StatusOK)
		ts := Tasks(s.GetWorkflow(id, ""))
		s.Check(step.task+" SCHEDULED after IN_PROGRESS", len(ts) > 0 && str(ts[len(ts)-1], "status") == "SCHEDULED")
		s.NoTask(step.task, step.task+" not pollable during the callback")
		s.PollComplete(step.task, M{"op": "task1.done"})
		s.Note(step.task+" pollable again after", DelayClass(time.Since(sent), float64(step.callback)))
	}
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: integration_task_1=COMPLETED integration_task_2=COMPLETED")
}

func specNoTasks(s *S) {
	// The spec starts the workflow in-process; over HTTP the ephemeral definition is validated
	// first, and an empty task list is rejected.
	r := s.Do(Req{Method: http.MethodPost, Path: "/workflow", Body: M{"name": s.N("empty_workflow"), "correlationId": "empty_workflow", "input": M{},
		"workflowDef": M{"name": s.N("empty_workflow"), "schemaVersion": 2, "tasks": []any{}}}})
	if r.Status == http.StatusOK {
		s.learn(r.Text(), trace.IDWorkflow)
		s.Check("completed at once, no tasks", s.shape(s.GetWorkflow(r.Text(), "")) == "COMPLETED:")
	}
}

func specTaskDefTemplate(s *S) {
	s.RegisterTaskDefs(s.TaskDef("templated_task", M{"ownerEmail": harnessEmail, "inputTemplate": M{"http_request": M{
		"method": "GET", "vipStack": "${STACK2}", "uri": "/get/something",
		"body": M{"inputPaths": []any{"${workflow.input.path1}", "${workflow.input.path2}"},
			"requestDetails": "${workflow.input.requestDetails}", "outputPath": "${workflow.input.outputPath}"},
	}}}))
	def := s.WorkflowDef("template_workflow", M{"ownerEmail": harnessEmail}, s.Simple("templated_task", "t0", nil))
	s.RegisterWorkflow(def)
	id := s.StartReq(M{"name": s.N("template_workflow"), "correlationId": "workflow_taskdef_template", "workflowDef": def,
		"input": M{"path1": "file://path1", "path2": "file://path2", "outputPath": "s3://bucket/outputPath",
			"requestDetails": M{"key1": "value1", "key2": 42}}})
	wf := s.GetWorkflow(id, "")
	in, _ := Tasks(wf)[0]["inputData"].(M)
	req, _ := in["http_request"].(M)
	body, _ := req["body"].(M)
	s.Check("template resolved (vipStack needs the STACK2 system property the harness sets; not set here)",
		str(req, "method") == "GET" && str(req, "uri") == "/get/something" && str(body, "outputPath") == "s3://bucket/outputPath" &&
			jsonEq(body["inputPaths"], []any{"file://path1", "file://path2"}) && jsonEq(body["requestDetails"], M{"key1": "value1", "key2": 42}))
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}

func specTaskDefNotRegistered(s *S) {
	def := s.WorkflowDef("test_workflow", M{"ownerEmail": harnessEmail}, s.Simple("task_not_registered", "t0", nil))
	s.RegisterWorkflow(def)
	id := s.StartReq(M{"name": s.N("test_workflow"), "correlationId": "workflow_taskdef_not_registered", "workflowDef": def, "input": M{}})
	wf := s.GetWorkflow(id, "")
	s.Check("RUNNING with an ad-hoc task definition", statusIs(wf, "RUNNING") && str(Tasks(wf)[0], "taskDefName") == s.N("task_not_registered"))
	s.AwaitPoll("task_not_registered")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}
