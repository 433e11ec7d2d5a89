package scenario

import (
	"net/http"
	"time"
)

// Timeouts found by the server on its own: task timeoutSeconds with each policy, poll timeouts,
// response timeouts without retries left, and a workflow timeout that only alerts.
//
// The task-timeout scenarios isolate timeoutSeconds from responseTimeoutSeconds: the worker
// answers IN_PROGRESS with a long callback, which puts the task back to SCHEDULED (no response
// timeout applies) while its startTime keeps counting towards timeoutSeconds.

func timeoutScenarios() []Scenario {
	return []Scenario{
		{Name: "task_timeout_retry", Source: "timeoutSeconds 2, policy RETRY, retryCount 1: TIMED_OUT, retried, TIMED_OUT again fails the workflow", Run: taskTimeoutRetry},
		{Name: "task_timeout_time_out_wf", Source: "timeoutSeconds 2, policy TIME_OUT_WF: the workflow times out", Run: taskTimeoutWF},
		{Name: "task_timeout_alert_only", Source: "timeoutSeconds 2, policy ALERT_ONLY: nothing happens", Run: taskTimeoutAlert},
		{Name: "poll_timeout", Source: "pollTimeoutSeconds 1, policy RETRY: a task nobody polls times out and is retried", Run: pollTimeout},
		{Name: "response_timeout_no_retries", Source: "responseTimeoutSeconds 1, retryCount 0: TIMED_OUT ends the workflow TIMED_OUT", Run: responseTimeoutNoRetries},
		{Name: "workflow_timeout_alert_only", Source: "workflow timeoutSeconds 1, timeoutPolicy ALERT_ONLY: the workflow keeps running", Run: workflowTimeoutAlert},
	}
}

// holdScheduled polls task "a" and answers IN_PROGRESS with a 30 s callback; it returns the task
// and when it was polled.
func (s *S) holdScheduled() (M, time.Time) {
	t := s.AwaitPoll("a")
	polled := time.Now()
	r := TaskResult(t, "IN_PROGRESS", nil)
	r["callbackAfterSeconds"] = 30
	s.must(s.Update(r), http.StatusOK)
	return t, polled
}

func taskTimeoutRetry(s *S) {
	s.oneTask(M{"timeoutSeconds": 2, "responseTimeoutSeconds": 2, "timeoutPolicy": "RETRY", "retryCount": 1, "retryDelaySeconds": 0}, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	_, polled := s.holdScheduled()
	s.SweepAfter(id, polled, 2500*time.Millisecond)
	s.CheckShape("timed out and retried", s.AwaitTasks(id, 2, "SCHEDULED"), "RUNNING: a=TIMED_OUT a=SCHEDULED")
	_, polled = s.holdScheduled()
	s.SweepAfter(id, polled, 2500*time.Millisecond)
	s.CheckShape("timed out again", s.AwaitStatus(id, "TIMED_OUT"), "TIMED_OUT: a=TIMED_OUT a=TIMED_OUT")
}

func taskTimeoutWF(s *S) {
	s.oneTask(M{"timeoutSeconds": 2, "responseTimeoutSeconds": 2, "timeoutPolicy": "TIME_OUT_WF", "retryCount": 1, "retryDelaySeconds": 0}, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	_, polled := s.holdScheduled()
	s.SweepAfter(id, polled, 2500*time.Millisecond)
	s.CheckShape("workflow timed out", s.AwaitStatus(id, "TIMED_OUT"), "TIMED_OUT: a=TIMED_OUT")
}

func taskTimeoutAlert(s *S) {
	s.oneTask(M{"timeoutSeconds": 2, "responseTimeoutSeconds": 2, "timeoutPolicy": "ALERT_ONLY", "retryCount": 1, "retryDelaySeconds": 0}, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t, polled := s.holdScheduled()
	s.SweepAfter(id, polled, 2500*time.Millisecond)
	wf := s.Never("the task times out", 2*time.Second, Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}},
		func(r *Resp) bool { return len(Tasks(r.Obj())) != 1 || str(Tasks(r.Obj())[0], "status") != "SCHEDULED" })
	s.CheckShape("untouched 2 s after the timeout", wf.Obj(), "RUNNING: a=SCHEDULED")
	s.must(s.Complete(t, nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}

func pollTimeout(s *S) {
	s.oneTask(M{"pollTimeoutSeconds": 1, "timeoutPolicy": "RETRY", "retryCount": 1, "retryDelaySeconds": 0}, nil)
	started := time.Now()
	id := s.Start("wf", M{"x": 1}, nil)
	s.SweepAfter(id, started, 1500*time.Millisecond)
	s.CheckShape("nobody polled", s.AwaitTasks(id, 2, "SCHEDULED"), "RUNNING: a=TIMED_OUT a=SCHEDULED")
	s.PollComplete("a", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: a=TIMED_OUT a=COMPLETED")
}

func responseTimeoutNoRetries(s *S) {
	s.oneTask(M{"responseTimeoutSeconds": 1, "retryCount": 0, "timeoutPolicy": "RETRY"}, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t := s.AwaitPoll("a")
	s.SweepAfter(id, time.Now(), 1500*time.Millisecond)
	s.CheckShape("timed out", s.AwaitStatus(id, "TIMED_OUT"), "TIMED_OUT: a=TIMED_OUT")
	s.Complete(t, M{"late": true})
}

func workflowTimeoutAlert(s *S) {
	s.oneTask(nil, M{"timeoutSeconds": 1, "timeoutPolicy": "ALERT_ONLY"})
	started := time.Now()
	id := s.Start("wf", M{"x": 1}, nil)
	s.SweepAfter(id, started, 1500*time.Millisecond)
	wf := s.Never("the workflow times out", 2500*time.Millisecond, Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}},
		func(r *Resp) bool { return !statusIs(r.Obj(), "RUNNING") })
	s.CheckShape("still running after 2.5 s", wf.Obj(), "RUNNING: a=SCHEDULED")
	s.PollComplete("a", nil)
	s.AwaitStatus(id, "COMPLETED")
}
