package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/batonhq/baton/model"
)

// endExecution completes the workflow, or ends it as a successful TERMINATE
// task says (WorkflowExecutorOps.endExecution), then cancels what is left.
func (e *Engine) endExecution(ctx context.Context, x *execution, c *changes, term *model.WorkerTask) error {
	if term != nil {
		status, _ := term.InputData["terminationStatus"].(string)
		reason, _ := term.InputData["terminationReason"].(string)
		if strings.TrimSpace(reason) == "" {
			reason = fmt.Sprintf("Workflow is %s by TERMINATE task: %s", nullStr(status), term.TaskId)
		}
		switch model.WorkflowStatus(status) {
		case model.WorkflowFailed, model.WorkflowTerminated:
			x.setStatus(model.WorkflowStatus(status))
			if err := e.terminateFrom(ctx, x, c, &terminateErr{reason: reason, status: x.wf.Status, task: term}); err != nil {
				return err
			}
		default:
			x.wf.ReasonForIncompletion = reason
			if err := e.completeWorkflow(x, c); err != nil {
				return err
			}
		}
	} else if err := e.completeWorkflow(x, c); err != nil {
		return err
	}
	e.cancelPending(ctx, x, c)
	return nil
}

// completeWorkflow marks the workflow COMPLETED with its output
// (WorkflowExecutorOps.completeWorkflow).
func (e *Engine) completeWorkflow(x *execution, c *changes) error {
	switch {
	case x.wf.Status == model.WorkflowCompleted:
		return nil
	case x.wf.Status.IsTerminal():
		return conflict("Workflow is already in terminal state. Current status: %s", x.wf.Status)
	}
	e.updateWorkflowOutput(x, nil)
	x.setStatus(model.WorkflowCompleted)
	addFailedNames(x)
	c.wfDirty = true
	return nil
}

// addFailedNames records the reference and definition names of tasks that
// ended FAILED or FAILED_WITH_TERMINAL_ERROR (not TIMED_OUT).
func addFailedNames(x *execution) {
	refs := setOf(x.wf.FailedReferenceTaskNames)
	names := setOf(x.wf.FailedTaskNames)
	for _, t := range x.tasks {
		if t.Status == model.TaskFailed || t.Status == model.TaskFailedWithTerminalError {
			if !refs[t.ReferenceTaskName] {
				refs[t.ReferenceTaskName] = true
				x.wf.FailedReferenceTaskNames = append(x.wf.FailedReferenceTaskNames, t.ReferenceTaskName)
			}
			if !names[t.TaskDefName] {
				names[t.TaskDefName] = true
				x.wf.FailedTaskNames = append(x.wf.FailedTaskNames, t.TaskDefName)
			}
		}
	}
}

