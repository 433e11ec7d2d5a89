package engine

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Event queues are Conductor's "conductor" queues (ConductorEventQueueProvider,
// ConductorObservableQueue): a message published by an EVENT task, a queue
// update or a workflow status listener is written in the same batch as the
// change that publishes it, and removed (acknowledged) by the batch that
// records its handling. The messages not yet handled wait in memory in
// publish order and are handled by one drain at a time, armed on the
// engine's timers (key "events") and run with the off-loop system task
// work, so a fake clock and RunDueTimers drive them in tests. A restart
// finds every message that was not acknowledged and handles it again.

// eventQueueType is the type prefix of the server's own queues: an event
// "conductor:wf:q" is the queue "wf:q" (EventQueues.getQueue).
const eventQueueType = "conductor"

// eventRetry is how long a message whose handling could not be recorded
// (the store refused the acknowledgement) waits before it is handled again.
const eventRetry = time.Second

// eventStore returns the store's event half, nil when the store keeps no
// events (then events are off: handlers cannot be registered).
func (e *Engine) eventStore() store.EventStore {
	es, _ := e.st.(store.EventStore)
	return es
}

// newEventMessage builds a message for queue (without its type).
func (e *Engine) newEventMessage(queue, id string, payload any) (*store.EventMessage, error) {
	js, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	// The key is not drawn from Config.IDs: publishing must not shift the
	// ids of workflows and tasks.
	return &store.EventMessage{Key: uuid.NewString(), Queue: queue, ID: id, Payload: string(js), CreatedTime: e.clock.Now().UnixMilli()}, nil
}

// publish writes messages in a batch of their own and queues them for
// handling once durable.
func (e *Engine) publish(ctx context.Context, msgs ...*store.EventMessage) error {
	if err := e.st.Apply(ctx, &store.Batch{Messages: msgs}); err != nil {
		return internalf(err, "publish event message")
	}
	e.queueEvents(msgs)
	return nil
}

// queueEvents adds durable messages to the ones waiting to be handled and
// arms a drain.
func (e *Engine) queueEvents(msgs []*store.EventMessage) {
	if len(msgs) == 0 {
		return
	}
	e.events.add(msgs)
	e.armEventDrain(0)
}

// dropEvents forgets waiting messages acknowledged without being handled
// (a cancelled EVENT task's).
func (e *Engine) dropEvents(refs []eventRef) {
	for _, r := range refs {
		e.events.remove(r.queue, r.key)
	}
}

// eventRef names a waiting message.
type eventRef struct{ queue, key string }

// armEventDrain runs a drain after delay, off the timer goroutine (a
// handler's condition may run for the script time limit; other timers must
// not wait for it).
func (e *Engine) armEventDrain(delay time.Duration) {
	e.timers.schedule("events", e.clock.Now().Add(delay), func() { e.sys.launch(e.drainEvents) })
}

// rebuildEvents queues the messages a previous run did not acknowledge.
func (e *Engine) rebuildEvents(ctx context.Context) error {
	es := e.eventStore()
	if es == nil {
		return nil
	}
	msgs, err := es.PendingEventMessages(ctx)
	if err != nil {
		return internalf(err, "engine start: read event messages")
	}
	e.events.add(msgs)
	if len(msgs) > 0 {
		e.armEventDrain(0)
	}
	return nil
}

// drainEvents handles the waiting messages one by one, acknowledging each
// once handled (DefaultEventProcessor.handle). As in Conductor, a queue is
// read only while an active handler listens to its event
// (DefaultEventQueueManager.refreshEventQueues): its messages wait until
// one is registered or activated, which arms a drain.
func (e *Engine) drainEvents() {
	e.events.draining.Lock()
	defer e.events.draining.Unlock()
	ctx := e.bg
	for ctx.Err() == nil {
		handlers, err := e.EventHandlers(ctx)
		if err != nil {
			e.log.Warn("event handlers not read; messages wait", "err", err)
			e.armEventDrain(eventRetry)
			return
		}
		m := e.nextEvent(handlers)
		if m == nil {
			return
		}
		e.handleEvent(ctx, m, handlers)
		if ctx.Err() != nil {
			return // not acknowledged: handled again after a restart
		}
		if err := e.st.Apply(ctx, &store.Batch{AckMessages: []string{m.Key}}); err != nil {
			if ctx.Err() == nil {
				e.log.Warn("event message not acknowledged; handling it again later", "queue", m.Queue, "messageId", m.ID, "err", err)
				e.armEventDrain(eventRetry)
			}
			return
		}
		e.events.remove(m.Queue, m.Key)
	}
}

