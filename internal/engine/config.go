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

	// JQTimeout bounds one JSON_JQ_TRANSFORM query. Defaults to
	// Script.Timeout (4s).
	JQTimeout time.Duration
	// MaxWorkflowTasks bounds the tasks of one workflow definition, nested
	// ones (switch cases, fork branches, loop bodies) included; a larger
	// definition is refused with a 400. Conductor has no such bound.
	// Defaults to 1000.
	MaxWorkflowTasks int
	// MaxForkWidth bounds the branches of one fork: a FORK_JOIN's
	// forkTasks (checked when the definition is registered) and the tasks a
	// FORK_JOIN_DYNAMIC creates at run time (the workflow fails). Defaults
	// to 1000.
	MaxForkWidth int
	// MaxLoopIterationsKept bounds the iterations of a DO_WHILE whose tasks
	// and outputs the workflow keeps: older ones are removed as keepLastN
	// removes them, and a keepLastN above it is refused with a 400.
	// Conductor keeps every iteration. Defaults to 1000.
	MaxLoopIterationsKept int
	// MaxWorkflowInputSize bounds a workflow's input, in bytes of JSON; a
	// start with a larger one is a 400 (a sub-workflow's fails its
	// SUB_WORKFLOW task). Defaults to 8 MiB.
	MaxWorkflowInputSize int
	// MaxTaskOutputSize bounds the output a worker reports for a task, in
	// bytes of JSON; a larger one fails the task with
	// FAILED_WITH_TERMINAL_ERROR and a reason naming the limit, as
	// Conductor fails a task over maxTaskOutputPayloadSizeThreshold.
	// Defaults to 8 MiB.
	MaxTaskOutputSize int
	// MaxTaskInputSize bounds the input of a worker task once its
	// expressions are resolved, in bytes of JSON; a larger one fails the
	// task with FAILED_WITH_TERMINAL_ERROR before any worker sees it, as
	// Conductor fails a task over maxTaskInputPayloadSizeThreshold.
	// Defaults to 8 MiB.
	MaxTaskInputSize int

	// Retention, when positive, is how long an ended workflow (COMPLETED,
	// FAILED, TIMED_OUT, TERMINATED) is kept after its last update; a
	// background sweep then removes it with its tasks and their logs.
	// Defaults to 0: workflows are kept for ever, as in Conductor.
	Retention time.Duration
	// RetentionArchive, when set, receives each workflow the sweep removes,
	// tasks included, as one line of JSON, before it is removed; a write
	// error stops the sweep until its next run, removing nothing unwritten.
	RetentionArchive io.Writer
	// RetentionInterval is how often the sweep looks for workflows past
	// Retention. Defaults to 1 minute.
	RetentionInterval time.Duration
	// RetentionBatch is how many workflows the sweep removes before it lets
	// other timers run; a full batch is followed at once by the next.
	// Defaults to 100.
	RetentionBatch int

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
	c.JQTimeout = cmp.Or(c.JQTimeout, c.Script.Timeout)
	c.MaxWorkflowTasks = cmp.Or(c.MaxWorkflowTasks, 1000)
	c.MaxForkWidth = cmp.Or(c.MaxForkWidth, 1000)
	c.MaxLoopIterationsKept = cmp.Or(c.MaxLoopIterationsKept, 1000)
	c.MaxWorkflowInputSize = cmp.Or(c.MaxWorkflowInputSize, 8<<20)
	c.MaxTaskOutputSize = cmp.Or(c.MaxTaskOutputSize, 8<<20)
	c.MaxTaskInputSize = cmp.Or(c.MaxTaskInputSize, 8<<20)
	c.RetentionInterval = cmp.Or(c.RetentionInterval, time.Minute)
	c.RetentionBatch = cmp.Or(c.RetentionBatch, 100)

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
		{"JQTimeout", int64(c.JQTimeout)},
		{"MaxWorkflowTasks", int64(c.MaxWorkflowTasks)},
		{"MaxForkWidth", int64(c.MaxForkWidth)},
		{"MaxLoopIterationsKept", int64(c.MaxLoopIterationsKept)},
		{"MaxWorkflowInputSize", int64(c.MaxWorkflowInputSize)},
		{"MaxTaskOutputSize", int64(c.MaxTaskOutputSize)},
		{"MaxTaskInputSize", int64(c.MaxTaskInputSize)},
		{"Retention", int64(c.Retention)},
		{"RetentionInterval", int64(c.RetentionInterval)},
		{"RetentionBatch", int64(c.RetentionBatch)},
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
