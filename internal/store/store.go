// Package store defines how Baton's server persists definitions and
// executions, and the records it keeps. Implementations live in
// subpackages (store/sqlite); every one must pass the conformance suite in
// store/storetest.
//
// The engine owns all workflow logic and serialises the changes to one
// workflow; a Store only keeps what it is given, atomically per Batch and
// durably once a call returns. Queues are not stored: the engine derives
// them from non-terminal task rows at start and keeps them in memory.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/batonhq/baton/model"
)

// Errors every implementation returns for these conditions (wrapped is fine).
var (
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: already exists")
	ErrClosed   = errors.New("store: closed")
	// ErrInvalid marks a bad argument: a Batch that fails Validate, an
	// unknown sort field, a negative offset. The call changed nothing.
	ErrInvalid = errors.New("store: invalid argument")
	// ErrUnavailable marks a write the storage could not take: a full
	// disk, a read-only or failing file, a database locked by another
	// process, a writer that did not get to the write in time. Nothing was
	// applied, and the same write may succeed later.
	ErrUnavailable = errors.New("store: storage unavailable")
)

// Store is the persistence the server needs. All methods are safe for
// concurrent use. Returned values are the caller's to modify.
//
// Values come back as encoding/json would decode them: numbers inside
// map[string]any fields are float64, as they are in a decoded HTTP body.
// Methods that return slices return an empty, non-nil slice when nothing
// matches.
type Store interface {
	// PutTaskDef creates or replaces a task definition by name. A nil
	// definition or an empty name is ErrInvalid.
	PutTaskDef(ctx context.Context, def *model.TaskDef) error
	// GetTaskDef returns a task definition or ErrNotFound.
	GetTaskDef(ctx context.Context, name string) (*model.TaskDef, error)
	// ListTaskDefs returns every task definition, sorted by name.
	ListTaskDefs(ctx context.Context) ([]*model.TaskDef, error)
	// DeleteTaskDef removes a task definition or returns ErrNotFound.
	DeleteTaskDef(ctx context.Context, name string) error

	// CreateWorkflowDef adds a definition; ErrConflict if its (name, version)
	// exists. A nil definition, an empty name or a version below 1 is
	// ErrInvalid (here and in PutWorkflowDef): version 0 means "latest" in
	// GetWorkflowDef.
	CreateWorkflowDef(ctx context.Context, def *model.WorkflowDef) error
	// PutWorkflowDef creates or replaces a definition by (name, version).
	PutWorkflowDef(ctx context.Context, def *model.WorkflowDef) error
	// GetWorkflowDef returns one version, or the latest when version is 0,
	// or ErrNotFound.
	GetWorkflowDef(ctx context.Context, name string, version int) (*model.WorkflowDef, error)
	// ListWorkflowDefs returns every version of every definition, sorted by
	// name then version.
	ListWorkflowDefs(ctx context.Context) ([]*model.WorkflowDef, error)
	// DeleteWorkflowDef removes one version or returns ErrNotFound.
	DeleteWorkflowDef(ctx context.Context, name string, version int) error

	// Apply writes a batch atomically and durably: after it returns nil,
	// every change survives a crash; on error none is applied. A batch that
	// fails Batch.Validate is rejected with ErrInvalid, one the storage
	// cannot take now (full disk, read-only file, stuck writer) with
	// ErrUnavailable. Once a batch has been handed to the writer Apply
	// waits for its outcome even when ctx ends, so that an error always
	// means "not applied".
	// Implementations may commit several concurrent batches in one
	// transaction (group commit) as long as each caller sees this contract.
	Apply(ctx context.Context, b *Batch) error

	// GetWorkflow returns a workflow without its tasks, or ErrNotFound.
	GetWorkflow(ctx context.Context, workflowID string) (*model.Workflow, error)
	// GetWorkflowTasks returns a workflow's tasks sorted by Seq.
	GetWorkflowTasks(ctx context.Context, workflowID string) ([]*model.WorkerTask, error)
	// GetTask returns one task or ErrNotFound.
	GetTask(ctx context.Context, taskID string) (*model.WorkerTask, error)
	// NonTerminalTasks returns every task whose status is not terminal, in
	// no particular order (the engine rebuilds queues and timers from them).
	NonTerminalTasks(ctx context.Context) ([]*model.WorkerTask, error)
	// NonTerminalWorkflows returns every RUNNING or PAUSED workflow, without
	// tasks (the engine re-arms workflow timeouts from them).
	NonTerminalWorkflows(ctx context.Context) ([]*model.Workflow, error)

	// SearchWorkflows returns one page of workflows (without tasks) that
	// match q, and how many match in all.
	SearchWorkflows(ctx context.Context, q WorkflowQuery) ([]*model.Workflow, int64, error)
	// SearchTasks returns one page of tasks that match q, and how many match.
	SearchTasks(ctx context.Context, q TaskQuery) ([]*model.WorkerTask, int64, error)

	// PutSchedule creates or replaces a schedule by name, with the time it
	// is next due (epoch ms; 0 for none). A nil schedule, an empty name or
	// a schedule without startWorkflowRequest.name is ErrInvalid.
	PutSchedule(ctx context.Context, rec ScheduleRecord) error
	// GetSchedule returns a schedule or ErrNotFound.
	GetSchedule(ctx context.Context, name string) (ScheduleRecord, error)
	// ListSchedules returns every schedule, or those that start workflowName
	// when it is not empty, sorted by name.
	ListSchedules(ctx context.Context, workflowName string) ([]ScheduleRecord, error)
	// DeleteSchedule removes a schedule or returns ErrNotFound. Its
	// executions stay.
	DeleteSchedule(ctx context.Context, name string) error
	// RecordScheduleRun stores run.Execution and, in the same transaction,
	// moves the schedule's next run time from run.Execution.ScheduledTime to
	// run.NextRunTime. The move is skipped when the schedule is gone or its
	// next run time is no longer the one that ran (it was saved again
	// meanwhile). Recording the same execution id twice replaces it.
	RecordScheduleRun(ctx context.Context, run ScheduleRun) error
	// SearchScheduleExecutions returns one page of executions that match q,
	// and how many match in all.
	SearchScheduleExecutions(ctx context.Context, q ScheduleExecutionQuery) ([]*model.WorkflowScheduleExecution, int64, error)

	// TaskLogs returns a task's log lines in the order they were added
	// (empty for an unknown task).
	TaskLogs(ctx context.Context, taskID string) ([]model.TaskExecLog, error)

	// Close releases the store; later calls return ErrClosed.
	Close() error
}

