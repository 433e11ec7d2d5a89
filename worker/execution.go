package worker

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/batonhq/baton/model"
)

// execState is where one polled task stands. Transitions happen under the
// worker's mutex: running → delivering → done, or running → handingBack →
// done when the shutdown deadline passes first.
type execState uint8

const (
	stRunning     execState = iota // the handler runs
	stDelivering                   // the result is on its way to the server
	stHandingBack                  // shutdown took the task back from its handler
	stDone                         // slot released
)

// execution is one task delivery from the server to this worker.
type execution struct {
	w        *worker
	task     *model.WorkerTask // carries ctx
	cancel   context.CancelCauseFunc
	received time.Time
	hasSlot  bool

	// Guarded by w.mu.
	state         execState
	leaseDeadline time.Time // when the server's lease has certainly expired; zero: no lease
	extendAt      time.Time // next lease extension; zero: none due (disabled, in flight, given up)
	extendAttempt int
	leaseIndex    int // position in w.leases plus one; 0: not queued
}

// admit takes a slot for a polled task, or reports false (with an execution
// to hand back) when the host is stopping.
func (w *worker) admit(t *model.WorkerTask, now time.Time) (*execution, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopping {
		return &execution{w: w, task: t, received: now, state: stHandingBack}, false
	}
	e := w.newExecutionLocked(t, now)
	w.running++
	w.h.slots.add(1)
	return e, true
}

// newExecutionLocked registers a running execution in a slot the caller
// holds.
func (w *worker) newExecutionLocked(t *model.WorkerTask, now time.Time) *execution {
	// Not a child of a host-wide context: registering every task with one
	// parent would take its lock twice per task. The shutdown cancels what
	// is left itself (cancelExecutions).
	ctx, cancel := context.WithCancelCause(context.Background())
	e := &execution{w: w, task: t.WithContext(ctx), cancel: cancel, received: now, hasSlot: true}
	w.execs[e] = struct{}{}
	return e
}

// run executes a task and delivers its result, then the next task update-v2
// handed back for the same slot, until there is none.
//
// The shutdown waits for these goroutines through h.runs, except for one
// whose handler outlived the shutdown deadline: abandonRunning stops counting
// it there, and it counts itself out of h.stuck when the handler returns.
func (w *worker) run(e *execution) {
	for e != nil {
		r := w.execute(e)
		if r == nil {
			w.h.stuck.add(-1) // handed back while the handler ran
			return
		}
		next, _ := w.send(e, r, false)
		e = w.finish(e, next)
	}
	w.h.runs.add(-1)
}

// execute runs the handler and turns what it returned into a result. It
// returns nil when the shutdown handed the task back meanwhile. If the
// handler ends its goroutine (runtime.Goexit, as t.FailNow does in a test),
// execute never returns: call carries on in a new goroutine.
func (w *worker) execute(e *execution) *model.TaskResult {
	w.startLease(e)
	w.m.execStarted.Inc()
	w.m.active.Inc()
	start := w.h.clock.Now()
	out, p, err := w.call(e, start)
	return w.afterHandler(e, out, err, p, start)
}

// call runs the handler, turning a panic into a value so the worker keeps
// running.
func (w *worker) call(e *execution, start time.Time) (out any, p *panicValue, err error) {
	returned := false
	defer func() {
		if v := recover(); v != nil {
			p = &panicValue{value: v, stack: debug.Stack()}
			return
		}
		if !returned {
			// runtime.Goexit: this goroutine ends after the deferred calls;
			// another one reports the task and takes over its slot.
			go w.continueAfterGoexit(e, start)
		}
	}()
	out, err = w.cfg.Func(e.task)
	returned = true
	return out, nil, err
}

var errGoexit = errors.New("worker: task function called runtime.Goexit (t.FailNow in a test?) before returning")

func (w *worker) continueAfterGoexit(e *execution, start time.Time) {
	w.log.Error("worker: task function ended its goroutine", "task_id", e.task.TaskId)
	r := w.afterHandler(e, nil, errGoexit, nil, start)
	if r == nil {
		w.h.stuck.add(-1)
		return
	}
	next, _ := w.send(e, r, false)
	w.run(w.finish(e, next))
}

// afterHandler builds the result of a handler that returned, records it in
// the metrics and moves e on to delivery, or returns nil when the task was
// handed back while the handler ran.
func (w *worker) afterHandler(e *execution, out any, err error, p *panicValue, start time.Time) *model.TaskResult {
	elapsed := w.h.clock.Now().Sub(start).Seconds()
	w.m.active.Dec()
	var r *model.TaskResult
	var kind string
	if p != nil {
		r, kind = p.result(e.task, w.cfg.WorkerID, w.h.clock.Now()), "panic"
		w.m.uncaught("panic")
		w.log.Error("worker: task function panicked", "task_id", e.task.TaskId, "panic", p.value)
	} else {
		r, kind = buildResult(e.task, w.cfg.WorkerID, out, err)
	}
	if r.Status.IsSuccessful() {
		w.m.execOK.Observe(elapsed)
	} else {
		w.m.execFail.Observe(elapsed)
		w.m.execError(kind)
	}

	w.mu.Lock()
	if e.state != stRunning { // handed back (and maybe already reported) meanwhile
		w.mu.Unlock()
		w.drop(r, "handed_back", nil)
		return nil
	}
	e.state = stDelivering
	w.stopLeaseLocked(e)
	w.mu.Unlock()
	return r
}

