package engine

import (
	"context"
	"strings"
	"time"

	"github.com/batonhq/baton/model"
)

// decide advances a workflow as far as it can go now
// (WorkflowExecutorOps.decide): it runs the decider, schedules what it
// asks for, runs synchronous system tasks, and repeats while that changes
// anything; it completes or ends the workflow when the decider says so.
// Everything goes into c, to be committed by the caller in one batch.
func (e *Engine) decide(ctx context.Context, x *execution, c *changes) error {
	if x.wf.Status.IsTerminal() {
		if !x.wf.Status.IsSuccessful() {
			e.cancelPending(ctx, x, c)
		}
		return nil
	}
	x.changes = c
	defer func() { x.changes = nil }()
	for round := 0; ; round++ {
		out, err := e.decideOnce(ctx, x)
		if err != nil {
			if te, ok := asTerminate(err); ok {
				return e.terminateFrom(ctx, x, c, te)
			}
			return err
		}
		if out.complete {
			return e.endExecution(ctx, x, c, out.terminateTask)
		}
		e.setTaskDomains(out.toSchedule, x)
		scheduled := dedupAndAdd(x, out.toSchedule)
		changed, err := e.schedule(ctx, x, c, scheduled)
		if err != nil {
			if te, ok := asTerminate(err); ok {
				return e.terminateFrom(ctx, x, c, te)
			}
			return err
		}
		for _, t := range out.toSchedule {
			if !e.kinds.isSystem(t.TaskType) || t.Status.IsTerminal() || e.kinds.isAsyncSystem(t.TaskType) {
				continue
			}
			done, err := e.kinds.get(t.TaskType).execute(ctx, e, x, t)
			if err != nil {
				if te, ok := asTerminate(err); ok {
					return e.terminateFrom(ctx, x, c, te)
				}
				return err
			}
			if done {
				c.update(t)
				changed = true
			}
		}
		for _, t := range out.toUpdate {
			c.update(t)
		}
		// Conductor saves the workflow (stamping its updateTime) only after
		// the round that changes no state, and only if that round scheduled
		// or updated tasks, or when the loop runs out of time
		// (WorkflowExecutorOps.decide): a workflow whose first round started a
		// DO_WHILE that queued a worker task keeps updateTime 0. Baton still
		// writes what earlier rounds changed, without the stamp.
		last := !changed || round+1 >= e.cfg.MaxDecideLoops
		switch {
		case changed && last, !changed && (len(out.toUpdate) > 0 || len(scheduled) > 0):
			c.wfDirty = true
		case len(out.toUpdate) > 0 || len(scheduled) > 0:
			c.wfSave = true
		}
		if last {
			return nil
		}
	}
}

// dedupAndAdd appends the tasks whose (reference name, retry count) the
// workflow does not have yet, and returns them
// (WorkflowExecutorOps.dedupAndAddTasks).
func dedupAndAdd(x *execution, tasks []*model.WorkerTask) []*model.WorkerTask {
	type key struct {
		ref   string
		retry int
	}
	have := make(map[key]bool, len(x.tasks))
	for _, t := range x.tasks {
		have[key{t.ReferenceTaskName, t.RetryCount}] = true
	}
	var out []*model.WorkerTask
	for _, t := range tasks {
		k := key{t.ReferenceTaskName, t.RetryCount}
		if have[k] {
			continue
		}
		have[k] = true
		out = append(out, t)
	}
	x.tasks = append(x.tasks, out...)
	return out
}

// schedule persists new tasks and queues worker tasks; synchronous system
// tasks are started on the spot (WorkflowExecutorOps.scheduleTask). It
// reports whether a system task was started.
func (e *Engine) schedule(ctx context.Context, x *execution, c *changes, tasks []*model.WorkerTask) (bool, error) {
	if len(tasks) == 0 {
		return false, nil
	}
	seq := 0
	for _, t := range x.tasks {
		seq = max(seq, t.Seq)
	}
	now := e.clock.Now().UnixMilli()
	started := false
	for _, t := range tasks {
		if t.Seq == 0 {
			seq++
			t.Seq = seq
		}
		t.ScheduledTime = now // ExecutionDAO.createTasks stamps it
		c.create(t)
		if !e.kinds.isSystem(t.TaskType) {
			if reason := e.taskInputTooLarge(t.InputData); reason != "" {
				t.Status = model.TaskFailedWithTerminalError
				t.ReasonForIncompletion = reason
				t.InputData = map[string]any{}
				t.StartTime, t.EndTime = now, now
				started = true // the next round sees it failed
				continue
			}
			c.push(t, e.queueDelay(x, t))
			continue
		}
		if !t.Status.IsTerminal() && t.StartTime == 0 {
			t.StartTime = now
		}
		if e.kinds.isAsyncSystem(t.TaskType) {
			c.push(t, e.queueDelay(x, t))
			continue
		}
		if err := e.kinds.get(t.TaskType).start(ctx, e, x, t); err != nil {
			return started, err
		}
		if !e.kinds.queuedByConductor(t.TaskType) {
			c.update(t) // scheduleTask saves a started synchronous system task with updateTask
		}
		started = true
	}
	return started, nil
}

// queueDelay is how long a new task waits before it can be polled: its
// retry delay with jitter, else its callbackAfterSeconds (startDelay).
func (e *Engine) queueDelay(x *execution, t *model.WorkerTask) time.Duration {
	if d, ok := x.delays[t.TaskId]; ok {
		delete(x.delays, t.TaskId)
		return d
	}
	return secs(t.CallbackAfterSeconds)
}

// setTaskDomains assigns worker tasks their domain from the workflow's
// taskToDomain: "*" applies to all, the task type's own entry overrides it
// (WorkflowExecutorOps.setTaskDomains).
func (e *Engine) setTaskDomains(tasks []*model.WorkerTask, x *execution) {
	m := x.wf.TaskToDomain
	if len(m) == 0 {
		return
	}
	if all := m["*"]; strings.TrimSpace(all) != "" {
		for _, t := range tasks {
			if !e.kinds.isSystem(t.TaskType) {
				t.Domain = e.activeDomain(t.TaskType, strings.Split(all, ","))
			}
		}
	}
	for _, t := range tasks {
		if e.kinds.isSystem(t.TaskType) {
			continue
		}
		if v, ok := m[t.TaskType]; ok {
			t.Domain = e.activeDomain(t.TaskType, strings.Split(v, ","))
		}
	}
}

// activeDomain picks the first listed domain a worker has polled within
// ActiveWorkerLastPoll; if none has, the last listed one, or no domain when
// that is NO_DOMAIN (WorkflowExecutorOps.getActiveDomain).
func (e *Engine) activeDomain(taskType string, domains []string) string {
	if len(domains) == 0 {
		return ""
	}
	cutoff := e.clock.Now().Add(-e.cfg.ActiveWorkerLastPoll)
	for _, d := range domains {
		if strings.EqualFold(d, "NO_DOMAIN") {
			continue
		}
		d = strings.TrimSpace(d)
		if last, ok := e.polls.lastPoll(queueKey{taskType, d}); ok && last.After(cutoff) {
			return d
		}
	}
	last := strings.TrimSpace(domains[len(domains)-1])
	if strings.EqualFold(last, "NO_DOMAIN") {
		return ""
	}
	return last
}