// Batch is a set of changes applied together. They take effect in this
// order: DeleteWorkflows, DeleteTasks, Workflows, Tasks, Logs, AckMessages,
// Messages. Deleting an id that is not stored is not an error. See Validate for what a batch may not
// contain.
type Batch struct {
	// Workflows are created or replaced by WorkflowId; their Tasks field is
	// ignored (tasks are rows of their own).
	Workflows []*model.Workflow
	// Tasks are created or replaced by TaskId.
	Tasks []*model.WorkerTask
	// DeleteTasks removes tasks by id (and their logs).
	DeleteTasks []string
	// DeleteWorkflows removes workflows by id, with their tasks and logs.
	DeleteWorkflows []string
	// Logs are appended to their tasks' logs.
	Logs []model.TaskExecLog
	// Messages are published to the event queues (see EventMessage).
	Messages []*EventMessage
	// AckMessages removes messages by Key; an unknown key is not an error.
	AckMessages []string
}

// Empty reports whether the batch changes nothing.
func (b *Batch) Empty() bool {
	return b == nil || len(b.Workflows)+len(b.Tasks)+len(b.DeleteTasks)+len(b.DeleteWorkflows)+len(b.Logs)+
		len(b.Messages)+len(b.AckMessages) == 0
}

// Validate returns an error wrapping ErrInvalid for a batch no Store
// applies: a nil element; a workflow without WorkflowId or with an invalid
// Status; a task without TaskId or WorkflowInstanceId or with an invalid
// Status; the same workflow or task twice; an empty id to delete; a log
// without TaskId; or a write to something the same batch deletes (a
// deleted workflow, one of its tasks, a deleted task or its logs). Such a
// batch is an engine bug, and applying half of it would hide it.
func (b *Batch) Validate() error {
	if b == nil {
		return nil
	}
	delWf := make(map[string]bool, len(b.DeleteWorkflows))
	for _, id := range b.DeleteWorkflows {
		if id == "" {
			return fmt.Errorf("%w: DeleteWorkflows holds an empty id", ErrInvalid)
		}
		delWf[id] = true
	}
	delTask := make(map[string]bool, len(b.DeleteTasks))
	for _, id := range b.DeleteTasks {
		if id == "" {
			return fmt.Errorf("%w: DeleteTasks holds an empty id", ErrInvalid)
		}
		delTask[id] = true
	}
	seen := make(map[string]bool, len(b.Workflows)+len(b.Tasks))
	for i, w := range b.Workflows {
		switch {
		case w == nil:
			return fmt.Errorf("%w: Workflows[%d] is nil", ErrInvalid, i)
		case w.WorkflowId == "":
			return fmt.Errorf("%w: Workflows[%d] has no workflowId", ErrInvalid, i)
		case !w.Status.IsValid():
			return fmt.Errorf("%w: workflow %s has invalid status %q", ErrInvalid, w.WorkflowId, w.Status)
		case seen[w.WorkflowId]:
			return fmt.Errorf("%w: workflow %s appears twice in one batch", ErrInvalid, w.WorkflowId)
		case delWf[w.WorkflowId]:
			return fmt.Errorf("%w: workflow %s is both written and deleted", ErrInvalid, w.WorkflowId)
		}
		seen[w.WorkflowId] = true
	}
	clear(seen)
	for i, t := range b.Tasks {
		switch {
		case t == nil:
			return fmt.Errorf("%w: Tasks[%d] is nil", ErrInvalid, i)
		case t.TaskId == "":
			return fmt.Errorf("%w: Tasks[%d] has no taskId", ErrInvalid, i)
		case t.WorkflowInstanceId == "":
			return fmt.Errorf("%w: task %s has no workflowInstanceId", ErrInvalid, t.TaskId)
		case !t.Status.IsValid():
			return fmt.Errorf("%w: task %s has invalid status %q", ErrInvalid, t.TaskId, t.Status)
		case seen[t.TaskId]:
			return fmt.Errorf("%w: task %s appears twice in one batch", ErrInvalid, t.TaskId)
		case delTask[t.TaskId]:
			return fmt.Errorf("%w: task %s is both written and deleted", ErrInvalid, t.TaskId)
		case delWf[t.WorkflowInstanceId]:
			return fmt.Errorf("%w: task %s belongs to workflow %s, which the batch deletes", ErrInvalid, t.TaskId, t.WorkflowInstanceId)
		}
		seen[t.TaskId] = true
	}
	keys := make(map[string]bool, len(b.Messages))
	for i, m := range b.Messages {
		switch {
		case m == nil:
			return fmt.Errorf("%w: Messages[%d] is nil", ErrInvalid, i)
		case m.Key == "" || m.Queue == "":
			return fmt.Errorf("%w: Messages[%d] has no key or queue", ErrInvalid, i)
		case keys[m.Key]:
			return fmt.Errorf("%w: message %s appears twice in one batch", ErrInvalid, m.Key)
		}
		keys[m.Key] = true
	}
	for i, k := range b.AckMessages {
		if k == "" {
			return fmt.Errorf("%w: AckMessages[%d] is empty", ErrInvalid, i)
		}
	}
	for i, l := range b.Logs {
		switch {
		case l.TaskId == "":
			return fmt.Errorf("%w: Logs[%d] has no taskId", ErrInvalid, i)
		case delTask[l.TaskId]:
			return fmt.Errorf("%w: log for task %s, which the batch deletes", ErrInvalid, l.TaskId)
		}
	}
	return nil
}