func setOf(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// terminateFrom ends the workflow for a terminateErr
// (WorkflowExecutorOps.terminate): the error's status unless the workflow
// already ended, the failure workflow named by the definition started.
func (e *Engine) terminateFrom(ctx context.Context, x *execution, c *changes, te *terminateErr) error {
	if !x.wf.Status.IsTerminal() {
		x.setStatus(te.status)
	}
	if te.task != nil && x.failedTaskID == "" {
		x.failedTaskID = te.task.TaskId
	}
	failure := x.def().FailureWorkflow
	if strings.HasPrefix(failure, "$") {
		// "$workflow.input.name": the name comes from that workflow input.
		// Conductor splits on dots and takes the third part as it is, so
		// "${workflow.input.name}" looks up "name}" and finds nothing; Baton
		// does the same, so a definition behaves alike on both servers.
		parts := strings.Split(failure, ".")
		failure = ""
		if len(parts) >= 3 {
			failure, _ = x.wf.Input[parts[2]].(string)
		}
	}
	if te.task != nil {
		c.update(te.task)
	}
	e.terminateWorkflow(ctx, x, c, te.reason, failure, x.def().FailureWorkflowVersion)
	return nil
}

// terminateWorkflow ends a workflow (WorkflowExecutorOps.terminateWorkflow):
// TERMINATED unless already ended, output computed, failed names recorded,
// pending tasks CANCELED and dequeued; once that is committed the failure
// workflow, if any, is started and its id put in the output under
// "conductor.failure_workflow".
func (e *Engine) terminateWorkflow(ctx context.Context, x *execution, c *changes, reason, failure string, failureVersion *int) {
	if !x.wf.Status.IsTerminal() {
		x.setStatus(model.WorkflowTerminated)
	}
	e.updateWorkflowOutput(x, nil)
	addFailedNames(x)
	x.wf.ReasonForIncompletion = reason
	e.cancelPending(ctx, x, c)
	for _, t := range x.tasks {
		c.pull(t.TaskId)
	}
	c.wfDirty = true
	if strings.TrimSpace(failure) == "" {
		return
	}
	c.after = append(c.after, func(ctx context.Context) { e.startFailureWorkflow(ctx, x, reason, failure, failureVersion) })
}

// startFailureWorkflow starts a failed workflow's failureWorkflow with
// Conductor's input: the failed workflow's input plus workflowId, reason,
// failureStatus, failureTaskId and the whole failedWorkflow.
func (e *Engine) startFailureWorkflow(ctx context.Context, x *execution, reason, name string, version *int) {
	input := copyMap(x.wf.Input)
	if input == nil {
		input = map[string]any{}
	}
	input["workflowId"] = x.id()
	input["reason"] = nilIfEmpty(reason)
	input["failureStatus"] = string(x.wf.Status)
	if x.failedTaskID != "" {
		input["failureTaskId"] = x.failedTaskID
	}
	input["failedWorkflow"] = workflowModelValue(x)
	req := &model.StartWorkflowRequest{Name: name, Version: version, CorrelationId: x.wf.CorrelationId,
		Input: input, TaskToDomain: x.wf.TaskToDomain}
	if version != nil && *version == 0 {
		req.Version = nil
	}
	out := copyMap(x.wf.Output)
	if out == nil {
		out = map[string]any{}
	}
	id, err := e.start(ctx, req, e.ids())
	if err != nil {
		msg := err.Error()
		out["conductor.failure_workflow"] = "Error workflow " + name + " failed to start.  reason: " + msg
		e.log.Warn("failure workflow did not start", "workflowId", x.id(), "failureWorkflow", name, "err", err)
	} else {
		out["conductor.failure_workflow"] = id
	}
	x.wf.Output = out
	c := newChanges()
	c.wfDirty = true
	if err := e.commit(ctx, x, c); err != nil {
		e.log.Error("record failure workflow", "workflowId", x.id(), "err", err)
	}
}

// jsonValue turns a value into plain JSON data (maps, lists, float64).
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// cancelPending cancels every task that has not ended
// (WorkflowExecutorOps.cancelNonTerminalTasks).
func (e *Engine) cancelPending(ctx context.Context, x *execution, c *changes) {
	for _, t := range x.tasks {
		if t.Status.IsTerminal() {
			continue
		}
		t.Status = model.TaskCanceled
		if e.kinds.isSystem(t.TaskType) {
			if err := e.kinds.get(t.TaskType).cancel(ctx, e, x, t); err != nil {
				e.log.Warn("cancel system task", "taskId", t.TaskId, "err", err)
			}
		}
		c.update(t)
		c.pull(t.TaskId)
	}
}

// updateWorkflowOutput sets the workflow output
// (DeciderService.updateWorkflowOutput): a successful TERMINATE task's
// output; else the definition's outputParameters evaluated; else the
// output of the given (or last) task.
func (e *Engine) updateWorkflowOutput(x *execution, last *model.WorkerTask) {
	if len(x.tasks) == 0 {
		return
	}
	for _, t := range x.tasks {
		if t.TaskType == model.TaskTypeTerminate && t.Status.IsTerminal() && t.Status.IsSuccessful() {
			out := map[string]any{}
			if len(t.OutputData) > 0 {
				out = t.OutputData
			}
			x.wf.Output = out
			return
		}
	}
	if last == nil {
		last = x.tasks[len(x.tasks)-1]
	}
	if d := x.def(); d != nil && len(d.OutputParameters) > 0 {
		out, err := e.resolve(x, d.OutputParameters, "")
		if err != nil {
			e.log.Warn("workflow outputParameters", "workflowId", x.id(), "err", err)
			out = map[string]any{}
		}
		x.wf.Output = out
		return
	}
	out := last.OutputData
	if out == nil {
		out = map[string]any{}
	}
	x.wf.Output = out
}
