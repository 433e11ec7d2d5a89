package engine

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/batonhq/baton/internal/script"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Clock is the engine's source of time. Every deadline the engine keeps
// (retry delays, callbacks, timeouts, long polls, synchronous executions) is
// measured and fired on it, so tests drive time with a fake clock instead of
// sleeping. The method set uses no engine types, so a fake in another
// package satisfies it without importing this one.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f in its own goroutine (or synchronously, for a fake)
	// once d has passed. stop cancels the call and reports whether it did.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// SystemClock returns the wall clock.
func SystemClock() Clock { return systemClock{} }

// Config configures an Engine. Zero fields take the defaults written on them.
type Config struct {
	// Store persists definitions and executions. Required.
	Store store.Store
	// Clock drives every timer. Defaults to the wall clock.
	Clock Clock
	// Logger receives the engine's logs. Defaults to a logger that discards.
	Logger *slog.Logger
	// Observer hears about started and finished workflows and tasks, polls
	// and updates, for metrics. Defaults to one that ignores everything.
	Observer Observer
	// IDs generates workflow and task ids. Defaults to random UUIDs, as
	// Conductor's IDGenerator does.
	IDs func() string
	// Env resolves `${NAME}` references in task inputs to environment
	// values, as Conductor resolves JVM system properties and environment
	// variables. Defaults to nil: no server environment is exposed to
	// workflow inputs.
	Env func(name string) (string, bool)

	// ServerID is the workerId the tasks the server runs itself on its
	// system-task workers (HTTP) carry, as Conductor's Utils.getServerId.
	// Defaults to the host name.
	ServerID string

	// MaxPollTimeout caps a long poll's wait; a longer one is a 400, as in
	// Conductor (ExecutionService MAX_POLL_TIMEOUT_MS). Defaults to 5s.
	MaxPollTimeout time.Duration
	// MaxPollCount caps how many tasks one batch poll hands out. Defaults
	// to 1000.
	MaxPollCount int
	// ActiveWorkerLastPoll is how recently a worker must have polled a
	// domain for that domain to count as active when a taskToDomain value
	// lists several (Conductor's activeWorkerLastPollTimeout). Defaults to 10s.
	ActiveWorkerLastPoll time.Duration
	// MaxSearchSize caps a search page; a larger one is a 400 (Conductor's
	// "Cannot return more than 5000 workflows"). Defaults to 5000.
	MaxSearchSize int
	// MaxLogsPerUpdate caps the log lines one task update appends
	// (Conductor's taskExecLogSizeLimit). Defaults to 10.
	MaxLogsPerUpdate int
	// MaxDecideLoops bounds the rounds of one decide, so a definition whose
	// synchronous tasks keep changing state cannot spin forever. Defaults
	// to 1000.
	MaxDecideLoops int
	// MaxCachedWorkflows bounds how many running workflows are kept in
	// memory between requests; beyond it they are read from the store.
	// Defaults to 10000.
	MaxCachedWorkflows int
	// DefaultExecuteWait is how long ExecuteWorkflow waits when the caller
	// gives no WaitFor (Conductor's waitForSeconds=10). Defaults to 10s.
	DefaultExecuteWait time.Duration
	// Script bounds the JavaScript the engine evaluates (INLINE, LAMBDA,
	// SWITCH with the javascript or graaljs evaluator, DECISION
	// caseExpression, DO_WHILE loopCondition) and, with its Timeout and
	// MaxOutputSize, the jq queries of JSON_JQ_TRANSFORM: time, output
	// size, call stack. Zero fields take
	// script.Config's defaults (4s, 1 MiB, 1024 frames).
	Script script.Config

	// HTTPTaskConcurrency bounds how many HTTP tasks make their call at
	// once; further ones wait their turn. Defaults to 32.
	HTTPTaskConcurrency int
	// HTTPTaskAllowedHosts, when not empty, is the list of hosts HTTP tasks
	// may call: a host name ("api.example.com", matched without case), a
	// name with a leading wildcard ("*.example.com") or an IP address. A
	// task whose URI (or a redirect) names another host fails without a
	// request being made. Empty (the default) allows every host, as
	// Conductor does. On a server that runs other people's workflow
	// definitions, set it: otherwise any definition can make the server
	// call anything it can reach (its own API, cloud metadata endpoints,
	// the internal network).
	HTTPTaskAllowedHosts []string
	// MaxSubWorkflowDepth bounds how deeply sub-workflows nest; a
	// SUB_WORKFLOW task that would start a deeper one fails, so a
	// definition that starts itself cannot start workflows without end.
	// Conductor has no such bound. Defaults to 32.
	MaxSubWorkflowDepth int
	// MaxWorkflowVariablesSize bounds the JSON size of a workflow's
	// variables; a SET_VARIABLE task that would exceed it fails with a
	// terminal error (Conductor's maxWorkflowVariablesPayloadSizeThreshold).
	// Defaults to 256 KiB.
	MaxWorkflowVariablesSize int

	// WorkflowStatusSuccessQueue is the conductor event queue a workflow
	// whose definition has workflowStatusListenerEnabled publishes its
	// summary to when it completes; a handler on
	// "conductor:<queue>" reacts to it (Conductor's queue_publisher
	// listener, conductor.workflow-status-listener.queue-publisher.successQueue).
	// Defaults to "_callbackSuccessQueue".
	WorkflowStatusSuccessQueue string
	// WorkflowStatusFailureQueue is where such a workflow's summary goes
	// when it ends FAILED, TIMED_OUT or TERMINATED. Defaults to
	// "_callbackFailureQueue".
	WorkflowStatusFailureQueue string
}

