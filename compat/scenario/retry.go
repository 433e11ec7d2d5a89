package scenario

import (
	"net/http"
	"net/url"
	"time"
)

// Task failure handling: each retry logic, terminal errors, optional tasks, WorkflowTask retry
// overrides and the ad-hoc definition of unregistered tasks.

func retryScenarios() []Scenario {
	return []Scenario{
		{Name: "retry_fixed_exhausted", Source: "FIXED retries (retryCount 2, 1 s): three failures fail the workflow", Run: retryFixed},
		{Name: "retry_linear_backoff", Source: "LINEAR_BACKOFF (1 s × scale 1 × (n+1)): delays 1 s, 2 s", Run: retryLinear},
		{Name: "retry_exponential_backoff", Source: "EXPONENTIAL_BACKOFF (1 s × 2ⁿ, no cap): delays 1 s, 2 s", Run: retryExponential},
		{Name: "retry_terminal_error_mid_chain", Source: "FAILED_WITH_TERMINAL_ERROR after one retry: no more retries", Run: retryTerminalMidChain},
		{Name: "retry_optional_exhausted", Source: "optional task failing all its tries: COMPLETED_WITH_ERRORS, the workflow goes on", Run: retryOptional},
		{Name: "retry_count_override", Source: "WorkflowTask.retryCount 0 overrides TaskDef.retryCount 3", Run: retryOverride},
		{Name: "retry_unregistered_defaults", Source: "unregistered SIMPLE task: ad-hoc TaskDef (retryCount 3, 60 s FIXED delay)", Full: true, Run: retryUnregistered},
	}
}

// failAndMeasure fails n tries of task "a" in workflow id, recording when each retry became
// pollable against the expected delays; it returns the last polled task.
func (s *S) failAndMeasure(id string, delays []float64) M {
	t := s.AwaitPoll("a")
	for i, d := range delays {
		failed := time.Now()
		s.must(s.Fail(t, "FAILED", "try "+itoa(i)+" failed"), http.StatusOK)
		s.AwaitTasks(id, i+2, "SCHEDULED")
		t = s.AwaitPoll("a")
		s.Note("retry "+itoa(i+1)+" pollable after", DelayClass(time.Since(failed), d))
	}
	return t
}

// retryDelays notes, per retried row of the workflow, its delay fields and how long it waited in
// the queue (startTime − scheduledTime), classified against the expected delay.
func (s *S) retryDelays(wf M, delays []float64) {
	for i, t := range Tasks(wf) {
		if i == 0 || i > len(delays) || num(t, "startTime") == 0 {
			continue
		}
		waited := time.Duration(num(t, "startTime")-num(t, "scheduledTime")) * time.Millisecond
		s.Note("row "+itoa(i)+" queue wait", DelayClass(waited, delays[i-1]))
	}
}

func retryLogicScenario(s *S, def M, delays []float64) {
	s.oneTask(def, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t := s.failAndMeasure(id, delays)
	s.must(s.Complete(t, M{"ok": true}), http.StatusOK)
	s.retryDelays(s.AwaitStatus(id, "COMPLETED"), delays)
}

func retryFixed(s *S) {
	s.oneTask(M{"retryCount": 2, "retryDelaySeconds": 1, "retryLogic": "FIXED"}, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t := s.failAndMeasure(id, []float64{1, 1})
	s.must(s.Fail(t, "FAILED", "last try failed"), http.StatusOK)
	wf := s.AwaitStatus(id, "FAILED")
	s.retryDelays(wf, []float64{1, 1})
	s.CheckShape("failed after three tries", wf, "FAILED: a=FAILED a=FAILED a=FAILED")
}

func retryLinear(s *S) {
	retryLogicScenario(s, M{"retryCount": 2, "retryDelaySeconds": 1, "retryLogic": "LINEAR_BACKOFF", "backoffScaleFactor": 1}, []float64{1, 2})
}

func retryExponential(s *S) {
	retryLogicScenario(s, M{"retryCount": 2, "retryDelaySeconds": 1, "retryLogic": "EXPONENTIAL_BACKOFF"}, []float64{1, 2})
}

func retryTerminalMidChain(s *S) {
	s.oneTask(M{"retryCount": 3, "retryDelaySeconds": 0}, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	s.must(s.Fail(s.AwaitPoll("a"), "FAILED", "transient"), http.StatusOK)
	s.AwaitTasks(id, 2, "SCHEDULED")
	t := s.AwaitPoll("a")
	r := TaskResult(t, "FAILED_WITH_TERMINAL_ERROR", M{"why": "permanent"})
	r["reasonForIncompletion"] = "permanent"
	s.must(s.Update(r), http.StatusOK)
	s.CheckShape("failed, no third try", s.AwaitStatus(id, "FAILED"), "FAILED: a=FAILED a=FAILED_WITH_TERMINAL_ERROR")
}

func retryOptional(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 1, "retryDelaySeconds": 0}), s.TaskDef("b", M{"retryCount": 0}))
	s.RegisterWorkflow(s.WorkflowDef("wf", M{"outputParameters": M{"fromA": "${a.output.partial}", "fromB": "${b.output.v}"}},
		s.Simple("a", "a", M{"optional": true}), s.Simple("b", "b", M{"inputParameters": M{"aStatus": "${a.status}"}})))
	id := s.Start("wf", M{}, nil)
	s.must(s.Fail(s.AwaitPoll("a"), "FAILED", "first"), http.StatusOK)
	s.AwaitTasks(id, 2, "SCHEDULED")
	t := s.AwaitPoll("a")
	r := TaskResult(t, "FAILED", M{"partial": "p"})
	r["reasonForIncompletion"] = "second"
	s.must(s.Update(r), http.StatusOK)
	s.AwaitTasks(id, 3, "SCHEDULED")
	s.PollComplete("b", M{"v": "b"})
	s.CheckShape("completed with errors", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: a=FAILED a=COMPLETED_WITH_ERRORS b=COMPLETED")
}

func retryOverride(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 3, "retryDelaySeconds": 0}))
	s.RegisterWorkflow(s.WorkflowDef("wf", nil, s.Simple("a", "a", M{"retryCount": 0})))
	id := s.Start("wf", M{}, nil)
	s.must(s.Fail(s.AwaitPoll("a"), "FAILED", "once"), http.StatusOK)
	s.CheckShape("no retry", s.AwaitStatus(id, "FAILED"), "FAILED: a=FAILED")
}

func retryUnregistered(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("wf", nil, s.Simple("never_registered", "a", nil)))
	id := s.Start("wf", M{}, nil)
	t := s.AwaitPoll("never_registered")
	s.must(s.Fail(t, "FAILED", "once"), http.StatusOK)
	wf := s.AwaitTasks(id, 2, "SCHEDULED")
	ts := Tasks(wf)
	s.Check("retry in 60 s", num(ts[1], "callbackAfterSeconds") == 60 || num(ts[1], "startDelayInSeconds") == 60)
	s.NoTask("never_registered", "not pollable now")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}
