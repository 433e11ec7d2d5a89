package client_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func TestEventClient(t *testing.T) {
	t.Parallel()
	h := &model.EventHandler{Name: "on_order", Event: "conductor:orders:placed", Active: true, Actions: []model.EventAction{{
		Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{Name: "fulfil", Input: map[string]any{"id": "${id}"}}}}}
	hJSON := mustJSON(t, h)
	runCalls(t, []callCase{{
		name:   "AddEventHandler posts the handler",
		script: []exchange{{method: "POST", path: "/event", ctype: jsonType, body: hJSON}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().AddEventHandler(ctx, h))
		},
	}, {
		name: "AddEventHandler of a taken name is ErrConflict",
		script: []exchange{{method: "POST", path: "/event", ctype: jsonType, body: hJSON, status: http.StatusConflict,
			answer: `{"status":409,"message":"EventHandler with name on_order already exists!","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().AddEventHandler(ctx, h))
		},
		wantErr:     client.ErrConflict,
		wantErrText: "EventHandler with name on_order already exists!",
	}, {
		name: "AddEventHandler of nil is refused before sending",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().AddEventHandler(ctx, nil))
		},
		wantErrText: "an event handler is required",
	}, {
		name:   "UpdateEventHandler puts the handler",
		script: []exchange{{method: "PUT", path: "/event", ctype: jsonType, body: hJSON}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().UpdateEventHandler(ctx, h))
		},
	}, {
		name: "UpdateEventHandler of an unknown name is ErrNotFound",
		script: []exchange{{method: "PUT", path: "/event", ctype: jsonType, body: hJSON, status: http.StatusNotFound,
			answer: `{"status":404,"message":"EventHandler with name on_order not found!","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().UpdateEventHandler(ctx, h))
		},
		wantErr: client.ErrNotFound,
	}, {
		name: "UpdateEventHandler of nil is refused before sending",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().UpdateEventHandler(ctx, nil))
		},
		wantErrText: "an event handler is required",
	}, {
		name:   "RemoveEventHandler escapes the name",
		script: []exchange{{method: "DELETE", path: "/event/a%2Fb"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().RemoveEventHandler(ctx, "a/b"))
		},
	}, {
		name: "RemoveEventHandler needs a name",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Events().RemoveEventHandler(ctx, ""))
		},
		wantErrText: "handler name is required",
	}, {
		name:   "GetEventHandlers",
		script: []exchange{{method: "GET", path: "/event", answer: "[" + hJSON + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Events().GetEventHandlers(ctx))
		},
		want: []model.EventHandler{*h},
	}, {
		name:   "GetEventHandlers answered null is empty",
		script: []exchange{{method: "GET", path: "/event", answer: "null"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Events().GetEventHandlers(ctx))
		},
		want: []model.EventHandler{},
	}, {
		name: "GetEventHandlersForEvent sends activeOnly",
		script: []exchange{{method: "GET", path: "/event/conductor:orders:placed", query: url.Values{"activeOnly": {"false"}},
			answer: "[" + hJSON + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Events().GetEventHandlersForEvent(ctx, "conductor:orders:placed", false))
		},
		want: []model.EventHandler{*h},
	}, {
		name: "GetEventHandlersForEvent needs an event",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Events().GetEventHandlersForEvent(ctx, "", true))
		},
		wantErrText: "event is required",
	}, {
		name:   "GetEventHandlers with a broken answer fails",
		script: []exchange{{method: "GET", path: "/event", answer: `{"not":"a list"}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Events().GetEventHandlers(ctx))
		},
		wantErrText: "GET /event",
	}})
}

func TestQueueAdminClient(t *testing.T) {
	t.Parallel()
	runCalls(t, []callCase{{
		name:   "Names",
		script: []exchange{{method: "GET", path: "/queue/", answer: `{"COMPLETED":"_queueAdmin_COMPLETED"}`}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.QueueAdmin().Names(ctx)) },
		want:   map[string]string{"COMPLETED": "_queueAdmin_COMPLETED"},
	}, {
		name:   "Sizes",
		script: []exchange{{method: "GET", path: "/queue/size", answer: `{"_queueAdmin_COMPLETED":3}`}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.QueueAdmin().Sizes(ctx)) },
		want:   map[string]int64{"_queueAdmin_COMPLETED": 3},
	}, {
		name:   "Sizes of Conductor without a broker is empty",
		script: []exchange{{method: "GET", path: "/queue/size", answer: `{}`}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.QueueAdmin().Sizes(ctx)) },
		want:   map[string]int64{},
	}, {
		name:   "UpdateByRefName posts the output",
		script: []exchange{{method: "POST", path: "/queue/update/w1/wait/COMPLETED", ctype: jsonType, body: `{"ok":true}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.QueueAdmin().UpdateByRefName(ctx, "w1", "wait", model.CompletedTask, map[string]any{"ok": true}))
		},
	}, {
		name:   "UpdateByTaskID sends {} for no output",
		script: []exchange{{method: "POST", path: "/queue/update/w1/task/t1/FAILED", ctype: jsonType, body: `{}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.QueueAdmin().UpdateByTaskID(ctx, "w1", "t1", model.FailedTask, nil))
		},
	}, {
		name: "UpdateByRefName on Conductor without a broker is a 400",
		script: []exchange{{method: "POST", path: "/queue/update/w1/wait/COMPLETED", ctype: jsonType, body: `{}`, status: http.StatusBadRequest,
			answer: `{"status":400,"message":"There is no queue for handling COMPLETED status","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.QueueAdmin().UpdateByRefName(ctx, "w1", "wait", model.CompletedTask, nil))
		},
		wantErrText: "There is no queue for handling COMPLETED status",
	}, {
		name: "UpdateByRefName needs a reference name",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.QueueAdmin().UpdateByRefName(ctx, "w1", "", model.CompletedTask, nil))
		},
		wantErrText: "task reference name is required",
	}, {
		name: "UpdateByTaskID needs a status",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.QueueAdmin().UpdateByTaskID(ctx, "w1", "t1", "", nil))
		},
		wantErrText: "status is required",
	}})
}
