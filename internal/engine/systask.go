package engine

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/batonhq/baton/model"
)

// Async system tasks (WAIT, SUB_WORKFLOW, START_WORKFLOW, HTTP) run off the
// decide loop, as Conductor's SystemTaskWorker and AsyncSystemTaskExecutor
// run them. Conductor pushes them to a queue named after their type and
// polls it every 50 ms; here each is an entry "sys:<taskId>" on the engine's
// timer scheduler, due when its callback delay has passed, so a fake clock
// drives them in tests and nothing polls. Everything a run decides is a task
// row the store keeps: after a restart, rebuild arms every pending async
// system task again (an HTTP call that was in flight is made again).

// systemCallback is how long an async system task that did not finish waits
// before it is run again, when its kind says nothing else (Conductor's
// systemTaskWorkerCallbackDuration).
const systemCallback = 30 * time.Second

// offsetter is implemented by kinds that choose when an unfinished task is
// run again (WorkflowSystemTask.getEvaluationOffset).
type offsetter interface {
	evaluationOffset(e *Engine, t *model.WorkerTask) (time.Duration, bool)
}

// asyncCompleter is implemented by kinds whose tasks always complete
// through something outside the run (SubWorkflow.isAsyncComplete).
type asyncCompleter interface {
	alwaysAsyncComplete() bool
}

// offLoopStarter is implemented by kinds whose start blocks on the outside
// world (HTTP): prepare runs under the workflow's lock and returns the work
// to do without it; the work's result is applied under the lock again.
type offLoopStarter interface {
	prepare(e *Engine, x *execution, t *model.WorkerTask) offLoopJob
}

// offLoopJob does a task's blocking work and returns what to apply to the
// task when it is done.
type offLoopJob func(ctx context.Context) func(t *model.WorkerTask)

// sysRunner tracks the off-loop work of async system tasks: a bounded number
// run at once, the others wait in order.
type sysRunner struct {
	mu       sync.Mutex
	idle     *sync.Cond // signalled when inflight drops to 0
	slots    int
	running  int
	inflight int // launched and not finished, waiting ones included
	waiting  []func()
}

func newSysRunner(slots int) *sysRunner {
	r := &sysRunner{slots: slots}
	r.idle = sync.NewCond(&r.mu)
	return r
}

// never is the callback of a task that only the API ends (a WAIT with no
// time): Conductor's Integer.MAX_VALUE seconds. Such a task is not armed.
var never = secs(math.MaxInt32)

// armSystemTask makes the runner pick up an async system task after delay.
func (e *Engine) armSystemTask(t *model.WorkerTask, delay time.Duration) {
	if delay >= never {
		e.disarmSystemTask(t.TaskId)
		return
	}
	id, wf := t.TaskId, t.WorkflowInstanceId
	e.timers.schedule("sys:"+id, e.clock.Now().Add(max(delay, 0)), func() { e.runSystemTask(id, wf) })
}

// disarmSystemTask drops a pending pick-up.
func (e *Engine) disarmSystemTask(taskID string) { e.timers.cancel("sys:" + taskID) }

// runSystemTask runs one async system task: start when it is SCHEDULED,
// execute otherwise (AsyncSystemTaskExecutor.execute).
func (e *Engine) runSystemTask(taskID, workflowID string) {
	ctx := e.bg
	if ctx.Err() != nil {
		return
	}
	var job offLoopJob
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		t := x.taskByID(taskID)
		if t == nil || t.Status.IsTerminal() {
			return nil
		}
		c := newChanges()
		if x.wf.Status.IsTerminal() {
			t.Status = model.TaskCanceled
			t.ReasonForIncompletion = "Workflow is in " + string(x.wf.Status) + " state"
			c.update(t)
			return e.commit(ctx, x, c)
		}
		kind := e.kinds.get(t.TaskType)
		asyncComplete := e.asyncComplete(t)
		if t.Status == model.TaskScheduled || !asyncComplete {
			t.PollCount++
		}
		switch t.Status {
		case model.TaskScheduled:
			t.StartTime = e.clock.Now().UnixMilli()
			if s, ok := kind.(offLoopStarter); ok {
				// Persist the start first: a restart finds the task still
				// SCHEDULED and runs it again.
				job = s.prepare(e, x, t)
				c.update(t)
				return e.commit(ctx, x, c)
			}
			if err := kind.start(ctx, e, x, t); err != nil {
				return err
			}
		case model.TaskInProgress:
			if _, err := kind.execute(ctx, e, x, t); err != nil {
				return err
			}
		}
		return e.afterSystemRun(ctx, x, c, t)
	})
	if err != nil && ctx.Err() == nil && KindOf(err) != KindNotFound {
		e.log.Warn("system task run failed; retrying in 1s", "taskId", taskID, "err", err)
		e.timers.schedule("sys:"+taskID, e.clock.Now().Add(time.Second), func() { e.runSystemTask(taskID, workflowID) })
	}
	if job != nil {
		e.sys.launch(func() { e.finishOffLoop(taskID, workflowID, job(ctx)) })
	}
}

