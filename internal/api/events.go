package api

import (
	"net/http"
	"slices"

	"github.com/batonhq/baton/model"
)

// Event handlers: R/EventResource.java. Queue admin: R/QueueAdminResource.java.

const eventHandlerExample = `an EventHandler object, e.g. {"name":"on_order","event":"conductor:orders:placed","active":true,"actions":[{"action":"start_workflow","start_workflow":{"name":"fulfil","input":{"orderId":"${orderId}"}}}]}`

// POST /api/event: 200 with no body.
func (h *Handler) addEventHandler(w http.ResponseWriter, r *http.Request) error {
	var eh *model.EventHandler
	if err := decodeBody(r, &eh, eventHandlerExample); err != nil {
		return err
	}
	if err := h.svc.AddEventHandler(r.Context(), eh); err != nil {
		return err
	}
	return empty(w)
}

// PUT /api/event: 200 with no body.
func (h *Handler) updateEventHandler(w http.ResponseWriter, r *http.Request) error {
	var eh *model.EventHandler
	if err := decodeBody(r, &eh, eventHandlerExample); err != nil {
		return err
	}
	if err := h.svc.UpdateEventHandler(r.Context(), eh); err != nil {
		return err
	}
	return empty(w)
}

// GET /api/event: every handler.
func (h *Handler) eventHandlers(w http.ResponseWriter, r *http.Request) error {
	hs, err := h.svc.EventHandlers(r.Context())
	if err != nil {
		return err
	}
	return ok(w, hs)
}

// GET /api/event/{event}?activeOnly=true: the handlers of one event.
func (h *Handler) eventHandlersForEvent(w http.ResponseWriter, r *http.Request) error {
	activeOnly, err := query(r).boolOr("activeOnly", true)
	if err != nil {
		return err
	}
	hs, err := h.svc.EventHandlersForEvent(r.Context(), r.PathValue("event"), activeOnly)
	if err != nil {
		return err
	}
	return ok(w, hs)
}

// DELETE /api/event/{name}: 200 with no body.
func (h *Handler) deleteEventHandler(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.DeleteEventHandler(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	return empty(w)
}

// GET /api/queue/: each status's queue name.
func (h *Handler) queueAdminNames(w http.ResponseWriter, _ *http.Request) error {
	return ok(w, h.svc.QueueAdminNames())
}

// GET /api/queue/size: how many messages wait on each status's queue.
func (h *Handler) queueAdminSizes(w http.ResponseWriter, _ *http.Request) error {
	return ok(w, h.svc.QueueAdminSizes())
}

// POST /api/queue/update/{workflowId}/{taskRefName}/{status} and
// POST /api/queue/update/{workflowId}/task/{taskId}/{status}: publish a
// message that gives the task the status (and the body as output) once
// handled; 200 with no body.
func (h *Handler) queueAdminUpdate(w http.ResponseWriter, r *http.Request) error {
	status := model.TaskResultStatus(r.PathValue("status"))
	if !slices.Contains(model.TaskStatuses, model.TaskStatus(status)) {
		return invalidf("status %q is not a task status: use COMPLETED or FAILED", status)
	}
	var output map[string]any
	if err := decodeBody(r, &output, `the task's output as a JSON object, e.g. {"approved":true}`); err != nil {
		return err
	}
	if err := h.svc.QueueUpdate(r.Context(), r.PathValue("workflowId"), r.PathValue("taskRefName"), r.PathValue("taskId"), status, output); err != nil {
		return err
	}
	return empty(w)
}
