package enginetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var _ store.EventStore = (*MemStore)(nil)

func (s *MemStore) putHandler(h *model.EventHandler, create bool) error {
	if h == nil || h.Name == "" {
		return fmt.Errorf("%w: an event handler needs a name", store.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	_, exists := s.handlers[h.Name]
	switch {
	case create && exists:
		return fmt.Errorf("event handler %s: %w", h.Name, store.ErrConflict)
	case !create && !exists:
		return fmt.Errorf("event handler %s: %w", h.Name, store.ErrNotFound)
	}
	s.handlers[h.Name] = encode(h)
	return nil
}

// CreateEventHandler implements store.EventStore.
func (s *MemStore) CreateEventHandler(_ context.Context, h *model.EventHandler) error {
	return s.putHandler(h, true)
}

// UpdateEventHandler implements store.EventStore.
func (s *MemStore) UpdateEventHandler(_ context.Context, h *model.EventHandler) error {
	return s.putHandler(h, false)
}

// DeleteEventHandler implements store.EventStore.
func (s *MemStore) DeleteEventHandler(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	if _, ok := s.handlers[name]; !ok {
		return fmt.Errorf("event handler %s: %w", name, store.ErrNotFound)
	}
	delete(s.handlers, name)
	return nil
}

// ListEventHandlers implements store.EventStore.
func (s *MemStore) ListEventHandlers(context.Context) ([]*model.EventHandler, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	names := make([]string, 0, len(s.handlers))
	for n := range s.handlers {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]*model.EventHandler, 0, len(names))
	for _, n := range names {
		h := &model.EventHandler{}
		if err := json.Unmarshal(s.handlers[n], h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// PendingEventMessages implements store.EventStore.
func (s *MemStore) PendingEventMessages(context.Context) ([]*store.EventMessage, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	out := make([]*store.EventMessage, 0, len(s.messages))
	for _, m := range s.messages {
		out = append(out, &m)
	}
	return out, nil
}
