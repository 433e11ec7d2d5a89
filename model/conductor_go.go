package model

// Names conductor-go v1.5.4 programs use for Baton's types and constants
// (sdk/model), so such a program compiles with its imports changed. They
// are aliases: a value of one is a value of the other.

// Task is conductor-go's name for WorkerTask.
type Task = WorkerTask

// WorkflowRun is conductor-go's name for the answer of a synchronous
// execution. Baton's SignalResponse has every field of conductor-go's
// WorkflowRun, with the same JSON names, and more.
type WorkflowRun = SignalResponse

// conductor-go's names for the workflow statuses (workflow_status.go).
const (
	RunningWorkflow    = WorkflowRunning
	CompletedWorkflow  = WorkflowCompleted
	FailedWorkflow     = WorkflowFailed
	TimedOutWorkflow   = WorkflowTimedOut
	TerminatedWorkflow = WorkflowTerminated
	PausedWorkflow     = WorkflowPaused
)

// WorkflowTerminalStates lists the statuses a workflow ends in, as
// conductor-go's variable does. WorkflowStatus.IsTerminal answers the same
// question without a slice.
var WorkflowTerminalStates = []WorkflowStatus{
	CompletedWorkflow,
	FailedWorkflow,
	TimedOutWorkflow,
	TerminatedWorkflow,
}

// ScheduledTask is conductor-go's TaskResultStatus for SCHEDULED. It is not
// a status a worker may report (the server answers 400, and
// TaskResultStatus.IsValid is false for it); compare a task's status with
// TaskScheduled instead.
const ScheduledTask TaskResultStatus = "SCHEDULED"

// NewIdempotentStartWorkflowRequest returns a request that starts the
// named workflow unless one with idempotencyKey exists, in which case
// idempotencyStrategy decides. The arguments are conductor-go's, in its
// order; version and input have the types of NewStartWorkflowRequest's (a
// version of 0 means the latest).
func NewIdempotentStartWorkflowRequest(name string, version int, correlationID string,
	idempotencyKey string, idempotencyStrategy IdempotencyStrategy, input map[string]any) *StartWorkflowRequest {
	r := NewStartWorkflowRequest(name, version, correlationID, input)
	r.IdempotencyKey = idempotencyKey
	r.IdempotencyStrategy = idempotencyStrategy
	return r
}

// NewStartWorkflowRequestLegacy is conductor-go's older name for
// NewStartWorkflowRequest.
func NewStartWorkflowRequestLegacy(name string, version int, correlationID string, input map[string]any) *StartWorkflowRequest {
	return NewStartWorkflowRequest(name, version, correlationID, input)
}
