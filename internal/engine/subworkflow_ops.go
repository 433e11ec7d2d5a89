package engine

import (
	"context"
	"fmt"

	"github.com/batonhq/baton/model"
)

// Workflow operations across a sub-workflow and its parents: a retried,
// restarted or rerun sub-workflow resumes its parents
// (WorkflowExecutorOps.updateAndPushParents), a retry with
// resumeSubworkflowTasks goes to the deepest failed sub-workflow
// (findLastFailedSubWorkflowIfAny), and a rerun from a task finds it in a
// sub-workflow (rerunWF). Each workflow is changed under its own lock, one
// after the other, parent after child; Conductor does the same one
// workflow at a time, so a crash part way leaves what it would.

// pushParents walks up from a workflow that runs again: each parent's
// SUB_WORKFLOW task goes back to IN_PROGRESS with a log line, the parent
// runs again with its failures forgotten, its cancelled tasks are
// rescheduled and its other failed sub-workflows retried, and it is decided.
func (e *Engine) pushParents(ctx context.Context, id, op string) error {
	ident := ""
	for {
		var parentID, parentTaskID, short string
		err := e.withWorkflow(ctx, id, func(x *execution) error {
			parentID, parentTaskID, short = x.wf.ParentWorkflowId, x.wf.ParentWorkflowTaskId, shortString(x)
			return nil
		})
		if err != nil || parentID == "" {
			return err
		}
		if ident == "" {
			ident = short
		} else {
			ident = short + " -> " + ident
		}
		stop := false
		err = e.withWorkflow(ctx, parentID, func(px *execution) error {
			pt := px.taskByID(parentTaskID)
			if pt == nil || pt.WorkflowTask == nil || pt.WorkflowTask.Optional || pt.Retried {
				stop = true // an orphan, an optional task, or a superseded attempt
				return nil
			}
			now := e.clock.Now().UnixMilli()
			c := newChanges()
			pt.Status = model.TaskInProgress
			pt.ReasonForIncompletion = ""
			c.update(pt)
			c.logs = append(c.logs, model.TaskExecLog{Log: fmt.Sprintf("Sub workflow %s %s.", ident, op), TaskId: pt.TaskId, CreatedTime: now})
			px.setStatus(model.WorkflowRunning)
			px.wf.ReasonForIncompletion = ""
			px.failedTaskID = ""
			px.wf.FailedReferenceTaskNames = []string{}
			px.wf.FailedTaskNames = []string{}
			px.wf.LastRetriedTime = now
			c.wfDirty = true
			if err := e.resumeSiblings(ctx, px, c, pt); err != nil {
				return err
			}
			if err := e.decide(ctx, px, c); err != nil {
				return err
			}
			return e.commit(ctx, px, c)
		})
		if err != nil || stop {
			return err
		}
		id = parentID
	}
}

// resumeSiblings repairs the other tasks of a parent that runs again:
// failed sub-workflows are retried, cancelled tasks rescheduled (JOIN and
// DO_WHILE reopened), and joins that failed reopened so they look again
// (adjustStateIfSubWorkflowChanged; Baton does it here rather than through
// the subworkflowChanged flag).
func (e *Engine) resumeSiblings(ctx context.Context, px *execution, c *changes, pt *model.WorkerTask) error {
	now := e.clock.Now().UnixMilli()
	for _, t := range px.tasks {
		if t == pt {
			continue
		}
		switch {
		case t.TaskType == model.TaskTypeSubWorkflow && t.SubWorkflowId != "" && t.Status.IsTerminal() && !t.Status.IsSuccessful():
			resumed := false
			err := e.withWorkflow(ctx, t.SubWorkflowId, func(cx *execution) error {
				switch {
				case cx.wf.Status == model.WorkflowRunning:
					resumed = true
				case cx.wf.Status.IsTerminal() && hasUnsuccessful(cx):
					resumed = true
					return e.retryLocked(ctx, cx)
				}
				return nil
			})
			if err != nil && KindOf(err) != KindNotFound {
				return err
			}
			if resumed {
				t.Status = model.TaskInProgress
				t.ReasonForIncompletion = ""
				c.update(t)
			}
		case t.Status == model.TaskCanceled && (t.TaskType == model.TaskTypeJoin || t.TaskType == model.TaskTypeDoWhile):
			t.Status = model.TaskInProgress
			c.update(t)
		case t.Status == model.TaskCanceled:
			t.RetryCount++
			t.ReasonForIncompletion = ""
			t.PollCount = 0
			t.WorkerId = ""
			t.ScheduledTime = now
			t.StartTime, t.EndTime = 0, 0
			t.Retried, t.Executed = false, false
			t.Status = model.TaskScheduled
			c.update(t)
			c.push(t, 0)
		case t.TaskType == model.TaskTypeJoin && t.Status.IsTerminal() && !t.Status.IsSuccessful():
			t.Status = model.TaskInProgress
			t.Executed = false
			c.update(t)
		}
	}
	return nil
}

func hasUnsuccessful(x *execution) bool {
	for _, t := range x.tasks {
		if t.Status.IsTerminal() && !t.Status.IsSuccessful() {
			return true
		}
	}
	return false
}

// lastFailedSubWorkflow returns the deepest sub-workflow that failed under
// x's first unsuccessful task, or x itself (findLastFailedSubWorkflowIfAny).
func (e *Engine) lastFailedSubWorkflow(ctx context.Context, x *execution) (string, error) {
	var first *model.WorkerTask
	for _, t := range sortedBySeq(x.tasks) {
		if t.Status.IsTerminal() && !t.Status.IsSuccessful() {
			first = t
			break
		}
	}
	if first == nil {
		return x.id(), nil
	}
	var failedSub *model.WorkerTask
	if first.TaskType == model.TaskTypeSubWorkflow {
		failedSub = first
	} else {
		for _, t := range sortedBySeq(x.tasks) {
			if t.TaskType == model.TaskTypeSubWorkflow && t.Status.IsTerminal() && !t.Status.IsSuccessful() {
				failedSub = t
				break
			}
		}
	}
	if failedSub == nil || failedSub.SubWorkflowId == "" {
		return x.id(), nil
	}
	target := x.id()
	err := e.withWorkflow(ctx, failedSub.SubWorkflowId, func(cx *execution) error {
		if !hasUnsuccessful(cx) {
			return nil
		}
		var err error
		target, err = e.lastFailedSubWorkflow(ctx, cx)
		return err
	})
	if KindOf(err) == KindNotFound {
		return x.id(), nil
	}
	return target, err
}

// subWorkflowHolding returns the id of the sub-workflow of x, at any
// depth, that has the task, or "".
func (e *Engine) subWorkflowHolding(ctx context.Context, x *execution, taskID string) (string, error) {
	for _, t := range x.tasks {
		if t.TaskType != model.TaskTypeSubWorkflow || t.SubWorkflowId == "" {
			continue
		}
		found := ""
		err := e.withWorkflow(ctx, t.SubWorkflowId, func(cx *execution) error {
			if cx.taskByID(taskID) != nil {
				found = cx.id()
				return nil
			}
			var err error
			found, err = e.subWorkflowHolding(ctx, cx, taskID)
			return err
		})
		if err != nil && KindOf(err) != KindNotFound {
			return "", err
		}
		if found != "" {
			return found, nil
		}
	}
	return "", nil
}
