package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/batonhq/baton/internal/expr"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// runEventAction runs one action of a handler for a message
// (SimpleActionProcessor.execute): its parameters have every ${...}
// replaced by the value the path names in the payload (ParametersUtils
// replace), after the payload's JSON strings are expanded when the action
// asks for it. It returns what Conductor's event execution would record as
// its output.
func (e *Engine) runEventAction(ctx context.Context, h *model.EventHandler, i int, a *model.EventAction,
	payload any, event string, m *store.EventMessage) (map[string]any, error) {
	doc := payload
	if a.ExpandInlineJSON {
		doc = expandJSON(payload)
	}
	switch a.Action {
	case model.ActionStartWorkflow:
		// The workflow's id is derived from the message's publication and
		// the action, so a message handled again after a crash does not
		// start a second workflow.
		id := nameUUID(fmt.Sprintf("event:%s:%s:%d", m.Key, h.Name, i))
		return e.eventStartWorkflow(ctx, a.StartWorkflow, doc, event, m.ID, id)
	case model.ActionCompleteTask:
		return e.eventUpdateTask(ctx, a.CompleteTask, doc, model.CompletedTask, event, m.ID)
	case model.ActionFailTask:
		return e.eventUpdateTask(ctx, a.FailTask, doc, model.FailedTask, event, m.ID)
	case model.ActionTerminateWorkflow:
		return e.eventTerminate(ctx, a.TerminateWorkflow, doc)
	case model.ActionUpdateWorkflowVariables:
		return e.eventUpdateVariables(ctx, a.UpdateWorkflowVariables, doc)
	}
	return nil, fmt.Errorf("Action not supported %s for event %s", a.Action, event) //nolint:staticcheck // Conductor's message
}

// replaceWith resolves params against the payload; a payload that is not
// an object resolves every path to null, as a JSONPath on text does.
func replaceWith(params map[string]any, payload any) (map[string]any, error) {
	doc, _ := payload.(map[string]any)
	if doc == nil {
		doc = map[string]any{}
	}
	return expr.Resolve(params, doc, expr.Options{})
}

func (e *Engine) eventStartWorkflow(ctx context.Context, p *model.StartWorkflowAction, payload any, event, messageID, id string) (map[string]any, error) {
	if p == nil {
		return nil, badRequest("start_workflow has no parameters")
	}
	input, err := replaceWith(p.Input, payload)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"taskToDomain": "${taskToDomain}"}
	if p.CorrelationId != "" {
		params["correlationId"] = p.CorrelationId
	}
	replaced, err := replaceWith(params, payload)
	if err != nil {
		return nil, err
	}
	input["conductor.event.messageId"] = messageID
	input["conductor.event.name"] = event
	req := &model.StartWorkflowRequest{Name: p.Name, Version: p.Version, Input: input, CorrelationId: p.CorrelationId}
	if c, ok := replaced["correlationId"]; ok && c != nil {
		req.CorrelationId = expr.JavaString(c)
	}
	req.TaskToDomain = p.TaskToDomain
	if req.TaskToDomain == nil {
		if m, ok := replaced["taskToDomain"].(map[string]any); ok && len(m) > 0 {
			req.TaskToDomain = make(map[string]string, len(m))
			for k, v := range m {
				req.TaskToDomain[k] = expr.JavaString(v)
			}
		}
	}
	wf, err := e.startWith(ctx, req, id, startOpts{idempotent: true, event: event})
	if err != nil {
		return map[string]any{"error": err.Error()}, err
	}
	return map[string]any{"workflowId": wf.WorkflowId}, nil
}

