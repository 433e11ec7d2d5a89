package worker

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// worker is one task name and domain: its slots, its poller and its running
// executions.
type worker struct {
	h   *WorkerHost
	cfg WorkerConfig // resolved; read-only once started
	fn  uintptr      // funcIdentity of cfg.Func, to tell workers apart
	log *slog.Logger
	m   *taskMetrics

	// hot: the last poll or update-v2 brought a task, so the queue likely
	// has more. Polls then ask for every free slot with a short wait, and
	// results go to update-v2 (useV2).
	hot atomic.Bool

	mu       sync.Mutex
	capacity int // slots (batch size)
	running  int // slots held
	paused   bool
	stopping bool
	parked   bool // the poller waits on wake for a free slot or Resume
	wakeups  int  // times the parked poller woke; tests prove idle means idle
	execs    map[*execution]struct{}
	leases   leaseQueue
	wake     chan struct{} // capacity 1
}

func newWorker(h *WorkerHost, cfg WorkerConfig, fn uintptr, m *taskMetrics) *worker {
	log := cfg.Logger.With("task_type", cfg.TaskName)
	if cfg.Domain != "" {
		log = log.With("domain", cfg.Domain)
	}
	return &worker{
		h: h, cfg: cfg, fn: fn, log: log, m: m,
		capacity: cfg.Concurrency, paused: cfg.Paused,
		execs: map[*execution]struct{}{}, wake: make(chan struct{}, 1),
	}
}

// pollLoop is the worker's only goroutine while it waits for work. It polls
// for as many tasks as there are free slots and parks, without any timer,
// while every slot is busy or the worker is paused.
//
// An idle worker long-polls for one task: Conductor holds a batch poll until
// it has count tasks or the timeout passes, so asking for more would delay a
// lone task by the whole timeout. Once a poll brings tasks the worker is
// "hot" and asks for every free slot with a short wait, until a poll comes
// back empty.
func (w *worker) pollLoop() {
	defer w.h.pollers.add(-1)
	var errs, idle int
	for {
		free, ok := w.awaitSlots()
		if !ok {
			return
		}
		count, timeout := free, w.cfg.PollTimeout
		hot := w.hot.Load()
		switch {
		case hot:
			timeout = min(timeout, hotPollTimeout)
		case timeout > hotPollTimeout:
			count = 1
		}
		start := w.h.clock.Now()
		tasks, err := w.poll(count, timeout)
		elapsed := w.h.clock.Now().Sub(start)
		if len(tasks) > 0 {
			w.hot.Store(true) // before the tasks run: their results read it (useV2)
		}
		got := w.dispatch(tasks, count)
		if err != nil {
			if w.isStopping() {
				return
			}
			errs++
			w.hot.Store(false)
			w.h.failures.pollFailed(w.log, errs, err)
			if !sleep(w.h.clock, w.h.backoff.delay(errs), w.h.stopCh) {
				return
			}
			continue
		}
		if errs > 0 {
			w.log.Info("worker: polling again after failures", "failures", errs)
			errs = 0
		}
		var delay time.Duration
		switch {
		case got > 0:
			idle = 0
		case hot:
			w.hot.Store(false) // the queue is drained: back to a long poll, at once
		case timeout > 0 && elapsed >= timeout*3/4:
			idle = 0 // the server held the poll: it is safe to ask again at once
		default:
			idle++
			delay = idleDelay(idle, w.cfg.PollInterval)
		}
		if !sleep(w.h.clock, delay, w.h.stopCh) {
			return
		}
	}
}

// awaitSlots blocks until the worker may poll and returns its free slots, or
// reports false once the host stops.
func (w *worker) awaitSlots() (int, bool) {
	for {
		w.mu.Lock()
		if w.stopping {
			w.mu.Unlock()
			return 0, false
		}
		free := w.capacity - w.running
		if !w.paused && free > 0 {
			w.parked = false
			w.mu.Unlock()
			return free, true
		}
		reason := "full"
		if w.paused {
			reason = "paused"
			w.m.paused.Inc()
		} else {
			w.m.queueFull.Inc()
		}
		w.parked = true
		w.mu.Unlock()
		if f := w.h.cfg.hooks.parked; f != nil {
			f(w.cfg.TaskName, reason)
		}
		select {
		case <-w.wake:
			w.mu.Lock()
			w.wakeups++
			w.mu.Unlock()
		case <-w.h.stopCh:
			return 0, false
		}
	}
}

// signalLocked wakes a parked poller when it can poll. Called with w.mu held
// after anything that frees a slot or lifts a pause.
func (w *worker) signalLocked() {
	if w.parked && !w.paused && w.running < w.capacity {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

func (w *worker) poll(count int, timeout time.Duration) ([]model.WorkerTask, error) {
	opts := client.BatchPollOptions{Count: count, Timeout: max(timeout, 0), Domain: w.cfg.Domain, WorkerID: w.cfg.WorkerID, PollerID: w.h.pollerID}
	ctx, cancel := context.WithTimeout(w.h.pollCtx, max(timeout, 0)+w.h.cfg.RequestTimeout)
	defer cancel()
	w.m.pollTotal.Inc()
	start := w.h.clock.Now()
	tasks, err := w.h.tasks.BatchPoll(ctx, w.cfg.TaskName, opts)
	if err != nil {
		w.m.pollFail.Observe(w.h.clock.Now().Sub(start).Seconds())
		w.m.pollError(err)
		return nil, err
	}
	w.m.pollOK.Observe(w.h.clock.Now().Sub(start).Seconds())
	return tasks, nil
}

// dispatch starts a goroutine for each polled task. It hands tasks back
// when the host began to stop while the poll was under way, or when a server
// sent more than asked for: the worker never holds more than it can run. It
// returns how many tasks it started.
func (w *worker) dispatch(tasks []model.WorkerTask, asked int) int {
	started := 0
	now := w.h.clock.Now()
	for i := range tasks {
		if tasks[i].TaskId == "" || tasks[i].WorkflowInstanceId == "" {
			w.log.Error("worker: server sent a task without taskId or workflowInstanceId; ignoring it",
				"task_id", tasks[i].TaskId, "workflow_id", tasks[i].WorkflowInstanceId)
			continue
		}
		if i >= asked {
			w.log.Warn("worker: server sent more tasks than asked for; handing the extra one back", "task_id", tasks[i].TaskId)
			w.handBackAsync(&execution{w: w, task: &tasks[i], received: now, state: stHandingBack})
			continue
		}
		e, ok := w.admit(&tasks[i], now)
		if !ok {
			w.handBackAsync(e)
			continue
		}
		w.h.runs.add(1)
		started++
		go w.run(e)
	}
	return started
}

func (w *worker) isStopping() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stopping
}

// stop makes the poller exit after its current poll.
func (w *worker) stop() {
	w.mu.Lock()
	w.stopping = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}
