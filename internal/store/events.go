package store

import (
	"context"

	"github.com/batonhq/baton/model"
)

// EventMessage is a message on one of the server's own ("conductor") event
// queues, kept from the batch that publishes it until the batch that
// acknowledges it: a message survives a crash and is handled at least once.
type EventMessage struct {
	// Key identifies this publication; AckMessages names it. The publisher
	// chooses it and it must be unique (a random id).
	Key string
	// Queue is the queue's name without its type, as Conductor's
	// ConductorObservableQueue names it ("workflow:queue").
	Queue string
	// ID is the message id Conductor gives it (the EVENT task's id, the
	// workflow's id); two publications may share one.
	ID string
	// Payload is the message body, JSON text.
	Payload string
	// CreatedTime is when it was published, in Unix milliseconds.
	CreatedTime int64
}

// EventStore keeps event handlers and reads back the event messages not yet
// acknowledged. Messages are written and acknowledged through Batch
// (Messages, AckMessages), atomically with the changes that publish or
// handle them.
type EventStore interface {
	// CreateEventHandler adds a handler, or returns ErrConflict if one has
	// its name. An empty name is ErrInvalid.
	CreateEventHandler(ctx context.Context, h *model.EventHandler) error
	// UpdateEventHandler replaces a handler by name, or returns ErrNotFound.
	UpdateEventHandler(ctx context.Context, h *model.EventHandler) error
	// DeleteEventHandler removes a handler, or returns ErrNotFound.
	DeleteEventHandler(ctx context.Context, name string) error
	// ListEventHandlers returns every handler, sorted by name.
	ListEventHandlers(ctx context.Context) ([]*model.EventHandler, error)
	// PendingEventMessages returns every message not acknowledged, in the
	// order they were published.
	PendingEventMessages(ctx context.Context) ([]*EventMessage, error)
}