// SortField orders search results. Results with equal sort keys are ordered
// by id, so paging is stable. An unknown field, or a negative Offset or
// Limit, is ErrInvalid.
type SortField struct {
	// Field is a workflow or task field name: startTime, updateTime,
	// endTime, workflowType, status, workflowId, correlationId, priority;
	// for tasks also scheduledTime, taskType, taskId.
	Field string
	Desc  bool
}

// WorkflowQuery selects workflows. Empty lists and zero times match all.
// WorkflowTypes and Versions match Workflow.WorkflowName and
// WorkflowVersion (the WorkflowDefinition's name and version where those
// are empty).
type WorkflowQuery struct {
	WorkflowTypes  []string
	Versions       []int
	Statuses       []model.WorkflowStatus
	CorrelationIDs []string
	WorkflowIDs    []string
	// StartedAfter and StartedBefore bound createTime (inclusive).
	StartedAfter, StartedBefore time.Time
	// UpdatedAfter and UpdatedBefore bound updateTime (inclusive).
	UpdatedAfter, UpdatedBefore time.Time
	// TopLevelOnly keeps only workflows that are not sub-workflows (no
	// parentWorkflowId).
	TopLevelOnly bool
	// Classifiers keeps only workflows whose definition has one of these
	// classifiers (see Classifier).
	Classifiers []string
	// FreeText matches a substring (case-sensitive) of the workflow id,
	// correlation id, input or output (as JSON text); "" and "*" match all.
	FreeText string
	Sort     []SortField // default: startTime descending
	Offset   int
	Limit    int // 0 means no limit
}