// eventUpdateTask is SimpleActionProcessor.completeTask: the task named by
// taskId, or by workflowId and taskRefName (the latest iteration of a task
// in a loop), gets the status and, as its whole output, the resolved
// parameters with the event's name and message id.
func (e *Engine) eventUpdateTask(ctx context.Context, td *model.TaskDetails, payload any, status model.TaskResultStatus, event, messageID string) (map[string]any, error) {
	if td == nil {
		return nil, badRequest("the action has no task details")
	}
	in := map[string]any{
		"workflowId":            nilIfEmpty(td.WorkflowId),
		"taskId":                nilIfEmpty(td.TaskId),
		"taskRefName":           nilIfEmpty(td.TaskRefName),
		"reasonForIncompletion": nilIfEmpty(td.ReasonForIncompletion),
	}
	maps.Copy(in, td.Output)
	replaced, err := replaceWith(in, payload)
	if err != nil {
		return nil, err
	}
	str := func(k string) string {
		if v := replaced[k]; v != nil {
			return expr.JavaString(v)
		}
		return ""
	}
	workflowID, taskID, ref := str("workflowId"), str("taskId"), str("taskRefName")
	var task *model.WorkerTask
	switch {
	case taskID != "":
		if task, err = e.GetTask(ctx, taskID); err != nil && KindOf(err) != KindNotFound {
			return nil, err
		}
	case workflowID != "" && ref != "":
		wf, err := e.GetWorkflow(ctx, workflowID, true)
		if KindOf(err) == KindNotFound {
			replaced["error"] = "No workflow found with ID: " + workflowID
			return replaced, nil
		} else if err != nil {
			return nil, err
		}
		task = latestByRef(wf.Tasks, ref)
	}
	if task == nil {
		replaced["error"] = fmt.Sprintf("No task found with taskId: %s, reference name: %s, workflowId: %s", nullStr(taskID), nullStr(ref), nullStr(workflowID))
		return replaced, nil
	}
	out := maps.Clone(replaced)
	out["conductor.event.messageId"] = messageID
	out["conductor.event.name"] = event
	// new TaskResult(task): what the update does not set stays as the
	// task has it (a WAIT's callbackAfterSeconds, the worker).
	r := &model.TaskResult{WorkflowInstanceId: task.WorkflowInstanceId, TaskId: task.TaskId, Status: status, OutputData: out,
		CallbackAfterSeconds: task.CallbackAfterSeconds, WorkerId: task.WorkerId, SubWorkflowId: task.SubWorkflowId,
		ReasonForIncompletion: task.ReasonForIncompletion}
	if status != model.CompletedTask {
		r.ReasonForIncompletion = str("reasonForIncompletion")
	}
	if err := e.UpdateTask(ctx, r); err != nil {
		replaced["error"] = err.Error()
		return replaced, err
	}
	return replaced, nil
}

// latestByRef is the task with a reference name, or the highest iteration
// of the loop task whose name without its iteration suffix is ref.
func latestByRef(tasks []model.WorkerTask, ref string) *model.WorkerTask {
	var found *model.WorkerTask
	for i := range tasks {
		if tasks[i].ReferenceTaskName == ref {
			found = &tasks[i]
		}
	}
	var loop []*model.WorkerTask
	for i := range tasks {
		t := &tasks[i]
		if t.Iteration > 0 && t.ReferenceTaskName == ref+"__"+strconv.Itoa(t.Iteration) {
			loop = append(loop, t)
		}
	}
	if len(loop) > 0 {
		return slices.MaxFunc(loop, func(a, b *model.WorkerTask) int { return a.Iteration - b.Iteration })
	}
	return found
}

// eventTerminate terminates a workflow. Conductor OSS accepts the action
// in a handler but its SimpleActionProcessor does not run it.
func (e *Engine) eventTerminate(ctx context.Context, p *model.TerminateWorkflowAction, payload any) (map[string]any, error) {
	if p == nil {
		return nil, badRequest("terminate_workflow has no parameters")
	}
	replaced, err := replaceWith(map[string]any{"workflowId": p.WorkflowId, "terminationReason": p.TerminationReason}, payload)
	if err != nil {
		return nil, err
	}
	id := expr.JavaString(replaced["workflowId"])
	reason := ""
	if r := replaced["terminationReason"]; r != nil {
		reason = expr.JavaString(r)
	}
	if err := e.Terminate(ctx, id, reason); err != nil {
		return nil, err
	}
	return map[string]any{"workflowId": id}, nil
}

// eventUpdateVariables sets variables of a running workflow (Orkes's
// update_workflow_variables; Conductor OSS accepts the action in a
// handler but does not run it). With appendArray a list is appended to
// the list the variable holds.
func (e *Engine) eventUpdateVariables(ctx context.Context, p *model.UpdateVariablesAction, payload any) (map[string]any, error) {
	if p == nil {
		return nil, badRequest("update_workflow_variables has no parameters")
	}
	replaced, err := replaceWith(map[string]any{"workflowId": p.WorkflowId, "variables": p.Variables}, payload)
	if err != nil {
		return nil, err
	}
	id := expr.JavaString(replaced["workflowId"])
	vars, _ := replaced["variables"].(map[string]any)
	err = e.withWorkflow(ctx, id, func(x *execution) error {
		if x.wf.Status.IsTerminal() {
			return conflict("Workflow %s is in %s state: its variables cannot be updated", id, x.wf.Status)
		}
		next := maps.Clone(x.wf.Variables)
		if next == nil {
			next = map[string]any{}
		}
		for k, v := range vars {
			if old, ok := next[k].([]any); ok && p.AppendArray {
				if add, ok := v.([]any); ok {
					next[k] = append(slices.Clone(old), add...)
					continue
				}
			}
			next[k] = v
		}
		b, err := json.Marshal(next)
		if err != nil {
			return badRequest("variables are not JSON: %v", err)
		}
		if limit := e.cfg.MaxWorkflowVariablesSize; len(b) > limit {
			return badRequest("variables of workflow %s would be %d bytes, more than the %d allowed", id, len(b), limit)
		}
		x.wf.Variables = next
		c := newChanges()
		c.wfDirty = true
		return e.commit(ctx, x, c)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"workflowId": id}, nil
}
