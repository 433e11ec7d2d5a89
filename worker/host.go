package worker

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// WorkerHost runs workers: for each task type a poller that asks the server
// for as many tasks as it has free slots, a goroutine per running task, and
// the delivery of every result. It is safe for concurrent use. Hosts are
// independent of each other: no state is shared through package variables.
//
// Lifecycle: StartWorker... adds workers while the host runs; Shutdown (or
// WaitWorkers on a signal) stops polling first, then lets running tasks
// finish, hands back those that cannot finish in time, and returns once every
// result has been delivered or counted as dropped. A host cannot be restarted.
type WorkerHost struct {
	cfg     HostConfig
	err     error // configuration error of NewWorkerHostWithApiClient, returned by every call
	tasks   *client.TaskClient
	log     *slog.Logger
	clock   clock
	backoff backoff

	mu       sync.Mutex
	workers  map[workerKey]*worker
	order    []*worker // start order, for stable iteration
	metrics  []registeredMetrics
	stopping bool
	stopCh   chan struct{} // closed when shutdown starts
	done     chan struct{} // closed when shutdown has finished
	stopErr  error         // written before done is closed

	// Contexts of the host's polls and result updates, each cancelled at
	// its step of the shutdown (see drain). Task contexts stand alone and
	// are cancelled one by one.
	pollCtx, sendCtx       context.Context
	cancelPoll, cancelSend context.CancelFunc

	pollers counter // poll loops
	slots   counter // slots held: task running or result not yet acknowledged
	runs    counter // goroutines running a task and delivering its result
	aux     counter // hand-backs and lease extensions in flight
	stuck   counter // handlers still running after their task was handed back

	v2Off   atomic.Bool  // the server has no update-v2
	dropped atomic.Int64 // results dropped since the host started
}

type workerKey struct{ taskName, domain string }

type registeredMetrics struct {
	reg prometheus.Registerer
	m   *metrics
}

// NewWorkerHostWithApiClient returns a host whose workers use apiClient, with
// every other setting at its default (see HostConfig). It is the
// constructor of Conductor's Go documentation; a nil apiClient makes every later call return an error.
func NewWorkerHostWithApiClient(apiClient *client.APIClient) *WorkerHost {
	h, err := NewWorkerHostWithConfig(HostConfig{Client: apiClient})
	if err != nil {
		return &WorkerHost{err: err, done: closedChan(), stopCh: closedChan()}
	}
	return h
}

// NewWorkerHostWithConfig returns a host configured by cfg, or an error
// saying which setting is wrong.
func NewWorkerHostWithConfig(cfg HostConfig) (*WorkerHost, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	h := &WorkerHost{
		cfg:     cfg,
		tasks:   cfg.Client.Tasks(),
		log:     cfg.Logger,
		clock:   cfg.clock,
		backoff: backoff{min: cfg.RetryMin, max: cfg.RetryMax, rand: cfg.rand},
		workers: map[workerKey]*worker{},
		stopCh:  make(chan struct{}),
		done:    make(chan struct{}),
	}
	h.pollCtx, h.cancelPoll = context.WithCancel(context.Background())
	h.sendCtx, h.cancelSend = context.WithCancel(context.Background())
	return h, nil
}

// sendContext is the context of one result update or lease extension: the
// host's, bounded by RequestTimeout.
func (h *WorkerHost) sendContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(h.sendCtx, h.cfg.RequestTimeout)
}

// StartWorker starts polling taskName and running fn on each task, at most
// batchSize at once, waiting up to pollInterval between polls when the queue
// is empty (see WorkerConfig for the defaults of everything else). The
// environment may override these values (see the package documentation).
//
// A second call for a task name that already has a worker in the same domain
// adds batchSize slots to it when fn is the same function value (the same
// top-level function, or the same closure passed again), as the official
// SDK does, and fails with ErrDuplicateWorker otherwise: two closures of one
// function literal, two Typed adapters or two method values are different
// workers even when their code is the same, since what they captured may
// differ. To change a running worker's slots, use SetBatchSize or
// IncreaseBatchSize.
func (h *WorkerHost) StartWorker(taskName string, fn model.WorkerTaskFunction, batchSize int, pollInterval time.Duration) error {
	return h.StartWorkerWithDomain(taskName, fn, batchSize, pollInterval, "")
}