// TaskQuery selects tasks. Empty lists and zero times match all.
type TaskQuery struct {
	TaskTypes     []string
	TaskDefNames  []string
	Statuses      []model.TaskStatus
	WorkflowIDs   []string
	WorkflowTypes []string
	Domains       []string
	// ScheduledAfter and ScheduledBefore bound scheduledTime (inclusive).
	ScheduledAfter, ScheduledBefore time.Time
	// FreeText matches a substring (case-sensitive) of the task id,
	// workflow id, inputData or outputData (as JSON text); "" and "*" match
	// all.
	FreeText string
	Sort     []SortField // default: scheduledTime descending
	Offset   int
	Limit    int // 0 means no limit
}

// ScheduleRecord is a schedule and when it is next due.
type ScheduleRecord struct {
	Schedule *model.WorkflowSchedule
	// NextRunTime is the next due time in epoch milliseconds; 0 when the
	// schedule has no further run.
	NextRunTime int64
}

// Validate returns an error wrapping ErrInvalid for a record no Store
// keeps.
func (r ScheduleRecord) Validate() error {
	switch {
	case r.Schedule == nil:
		return fmt.Errorf("%w: the schedule is nil", ErrInvalid)
	case r.Schedule.Name == "":
		return fmt.Errorf("%w: the schedule has no name", ErrInvalid)
	case r.Schedule.StartWorkflowRequest == nil || r.Schedule.StartWorkflowRequest.Name == "":
		return fmt.Errorf("%w: schedule %s names no workflow", ErrInvalid, r.Schedule.Name)
	case r.NextRunTime < 0:
		return fmt.Errorf("%w: schedule %s has a negative next run time", ErrInvalid, r.Schedule.Name)
	}
	return nil
}

// ScheduleRun is one run of a schedule, as RecordScheduleRun stores it.
type ScheduleRun struct {
	Execution   *model.WorkflowScheduleExecution
	NextRunTime int64 // 0: no further run
}

// Validate returns an error wrapping ErrInvalid for a run no Store records.
func (r ScheduleRun) Validate() error {
	switch {
	case r.Execution == nil:
		return fmt.Errorf("%w: the execution is nil", ErrInvalid)
	case r.Execution.ExecutionId == "" || r.Execution.ScheduleName == "":
		return fmt.Errorf("%w: the execution has no id or no schedule name", ErrInvalid)
	case r.NextRunTime < 0:
		return fmt.Errorf("%w: negative next run time", ErrInvalid)
	}
	return nil
}

// ScheduleExecutionQuery selects schedule executions. Empty lists match
// all.
type ScheduleExecutionQuery struct {
	ScheduleNames []string
	WorkflowNames []string
	WorkflowIDs   []string
	ExecutionIDs  []string
	States        []model.ScheduleExecutionState
	// ScheduledAfter and ScheduledBefore bound scheduledTime (inclusive).
	ScheduledAfter, ScheduledBefore time.Time
	// FreeText matches a substring (case-sensitive) of the execution id,
	// schedule name, workflow id or reason; "" and "*" match all.
	FreeText string
	// Sort fields: executionTime, scheduledTime, scheduleName,
	// workflowName, workflowId, state, executionId. Default:
	// scheduledTime descending.
	Sort   []SortField
	Offset int
	Limit  int // 0 means no limit
}
