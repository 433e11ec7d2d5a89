package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// MaxPollTimeout is the longest long-poll wait Conductor accepts (its
// ExecutionService rejects more with a 400).
const MaxPollTimeout = 5 * time.Second

// hotPollTimeout is the server wait of a poll right after one that brought
// tasks: long enough to collect a burst, short enough that a partly filled
// batch poll (Conductor holds it until count tasks or the timeout) does not
// delay the tasks it already has.
const hotPollTimeout = 100 * time.Millisecond

// WorkerConfig configures one worker: a task type, the function that runs its
// tasks and how it polls. Start it with WorkerHost.StartWorkerWithConfig.
// Settings in the environment (CONDUCTOR_WORKER_<TASK>_<PROP>, see the package
// documentation) win over the values given here.
type WorkerConfig struct {
	// TaskName is the task type to poll (the task definition's name). Required.
	TaskName string
	// Func runs each task. Required. See model.WorkerTaskFunction for what it
	// may return, and Typed for a typed adapter.
	Func model.WorkerTaskFunction
	// Concurrency is the most tasks of this worker running at once, each
	// holding its slot until the server has acknowledged its result (the
	// batchSize of conductor-go's StartWorker, Conductor's thread count). Defaults to 1.
	Concurrency int
	// PollInterval bounds the idle back-off: when the server answers an empty
	// poll without holding it for PollTimeout, the worker waits 1 ms, 2 ms,
	// 4 ms ... up to PollInterval before the next poll. Defaults to 100ms.
	PollInterval time.Duration
	// PollTimeout is how long the server may hold an idle poll open waiting
	// for a task (long polling). Defaults to 1s; Conductor allows at most 5s.
	// A negative value sends no timeout, leaving the server's default
	// (100 ms in Conductor).
	PollTimeout time.Duration
	// Domain polls the task queue of that domain (a workflow's
	// taskToDomain); empty polls the default queue.
	Domain string
	// WorkerID names this worker in poll data and task results. Defaults to
	// the host name.
	WorkerID string
	// DisableLeaseExtension turns off lease extension. By default, while a
	// handler runs a task that has responseTimeoutSeconds, the worker tells
	// the server at 80% of that time that the task is still being worked on
	// (extendLease), so long tasks are not timed out and re-delivered.
	DisableLeaseExtension bool
	// DisableUpdateV2 sends every result with POST /api/tasks. By default,
	// while the worker's queue has work, a result goes to
	// POST /api/tasks/update-v2, whose answer carries the next task for the
	// freed slot and so saves a poll; servers without it are detected on the
	// first call and then sent POST /api/tasks.
	DisableUpdateV2 bool
	// Paused starts the worker without polling until Resume.
	Paused bool
	// Logger receives this worker's log lines. Defaults to the host's Logger.
	Logger *slog.Logger
	// MetricsRegisterer receives this worker's Prometheus metrics. Defaults
	// to the host's Registerer; nil on both registers no metrics.
	MetricsRegisterer prometheus.Registerer
}

// WithDefaults returns a copy of c with zero fields filled in. The Logger is
// left nil: the host fills it with its own.
func (c WorkerConfig) WithDefaults() WorkerConfig {
	c.Concurrency = cmp.Or(c.Concurrency, 1)
	c.PollInterval = cmp.Or(c.PollInterval, 100*time.Millisecond)
	c.PollTimeout = cmp.Or(c.PollTimeout, time.Second)
	c.WorkerID = cmp.Or(c.WorkerID, model.Hostname())
	return c
}

func (c WorkerConfig) validate() error {
	var errs []error
	if strings.TrimSpace(c.TaskName) == "" {
		errs = append(errs, errors.New("a task name (TaskName) is required"))
	}
	if c.Func == nil {
		errs = append(errs, errors.New("a function (Func) is required"))
	}
	if c.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("the batch size (Concurrency) %d must be at least 1; use Pause to stop polling", c.Concurrency))
	}
	if c.PollInterval < 0 {
		errs = append(errs, fmt.Errorf("the poll interval (PollInterval) %v must not be negative", c.PollInterval))
	}
	if c.PollTimeout > MaxPollTimeout {
		errs = append(errs, fmt.Errorf("the long-poll wait (PollTimeout) %v is above Conductor's limit of %v", c.PollTimeout, MaxPollTimeout))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("worker: task %q: %w", c.TaskName, err)
	}
	return nil
}

