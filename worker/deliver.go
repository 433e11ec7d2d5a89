package worker

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// send delivers r, the result of e, and returns the task update-v2 handed
// back for the freed slot, if any. Network errors, 5xx and 429 are retried
// with back-off until the server takes the result or the task's lease has
// certainly expired (after which the server has re-queued the task); other
// answers are final. A result that does not get through is counted and
// logged as dropped, and ok is false.
//
// handBack sends with POST /api/tasks only: a task handed back must not bring
// a new one.
func (w *worker) send(e *execution, r *model.TaskResult, handBack bool) (next *model.WorkerTask, ok bool) {
	h := w.h
	reencoded := false
	for attempt := 1; ; attempt++ {
		v2 := !handBack && w.useV2(r)
		ctx, cancel := h.sendContext()
		start := h.clock.Now()
		var err error
		if v2 {
			next, err = h.tasks.UpdateV2(ctx, r)
		} else {
			_, err = h.tasks.Update(ctx, r)
		}
		cancel()
		elapsed := h.clock.Now().Sub(start).Seconds()
		if err == nil {
			w.m.updateOK.Observe(elapsed)
			if v2 {
				w.hot.Store(next != nil)
			}
			return next, true
		}
		w.m.updateFail.Observe(elapsed)
		switch {
		case v2 && errors.Is(err, client.ErrUnsupported):
			if h.v2Off.CompareAndSwap(false, true) {
				h.log.Info("worker: server has no POST /api/tasks/update-v2; sending results to POST /api/tasks", "error", err)
			}
			attempt--
			continue
		case isEncodeError(err) && !reencoded:
			w.log.Error("worker: task output cannot be encoded; failing the task", "task_id", r.TaskId, "error", err)
			w.m.execError("output_encoding")
			failUnencodable(r, err)
			reencoded = true
			attempt--
			continue
		}
		w.m.updateError(err)
		switch {
		case h.sendCtx.Err() != nil:
			w.drop(r, "shutdown", err)
			return nil, false
		case !retryable(err):
			w.drop(r, "rejected", err)
			return nil, false
		case !idempotent(r) && mayHaveArrived(err):
			// The server may have applied this IN_PROGRESS result already
			// and handed the task to another worker since; resending it
			// would take the task from that worker and run it twice. The
			// task's response timeout recovers it if the result never
			// arrived.
			w.drop(r, "uncertain", err)
			return nil, false
		}
		d := h.backoff.delay(attempt)
		if deadline := w.leaseDeadline(e); !deadline.IsZero() && !h.clock.Now().Add(d).Before(deadline) {
			w.drop(r, "lease_expired", err)
			return nil, false
		}
		if attempt&(attempt-1) == 0 {
			w.log.Warn("worker: result update failed; retrying", "task_id", r.TaskId, "attempt", attempt, "error", err)
		}
		if !sleep(h.clock, d, h.sendCtx.Done()) {
			w.drop(r, "shutdown", err)
			return nil, false
		}
	}
}

// useV2 reports whether r should go to update-v2: a final result, on a
// server that has it, for a slot the worker will fill again, while the queue
// is likely to hold a task. Conductor answers update-v2 with a poll that
// waits 100 ms for a task when there is none (ExecutionService's
// POLLING_TIMEOUT_IN_MS; 107 ms median against 5 ms for POST /api/tasks on
// an empty queue), so a worker whose queue ran dry sends results to
// POST /api/tasks and waits for work in its own long poll.
func (w *worker) useV2(r *model.TaskResult) bool {
	if w.cfg.DisableUpdateV2 || w.h.v2Off.Load() || !r.Status.IsTerminal() || !w.hot.Load() {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.stopping && !w.paused && w.running <= w.capacity
}

// retryable reports whether the same update may succeed later.
func retryable(err error) bool {
	var ae *client.APIError
	if errors.As(err, &ae) {
		return ae.Retryable()
	}
	return !errors.Is(err, context.Canceled)
}

// idempotent reports whether sending r twice has the effect of sending it
// once: a final result (the server ignores updates to a finished task) or a
// lease extension. An IN_PROGRESS result re-queues the task, so it is not.
func idempotent(r *model.TaskResult) bool {
	return r.ExtendLease || r.Status != model.InProgressTask
}

// mayHaveArrived reports whether a failed request may still have reached the
// server: anything but an answer from the server (which applies a result
// whole or not at all) or a connection that was never made.
func mayHaveArrived(err error) bool {
	var ae *client.APIError
	if errors.As(err, &ae) {
		return false
	}
	var op *net.OpError
	return !errors.As(err, &op) || op.Op != "dial"
}

func (w *worker) leaseDeadline(e *execution) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return e.leaseDeadline
}

// drop counts and logs a result that will never reach the server. A result
// whose task was handed back is counted too, but it is no loss: the server
// runs the task again. Reasons: rejected (a 4xx), lease_expired, shutdown,
// handed_back, uncertain (an IN_PROGRESS result not resent because it may
// have arrived).
func (w *worker) drop(r *model.TaskResult, reason string, err error) {
	w.m.drop(reason)
	level := slog.LevelWarn
	if reason != "handed_back" {
		w.h.dropped.Add(1)
		level = slog.LevelError
	}
	w.log.Log(context.Background(), level, "worker: task result dropped", "task_id", r.TaskId,
		"workflow_id", r.WorkflowInstanceId, "status", r.Status, "reason", reason, "error", err)
}
