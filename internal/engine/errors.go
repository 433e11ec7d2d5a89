package engine

import (
	"errors"
	"fmt"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Kind classifies an engine error; the API layer maps it to an HTTP status
// as Conductor does (ApplicationExceptionMapper).
type Kind int

// Error kinds.
const (
	// KindInvalid is a client mistake: 400.
	KindInvalid Kind = iota + 1
	// KindNotFound is an unknown workflow, task or definition: 404.
	KindNotFound
	// KindConflict is a resource in the wrong state or already there: 409.
	KindConflict
	// KindUnavailable is a transient server condition: 503, retryable.
	KindUnavailable
	// KindInternal is a server fault: 500.
	KindInternal
)

// Error is an engine error with its kind, message and, for validation
// failures, the failed constraints.
type Error struct {
	Kind             Kind
	Message          string
	ValidationErrors []model.ValidationError
	// Status overrides the HTTP status where Conductor answers one that does
	// not follow from Kind (e.g. 404 for retrying a running workflow).
	Status int
	// RetryAfter, on a KindUnavailable error, is how long the client should
	// wait before trying again (the Retry-After header); 0 leaves it to the
	// API's default.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error with Conductor's summary message.
func Invalid(errs ...model.ValidationError) *Error {
	return &Error{Kind: KindInvalid, Message: "Validation failed, check below errors for detail.", ValidationErrors: errs}
}

// KindOf returns the kind of err, KindInternal for errors that are not *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// notFound, conflict and badRequest build the errors Conductor raises as
// NotFoundException (404), ConflictException (409) and
// IllegalArgumentException (400).
func notFound(format string, args ...any) *Error { return Errorf(KindNotFound, format, args...) }

func conflict(format string, args ...any) *Error { return Errorf(KindConflict, format, args...) }

func badRequest(format string, args ...any) *Error { return Errorf(KindInvalid, format, args...) }

// withStatus returns e answering with an HTTP status that does not follow
// from its kind (Conductor's 404 for retrying a running workflow).
func withStatus(e *Error, status int) *Error {
	e.Status = status
	return e
}

// StorageRetryAfter is the Retry-After of a write refused because the
// storage cannot take it (store.ErrUnavailable): long enough for an
// operator's fix or a stuck disk to come back, short enough that clients
// notice soon.
const StorageRetryAfter = 5 * time.Second

// internalf wraps a server fault (a store failure) with short context. A
// write the storage could not take (store.ErrUnavailable: full disk,
// read-only file, stuck writer) is KindUnavailable: nothing was applied
// and the client may try again.
func internalf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	msg := fmt.Sprintf(format, args...) + ": " + err.Error()
	if errors.Is(err, store.ErrUnavailable) {
		return &Error{Kind: KindUnavailable, Message: msg + "; nothing was changed, try again later", RetryAfter: StorageRetryAfter, Err: err}
	}
	return &Error{Kind: KindInternal, Message: msg, Err: err}
}