// panicValue is a recovered panic and where it happened.
type panicValue struct {
	value any
	stack []byte
}

// result fails the task (retries allowed: a panic may be a passing state)
// with the panic value as reason and the stack in the task's log.
func (p *panicValue) result(t *model.WorkerTask, workerID string, now time.Time) *model.TaskResult {
	reason := fmt.Sprintf("panic: %v", p.value)
	r := &model.TaskResult{
		TaskId: t.TaskId, WorkflowInstanceId: t.WorkflowInstanceId, WorkerId: workerID,
		Status: model.FailedTask, ReasonForIncompletion: reason, OutputData: map[string]any{},
	}
	r.Log(reason+"\n"+string(p.stack), now.UnixMilli())
	return r
}

// finish ends e once its result was delivered or dropped. When update-v2
// brought the next task, the slot passes to it and finish returns its
// execution; a task that arrives while the host stops is handed back.
func (w *worker) finish(e *execution, next *model.WorkerTask) *execution {
	now := w.h.clock.Now()
	w.mu.Lock()
	delete(w.execs, e)
	e.state = stDone
	e.cancel(errTaskDone)
	if next == nil {
		w.releaseLocked()
		w.mu.Unlock()
		return nil
	}
	if w.stopping {
		ne := &execution{w: w, task: next, received: now, state: stHandingBack, hasSlot: true, cancel: func(error) {}}
		w.execs[ne] = struct{}{}
		w.mu.Unlock()
		w.handBack(ne)
		return nil
	}
	ne := w.newExecutionLocked(next, now)
	w.mu.Unlock()
	return ne
}

// releaseLocked frees a slot. Called with w.mu held.
func (w *worker) releaseLocked() {
	w.running--
	w.h.slots.add(-1)
	w.signalLocked()
}

// handBack reports an unfinished task as IN_PROGRESS with no callback delay,
// so the server queues it again at once instead of waiting out its response
// timeout (Conductor's updateTask requeues IN_PROGRESS worker tasks with
// callbackAfterSeconds as the delay). The slot, if any, is then freed.
func (w *worker) handBack(e *execution) {
	r := &model.TaskResult{
		TaskId: e.task.TaskId, WorkflowInstanceId: e.task.WorkflowInstanceId, WorkerId: w.cfg.WorkerID,
		Status: model.InProgressTask, CallbackAfterSeconds: 0,
	}
	r.Log("worker "+w.cfg.WorkerID+" stopped before the task finished; handed back for another worker",
		w.h.clock.Now().UnixMilli())
	if _, ok := w.send(e, r, true); ok {
		w.m.handedBack.Inc()
		w.log.Info("worker: unfinished task handed back", "task_id", e.task.TaskId)
	}
	if !e.hasSlot {
		return
	}
	w.mu.Lock()
	delete(w.execs, e)
	e.state = stDone
	w.stopLeaseLocked(e)
	w.releaseLocked()
	w.mu.Unlock()
	e.cancel(errTaskDone)
}

// handBackAsync hands back a task the worker holds no slot for, on a
// goroutine of its own: the poll loop must not wait out the retries of a
// hand-back while the server answers 5xx. The retries end with the task's
// response timeout, after which the server queues the task again anyway.
func (w *worker) handBackAsync(e *execution) {
	if secs := e.task.ResponseTimeoutSeconds; secs > 0 {
		e.leaseDeadline = e.received.Add(time.Duration(secs) * time.Second)
	}
	w.h.aux.add(1)
	go func() {
		defer w.h.aux.add(-1)
		w.handBack(e)
	}()
}

// abandonRunning takes back every task whose handler still runs: their
// contexts are cancelled with cause and each is handed back to the server.
// Called when the shutdown deadline has come; returns how many it took.
func (w *worker) abandonRunning(cause error) int {
	w.mu.Lock()
	var taken []*execution
	for e := range w.execs {
		if e.state == stRunning {
			e.state = stHandingBack
			w.stopLeaseLocked(e)
			w.h.runs.add(-1)
			w.h.stuck.add(1)
			taken = append(taken, e)
		}
	}
	w.mu.Unlock()
	for _, e := range taken {
		e.cancel(cause)
		w.h.aux.add(1)
		go func() {
			defer w.h.aux.add(-1)
			w.handBack(e)
		}()
	}
	return len(taken)
}

// cancelExecutions cancels the context of every task still registered, the
// last step of a shutdown: their handlers are past waiting for.
func (w *worker) cancelExecutions() {
	w.mu.Lock()
	left := make([]*execution, 0, len(w.execs))
	for e := range w.execs {
		left = append(left, e)
	}
	w.mu.Unlock()
	for _, e := range left {
		e.cancel(context.Canceled)
	}
}
