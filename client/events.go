package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/batonhq/baton/model"
)

// EventClient calls /api/event: the event handlers that start workflows
// and complete, fail or otherwise act on them when a message arrives on an
// event queue. Get one with APIClient.Events. It is the official SDK's
// EventResourceApiService, for the handler calls.
type EventClient struct{ c *APIClient }

// Events returns the client for event handlers (/api/event).
func (c *APIClient) Events() *EventClient { return &EventClient{c: c} }

// AddEventHandler registers a handler (POST /api/event). A handler whose
// name is taken is ErrConflict on Baton (Conductor OSS answers 500).
func (e *EventClient) AddEventHandler(ctx context.Context, h *model.EventHandler) error {
	if h == nil {
		return errRequired("add event handler", "an event handler")
	}
	return exec(ctx, e.c, request{method: http.MethodPost, path: "/event", body: h})
}

// UpdateEventHandler replaces the handler with h's name (PUT /api/event);
// an unknown one is ErrNotFound on Baton (Conductor OSS answers 500).
func (e *EventClient) UpdateEventHandler(ctx context.Context, h *model.EventHandler) error {
	if h == nil {
		return errRequired("update event handler", "an event handler")
	}
	return exec(ctx, e.c, request{method: http.MethodPut, path: "/event", body: h})
}

// RemoveEventHandler removes the handler called name (DELETE
// /api/event/{name}). The official SDK calls it RemoveEventHandlerStatus.
func (e *EventClient) RemoveEventHandler(ctx context.Context, name string) error {
	n, err := segment("remove event handler", "handler name", name)
	if err != nil {
		return err
	}
	return exec(ctx, e.c, request{method: http.MethodDelete, path: "/event/" + n})
}

// GetEventHandlers returns every handler (GET /api/event).
func (e *EventClient) GetEventHandlers(ctx context.Context) ([]model.EventHandler, error) {
	return list[model.EventHandler](ctx, e.c, request{method: http.MethodGet, path: "/event"})
}

// GetEventHandlersForEvent returns the handlers of one event, such as
// "conductor:orders:placed"; only the active ones when activeOnly (GET
// /api/event/{event}?activeOnly=).
func (e *EventClient) GetEventHandlersForEvent(ctx context.Context, event string, activeOnly bool) ([]model.EventHandler, error) {
	ev, err := segment("get event handlers", "event", event)
	if err != nil {
		return nil, err
	}
	return list[model.EventHandler](ctx, e.c, request{method: http.MethodGet, path: "/event/" + ev,
		query: url.Values{"activeOnly": {strconv.FormatBool(activeOnly)}}})
}

// QueueAdminClient calls /api/queue: the queues that give a task a status
// through a message (a WAIT task completed from outside, for instance).
// Get one with APIClient.QueueAdmin. Conductor OSS has these queues only
// with an external broker (SQS, AMQP, NATS, Kafka) configured; Baton has
// its own.
type QueueAdminClient struct{ c *APIClient }

// QueueAdmin returns the client for the queue admin API (/api/queue).
func (c *APIClient) QueueAdmin() *QueueAdminClient { return &QueueAdminClient{c: c} }

// Names returns each status's queue name, keyed by status (GET /api/queue/).
func (q *QueueAdminClient) Names(ctx context.Context) (map[string]string, error) {
	m, err := call[map[string]string](ctx, q.c, request{method: http.MethodGet, path: "/queue/"})
	if err != nil || m == nil {
		return map[string]string{}, err
	}
	return *m, nil
}

// Sizes returns how many messages wait on each queue, keyed by queue name
// (GET /api/queue/size).
func (q *QueueAdminClient) Sizes(ctx context.Context) (map[string]int64, error) {
	m, err := call[map[string]int64](ctx, q.c, request{method: http.MethodGet, path: "/queue/size"})
	if err != nil || m == nil {
		return map[string]int64{}, err
	}
	return *m, nil
}

// UpdateByRefName publishes a message that, once handled, gives the
// workflow's pending task with that reference name the status, with output
// added to its output (POST /api/queue/update/{workflowId}/{taskRefName}/{status}).
// The server answers before the message is handled.
func (q *QueueAdminClient) UpdateByRefName(ctx context.Context, workflowID, taskRefName string, status model.TaskResultStatus, output map[string]any) error {
	s, err := segments("queue update", "workflow id", workflowID, "task reference name", taskRefName, "status", string(status))
	if err != nil {
		return err
	}
	return exec(ctx, q.c, request{method: http.MethodPost, path: "/queue/update/" + s[0] + "/" + s[1] + "/" + s[2], body: orEmptyOutput(output)})
}

// UpdateByTaskID is UpdateByRefName for the task with that id (POST
// /api/queue/update/{workflowId}/task/{taskId}/{status}).
func (q *QueueAdminClient) UpdateByTaskID(ctx context.Context, workflowID, taskID string, status model.TaskResultStatus, output map[string]any) error {
	s, err := segments("queue update", "workflow id", workflowID, "task id", taskID, "status", string(status))
	if err != nil {
		return err
	}
	return exec(ctx, q.c, request{method: http.MethodPost, path: "/queue/update/" + s[0] + "/task/" + s[1] + "/" + s[2], body: orEmptyOutput(output)})
}

// orEmptyOutput sends {} for a nil output: the server needs an object.
func orEmptyOutput(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