// StartWorkerWithDomain is StartWorker for the task queue of domain. A task
// name may have workers in several domains; each polls on its own.
func (h *WorkerHost) StartWorkerWithDomain(taskName string, fn model.WorkerTaskFunction, batchSize int, pollInterval time.Duration, domain string) error {
	if batchSize < 1 {
		return fmt.Errorf("worker: task %q: batchSize %d must be at least 1; use Pause to stop polling", taskName, batchSize)
	}
	return h.StartWorkerWithConfig(WorkerConfig{
		TaskName: taskName, Func: fn, Concurrency: batchSize, PollInterval: pollInterval, Domain: domain,
	})
}

// StartWorkerWithConfig starts the worker cfg describes; settings in the
// environment win over cfg. See StartWorker for a second worker on the same
// task name.
func (h *WorkerHost) StartWorkerWithConfig(cfg WorkerConfig) error {
	if h.err != nil {
		return h.err
	}
	cfg, err := applyEnv(cfg, h.cfg.LookupEnv)
	if err != nil {
		return err
	}
	cfg = cfg.WithDefaults()
	if cfg.Logger == nil {
		cfg.Logger = h.log
	}
	if cfg.MetricsRegisterer == nil {
		cfg.MetricsRegisterer = h.cfg.Registerer
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	fn := funcIdentity(cfg.Func)
	key := workerKey{cfg.TaskName, cfg.Domain}

	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopping {
		return fmt.Errorf("start worker %q: %w", cfg.TaskName, ErrStopped)
	}
	if w := h.workers[key]; w != nil {
		if w.fn != fn {
			return fmt.Errorf("%w: task %q, domain %q; use IncreaseBatchSize for more slots, or another domain for another function", ErrDuplicateWorker, cfg.TaskName, cfg.Domain)
		}
		w.addCapacity(cfg.Concurrency)
		w.log.Info("worker: added slots to running worker", "added", cfg.Concurrency)
		return nil
	}
	m, err := h.metricsFor(cfg.MetricsRegisterer)
	if err != nil {
		return err
	}
	w := newWorker(h, cfg, fn, m.forTask(cfg.TaskName))
	h.workers[key] = w
	h.order = append(h.order, w)
	h.pollers.add(1)
	go w.pollLoop()
	w.log.Info("worker: started", "concurrency", cfg.Concurrency, "poll_interval", cfg.PollInterval,
		"poll_timeout", cfg.PollTimeout, "worker_id", cfg.WorkerID, "paused", cfg.Paused)
	return nil
}

// metricsFor returns the collectors registered on reg, registering them the
// first time. Called with h.mu held.
func (h *WorkerHost) metricsFor(reg prometheus.Registerer) (*metrics, error) {
	for _, rm := range h.metrics {
		if (rm.reg == nil && reg == nil) || sameRegisterer(rm.reg, reg) {
			return rm.m, nil
		}
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	h.metrics = append(h.metrics, registeredMetrics{reg: reg, m: m})
	return m, nil
}

// workersNamed returns the workers of a task name in every domain.
func (h *WorkerHost) workersNamed(taskName string) []*worker {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ws []*worker
	for _, w := range h.order {
		if w.cfg.TaskName == taskName {
			ws = append(ws, w)
		}
	}
	return ws
}

// funcIdentity identifies a function value: a func value points to the
// closure it calls (the runtime's funcval, code pointer first, then the
// captured variables), and every reference to a top-level function shares
// one static closure. So two values are the same exactly when they are one
// top-level function, or one closure passed twice.
func funcIdentity(fn model.WorkerTaskFunction) uintptr {
	return *(*uintptr)(unsafe.Pointer(&fn))
}

func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}
