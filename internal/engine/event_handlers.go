package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Event handlers (/api/event): Conductor's EventService and its SQLite
// EventHandlerDAO. Conductor checks only the bean constraints (name, event,
// at least one action) and answers 500 for a duplicate or unknown name;
// Baton answers 409 and 404 with the same messages, and also refuses with
// a 400 what could never run here: an event on a queue type Baton has no
// provider for, an unknown action, an action without its parameters, a
// condition that is not valid JavaScript.

// errNoEvents is the answer when the store keeps no events.
var errNoEvents = Errorf(KindUnavailable, "event handlers need a store that keeps events")

// AddEventHandler registers a handler (EventService.addEventHandler).
func (e *Engine) AddEventHandler(ctx context.Context, h *model.EventHandler) error {
	es := e.eventStore()
	if es == nil {
		return errNoEvents
	}
	if err := e.validateEventHandler("addEventHandler", h); err != nil {
		return err
	}
	normalizeEventHandler(h)
	err := es.CreateEventHandler(ctx, h)
	if errors.Is(err, store.ErrConflict) {
		return conflict("EventHandler with name %s already exists!", h.Name)
	}
	if err != nil {
		return internalf(err, "save event handler %s", h.Name)
	}
	e.armEventDrain(0) // its queue's waiting messages
	return nil
}

// UpdateEventHandler replaces a handler by name
// (EventService.updateEventHandler).
func (e *Engine) UpdateEventHandler(ctx context.Context, h *model.EventHandler) error {
	es := e.eventStore()
	if es == nil {
		return errNoEvents
	}
	if err := e.validateEventHandler("updateEventHandler", h); err != nil {
		return err
	}
	normalizeEventHandler(h)
	err := es.UpdateEventHandler(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("EventHandler with name %s not found!", h.Name)
	}
	if err != nil {
		return internalf(err, "save event handler %s", h.Name)
	}
	e.armEventDrain(0)
	return nil
}

// DeleteEventHandler removes a handler (EventService.removeEventHandlerStatus).
func (e *Engine) DeleteEventHandler(ctx context.Context, name string) error {
	es := e.eventStore()
	if es == nil {
		return errNoEvents
	}
	if strings.TrimSpace(name) == "" {
		var v violations
		v.add("removeEventHandlerStatus.arg0", "EventHandler name cannot be null or empty.", nil)
		return v.err()
	}
	err := es.DeleteEventHandler(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("EventHandler with name %s not found!", name)
	}
	return internalf(err, "delete event handler %s", name)
}

// EventHandlers returns every handler, sorted by name.
func (e *Engine) EventHandlers(ctx context.Context) ([]*model.EventHandler, error) {
	es := e.eventStore()
	if es == nil {
		return []*model.EventHandler{}, nil
	}
	hs, err := es.ListEventHandlers(ctx)
	if err != nil {
		return nil, internalf(err, "read event handlers")
	}
	return hs, nil
}

// EventHandlersForEvent returns the handlers of one event, only the active
// ones when activeOnly (EventService.getEventHandlersForEvent).
func (e *Engine) EventHandlersForEvent(ctx context.Context, event string, activeOnly bool) ([]*model.EventHandler, error) {
	if strings.TrimSpace(event) == "" {
		var v violations
		v.add("getEventHandlersForEvent.arg0", "Event cannot be null or empty.", nil)
		return nil, v.err()
	}
	return e.eventHandlersFor(ctx, event, activeOnly)
}

