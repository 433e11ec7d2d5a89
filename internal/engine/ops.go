package engine

import (
	"context"
	"fmt"
	"sort"

	"github.com/batonhq/baton/model"
)

// Terminate ends a running (or paused) workflow as TERMINATED, cancelling
// its pending tasks (WorkflowExecutorOps.terminateWorkflow). A FAILED or
// TIMED_OUT workflow becomes TERMINATED too; a TERMINATED one is left as
// it is; a COMPLETED one is a 409. The definition's failureWorkflow is not
// started for a terminate requested by a user, as in Conductor.
func (e *Engine) Terminate(ctx context.Context, workflowID, reason string) error {
	if err := requireID("terminateWorkflow", workflowID); err != nil {
		return err
	}
	return e.withWorkflow(ctx, workflowID, func(x *execution) error {
		switch x.wf.Status {
		case model.WorkflowCompleted:
			return conflict("Cannot terminate a COMPLETED workflow.")
		case model.WorkflowTerminated:
			return nil
		}
		x.setStatus(model.WorkflowTerminated)
		c := newChanges()
		e.terminateWorkflow(ctx, x, c, reason, "", nil)
		return e.commit(ctx, x, c)
	})
}

// Pause stops scheduling new tasks of a workflow; tasks already handed out
// may still be updated. Pausing a paused workflow does nothing; pausing an
// ended one is a 409.
func (e *Engine) Pause(ctx context.Context, workflowID string) error {
	if err := requireID("pauseWorkflow", workflowID); err != nil {
		return err
	}
	return e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if x.wf.Status.IsTerminal() {
			return conflict("Workflow %s has ended, status cannot be updated.", shortString(x))
		}
		if x.wf.Status == model.WorkflowPaused {
			return nil
		}
		x.setStatus(model.WorkflowPaused)
		c := newChanges()
		c.wfDirty = true
		return e.commit(ctx, x, c)
	})
}

// Resume continues a paused workflow and decides it. The workflow-timeout
// clock restarts (lastRetriedTime). Resuming a workflow that is not paused
// is an error: Conductor answers 500 (IllegalStateException); Baton answers
// 409, a state conflict the caller can act on.
func (e *Engine) Resume(ctx context.Context, workflowID string) error {
	if err := requireID("resumeWorkflow", workflowID); err != nil {
		return err
	}
	return e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if x.wf.Status != model.WorkflowPaused {
			return conflict("The workflow %s is not PAUSED so cannot resume. Current status is %s", workflowID, x.wf.Status)
		}
		x.setStatus(model.WorkflowRunning)
		x.wf.LastRetriedTime = e.clock.Now().UnixMilli()
		c := newChanges()
		c.wfDirty = true
		if err := e.decide(ctx, x, c); err != nil {
			return err
		}
		return e.commit(ctx, x, c)
	})
}

// ResetCallbacks makes every worker task of a running workflow that is
// SCHEDULED with a callback delay pollable now, and sets its
// callbackAfterSeconds to 0 (WorkflowExecutorOps.resetCallbacksForWorkflow).
// A task is changed only if it is still queued, as Conductor changes it
// only when its queue message's offset could be reset. An ended workflow
// is a 409.
func (e *Engine) ResetCallbacks(ctx context.Context, workflowID string) error {
	if err := requireID("resetCallbacks", workflowID); err != nil {
		return err
	}
	return e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if x.wf.Status.IsTerminal() {
			return conflict("Workflow is in terminal state. Status = %s", x.wf.Status)
		}
		c := newChanges()
		for _, t := range x.tasks {
			if e.kinds.isSystem(t.TaskType) || t.Status != model.TaskScheduled || t.CallbackAfterSeconds <= 0 ||
				!e.queues.contains(t.TaskId) {
				continue
			}
			t.CallbackAfterSeconds = 0
			c.update(t)
			c.push(t, 0)
		}
		return e.commit(ctx, x, c)
	})
}

