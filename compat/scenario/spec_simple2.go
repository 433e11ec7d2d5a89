package scenario

import (
	"net/http"
	"net/url"
	"time"
)

// More SimpleWorkflowSpec ports: workflow-level retry, callbacks, restartability.

func specWorkflowRetry(s *S) {
	s.registerIntegrationTasks(map[string]M{"integration_task_1": {"retryCount": 1, "retryDelaySeconds": 0}})
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "retry_test"})
	wf := s.GetWorkflow(id, "")
	s.CheckShape("started", wf, "RUNNING: integration_task_1=SCHEDULED")
	s.checkP3(wf, 0)
	s.must(s.Fail(s.AwaitPoll("integration_task_1"), "FAILED", "failure...0"), http.StatusOK)
	wf = s.AwaitTasks(id, 2, "SCHEDULED")
	s.CheckShape("first failure retried", wf, "RUNNING: integration_task_1=FAILED integration_task_1=SCHEDULED")
	s.checkP3(wf, 1)
	s.must(s.Fail(s.AwaitPoll("integration_task_1"), "FAILED", "failure...0"), http.StatusOK)
	s.CheckShape("retries exhausted", s.AwaitStatus(id, "FAILED"), "FAILED: integration_task_1=FAILED integration_task_1=FAILED")
	r := s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, nil)
	s.Check("retry answers 204", r.Status == http.StatusNoContent)
	wf = s.GetWorkflow(id, "")
	s.CheckShape("retried", wf, "RUNNING: integration_task_1=FAILED integration_task_1=FAILED integration_task_1=SCHEDULED")
	s.checkP3(wf, 2)
	s.PollComplete("integration_task_1", nil)
	s.ExpectShape(id, "t1 done", "RUNNING: integration_task_1=FAILED integration_task_1=FAILED integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	s.PollComplete("integration_task_2", nil)
	wf = s.AwaitStatus(id, "COMPLETED")
	s.Check("failedReferenceTaskNames = [t1]", jsonEq(wf["failedReferenceTaskNames"], []any{"t1"}))
}

// checkP3 checks that task row i's input p3 (${CPEWF_TASK_ID}) is its own task id.
func (s *S) checkP3(wf M, i int) {
	ts := Tasks(wf)
	if i >= len(ts) {
		s.Check("task row exists for p3", false)
		return
	}
	in, _ := ts[i]["inputData"].(M)
	s.Check("p3 (${CPEWF_TASK_ID}) is the task's own id", str(in, "p3") == str(ts[i], "taskId"))
}

func (s *S) queueSize(task string) *Resp {
	return s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/sizes", Query: url.Values{"taskType": {s.N(task)}}})
}

func specLongRunning(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "integration_test_1"})
	s.queueSize("integration_task_1")
	t := s.AwaitPoll("integration_task_1")
	r := TaskResult(t, "IN_PROGRESS", M{"op": "task1.in.progress"})
	r["callbackAfterSeconds"] = 1
	sent := time.Now()
	s.must(s.Update(r), http.StatusOK)
	in, _ := t["inputData"].(M)
	s.Check("input p1 = p1 value", str(in, "p1") == "p1 value")
	s.queueSize("integration_task_1")
	s.NoTask("integration_task_1", "not pollable before the callback")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.Note("pollable again after", DelayClass(time.Since(sent), 1))
	wf := s.GetWorkflow(id, "")
	out, _ := Tasks(wf)[0]["outputData"].(M)
	s.Check("t1 COMPLETED with op task1.done", str(Tasks(wf)[0], "status") == "COMPLETED" && str(out, "op") == "task1.done")
	t2 := s.AwaitPoll("integration_task_2")
	in2, _ := t2["inputData"].(M)
	s.Check("t2 input", str(in2, "tp2") == "task1.done" && str(in2, "tp1") == "p1 value")
	s.must(s.Complete(t2, nil), http.StatusOK)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: integration_task_1=COMPLETED integration_task_2=COMPLETED")
}

func specResetCallbacks(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "integration_test_1"})
	t := s.AwaitPoll("integration_task_1")
	r := TaskResult(t, "IN_PROGRESS", M{"op": "task1.in.progress"})
	r["callbackAfterSeconds"] = 3600
	s.must(s.Update(r), http.StatusOK)
	s.queueSize("integration_task_1")
	s.NoTask("integration_task_1", "not pollable (1)")
	s.NoTask("integration_task_1", "not pollable (2)")
	rr := s.WF(http.MethodPost, "/workflow/{workflowId}/resetcallbacks", id, nil)
	s.Check("resetcallbacks answers 204", rr.Status == http.StatusNoContent)
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.PollComplete("integration_task_2", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: integration_task_1=COMPLETED integration_task_2=COMPLETED")
}

func specNonRestartable(s *S) {
	s.registerIntegrationTasks(map[string]M{"integration_task_1": {"retryCount": 0}})
	s.RegisterWorkflow(s.linearWF("integration_test_wf_non_restartable", M{"restartable": false}))
	id := s.Start("integration_test_wf_non_restartable", specInput(), M{"version": 1, "correlationId": "integration_test_1"})
	s.must(s.Fail(s.AwaitPoll("integration_task_1"), "FAILED", "failure...0"), http.StatusOK)
	s.CheckShape("failed", s.AwaitStatus(id, "FAILED"), "FAILED: integration_task_1=FAILED")
	r := s.WF(http.MethodPost, "/workflow/{workflowId}/restart", id, nil)
	s.Check("a FAILED non-restartable workflow restarts (204)", r.Status == http.StatusNoContent)
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.PollComplete("integration_task_2", nil)
	wf := s.AwaitStatus(id, "COMPLETED")
	out, _ := wf["output"].(M)
	s.Check("output o3 = task1.done", str(out, "o3") == "task1.done")
	r = s.WF(http.MethodPost, "/workflow/{workflowId}/restart", id, nil)
	s.Check("restarting a COMPLETED non-restartable workflow is not found (404)", r.Status == http.StatusNotFound)
}

func specUpdateCallback(s *S) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.linearWF("integration_test_wf", nil))
	id := s.Start("integration_test_wf", specInput(), M{"version": 1, "correlationId": "integration_test_1"})
	t := s.AwaitPoll("integration_task_1")
	s.must(s.Update(TaskResult(t, "IN_PROGRESS", M{"op": "task1.in.progress"})), http.StatusOK)
	s.queueSize("integration_task_1")
	wf := s.GetWorkflow(id, "")
	s.CheckShape("requeued at once", wf, "RUNNING: integration_task_1=SCHEDULED")
	s.Check("callbackAfterSeconds 0", num(Tasks(wf)[0], "callbackAfterSeconds") == 0)
	t = s.AwaitPoll("integration_task_1")
	r := TaskResult(t, "IN_PROGRESS", M{"op": "task1.in.progress"})
	r["callbackAfterSeconds"] = 3600
	s.must(s.Update(r), http.StatusOK)
	s.queueSize("integration_task_1")
	wf = s.GetWorkflow(id, "")
	s.CheckShape("requeued with callback", wf, "RUNNING: integration_task_1=SCHEDULED")
	s.Check("callbackAfterSeconds 3600", num(Tasks(wf)[0], "callbackAfterSeconds") == 3600)
	s.NoTask("integration_task_1", "not pollable")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}