// WithDefaults returns a copy of c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Clock == nil {
		c.Clock = SystemClock()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Observer == nil {
		c.Observer = nopObserver{}
	}
	if c.IDs == nil {
		c.IDs = uuid.NewString
	}
	c.ServerID = cmp.Or(c.ServerID, model.Hostname())
	c.MaxPollTimeout = cmp.Or(c.MaxPollTimeout, 5*time.Second)
	c.MaxPollCount = cmp.Or(c.MaxPollCount, 1000)
	c.ActiveWorkerLastPoll = cmp.Or(c.ActiveWorkerLastPoll, 10*time.Second)
	c.MaxSearchSize = cmp.Or(c.MaxSearchSize, 5000)
	c.MaxLogsPerUpdate = cmp.Or(c.MaxLogsPerUpdate, 10)
	c.MaxDecideLoops = cmp.Or(c.MaxDecideLoops, 1000)
	c.MaxCachedWorkflows = cmp.Or(c.MaxCachedWorkflows, 10000)
	c.DefaultExecuteWait = cmp.Or(c.DefaultExecuteWait, 10*time.Second)
	c.Script = c.Script.WithDefaults()
	c.HTTPTaskConcurrency = cmp.Or(c.HTTPTaskConcurrency, 32)
	c.MaxSubWorkflowDepth = cmp.Or(c.MaxSubWorkflowDepth, 32)
	c.MaxWorkflowVariablesSize = cmp.Or(c.MaxWorkflowVariablesSize, 256<<10)
	c.WorkflowStatusSuccessQueue = cmp.Or(c.WorkflowStatusSuccessQueue, "_callbackSuccessQueue")
	c.WorkflowStatusFailureQueue = cmp.Or(c.WorkflowStatusFailureQueue, "_callbackFailureQueue")
	return c
}

func (c Config) validate() error {
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("engine: Config.Store is required (use internal/store/sqlite)"))
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"MaxPollTimeout", int64(c.MaxPollTimeout)},
		{"MaxPollCount", int64(c.MaxPollCount)},
		{"ActiveWorkerLastPoll", int64(c.ActiveWorkerLastPoll)},
		{"MaxSearchSize", int64(c.MaxSearchSize)},
		{"MaxLogsPerUpdate", int64(c.MaxLogsPerUpdate)},
		{"MaxDecideLoops", int64(c.MaxDecideLoops)},
		{"MaxCachedWorkflows", int64(c.MaxCachedWorkflows)},
		{"DefaultExecuteWait", int64(c.DefaultExecuteWait)},
		{"HTTPTaskConcurrency", int64(c.HTTPTaskConcurrency)},
		{"MaxSubWorkflowDepth", int64(c.MaxSubWorkflowDepth)},
		{"MaxWorkflowVariablesSize", int64(c.MaxWorkflowVariablesSize)},
	} {
		if f.v < 0 {
			errs = append(errs, errors.New("engine: Config."+f.name+" must not be negative"))
		}
	}
	if err := c.Script.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("engine: Config.Script: %w", err))
	}
	return errors.Join(errs...)
}
