package engine

import (
	"context"
	"net/http"
	"sort"

	"github.com/batonhq/baton/model"
)

// Restart, retry and rerun: running an ended workflow again, from scratch,
// from its failed tasks, or from a chosen task.

// Restart runs an ended workflow again from the start under the same id,
// deleting its tasks (WorkflowExecutorOps.restart); useLatestDefinitions
// switches it to the latest version of its definition.
func (e *Engine) Restart(ctx context.Context, workflowID string, useLatestDefinitions bool) error {
	if err := requireID("restartWorkflow", workflowID); err != nil {
		return err
	}
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if !x.wf.Status.IsTerminal() {
			return conflict("Workflow: %s is not in terminal state, unable to restart.", longString(x))
		}
		def := x.def()
		if useLatestDefinitions {
			latest, err := e.meta.workflowDef(ctx, x.wf.WorkflowName, 0)
			if err != nil {
				return err
			}
			if latest == nil {
				return notFound("Unable to find latest definition for %s", workflowID)
			}
			if def, err = cloneWorkflowDef(latest); err != nil {
				return internalf(err, "copy definition")
			}
			if err := e.populateTaskDefs(ctx, def); err != nil {
				return err
			}
		}
		if !def.Restartable && x.wf.Status == model.WorkflowCompleted {
			return notFound("Workflow: %s is non-restartable", longString(x))
		}
		c := newChanges()
		c.delTasks = x.tasks
		x.tasks = nil
		x.wf.WorkflowDefinition = def
		x.wf.WorkflowName, x.wf.WorkflowVersion = def.Name, def.Version
		x.wf.ReasonForIncompletion = ""
		x.failedTaskID = ""
		now := e.clock.Now().UnixMilli()
		x.wf.CreateTime, x.wf.StartTime = now, now
		x.wf.EndTime = 0
		x.wf.LastRetriedTime = 0
		x.setStatus(model.WorkflowRunning)
		x.wf.Output = map[string]any{}
		x.wf.ExternalOutputPayloadStoragePath = ""
		c.wfDirty = true
		if err := e.decide(ctx, x, c); err != nil {
			return err
		}
		return e.commit(ctx, x, c)
	})
	if err != nil {
		return err
	}
	return e.pushParents(ctx, workflowID, "restarted")
}

// Retry reschedules the last failed attempt of each failed task of an
// ended workflow and resumes it (WorkflowExecutorOps.retry). Conductor
// answers a running workflow with 404, kept here. The workflow's parents,
// if it is a sub-workflow, resume with it; with resumeSubworkflowTasks the
// retry goes to the deepest failed sub-workflow instead.
func (e *Engine) Retry(ctx context.Context, workflowID string, resumeSubworkflowTasks bool) error {
	if err := requireID("retryWorkflow", workflowID); err != nil {
		return err
	}
	target := workflowID
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if !x.wf.Status.IsTerminal() {
			return withStatus(conflict("Workflow is still running.  status=%s", x.wf.Status), http.StatusNotFound)
		}
		if len(x.tasks) == 0 {
			return conflict("Workflow has not started yet")
		}
		if resumeSubworkflowTasks {
			var err error
			if target, err = e.lastFailedSubWorkflow(ctx, x); err != nil || target != workflowID {
				return err
			}
		}
		return e.retryLocked(ctx, x)
	})
	if err != nil {
		return err
	}
	if target != workflowID {
		if err := e.withWorkflow(ctx, target, func(x *execution) error { return e.retryLocked(ctx, x) }); err != nil {
			return err
		}
	}
	return e.pushParents(ctx, target, "retried")
}

// joinOnFailedPermissive reports whether t is a JOIN or EXCLUSIVE_JOIN that
// failed because a permissive (not optional) task it joins on failed: a
// retry reopens such a join instead of retrying it
// (WorkflowExecutorOps.retry, isJoinOnFailedPermissive).
func joinOnFailedPermissive(x *execution, t *model.WorkerTask) bool {
	if t.TaskType != model.TaskTypeJoin && t.TaskType != model.TaskTypeExclusiveJoin {
		return false
	}
	for _, ref := range stringList(t.InputData["joinOn"]) {
		f := x.taskByRef(ref)
		if f != nil && f.WorkflowTask != nil && f.WorkflowTask.Permissive && !f.WorkflowTask.Optional && f.Status == model.TaskFailed {
			return true
		}
	}
	return false
}