// SkipTask records a task of a running workflow as SKIPPED before it is
// scheduled, with the given input and output, and decides the workflow
// (WorkflowExecutorOps.skipTaskFromWorkflow). Conductor answers its
// errors with 500 (IllegalStateException); Baton with 409.
func (e *Engine) SkipTask(ctx context.Context, workflowID, ref string, req *model.SkipTaskRequest) error {
	var v violations
	if workflowID == "" {
		v.add("skipTaskFromWorkflow.arg0", "WorkflowId name cannot be null or empty.", nil)
	}
	if ref == "" {
		v.add("skipTaskFromWorkflow.arg1", "TaskReferenceName cannot be null or empty.", nil)
	}
	if err := v.err(); err != nil {
		return err
	}
	return e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if x.wf.Status != model.WorkflowRunning {
			return conflict("The workflow %s is not running so the task referenced by %s cannot be skipped", workflowID, ref)
		}
		wt := taskByRef(x.def().Tasks, ref)
		if wt == nil {
			return conflict("The task referenced by %s does not exist in the WorkflowDefinition %s", ref, x.wf.WorkflowName)
		}
		for _, t := range x.tasks {
			if t.ReferenceTaskName == ref {
				return conflict("The task referenced %s has already been processed, cannot be skipped", ref)
			}
		}
		now := e.clock.Now().UnixMilli()
		// WorkflowExecutorOps.skipTaskFromWorkflow sets only these fields (no
		// workflowType, no workflowTask); TaskModel.toTask then answers a bare
		// WorkflowTask named after the task, whose taskDefinition is null.
		t := &model.WorkerTask{
			TaskId: e.ids(), ReferenceTaskName: ref, WorkflowInstanceId: workflowID, WorkflowPriority: x.wf.Priority,
			Status: model.TaskSkipped, EndTime: now, ScheduledTime: now, TaskType: wt.Name, TaskDefName: wt.Name,
			CorrelationId: x.wf.CorrelationId, CallbackFromWorker: true, WorkflowTask: bareWorkflowTask(wt.Name, ref),
			InputData: map[string]any{}, OutputData: map[string]any{}, ExecutionMetadata: newExecutionMetadata(),
		}
		if req != nil {
			if req.TaskInput != nil {
				t.InputData = copyMap(req.TaskInput)
			}
			if req.TaskOutput != nil {
				t.OutputData = copyMap(req.TaskOutput)
			}
		}
		x.tasks = append(x.tasks, t)
		// Keep the store's order (seq, then id): the SKIPPED row has seq 0.
		sort.SliceStable(x.tasks, func(i, j int) bool {
			a, b := x.tasks[i], x.tasks[j]
			return a.Seq < b.Seq || (a.Seq == b.Seq && a.TaskId < b.TaskId)
		})
		c := newChanges()
		c.create(t)
		if err := e.decide(ctx, x, c); err != nil {
			return err
		}
		return e.commit(ctx, x, c)
	})
}

// Remove deletes a workflow with its tasks, taking them out of the queues.
// With archive (Conductor's default) only an ended workflow may be removed;
// Conductor keeps an archived workflow searchable in its index, Baton's
// store deletes it.
func (e *Engine) Remove(ctx context.Context, workflowID string, archive bool) error {
	if err := requireID("deleteWorkflow", workflowID); err != nil {
		return err
	}
	return e.withWorkflow(ctx, workflowID, func(x *execution) error {
		if archive && !x.wf.Status.IsTerminal() {
			return badRequest("Cannot archive workflow: %s with status: %s", workflowID, x.wf.Status)
		}
		c := newChanges()
		c.deleteWf = true
		return e.commit(ctx, x, c)
	})
}

func requireID(method, id string) error {
	if id != "" {
		return nil
	}
	var v violations
	v.add(method+".arg0", "WorkflowId cannot be null or empty.", nil)
	return v.err()
}

// shortString and longString print a workflow as Conductor's
// WorkflowModel.toShortString and toString do.
func shortString(x *execution) string {
	return fmt.Sprintf("%s.%d/%s", x.wf.WorkflowName, x.wf.WorkflowVersion, x.id())
}

func longString(x *execution) string {
	return fmt.Sprintf("%s.%d/%s.%s", x.wf.WorkflowName, x.wf.WorkflowVersion, x.id(), x.wf.Status)
}