// nextEvent returns the oldest waiting message of a queue that is read: a
// queue admin queue, or one an active handler listens to.
func (e *Engine) nextEvent(handlers []*model.EventHandler) *store.EventMessage {
	listened := map[string]bool{}
	for _, h := range handlers {
		if h.Active {
			listened[h.Event] = true
		}
	}
	return e.events.next(func(queue string) bool {
		_, admin := queueAdminStatusOf(queue)
		return admin || listened[eventQueueType+":"+queue]
	})
}

// EventQueueSizes returns how many messages wait on each conductor queue
// that has any, by queue name without its type.
func (e *Engine) EventQueueSizes() map[string]int { return e.events.sizes() }

// handleEvent runs the active handlers of the message's event
// (DefaultEventProcessor.executeEvent). Every outcome is final (the
// message is acknowledged afterwards): a condition that fails to evaluate
// counts as false, an action that fails is logged, as Conductor records a
// FAILED event execution.
func (e *Engine) handleEvent(ctx context.Context, m *store.EventMessage, handlers []*model.EventHandler) {
	if status, ok := queueAdminStatusOf(m.Queue); ok {
		e.handleQueueUpdate(ctx, m, status)
		return
	}
	event := eventQueueType + ":" + m.Queue
	payload := decodePayload(m.Payload)
	for _, h := range handlers {
		if !h.Active || h.Event != event {
			continue
		}
		if h.Condition != "" {
			ok, err := e.eventCondition(ctx, h, payload)
			if err != nil {
				e.log.Warn("event handler condition failed; actions skipped", "handler", h.Name, "event", event, "messageId", m.ID, "err", err)
				continue
			}
			if !ok {
				e.log.Debug("event handler condition false", "handler", h.Name, "event", event, "messageId", m.ID)
				continue
			}
		}
		for i := range h.Actions {
			a := &h.Actions[i]
			out, err := e.runEventAction(ctx, h, i, a, payload, event, m)
			if err != nil {
				e.log.Warn("event action failed", "handler", h.Name, "action", a.Action, "event", event, "messageId", m.ID, "err", err)
				continue
			}
			e.log.Debug("event action done", "handler", h.Name, "action", a.Action, "event", event, "messageId", m.ID, "output", out)
		}
	}
}

// eventCondition evaluates a handler's condition with $ bound to the
// payload, its JSON strings expanded (DefaultEventProcessor): with the
// value-param evaluator the condition names an input key; with any other
// evaluator type, or none, it is JavaScript.
func (e *Engine) eventCondition(ctx context.Context, h *model.EventHandler, payload any) (bool, error) {
	in, _ := expandJSON(payload).(map[string]any)
	if in == nil {
		in = map[string]any{}
	}
	if h.EvaluatorType == evaluatorValueParam {
		return truthy(in[h.Condition]), nil
	}
	v, err := e.evalScript(ctx, h.Condition, in)
	if err != nil {
		return false, err
	}
	return truthy(v), nil
}

// decodePayload is DefaultEventProcessor.getPayloadObject: the message's
// JSON, or the text itself when it is not JSON.
func decodePayload(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	return v
}

// expandJSON is Conductor's JsonUtils.expand: string values of maps that
// hold a JSON object or array are replaced by what they hold (not expanded
// further), nested maps and lists are walked, and a string on its own is
// parsed. Strings directly inside lists stay strings, as in Conductor
// (expandList assigns the parsed value to a local variable only).
func expandJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if s, ok := val.(string); ok {
				out[k] = parseIfJSON(s)
				continue
			}
			out[k] = expandJSON(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			if _, ok := val.(string); ok {
				out[i] = val
				continue
			}
			out[i] = expandJSON(val)
		}
		return out
	case string:
		var parsed any
		if err := json.Unmarshal([]byte(x), &parsed); err == nil {
			return parsed
		}
	}
	return v
}

func parseIfJSON(s string) any {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
		return s
	}
	var parsed any
	if err := json.Unmarshal([]byte(t), &parsed); err != nil {
		return s
	}
	return parsed
}
