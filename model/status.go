package model

// TaskStatus is the state of one task execution (Conductor's Task.Status).
type TaskStatus string

// The nine task statuses, as Conductor names them.
const (
	TaskInProgress              TaskStatus = "IN_PROGRESS"
	TaskCanceled                TaskStatus = "CANCELED"
	TaskFailed                  TaskStatus = "FAILED"
	TaskFailedWithTerminalError TaskStatus = "FAILED_WITH_TERMINAL_ERROR"
	TaskCompleted               TaskStatus = "COMPLETED"
	TaskCompletedWithErrors     TaskStatus = "COMPLETED_WITH_ERRORS"
	TaskScheduled               TaskStatus = "SCHEDULED"
	TaskTimedOut                TaskStatus = "TIMED_OUT"
	TaskSkipped                 TaskStatus = "SKIPPED"
)

// TaskStatuses lists every task status in Conductor's declaration order.
var TaskStatuses = []TaskStatus{
	TaskInProgress, TaskCanceled, TaskFailed, TaskFailedWithTerminalError, TaskCompleted,
	TaskCompletedWithErrors, TaskScheduled, TaskTimedOut, TaskSkipped,
}

// IsTerminal reports whether the task will not change state again on its own.
func (s TaskStatus) IsTerminal() bool {
	switch s {
	case TaskCanceled, TaskFailed, TaskFailedWithTerminalError, TaskCompleted,
		TaskCompletedWithErrors, TaskTimedOut, TaskSkipped:
		return true
	}
	return false
}

// IsSuccessful reports whether the status lets the workflow go on. As in
// Conductor, the non-terminal statuses count as successful.
func (s TaskStatus) IsSuccessful() bool {
	switch s {
	case TaskInProgress, TaskCompleted, TaskCompletedWithErrors, TaskScheduled, TaskSkipped:
		return true
	}
	return false
}

// IsRetriable reports whether a task ending in this status may be retried.
func (s TaskStatus) IsRetriable() bool {
	switch s {
	case TaskCanceled, TaskFailedWithTerminalError, TaskSkipped:
		return false
	}
	return s.IsValid()
}

// IsValid reports whether s is one of the nine task statuses.
func (s TaskStatus) IsValid() bool {
	for _, v := range TaskStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// WorkflowStatus is the state of a workflow execution.
type WorkflowStatus string

// The six workflow statuses.
const (
	WorkflowRunning    WorkflowStatus = "RUNNING"
	WorkflowCompleted  WorkflowStatus = "COMPLETED"
	WorkflowFailed     WorkflowStatus = "FAILED"
	WorkflowTimedOut   WorkflowStatus = "TIMED_OUT"
	WorkflowTerminated WorkflowStatus = "TERMINATED"
	WorkflowPaused     WorkflowStatus = "PAUSED"
)

// WorkflowStatuses lists every workflow status in Conductor's declaration order.
var WorkflowStatuses = []WorkflowStatus{
	WorkflowRunning, WorkflowCompleted, WorkflowFailed, WorkflowTimedOut, WorkflowTerminated, WorkflowPaused,
}

// IsTerminal reports whether the workflow has ended.
func (s WorkflowStatus) IsTerminal() bool {
	switch s {
	case WorkflowCompleted, WorkflowFailed, WorkflowTimedOut, WorkflowTerminated:
		return true
	}
	return false
}

// IsSuccessful reports whether the status counts as a success (COMPLETED, and
// PAUSED as in Conductor).
func (s WorkflowStatus) IsSuccessful() bool {
	return s == WorkflowCompleted || s == WorkflowPaused
}

// IsValid reports whether s is one of the six workflow statuses.
func (s WorkflowStatus) IsValid() bool {
	for _, v := range WorkflowStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// TaskResultStatus is the status a worker reports for a task (Conductor's
// TaskResult.Status). The names follow the Conductor Go documentation.
type TaskResultStatus string

// The statuses a worker may report.
const (
	InProgressTask              TaskResultStatus = "IN_PROGRESS"
	FailedTask                  TaskResultStatus = "FAILED"
	FailedWithTerminalErrorTask TaskResultStatus = "FAILED_WITH_TERMINAL_ERROR"
	CompletedTask               TaskResultStatus = "COMPLETED"
	CanceledTask                TaskResultStatus = "CANCELED"
)

// TaskResultStatuses lists every status a worker may report.
var TaskResultStatuses = []TaskResultStatus{
	InProgressTask, FailedTask, FailedWithTerminalErrorTask, CompletedTask, CanceledTask,
}

// IsTerminal reports whether the reported status ends the task.
func (s TaskResultStatus) IsTerminal() bool { return s != InProgressTask && s.IsValid() }

// IsSuccessful reports whether the reported status lets the workflow go on.
func (s TaskResultStatus) IsSuccessful() bool { return s == CompletedTask || s == InProgressTask }

// IsValid reports whether s is one of the statuses a worker may report.
func (s TaskResultStatus) IsValid() bool {
	for _, v := range TaskResultStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// TaskStatus returns the task status this result moves the task to.
func (s TaskResultStatus) TaskStatus() TaskStatus { return TaskStatus(s) }
