package engine

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/batonhq/baton/internal/jq"
	"github.com/batonhq/baton/internal/script"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Engine runs workflows: it keeps definitions, starts executions, decides
// what runs next, hands tasks to polling workers, applies their results,
// retries and times out, always through the Store. Every method is safe for
// concurrent use; changes to one workflow are serialised by a per-workflow
// lock, and each request's changes reach the store in one atomic batch.
type Engine struct {
	cfg      Config
	st       store.Store
	clock    Clock
	log      *slog.Logger
	obs      Observer
	ids      func() string
	meta     *metaCache
	kinds    *taskKinds
	locks    *keyedMutex
	cache    *execCache
	timers   *timers
	queues   *queues
	limits   *limiter
	polls    *pollData
	releases *pollReleases
	watch    *watchers
	sys      *sysRunner
	events   eventBus

	scripts *script.Sandbox
	jq      *jq.Cache

	// schedulerPaused stops every schedule's runs (PauseScheduler).
	schedulerPaused atomic.Bool

	lifeMu   sync.Mutex
	started  bool
	stopped  bool
	stopping chan struct{} // closed by Stop: long polls and waits return
	done     chan struct{} // closed when the timer goroutine exits
	bg       context.Context
	bgCancel context.CancelFunc
}

// New returns an engine over cfg.Store. Call Start before serving requests
// so that queues and timers are rebuilt from the store.
func New(cfg Config) (*Engine, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	e := &Engine{
		cfg:      cfg,
		st:       cfg.Store,
		clock:    cfg.Clock,
		log:      cfg.Logger,
		obs:      cfg.Observer,
		ids:      cfg.IDs,
		meta:     newMetaCache(cfg.Store),
		locks:    newKeyedMutex(),
		cache:    newExecCache(cfg.MaxCachedWorkflows),
		timers:   newTimers(cfg.Clock),
		polls:    newPollData(),
		releases: newPollReleases(),
		watch:    newWatchers(),
		sys:      newSysRunner(cfg.HTTPTaskConcurrency),
		stopping: make(chan struct{}),
		done:     make(chan struct{}),
	}
	e.kinds = newTaskKinds()
	e.newScripting()
	e.queues = newQueues(e.timers, e.clock)
	e.limits = newLimiter(e.meta.limitsOf, e.clock, e.timers, e.queues.notifyDef)
	e.bg, e.bgCancel = context.WithCancel(context.Background())
	return e, nil
}

// Start rebuilds the in-memory state from the store — task queues, timers
// for delays and timeouts, concurrency counts — and starts the timer
// scheduler. It is idempotent; a stopped engine cannot be started again.
//
// Shutdown order (Stop): long polls and synchronous executions are released
// first, then the timer goroutine stops; the store is the caller's to close
// afterwards.
func (e *Engine) Start(ctx context.Context) error {
	e.lifeMu.Lock()
	defer e.lifeMu.Unlock()
	if e.stopped {
		return errors.New("engine: Start after Stop; create a new Engine")
	}
	if e.started {
		return nil
	}
	if err := e.rebuild(ctx); err != nil {
		return err
	}
	if err := e.rebuildSchedules(ctx); err != nil {
		return err
	}
	e.started = true
	e.armRetention(e.clock.Now())
	go func() {
		defer close(e.done)
		e.timers.run(e.stopping)
	}()
	e.timers.signal() // run whatever came due while we were down
	return nil
}

// Stop releases waiting polls and executions and stops the timer scheduler,
// waiting for it until ctx ends. It is idempotent and safe before Start.
func (e *Engine) Stop(ctx context.Context) error {
	e.lifeMu.Lock()
	if e.stopped {
		e.lifeMu.Unlock()
		return nil
	}
	e.stopped = true
	started := e.started
	close(e.stopping)
	e.bgCancel()
	e.lifeMu.Unlock()
	if !started {
		return nil
	}
	select {
	case <-e.done:
		e.timers.stop()
	case <-ctx.Done():
		return ctx.Err()
	}
	// Off-loop system task work sees the cancelled background context and
	// returns without recording anything.
	waited := make(chan struct{})
	go func() { e.sys.wait(); close(waited) }()
	select {
	case <-waited:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rebuild restores queues, concurrency counts and timers from the store.
func (e *Engine) rebuild(ctx context.Context) error {
	wfs, err := e.st.NonTerminalWorkflows(ctx)
	if err != nil {
		return internalf(err, "engine start: read running workflows")
	}
	tasks, err := e.st.NonTerminalTasks(ctx)
	if err != nil {
		return internalf(err, "engine start: read pending tasks")
	}
	if err := e.rebuildEvents(ctx); err != nil {
		return err
	}
	byWf := map[string][]*model.WorkerTask{}
	now := e.clock.Now()
	for _, t := range tasks {
		byWf[t.WorkflowInstanceId] = append(byWf[t.WorkflowInstanceId], t)
		if _, err := e.meta.taskDef(ctx, t.TaskDefName); err != nil {
			return err
		}
		if e.kinds.isSystem(t.TaskType) {
			if e.kinds.isAsyncSystem(t.TaskType) {
				e.rearmSystemTask(t, now)
			}
			continue
		}
		switch t.Status {
		case model.TaskInProgress:
			e.limits.observe(t.TaskDefName, t.TaskId, true)
		case model.TaskScheduled:
			// Pollable once its callback has passed, counted from its last
			// update as Conductor's requeue does.
			ref := t.UpdateTime
			if ref == 0 {
				ref = t.ScheduledTime
			}
			visible := time.UnixMilli(ref).Add(secs(t.CallbackAfterSeconds))
			e.queues.push(queueKey{t.TaskType, t.Domain}, itemFor(t), visible.Sub(now))
		}
	}
	for _, wf := range wfs {
		if wf.Status != model.WorkflowRunning {
			continue
		}
		x := &execution{wf: wf, tasks: byWf[wf.WorkflowId]}
		when, ok := e.nextDeadline(x)
		if !ok || len(x.tasks) == 0 {
			// Nothing pending: decide now, in case a crash came between
			// finishing a task and scheduling the next.
			when, ok = now, true
		}
		if ok {
			e.armWorkflowTimer(wf.WorkflowId, when)
		}
	}
	return nil
}

// RunDueTimers runs every timer that is due by the engine's clock, and
// waits for the system task work they start (HTTP calls), until nothing due
// is left. The timer goroutine does this by itself; tests that move a fake
// clock call it to know the engine has caught up.
func (e *Engine) RunDueTimers() { e.settle() }

// stoppingNow reports whether Stop has been called.
func (e *Engine) stoppingNow() bool {
	select {
	case <-e.stopping:
		return true
	default:
		return false
	}
}
