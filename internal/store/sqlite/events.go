package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var _ store.EventStore = (*Store)(nil)

const (
	sqlInsertEventHandler = `INSERT INTO event_handlers (name, event, active, json) VALUES (?, ?, ?, ?)
	ON CONFLICT (name) DO NOTHING`
	sqlUpdateEventHandler  = `UPDATE event_handlers SET event = ?, active = ?, json = ? WHERE name = ?`
	sqlDeleteEventHandler  = `DELETE FROM event_handlers WHERE name = ?`
	sqlListEventHandlers   = `SELECT json FROM event_handlers ORDER BY name`
	sqlInsertEventMessage  = `INSERT INTO event_messages (key, queue, message_id, payload, created_time) VALUES (?, ?, ?, ?, ?)`
	sqlDeleteEventMessage  = `DELETE FROM event_messages WHERE key = ?`
	sqlPendingEventMessage = `SELECT key, queue, message_id, payload, created_time FROM event_messages ORDER BY seq`
)

func encodeEventHandler(h *model.EventHandler) (string, error) {
	if h == nil || h.Name == "" {
		return "", fmt.Errorf("%w: an event handler needs a name", store.ErrInvalid)
	}
	js, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("%w: encode event handler %s: %w", store.ErrInvalid, h.Name, err)
	}
	return string(js), nil
}

// CreateEventHandler adds a handler, or returns store.ErrConflict if one
// has its name.
func (s *Store) CreateEventHandler(ctx context.Context, h *model.EventHandler) error {
	js, err := encodeEventHandler(h)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.tx.ExecContext(ctx, sqlInsertEventHandler, h.Name, h.Event, h.Active, js)
		return noRowsIs(res, err, fmt.Errorf("event handler %s: %w", h.Name, store.ErrConflict))
	})
}

// UpdateEventHandler replaces a handler by name, or returns
// store.ErrNotFound.
func (s *Store) UpdateEventHandler(ctx context.Context, h *model.EventHandler) error {
	js, err := encodeEventHandler(h)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.tx.ExecContext(ctx, sqlUpdateEventHandler, h.Event, h.Active, js, h.Name)
		return noRowsIs(res, err, fmt.Errorf("event handler %s: %w", h.Name, store.ErrNotFound))
	})
}

// DeleteEventHandler removes a handler, or returns store.ErrNotFound.
func (s *Store) DeleteEventHandler(ctx context.Context, name string) error {
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.tx.ExecContext(ctx, sqlDeleteEventHandler, name)
		return noRowsIs(res, err, fmt.Errorf("event handler %s: %w", name, store.ErrNotFound))
	})
}

// ListEventHandlers returns every handler, sorted by name.
func (s *Store) ListEventHandlers(ctx context.Context) (hs []*model.EventHandler, err error) {
	hs = []*model.EventHandler{}
	err = s.read(func() error {
		rows, err := s.r.QueryContext(ctx, sqlListEventHandlers)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var js string
			if err := rows.Scan(&js); err != nil {
				return err
			}
			h := &model.EventHandler{}
			if err := json.Unmarshal([]byte(js), h); err != nil {
				return fmt.Errorf("sqlite: decode event handler: %w", err)
			}
			hs = append(hs, h)
		}
		return rows.Err()
	})
	return hs, err
}

// PendingEventMessages returns the messages not acknowledged, in publish
// order.
func (s *Store) PendingEventMessages(ctx context.Context) (ms []*store.EventMessage, err error) {
	ms = []*store.EventMessage{}
	err = s.read(func() error {
		rows, err := s.r.QueryContext(ctx, sqlPendingEventMessage)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m := &store.EventMessage{}
			if err := rows.Scan(&m.Key, &m.Queue, &m.ID, &m.Payload, &m.CreatedTime); err != nil {
				return err
			}
			ms = append(ms, m)
		}
		return rows.Err()
	})
	return ms, err
}

// applyMessages acknowledges, then publishes, a batch's event messages.
func applyMessages(ctx context.Context, tx *wtx, e *encodedBatch) error {
	for _, k := range e.acks {
		if _, err := tx.tx.ExecContext(ctx, sqlDeleteEventMessage, k); err != nil {
			return fmt.Errorf("acknowledge message %s: %w", k, err)
		}
	}
	for _, m := range e.messages {
		if _, err := tx.tx.ExecContext(ctx, sqlInsertEventMessage, m.Key, m.Queue, m.ID, m.Payload, m.CreatedTime); err != nil {
			return fmt.Errorf("publish message %s: %w", m.Key, err)
		}
	}
	return nil
}
