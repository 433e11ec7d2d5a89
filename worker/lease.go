package worker

import (
	"errors"
	"math"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// Conductor times a task out when its worker has not reported within the
// task's responseTimeoutSeconds, counted from the poll or the last
// extendLease update (WorkflowExecutorOps.extendLease resets updateTime).
// While a handler runs, the worker extends the lease at leaseExtendAt of that
// time, as the Java and Python SDKs do, and cancels the task's context once
// the lease has certainly expired: the server will have handed the task to
// someone else, so the work can stop.
const leaseExtendAt = 0.8

// leaseDuration is the task's response timeout, or 0 when it has none. A
// value too large for a time.Duration (a malformed task) counts as none.
func leaseDuration(t *model.WorkerTask) time.Duration {
	s := t.ResponseTimeoutSeconds
	if s <= 0 || s > int64(math.MaxInt64/time.Second) {
		return 0
	}
	return time.Duration(s) * time.Second
}

// startLease arms the lease timers of a task that has a response timeout.
func (w *worker) startLease(e *execution) {
	rt := leaseDuration(e.task)
	if rt <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if e.state != stRunning {
		return
	}
	// The server started the lease before its answer left; counting from
	// the moment the answer arrived bounds the expiry from above.
	e.leaseDeadline = e.received.Add(rt)
	left := e.leaseDeadline.Sub(w.h.clock.Now())
	e.expiry = w.h.clock.AfterFunc(left, func() { w.leaseExpired(e) })
	if !w.cfg.DisableLeaseExtension {
		e.extend = w.h.clock.AfterFunc(left-time.Duration(float64(rt)*(1-leaseExtendAt)), func() { w.extendLease(e) })
	}
}

// stopLeaseLocked disarms the lease timers. Called with w.mu held.
func (w *worker) stopLeaseLocked(e *execution) {
	if e.expiry != nil {
		e.expiry.Stop()
	}
	if e.extend != nil {
		e.extend.Stop()
	}
}

func (w *worker) leaseExpired(e *execution) {
	w.mu.Lock()
	lost := e.state == stRunning && !w.h.clock.Now().Before(e.leaseDeadline)
	w.mu.Unlock()
	if lost {
		w.log.Warn("worker: task lease expired before the task finished; cancelling its context",
			"task_id", e.task.TaskId, "response_timeout_seconds", e.task.ResponseTimeoutSeconds)
		e.cancel(ErrLeaseLost)
	}
}

// extendLease tells the server the task is still being worked on. On
// success the lease runs responseTimeoutSeconds from now; on a passing error
// it is tried again after a back-off while the lease lasts; a server that no
// longer knows the task has taken the lease away.
func (w *worker) extendLease(e *execution) {
	w.mu.Lock()
	if e.state != stRunning {
		w.mu.Unlock()
		return
	}
	w.h.aux.add(1) // under w.mu: the shutdown cannot have passed its last wait yet
	w.mu.Unlock()
	defer w.h.aux.add(-1)

	rt := leaseDuration(e.task)
	r := &model.TaskResult{
		TaskId: e.task.TaskId, WorkflowInstanceId: e.task.WorkflowInstanceId, WorkerId: w.cfg.WorkerID,
		Status: model.InProgressTask, ExtendLease: true,
	}
	ctx, cancel := w.h.sendContext()
	_, err := w.h.tasks.Update(ctx, r)
	cancel()
	now := w.h.clock.Now()

	w.mu.Lock()
	defer w.mu.Unlock()
	if e.state != stRunning {
		return
	}
	switch {
	case err == nil:
		w.m.leaseExtended.Inc()
		e.extendAttempt = 0
		e.leaseDeadline = now.Add(rt)
		e.expiry.Reset(rt)
		e.extend.Reset(time.Duration(float64(rt) * leaseExtendAt))
	case errors.Is(err, client.ErrNotFound):
		w.log.Warn("worker: server no longer knows the task; cancelling its context", "task_id", e.task.TaskId, "error", err)
		e.cancel(ErrLeaseLost)
	default:
		w.m.updateError(err)
		e.extendAttempt++
		d := w.h.backoff.delay(e.extendAttempt)
		if now.Add(d).Before(e.leaseDeadline) {
			e.extend.Reset(d)
		}
		w.log.Warn("worker: lease extension failed", "task_id", e.task.TaskId, "attempt", e.extendAttempt, "error", err)
	}
}
