package engine

import (
	"slices"
	"sync"

	"github.com/batonhq/baton/internal/store"
)

// eventBus holds the durable messages not yet handled, one FIFO per queue,
// each message numbered in publish order. A drain takes the oldest message
// among the queues it reads, so a queue that no handler listens to (its
// messages wait, as in Conductor) costs nothing to the others.
type eventBus struct {
	mu     sync.Mutex
	queues map[string][]pendingEvent
	seq    uint64
	// draining serialises drains: messages are handled one at a time.
	draining sync.Mutex
}

type pendingEvent struct {
	seq uint64
	m   *store.EventMessage
}

// add appends durable messages, in publish order.
func (b *eventBus) add(msgs []*store.EventMessage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.queues == nil {
		b.queues = map[string][]pendingEvent{}
	}
	for _, m := range msgs {
		b.seq++
		b.queues[m.Queue] = append(b.queues[m.Queue], pendingEvent{b.seq, m})
	}
}

// next returns the oldest message of the queues read says are read, or nil.
func (b *eventBus) next(read func(queue string) bool) *store.EventMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	var best *pendingEvent
	for q, list := range b.queues {
		if len(list) > 0 && (best == nil || list[0].seq < best.seq) && read(q) {
			best = &list[0]
		}
	}
	if best == nil {
		return nil
	}
	return best.m
}

// remove forgets messages by key (handled, or withdrawn).
func (b *eventBus) remove(queue string, keys ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	list := slices.DeleteFunc(b.queues[queue], func(p pendingEvent) bool { return slices.Contains(keys, p.m.Key) })
	if len(list) == 0 {
		delete(b.queues, queue)
		return
	}
	b.queues[queue] = list
}

// keys returns the keys of a queue's waiting messages with the message id.
func (b *eventBus) keys(queue, id string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, p := range b.queues[queue] {
		if p.m.ID == id {
			out = append(out, p.m.Key)
		}
	}
	return out
}

// sizes returns how many messages wait on each queue that has any.
func (b *eventBus) sizes() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string]int, len(b.queues))
	for q, list := range b.queues {
		out[q] = len(list)
	}
	return out
}
