package model

import (
	"os"
	"sync"
)

// TaskResult is what a worker reports for a task (body of POST /api/tasks).
type TaskResult struct {
	WorkflowInstanceId               string           `json:"workflowInstanceId"`
	TaskId                           string           `json:"taskId"`
	ReasonForIncompletion            string           `json:"reasonForIncompletion,omitempty"`
	CallbackAfterSeconds             int64            `json:"callbackAfterSeconds"`
	WorkerId                         string           `json:"workerId,omitempty"`
	Status                           TaskResultStatus `json:"status,omitempty"`
	OutputData                       map[string]any   `json:"outputData,omitzero"`
	Logs                             []TaskExecLog    `json:"logs,omitzero"`
	ExternalOutputPayloadStoragePath string           `json:"externalOutputPayloadStoragePath,omitempty"`
	SubWorkflowId                    string           `json:"subWorkflowId,omitempty"`
	// ExtendLease, when true, only resets the task's response timeout; the
	// rest of the result is ignored by the server.
	ExtendLease bool `json:"extendLease"`
}

// NewTaskResultFromTask starts a result for t: task id, workflow id and the
// worker id that polled it (this host's name when the task has none). The
// status is left for the caller to set.
func NewTaskResultFromTask(t *WorkerTask) *TaskResult {
	r := &TaskResult{TaskId: t.TaskId, WorkflowInstanceId: t.WorkflowInstanceId, WorkerId: t.WorkerId}
	if r.WorkerId == "" {
		r.WorkerId = Hostname()
	}
	return r
}

// NewTaskResult starts a result for the task with the given ids.
func NewTaskResult(taskID, workflowInstanceID string) *TaskResult {
	return &TaskResult{TaskId: taskID, WorkflowInstanceId: workflowInstanceID, WorkerId: Hostname()}
}

// NewTaskResultFromTaskWithError returns a failed result for t with err's
// text as the reason: FAILED_WITH_TERMINAL_ERROR when err is (or wraps) a
// *TerminalError, FAILED otherwise.
func NewTaskResultFromTaskWithError(t *WorkerTask, err error) *TaskResult {
	r := NewTaskResultFromTask(t)
	r.Status = FailedTask
	if IsTerminalError(err) {
		r.Status = FailedWithTerminalErrorTask
	}
	if err != nil {
		r.ReasonForIncompletion = err.Error()
	}
	return r
}

// Log appends a line to the result's execution log.
func (r *TaskResult) Log(line string, createdTime int64) {
	r.Logs = append(r.Logs, TaskExecLog{Log: line, TaskId: r.TaskId, CreatedTime: createdTime})
}

var hostname = sync.OnceValue(func() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
})

// Hostname returns this machine's host name, the default worker id.
func Hostname() string { return hostname() }
