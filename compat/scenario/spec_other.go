package scenario

import (
	"net/http"
	"strconv"
	"time"
)

// Ports of RetryPolicySpec, TaskLimitsWorkflowSpec and TestHarnessAbstractHttpEndToEndTest (v3.32.1).

func specScenarios() []Scenario {
	return append(append(simpleSpecScenarios(), append(configSpecScenarios(), flowSpecScenarios()...)...),
		Scenario{Name: "spec_retry_exponential_cap", Source: "RetryPolicySpec: Exponential backoff delay is capped by maxRetryDelaySeconds", Run: specExpCap},
		Scenario{Name: "spec_retry_linear_cap", Source: "RetryPolicySpec: Linear backoff delay is capped by maxRetryDelaySeconds (retryDelaySeconds 2 → 1, cap 5 → 3)", Run: specLinearCap},
		Scenario{Name: "spec_retry_total_timeout_disabled", Source: "RetryPolicySpec: totalTimeoutSeconds=0 is disabled — retries continue as normal", Run: specTotalTimeoutDisabled},
		Scenario{Name: "spec_limits_concurrency", Source: "TaskLimitsWorkflowSpec: Verify that concurrency limited tasks are honored during workflow execution", Run: specConcurrency},
		Scenario{Name: "spec_http_all", Source: "TestHarnessAbstractHttpEndToEndTest: testAll", Run: specHTTPAll},
		Scenario{Name: "spec_http_errors", Source: "TestHarnessAbstractHttpEndToEndTest: testMetadataWorkflowDefinition, testUpdateWorkflow, testUpdateTask, testGetWorfklowNotFound, testEmptyCreateWorkflowDef, testUpdateWorkflowDef, testTaskByTaskId, testCreateInvalidWorkflowDef, testUpdateTaskDefNameNull, testGetTaskDefNotExisting, testInvalidResource", Run: specHTTPErrors},
	)
}

func specExpCap(s *S) {
	// retry 0: 1·2⁰ = 1 s; retry 1: 1·2¹ = 2 s; retry 2: 1·2² = 4 s → capped to 3 s
	// (the spec: base 2 s, cap 3 s, two failures; shortened and one more failure).
	s.retryPolicyDirect(M{"retryCount": 5, "retryDelaySeconds": 1, "retryLogic": "EXPONENTIAL_BACKOFF", "maxRetryDelaySeconds": 3,
		"timeoutSeconds": 3600, "responseTimeoutSeconds": 3600}, "retry-cap-exp", []int{1, 2, 3})
}

func specLinearCap(s *S) {
	// retry 0: 1·2·1 = 2 s; retry 1: 1·2·2 = 4 s → capped to 3 s.
	s.retryPolicyDirect(M{"retryCount": 5, "retryDelaySeconds": 1, "retryLogic": "LINEAR_BACKOFF", "backoffScaleFactor": 2,
		"maxRetryDelaySeconds": 3, "timeoutSeconds": 3600, "responseTimeoutSeconds": 3600}, "retry-cap-lin", []int{2, 3})
}

func specTotalTimeoutDisabled(s *S) {
	s.retryPolicyDirect(M{"retryCount": 5, "retryDelaySeconds": 0, "retryLogic": "FIXED", "totalTimeoutSeconds": 0,
		"timeoutSeconds": 3600, "responseTimeoutSeconds": 3600}, "total-timeout-disabled", []int{0})
}

// retryPolicyDirect is the spec's loop: poll (waiting out the delay), fail, inspect the
// rescheduled row, and measure how long the retry took to become pollable.
func (s *S) retryPolicyDirect(taskDef M, correlation string, wantDelays []int) {
	s.RegisterTaskDefs(s.TaskDef("retry_policy_task", taskDef))
	s.RegisterWorkflow(s.WorkflowDef("retry_policy_wf", M{"ownerEmail": "test@example.com", "timeoutSeconds": 3600, "timeoutPolicy": "ALERT_ONLY"},
		s.Simple("retry_policy_task", "retry_task_ref", nil)))
	id := s.Start("retry_policy_wf", M{}, M{"version": 1, "correlationId": correlation})
	t := s.AwaitPoll("retry_policy_task")
	for i, want := range wantDelays {
		failed := time.Now()
		s.must(s.Update(TaskResult(t, "FAILED", nil)), http.StatusOK)
		wf := s.AwaitTasks(id, i+2, "SCHEDULED")
		ts := Tasks(wf)
		s.Check("retry "+itoa(i)+": rescheduled callbackAfterSeconds = "+itoa(want), num(ts[len(ts)-1], "callbackAfterSeconds") == float64(want))
		t = s.AwaitPoll("retry_policy_task")
		s.Note("retry "+itoa(i)+" pollable after", DelayClass(time.Since(failed), float64(want)))
	}
	s.must(s.Complete(t, nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}

func itoa(i int) string { return strconv.Itoa(i) }

func specConcurrency(s *S) {
	s.RegisterTaskDefs(s.TaskDef("test_task_with_concurrency_limit", M{"concurrentExecLimit": 1, "ownerEmail": harnessEmail}))
	s.RegisterWorkflow(s.WorkflowDef("test_concurrency_limits_workflow", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY"},
		s.Simple("test_task_with_concurrency_limit", "test_task_with_concurrency_limit", nil)))
	id1 := s.Start("test_concurrency_limits_workflow", M{}, M{"version": 1})
	s.ExpectShape(id1, "first started", "RUNNING: test_task_with_concurrency_limit=SCHEDULED")
	t1 := s.AwaitPoll("test_task_with_concurrency_limit")
	id2 := s.Start("test_concurrency_limits_workflow", M{}, M{"version": 1})
	s.ExpectShape(id2, "second started", "RUNNING: test_task_with_concurrency_limit=SCHEDULED")
	s.NoTask("test_task_with_concurrency_limit", "second task held back by the limit")
	s.must(s.Complete(t1, nil), http.StatusOK)
	s.CheckShape("first completed", s.AwaitStatus(id1, "COMPLETED"), "COMPLETED: test_task_with_concurrency_limit=COMPLETED")
	t2 := s.AwaitPoll("test_task_with_concurrency_limit")
	s.Check("the freed slot goes to the second workflow", str(t2, "workflowInstanceId") == id2)
	s.must(s.Complete(t2, nil), http.StatusOK)
	s.AwaitStatus(id2, "COMPLETED")
}