// retryLocked retries an ended workflow whose lock the caller holds.
func (e *Engine) retryLocked(ctx context.Context, x *execution) error {
	c := newChanges()
	retriable := map[string]*model.WorkerTask{}
	for _, t := range x.tasks {
		switch t.Status {
		case model.TaskFailed, model.TaskFailedWithTerminalError, model.TaskTimedOut:
			if t.Status == model.TaskFailed && joinOnFailedPermissive(x, t) {
				t.Status = model.TaskInProgress // reopened in place, not retried
				c.update(t)
				continue
			}
			retriable[t.ReferenceTaskName] = t
		case model.TaskCanceled:
			if t.TaskType == model.TaskTypeJoin || t.TaskType == model.TaskTypeDoWhile {
				t.Status = model.TaskInProgress
				c.update(t)
			} else {
				retriable[t.ReferenceTaskName] = t
			}
		default:
			delete(retriable, t.ReferenceTaskName)
		}
	}
	if len(retriable) == 0 && x.wf.Status != model.WorkflowTimedOut {
		return conflict("There are no retryable tasks! Use restart if you want to attempt entire workflow execution again.")
	}
	x.setStatus(model.WorkflowRunning)
	x.wf.LastRetriedTime = e.clock.Now().UnixMilli()
	x.wf.ReasonForIncompletion = ""
	// The old endTime stays until the workflow ends again, as in
	// Conductor (only restart clears it).
	c.wfDirty = true
	old := make([]*model.WorkerTask, 0, len(retriable))
	for _, t := range retriable {
		old = append(old, t)
	}
	sort.Slice(old, func(i, j int) bool { return old[i].Seq < old[j].Seq })
	var fresh []*model.WorkerTask
	for _, t := range old {
		n, err := e.rescheduled(x, t)
		if err != nil {
			return err
		}
		c.update(t)
		if n != t {
			fresh = append(fresh, n)
		}
	}
	added := dedupAndAdd(x, fresh)
	if _, err := e.schedule(ctx, x, c, added); err != nil {
		return err
	}
	// Conductor saves every task of the workflow (updateTasks) before it
	// schedules the new attempts, so they carry an updateTime.
	now := e.clock.Now().UnixMilli()
	for _, t := range added {
		t.UpdateTime = now
	}
	if err := e.decide(ctx, x, c); err != nil {
		return err
	}
	return e.commit(ctx, x, c)
}

// rescheduled returns the attempt that replaces a failed task on a
// workflow retry (WorkflowExecutorOps.taskToBeRescheduled): loops, forks and
// joins are reset in place; other tasks get a fresh copy with one more
// retry, no callback and no reason, and the old one is marked retried.
func (e *Engine) rescheduled(x *execution, t *model.WorkerTask) (*model.WorkerTask, error) {
	switch t.TaskType {
	case model.TaskTypeDoWhile, model.TaskTypeForkJoin, model.TaskTypeJoin, model.TaskTypeExclusiveJoin:
		t.Retried = false
		t.RetryCount++
		t.Status = model.TaskInProgress
		return t, nil
	}
	n := *t
	n.TaskId = e.ids()
	n.RetriedTaskId = t.TaskId
	n.Status = model.TaskScheduled
	n.RetryCount = t.RetryCount + 1
	n.Retried, n.Executed = false, false
	n.PollCount = 0
	n.CallbackAfterSeconds = 0
	n.SubWorkflowId = ""
	n.ScheduledTime, n.StartTime, n.EndTime, n.UpdateTime, n.QueueWaitTime = 0, 0, 0, 0, 0
	n.WorkerId = ""
	n.ReasonForIncompletion = ""
	n.Seq = 0
	n.OutputData = map[string]any{}
	n.ExternalOutputPayloadStoragePath = ""
	input := copyMap(t.InputData)
	if input == nil {
		input = map[string]any{}
	}
	if n.WorkflowTask != nil {
		fresh, err := e.taskInput(x, n.WorkflowTask.InputParameters, n.WorkflowTask.TaskDefinition, n.TaskId)
		if err != nil {
			return nil, err
		}
		for k, v := range fresh {
			input[k] = v
		}
	}
	delete(input, "subWorkflowId")
	n.InputData = input
	// Conductor's copy shares the input map, so the retried row is saved
	// with the same input as its copy (TaskModel.copy, BeanUtils).
	t.InputData = copyMap(input)
	t.Retried = true
	t.Executed = true
	return &n, nil
}