// finishOffLoop applies the result of a task's off-loop work, unless the
// task moved on meanwhile (cancelled, or its workflow ended) or the engine
// is stopping (then the task stays SCHEDULED and runs again after a restart).
func (e *Engine) finishOffLoop(taskID, workflowID string, apply func(t *model.WorkerTask)) {
	ctx := e.bg
	if ctx.Err() != nil {
		return
	}
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		t := x.taskByID(taskID)
		if t == nil || t.Status != model.TaskScheduled || x.wf.Status.IsTerminal() {
			return nil
		}
		apply(t)
		return e.afterSystemRun(ctx, x, newChanges(), t)
	})
	if err != nil && ctx.Err() == nil {
		e.log.Warn("system task result not recorded", "taskId", taskID, "err", err)
	}
}

// afterSystemRun records a run: a task that ended (or is left to complete
// from outside) is saved and its workflow decided; one still running is run
// again after its evaluation offset.
func (e *Engine) afterSystemRun(ctx context.Context, x *execution, c *changes, t *model.WorkerTask) error {
	c.update(t)
	if (e.asyncComplete(t) && t.Status != model.TaskScheduled) || t.Status.IsTerminal() {
		if t.Status.IsTerminal() {
			t.EndTime = e.clock.Now().UnixMilli()
		}
		c.pull(t.TaskId)
		if err := e.decide(ctx, x, c); err != nil {
			return err
		}
		if err := e.commit(ctx, x, c); err != nil {
			return err
		}
		if t.Status.IsTerminal() {
			e.obs.TaskFinished(t.TaskType, t.Status, msDuration(t.StartTime, t.EndTime))
		}
		return nil
	}
	delay := systemCallback
	if o, ok := e.kinds.get(t.TaskType).(offsetter); ok {
		if d, ok := o.evaluationOffset(e, t); ok {
			delay = d
		}
	}
	t.CallbackAfterSeconds = int64(delay / time.Second)
	c.push(t, delay)
	return e.commit(ctx, x, c)
}

// asyncComplete reports whether a system task completes from outside
// (WorkflowSystemTask.isAsyncComplete).
func (e *Engine) asyncComplete(t *model.WorkerTask) bool {
	if a, ok := e.kinds.get(t.TaskType).(asyncCompleter); ok && a.alwaysAsyncComplete() {
		return true
	}
	return e.kinds.isAsyncComplete(t)
}

// launch runs f on its own goroutine once a slot is free.
func (r *sysRunner) launch(f func()) {
	r.mu.Lock()
	r.inflight++
	if r.running >= r.slots {
		r.waiting = append(r.waiting, f)
		r.mu.Unlock()
		return
	}
	r.running++
	r.mu.Unlock()
	go r.run(f)
}

func (r *sysRunner) run(f func()) {
	for f != nil {
		f()
		r.mu.Lock()
		if r.inflight--; r.inflight == 0 {
			r.idle.Broadcast()
		}
		f = nil
		if len(r.waiting) > 0 {
			f, r.waiting = r.waiting[0], r.waiting[1:]
		} else {
			r.running--
		}
		r.mu.Unlock()
	}
}

// wait returns once no off-loop work is in flight.
func (r *sysRunner) wait() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.inflight > 0 {
		r.idle.Wait()
	}
}

// busy reports whether off-loop work is in flight or waiting.
func (r *sysRunner) busy() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.inflight > 0
}

// settle runs due timers and waits for off-loop work until neither leaves
// anything to do: the state tests look at once the engine has caught up.
func (e *Engine) settle() {
	for {
		e.timers.runDue()
		if !e.sys.busy() {
			return
		}
		e.sys.wait()
	}
}

// rearmSystemTask arms a pending async system task found in the store at
// Start: due once its callback has passed, counted from its last update.
func (e *Engine) rearmSystemTask(t *model.WorkerTask, now time.Time) {
	ref := t.UpdateTime
	if ref == 0 {
		ref = t.ScheduledTime
	}
	visible := time.UnixMilli(ref).Add(secs(t.CallbackAfterSeconds))
	e.armSystemTask(t, visible.Sub(now))
}

// notifyParent, once a sub-workflow has ended, has its parent's
// SUB_WORKFLOW task look at it (WorkflowExecutorOps.updateParentWorkflowTask).
// It runs as a run of the parent task, outside this workflow's lock: a
// parent locks its children, never the other way round.
//
// The wake-up has its own key, "notify:<taskId>", not the task's
// "sys:<taskId>": a child can end while its parent still holds its lock in
// the run that started it, and that run's commit disarms "sys:" (the task
// is async-complete, so it is pulled) — with the shared key it would drop
// this wake-up, and the parent would wait for a child that has ended.
// Nothing disarms "notify:"; a run for a task that has moved on does
// nothing.
func (e *Engine) notifyParent(x *execution) {
	if x.wf.ParentWorkflowTaskId == "" || x.wf.ParentWorkflowId == "" {
		return
	}
	id, wf := x.wf.ParentWorkflowTaskId, x.wf.ParentWorkflowId
	e.timers.schedule("notify:"+id, e.clock.Now(), func() { e.runSystemTask(id, wf) })
}
