package worker

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// FailureLogInterval is how often, at most, a host logs that its polls keep
// failing: the first failure is logged at once, later ones at most once per
// interval with the number left out, so a dead server costs a few lines,
// not one per retry.
const FailureLogInterval = 30 * time.Second

// failureLog rate-limits the host's poll failure lines (one limiter for all
// its workers: a dead server fails them all at once).
type failureLog struct {
	clock clock
	url   string

	mu         sync.Mutex
	last       time.Time // when a line was last written; zero before the first
	suppressed int       // failures left out since then
}

// pollFailed logs err, a failed poll of the worker logging to log, unless a
// line went out less than FailureLogInterval ago. failures is how many of
// the worker's polls in a row have failed.
func (f *failureLog) pollFailed(log *slog.Logger, failures int, err error) {
	now := f.clock.Now()
	f.mu.Lock()
	if !f.last.IsZero() && now.Sub(f.last) < FailureLogInterval {
		f.suppressed++
		f.mu.Unlock()
		return
	}
	suppressed := f.suppressed
	f.last, f.suppressed = now, 0
	f.mu.Unlock()

	attrs := []any{"url", f.url, "failures_in_a_row", failures, "error", err}
	if suppressed > 0 {
		attrs = append(attrs, "not_logged_since_last_line", suppressed)
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		log.Warn("worker: poll timed out; is the server at this URL overloaded, or a proxy holding the request? backing off", attrs...)
	case netErr != nil:
		// Refused, reset, unknown host: nothing answered at this URL.
		log.Warn("worker: cannot reach the server; is it running, and is the URL right? backing off", attrs...)
	default:
		// The server answered: its error says what is wrong (and a 404
		// for a base URL without /api says which URL was meant).
		log.Warn("worker: poll failed; backing off", attrs...)
	}
}