// HostConfig configures a WorkerHost.
type HostConfig struct {
	// Client talks to the Conductor server. Required.
	Client *client.APIClient
	// Logger receives the host's and its workers' log lines. Defaults to a
	// logger that discards everything.
	Logger *slog.Logger
	// Registerer receives the workers' Prometheus metrics. Nil registers
	// none; the global registry is used only if you pass
	// prometheus.DefaultRegisterer.
	Registerer prometheus.Registerer
	// Signals end WaitWorkers with a graceful shutdown. Defaults to SIGINT
	// and SIGTERM.
	Signals []os.Signal
	// ShutdownTimeout bounds the graceful shutdown WaitWorkers runs after a
	// signal. Defaults to 20s, under Kubernetes' default 30 s grace period.
	ShutdownTimeout time.Duration
	// HandBackTimeout is the time kept at the end of a shutdown to hand
	// unfinished tasks back to the server and flush results: Shutdown takes
	// it (at most half the time left) off its context's deadline, or grants it
	// after a context without deadline is cancelled. Defaults to 2s.
	HandBackTimeout time.Duration
	// RequestTimeout bounds one result update or lease extension, and is
	// added to the long-poll wait of a poll. Defaults to 30s.
	RequestTimeout time.Duration
	// RetryMin and RetryMax bound the exponential back-off (with jitter)
	// after failed polls and result updates. Default to 100ms and 10s.
	RetryMin, RetryMax time.Duration
	// LookupEnv reads the per-worker settings of the environment. Defaults to
	// os.LookupEnv; a function that always reports false ignores them.
	LookupEnv func(key string) (string, bool)

	// Set by tests only.
	clock  clock
	notify func(ctx context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc)
	rand   func() float64
	hooks  hooks
}

// hooks let tests observe moments that leave no other trace.
type hooks struct {
	// parked is called when a poller stops to wait for a free slot or for
	// Resume; reason is "full" or "paused".
	parked func(taskName, reason string)
}

// WithDefaults returns a copy of c with zero fields filled in.
func (c HostConfig) WithDefaults() HostConfig {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if len(c.Signals) == 0 {
		c.Signals = []os.Signal{os.Interrupt, syscall.SIGTERM}
	}
	c.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, 20*time.Second)
	c.HandBackTimeout = cmp.Or(c.HandBackTimeout, 2*time.Second)
	c.RequestTimeout = cmp.Or(c.RequestTimeout, 30*time.Second)
	c.RetryMin = cmp.Or(c.RetryMin, 100*time.Millisecond)
	c.RetryMax = cmp.Or(c.RetryMax, 10*time.Second)
	if c.LookupEnv == nil {
		c.LookupEnv = os.LookupEnv
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.notify == nil {
		c.notify = signal.NotifyContext
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	return c
}

func (c HostConfig) validate() error {
	var errs []error
	if c.Client == nil {
		errs = append(errs, errors.New("a client (Client, from client.NewAPIClient) is required"))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"ShutdownTimeout", c.ShutdownTimeout}, {"HandBackTimeout", c.HandBackTimeout},
		{"RequestTimeout", c.RequestTimeout}, {"RetryMin", c.RetryMin}, {"RetryMax", c.RetryMax},
	} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("the %s %v must not be negative", d.name, d.v))
		}
	}
	if c.RetryMin > c.RetryMax {
		errs = append(errs, fmt.Errorf("the retry bounds are reversed: RetryMin %v is above RetryMax %v", c.RetryMin, c.RetryMax))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("worker: host config: %w", err)
	}
	return nil
}
