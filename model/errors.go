package model

import "errors"

// TerminalError marks a task failure that must not be retried: a worker that
// returns one (directly or wrapped) reports FAILED_WITH_TERMINAL_ERROR.
type TerminalError struct{ Err error }

// NewTerminalError wraps err so the task fails without retries.
func NewTerminalError(err error) *TerminalError { return &TerminalError{Err: err} }

// NewNonRetryableError is the official Go SDK's name for NewTerminalError.
func NewNonRetryableError(err error) *TerminalError { return NewTerminalError(err) }

func (e *TerminalError) Error() string {
	if e == nil || e.Err == nil {
		return "terminal error"
	}
	return e.Err.Error()
}

// Unwrap returns the wrapped error.
func (e *TerminalError) Unwrap() error { return e.Err }

// IsTerminalError reports whether err is or wraps a *TerminalError.
func IsTerminalError(err error) bool {
	var te *TerminalError
	return errors.As(err, &te)
}