// Rerun runs an ended workflow again, from the start or from one task
// (WorkflowExecutorOps.rerun). From the start, all tasks are deleted and
// the input and correlation id may be replaced. From a task, later tasks
// are deleted and that task is scheduled again with the given input.
func (e *Engine) Rerun(ctx context.Context, workflowID string, req *model.RerunWorkflowRequest) (string, error) {
	if err := requireID("rerunWorkflow", workflowID); err != nil {
		return "", err
	}
	if req == nil {
		var v violations
		v.add("rerunWorkflow.arg1", "RerunWorkflowRequest cannot be null.", nil)
		return "", v.err()
	}
	inChild := ""
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if !x.wf.Status.IsTerminal() {
			return conflict("Workflow: %s is not in terminal state, unable to rerun.", longString(x))
		}
		c := newChanges()
		var from *model.WorkerTask
		if req.ReRunFromTaskId != "" {
			if from = x.taskByID(req.ReRunFromTaskId); from == nil {
				// The task may be in a sub-workflow: rerun that one, and its
				// parents resume with it (WorkflowExecutorOps.rerunWF).
				child, err := e.subWorkflowHolding(ctx, x, req.ReRunFromTaskId)
				if err != nil {
					return err
				}
				if child == "" {
					return badRequest("Task %s not found", req.ReRunFromTaskId)
				}
				inChild = child
				return nil
			}
		}
		x.setStatus(model.WorkflowRunning)
		x.wf.ReasonForIncompletion = ""
		x.failedTaskID = ""
		x.wf.FailedReferenceTaskNames = []string{}
		x.wf.FailedTaskNames = []string{}
		// endTime stays until the workflow ends again, as in Conductor.
		if req.CorrelationId != "" {
			x.wf.CorrelationId = req.CorrelationId
		}
		if req.WorkflowInput != nil {
			x.wf.Input = copyMap(req.WorkflowInput)
		}
		c.wfDirty = true
		if from == nil {
			c.delTasks = x.tasks
			x.tasks = nil
		} else {
			if err := e.resetForRerun(ctx, x, c, from, req.TaskInput); err != nil {
				return err
			}
		}
		if err := e.decide(ctx, x, c); err != nil {
			return err
		}
		return e.commit(ctx, x, c)
	})
	if err != nil {
		return "", err
	}
	if inChild != "" {
		if _, err := e.Rerun(ctx, inChild, &model.RerunWorkflowRequest{ReRunFromWorkflowId: inChild,
			ReRunFromTaskId: req.ReRunFromTaskId, TaskInput: req.TaskInput}); err != nil {
			return "", err
		}
		return workflowID, nil
	}
	return workflowID, e.pushParents(ctx, workflowID, "reran")
}

// resetForRerun deletes the tasks after from, schedules from again and
// reopens the other unsuccessful tasks (rerunWF and finalizeRerun).
func (e *Engine) resetForRerun(ctx context.Context, x *execution, c *changes, from *model.WorkerTask, taskInput map[string]any) error {
	kept := x.tasks[:0:0]
	for _, t := range x.tasks {
		if t.Seq > from.Seq {
			c.delTasks = append(c.delTasks, t)
		} else {
			kept = append(kept, t)
		}
	}
	x.tasks = kept
	now := e.clock.Now().UnixMilli()
	from.ScheduledTime = now
	from.StartTime, from.UpdateTime, from.EndTime = 0, 0, 0
	from.OutputData = map[string]any{}
	from.Retried, from.Executed = false, false
	from.PollCount = 0
	if taskInput != nil {
		from.InputData = copyMap(taskInput)
	}
	c.update(from)
	if e.kinds.isSystem(from.TaskType) && !e.kinds.isAsyncSystem(from.TaskType) {
		// Started again on the spot, as Conductor's rerunWF does: a kind that
		// works in start (JSON_JQ_TRANSFORM) runs now, others on the decide.
		// The reason of the failed run stays until something sets another.
		from.Status = model.TaskInProgress
		if err := e.kinds.get(from.TaskType).start(ctx, e, x, from); err != nil {
			return err
		}
	} else {
		from.Status = model.TaskScheduled
		c.push(from, 0)
	}
	for _, t := range x.tasks {
		if t == from || t.Status.IsSuccessful() || !t.Status.IsTerminal() || t.ReferenceTaskName == from.ReferenceTaskName {
			continue
		}
		switch {
		case t.TaskType == model.TaskTypeJoin || t.TaskType == model.TaskTypeDoWhile:
			t.Status = model.TaskInProgress
		case e.kinds.isSystem(t.TaskType) && !e.kinds.isAsyncSystem(t.TaskType):
			t.Status = model.TaskInProgress
		default:
			t.Status = model.TaskScheduled
			c.push(t, 0)
		}
		t.Executed = false
		t.StartTime = now
		t.EndTime = 0
		t.ReasonForIncompletion = ""
		c.update(t)
	}
	return nil
}
