package engine

import (
	"fmt"
	"time"

	"github.com/batonhq/baton/model"
)

// Timeouts are checked by the decider, as in Conductor (DeciderService
// checkWorkflowTimeout, checkTotalTimeout, checkTaskTimeout,
// checkTaskPollTimeout, isResponseTimedOut). Conductor's sweeper re-runs
// decide at a computed time; here every decide ends by arming one timer per
// workflow for the earliest deadline among its pending tasks and itself,
// so a timeout is acted on when it falls due and no sooner or later.

func (e *Engine) checkWorkflowTimeout(x *execution) error {
	d := x.def()
	if d == nil || x.wf.Status.IsTerminal() || d.TimeoutSeconds <= 0 {
		return nil
	}
	timeout := ms(d.TimeoutSeconds)
	now := e.clock.Now().UnixMilli()
	since := x.wf.CreateTime
	if x.wf.LastRetriedTime > 0 {
		since = x.wf.LastRetriedTime
	}
	elapsed := now - since
	if elapsed < timeout {
		return nil
	}
	reason := fmt.Sprintf("Workflow timed out after %d seconds. Timeout configured as %d seconds. Timeout policy configured to %s",
		elapsed/1000, d.TimeoutSeconds, d.TimeoutPolicy)
	if d.TimeoutPolicy == model.TimeOutWorkflow {
		return &terminateErr{reason: reason, status: model.WorkflowTimedOut}
	}
	e.log.Info("workflow timeout (alert only)", "workflowId", x.id(), "reason", reason)
	return nil
}

// checkTimeouts applies a pending task's total, execution, poll and
// response timeouts, in Conductor's order.
func (e *Engine) checkTimeouts(x *execution, def *model.TaskDef, t *model.WorkerTask) error {
	if err := e.checkTotalTimeout(x, def, t); err != nil {
		return err
	}
	if err := e.checkTaskTimeout(def, t); err != nil {
		return err
	}
	if err := e.checkPollTimeout(def, t); err != nil {
		return err
	}
	if e.responseTimedOut(def, t) {
		t.Status = model.TaskTimedOut
		t.ReasonForIncompletion = fmt.Sprintf("responseTimeout: %d exceeded for the taskId: %s with Task Definition: %s",
			def.ResponseTimeoutSeconds, t.TaskId, t.TaskDefName)
	}
	return nil
}

func (e *Engine) checkTotalTimeout(x *execution, def *model.TaskDef, t *model.WorkerTask) error {
	if def.TotalTimeoutSeconds <= 0 || t.Status.IsTerminal() {
		return nil
	}
	first := firstScheduled(x, t)
	if first <= 0 {
		return nil
	}
	elapsed := (e.clock.Now().UnixMilli() - first) / 1000
	if elapsed < def.TotalTimeoutSeconds {
		return nil
	}
	return e.timeoutWithPolicy(fmt.Sprintf("Task %s/%s exceeded total timeout of %d seconds (elapsed %d seconds across all attempts including retry delays). Timeout policy: %s",
		t.TaskDefName, t.TaskId, def.TotalTimeoutSeconds, elapsed, def.TimeoutPolicy), def, t)
}

func (e *Engine) checkTaskTimeout(def *model.TaskDef, t *model.WorkerTask) error {
	if t.Status.IsTerminal() || def.TimeoutSeconds <= 0 || t.StartTime <= 0 {
		return nil
	}
	elapsed := e.clock.Now().UnixMilli() - (t.StartTime + ms(int64(t.StartDelayInSeconds)))
	if elapsed < ms(def.TimeoutSeconds) {
		return nil
	}
	return e.timeoutWithPolicy(fmt.Sprintf("Task timed out after %d seconds. Timeout configured as %d seconds. Timeout policy configured to %s",
		elapsed/1000, def.TimeoutSeconds, def.TimeoutPolicy), def, t)
}

func (e *Engine) checkPollTimeout(def *model.TaskDef, t *model.WorkerTask) error {
	if def.PollTimeoutSeconds == nil || *def.PollTimeoutSeconds <= 0 || t.Status != model.TaskScheduled {
		return nil
	}
	timeout := ms(int64(*def.PollTimeoutSeconds))
	elapsed := e.clock.Now().UnixMilli() - (t.ScheduledTime + ms(int64(t.StartDelayInSeconds)))
	if elapsed < timeout+ms(t.CallbackAfterSeconds) {
		return nil
	}
	return e.timeoutWithPolicy(fmt.Sprintf("Task poll timed out after %d seconds. Poll timeout configured as %d seconds. Timeout policy configured to %s",
		elapsed/1000, timeout/1000, def.TimeoutPolicy), def, t)
}

