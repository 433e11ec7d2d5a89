package worker

import (
	"container/heap"
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

// startLease queues the lease events of a task that has a response
// timeout: the extension at leaseExtendAt of it, and the expiry.
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
	if !w.cfg.DisableLeaseExtension {
		e.extendAt = e.leaseDeadline.Add(-time.Duration(float64(rt) * (1 - leaseExtendAt)))
	}
	w.queueLeaseLocked(e)
}

// stopLeaseLocked takes e's lease events off the queue. Called with w.mu
// held. The timer stops when the queue is empty; otherwise it is left to
// fire, perhaps early, and find the next event then.
func (w *worker) stopLeaseLocked(e *execution) {
	if e.leaseIndex == 0 {
		return
	}
	heap.Remove(&w.leases, e.leaseIndex-1)
	if w.leases.Len() == 0 && !w.leases.at.IsZero() {
		w.leases.timer.Stop()
		w.leases.at = time.Time{}
	}
}

// leaseQueue is a worker's running executions that have a lease, ordered
// by their next lease event, behind one timer: two timers per task cost
// more than the rest of the worker's bookkeeping (docs/benchmarks.md), and
// most tasks finish long before either event.
type leaseQueue struct {
	items []*execution
	timer timer     // nil until first armed
	at    time.Time // when timer fires; zero: not armed
}

// leaseNext is e's next lease event: the extension when one is due before
// the expiry, else the expiry.
func (e *execution) leaseNext() time.Time {
	if !e.extendAt.IsZero() && e.extendAt.Before(e.leaseDeadline) {
		return e.extendAt
	}
	return e.leaseDeadline
}

func (q *leaseQueue) Len() int { return len(q.items) }

func (q *leaseQueue) Less(i, j int) bool {
	return q.items[i].leaseNext().Before(q.items[j].leaseNext())
}

func (q *leaseQueue) Swap(i, j int) {
	q.items[i], q.items[j] = q.items[j], q.items[i]
	q.items[i].leaseIndex, q.items[j].leaseIndex = i+1, j+1
}

func (q *leaseQueue) Push(x any) {
	e := x.(*execution)
	q.items = append(q.items, e)
	e.leaseIndex = len(q.items)
}

func (q *leaseQueue) Pop() any {
	e := q.items[len(q.items)-1]
	q.items[len(q.items)-1] = nil
	q.items = q.items[:len(q.items)-1]
	e.leaseIndex = 0
	return e
}

// queueLeaseLocked puts e in the queue, or moves it after its events
// changed, and arms the timer for the first event. Called with w.mu held.
func (w *worker) queueLeaseLocked(e *execution) {
	if e.leaseIndex > 0 {
		heap.Fix(&w.leases, e.leaseIndex-1)
	} else {
		heap.Push(&w.leases, e)
	}
	w.armLeasesLocked()
}

// armLeasesLocked sets the timer to the first event in the queue, unless it
// is set for then already. Called with w.mu held.
func (w *worker) armLeasesLocked() {
	q := &w.leases
	if q.Len() == 0 {
		return
	}
	next := q.items[0].leaseNext()
	if next.Equal(q.at) {
		return
	}
	q.at = next
	d := next.Sub(w.h.clock.Now())
	if q.timer == nil {
		q.timer = w.h.clock.AfterFunc(d, w.leaseTick)
		return
	}
	q.timer.Reset(d)
}

// leaseTick starts the extensions that are due and cancels the tasks whose
// lease has expired, then arms the timer for what comes next.
func (w *worker) leaseTick() {
	w.mu.Lock()
	now := w.h.clock.Now()
	w.leases.at = time.Time{}
	var extend, expired []*execution
	for w.leases.Len() > 0 {
		e := w.leases.items[0]
		if e.leaseNext().After(now) {
			break
		}
		if !e.extendAt.IsZero() && e.extendAt.Before(e.leaseDeadline) {
			e.extendAt = time.Time{} // in flight; the expiry stays queued
			heap.Fix(&w.leases, 0)
			extend = append(extend, e)
			continue
		}
		heap.Pop(&w.leases)
		expired = append(expired, e)
	}
	w.armLeasesLocked()
	w.mu.Unlock()
	for _, e := range extend {
		go w.extendLease(e)
	}
	for _, e := range expired {
		w.leaseExpired(e)
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
		e.extendAt = now.Add(time.Duration(float64(rt) * leaseExtendAt))
		w.queueLeaseLocked(e)
	case errors.Is(err, client.ErrNotFound):
		w.log.Warn("worker: server no longer knows the task; cancelling its context", "task_id", e.task.TaskId, "error", err)
		e.cancel(ErrLeaseLost)
	default:
		w.m.updateError(err)
		e.extendAttempt++
		d := w.h.backoff.delay(e.extendAttempt)
		if now.Add(d).Before(e.leaseDeadline) {
			e.extendAt = now.Add(d)
			w.queueLeaseLocked(e)
		}
		w.log.Warn("worker: lease extension failed", "task_id", e.task.TaskId, "attempt", e.extendAttempt, "error", err)
	}
}