func (e *Engine) eventHandlersFor(ctx context.Context, event string, activeOnly bool) ([]*model.EventHandler, error) {
	hs, err := e.EventHandlers(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(hs, func(h *model.EventHandler) bool {
		return h.Event != event || (activeOnly && !h.Active)
	}), nil
}

// normalizeEventHandler fills the maps Conductor's model always has
// (TaskDetails.output, StartWorkflow.input), so a handler reads back as
// Conductor shows it.
func normalizeEventHandler(h *model.EventHandler) {
	for i := range h.Actions {
		a := &h.Actions[i]
		for _, td := range []*model.TaskDetails{a.CompleteTask, a.FailTask} {
			if td != nil && td.Output == nil {
				td.Output = map[string]any{}
			}
		}
		if a.StartWorkflow != nil && a.StartWorkflow.Input == nil {
			a.StartWorkflow.Input = map[string]any{}
		}
	}
}

// validateEventHandler checks EventHandler's bean constraints with
// Conductor's messages, then what Baton needs to run the handler.
func (e *Engine) validateEventHandler(method string, h *model.EventHandler) error {
	var v violations
	if h == nil {
		v.add(method+".arg0", "EventHandler cannot be null.", nil)
		return v.err()
	}
	p := method + ".arg0."
	if len(h.Actions) == 0 {
		v.add(p+"actions", "No actions specified. Please specify at-least one action", nil)
	}
	if h.Name == "" {
		v.add(p+"name", "Missing event handler name", nil)
	}
	if h.Event == "" {
		v.add(p+"event", "Missing event location", nil)
	}
	if len(v) > 0 {
		return v.err()
	}
	if typ, queue, ok := strings.Cut(h.Event, ":"); !ok || typ != eventQueueType || queue == "" {
		v.add(p+"event", fmt.Sprintf("event %s is not supported by Baton: only the conductor event queues are (conductor:<queue>)", h.Event), h.Event)
	}
	if h.Condition != "" && h.EvaluatorType != evaluatorValueParam {
		if err := e.scripts.Check(h.Condition); err != nil {
			v.add(p+"condition", "condition is not valid JavaScript: "+err.Error(), nil)
		}
	}
	for i := range h.Actions {
		if msg := checkEventAction(&h.Actions[i]); msg != "" {
			v.add(fmt.Sprintf("%sactions[%d]", p, i), msg, nil)
		}
	}
	return v.err()
}

// checkEventAction returns why Baton cannot run an action, "" if it can.
func checkEventAction(a *model.EventAction) string {
	missing := func(field string) string {
		return fmt.Sprintf("action %s needs its parameters in %q", a.Action, field)
	}
	switch a.Action {
	case model.ActionStartWorkflow:
		if a.StartWorkflow == nil {
			return missing("start_workflow")
		}
		if a.StartWorkflow.Name == "" {
			return "action start_workflow needs the workflow's name (start_workflow.name)"
		}
	case model.ActionCompleteTask, model.ActionFailTask:
		td := a.CompleteTask
		field := "complete_task"
		if a.Action == model.ActionFailTask {
			td, field = a.FailTask, "fail_task"
		}
		if td == nil {
			return missing(field)
		}
		if td.TaskId == "" && (td.WorkflowId == "" || td.TaskRefName == "") {
			return fmt.Sprintf("action %s needs %s.taskId, or %s.workflowId and %s.taskRefName", a.Action, field, field, field)
		}
	case model.ActionTerminateWorkflow:
		if a.TerminateWorkflow == nil {
			return missing("terminate_workflow")
		}
		if a.TerminateWorkflow.WorkflowId == "" {
			return "action terminate_workflow needs terminate_workflow.workflowId"
		}
	case model.ActionUpdateWorkflowVariables:
		if a.UpdateWorkflowVariables == nil {
			return missing("update_workflow_variables")
		}
		if a.UpdateWorkflowVariables.WorkflowId == "" {
			return "action update_workflow_variables needs update_workflow_variables.workflowId"
		}
	case "":
		return "action is missing: use one of start_workflow, complete_task, fail_task, terminate_workflow, update_workflow_variables"
	default:
		return fmt.Sprintf("action %s is not supported by Baton: use one of start_workflow, complete_task, fail_task, terminate_workflow, update_workflow_variables", a.Action)
	}
	return ""
}