// timeoutWithPolicy applies the definition's timeoutPolicy
// (DeciderService.timeoutTaskWithTimeoutPolicy).
func (e *Engine) timeoutWithPolicy(reason string, def *model.TaskDef, t *model.WorkerTask) error {
	switch def.TimeoutPolicy {
	case model.AlertOnly:
		e.log.Info("task timeout (alert only)", "taskId", t.TaskId, "reason", reason)
		return nil
	case model.TimeoutRetry:
		t.Status = model.TaskTimedOut
		t.ReasonForIncompletion = reason
		return nil
	default: // TIME_OUT_WF
		t.Status = model.TaskTimedOut
		t.ReasonForIncompletion = reason
		return &terminateErr{reason: reason, status: model.WorkflowTimedOut, task: t}
	}
}

// responseTimedOut reports whether an IN_PROGRESS task has not been heard
// from for responseTimeoutSeconds (plus its callback delay).
func (e *Engine) responseTimedOut(def *model.TaskDef, t *model.WorkerTask) bool {
	if t.Status != model.TaskInProgress || def.ResponseTimeoutSeconds == 0 || e.asyncComplete(t) {
		return false
	}
	limit := ms(def.ResponseTimeoutSeconds) + ms(t.CallbackAfterSeconds)
	return e.clock.Now().UnixMilli()-t.UpdateTime >= limit
}

// nextDeadline returns the earliest time a timeout of workflow x can fall
// due, if any. Deadlines whose policy is ALERT_ONLY are left out: acting
// on them changes nothing, so waking for them would only spin.
func (e *Engine) nextDeadline(x *execution) (time.Time, bool) {
	if x.wf.Status != model.WorkflowRunning {
		return time.Time{}, false
	}
	var best int64
	consider := func(ms int64) {
		if best == 0 || ms < best {
			best = ms
		}
	}
	if d := x.def(); d != nil && d.TimeoutSeconds > 0 && d.TimeoutPolicy == model.TimeOutWorkflow {
		since := x.wf.CreateTime
		if x.wf.LastRetriedTime > 0 {
			since = x.wf.LastRetriedTime
		}
		consider(since + ms(d.TimeoutSeconds))
	}
	for _, t := range x.tasks {
		if t.Status.IsTerminal() || t.Retried || t.Executed {
			continue
		}
		def := e.taskDefOf(x, t)
		if def == nil {
			continue
		}
		acts := def.TimeoutPolicy != model.AlertOnly
		if acts && def.TotalTimeoutSeconds > 0 {
			if first := firstScheduled(x, t); first > 0 {
				consider(first + ms(def.TotalTimeoutSeconds))
			}
		}
		if acts && def.TimeoutSeconds > 0 && t.StartTime > 0 {
			consider(t.StartTime + ms(int64(t.StartDelayInSeconds)) + ms(def.TimeoutSeconds))
		}
		if acts && t.Status == model.TaskScheduled && def.PollTimeoutSeconds != nil && *def.PollTimeoutSeconds > 0 {
			consider(t.ScheduledTime + ms(int64(t.StartDelayInSeconds)) + ms(int64(*def.PollTimeoutSeconds)) + ms(t.CallbackAfterSeconds))
		}
		if t.Status == model.TaskInProgress && def.ResponseTimeoutSeconds != 0 && !e.asyncComplete(t) {
			consider(t.UpdateTime + ms(def.ResponseTimeoutSeconds) + ms(t.CallbackAfterSeconds))
		}
	}
	if best == 0 {
		return time.Time{}, false
	}
	return time.UnixMilli(best), true
}

// maxSeconds bounds every duration the engine computes from a definition
// or a result (about 35,000 years), so no arithmetic on times overflows.
const maxSeconds = 1 << 40

// ms converts seconds to milliseconds, clamped to [0, maxSeconds].
func ms(seconds int64) int64 { return min(max(seconds, 0), maxSeconds) * 1000 }

// secs converts seconds to a duration, clamped like ms (a Duration holds
// at most 292 years, so the cap is lower).
func secs(seconds int64) time.Duration {
	return time.Duration(min(max(seconds, 0), int64(100*365*24*3600))) * time.Second
}

// rearm sets (or clears) the workflow's timeout timer after a change.
func (e *Engine) rearm(x *execution) {
	if when, ok := e.nextDeadline(x); ok {
		e.armWorkflowTimer(x.id(), when)
	} else {
		e.timers.cancel("wf:" + x.id())
	}
}

func (e *Engine) armWorkflowTimer(id string, when time.Time) {
	e.timers.schedule("wf:"+id, when, func() { e.decideFromTimer(id) })
}

// decideFromTimer re-runs decide for a workflow whose deadline has come.
func (e *Engine) decideFromTimer(id string) {
	ctx := e.bg
	err := e.withWorkflow(ctx, id, func(x *execution) error {
		c := newChanges()
		if err := e.decide(ctx, x, c); err != nil {
			return err
		}
		return e.commit(ctx, x, c)
	})
	if err != nil && KindOf(err) != KindNotFound && ctx.Err() == nil {
		e.log.Warn("timed decide failed; retrying in 1s", "workflowId", id, "err", err)
		e.armWorkflowTimer(id, e.clock.Now().Add(time.Second))
	}
}
