package executor

import (
	"context"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// WorkflowExecutor registers, starts and steers workflows through one
// APIClient. It is safe for concurrent use. Close it to end the watches of
// MonitorExecution and StartWorkflows that are still open.
type WorkflowExecutor struct {
	api       *client.APIClient
	workflows *client.WorkflowClient
	tasks     *client.TaskClient
	metadata  *client.MetadataClient
	cfg       Config
	monitor   *monitor
}

// NewWorkflowExecutor returns an executor calling the server of apiClient,
// with the default Config. A nil apiClient is reported by every call.
func NewWorkflowExecutor(apiClient *client.APIClient) *WorkflowExecutor {
	e, err := NewWorkflowExecutorWithConfig(apiClient, Config{})
	if err != nil { // the zero Config is valid
		panic(err)
	}
	return e
}

// NewWorkflowExecutorWithConfig returns an executor with cfg, or an error
// saying which setting is wrong.
func NewWorkflowExecutorWithConfig(apiClient *client.APIClient, cfg Config) (*WorkflowExecutor, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	e := &WorkflowExecutor{api: apiClient, cfg: cfg}
	if apiClient != nil {
		e.workflows, e.tasks, e.metadata = apiClient.Workflows(), apiClient.Tasks(), apiClient.Metadata()
	}
	e.monitor = newMonitor(e, cfg)
	return e, nil
}

// Close ends every open watch: their channels close without a value and
// their waits return context.Canceled. Later watches fail. Close is
// idempotent and returns once no goroutine of the executor runs.
func (e *WorkflowExecutor) Close() error {
	e.monitor.close()
	return nil
}

// RegisterWorkflow registers a workflow definition, replacing one of the
// same name and version when overwrite is set (409 ErrConflict otherwise).
func (e *WorkflowExecutor) RegisterWorkflow(overwrite bool, workflow *model.WorkflowDef) error {
	return e.RegisterWorkflowWithContext(context.Background(), overwrite, workflow)
}

// UnRegisterWorkflow deletes one version of a workflow definition.
func (e *WorkflowExecutor) UnRegisterWorkflow(name string, version int32) error {
	return e.UnRegisterWorkflowWithContext(context.Background(), name, version)
}

// StartWorkflow starts a workflow and returns its id.
func (e *WorkflowExecutor) StartWorkflow(startWorkflowRequest *model.StartWorkflowRequest) (workflowId string, err error) {
	return e.StartWorkflowWithContext(context.Background(), startWorkflowRequest)
}

// StartWorkflows starts workflows concurrently (Config.StartConcurrency at
// a time) and returns one RunningWorkflow per request, in order; a failed
// start has its Err set. With monitorExecution each RunningWorkflow can be
// waited for.
func (e *WorkflowExecutor) StartWorkflows(monitorExecution bool, startWorkflowRequests ...*model.StartWorkflowRequest) []*RunningWorkflow {
	return e.StartWorkflowsWithContext(context.Background(), monitorExecution, startWorkflowRequests...)
}

// ExecuteWorkflow starts a workflow and waits, on the server, until it
// ends, reaches the task waitUntilTask (if not empty) or the server's wait
// (10 s) runs out, and returns its state then. Use Execute or
// WaitForCompletion to wait without a bound.
func (e *WorkflowExecutor) ExecuteWorkflow(startWorkflowRequest *model.StartWorkflowRequest, waitUntilTask string) (run *model.SignalResponse, err error) {
	return e.ExecuteWorkflowWithContext(context.Background(), startWorkflowRequest, waitUntilTask)
}

// MonitorExecution returns a channel that receives the workflow once it
// reaches a terminal state and is then closed. It is closed without a
// value if the workflow cannot be watched (deleted, unknown) or the
// executor is closed.
func (e *WorkflowExecutor) MonitorExecution(workflowId string) (workflowMonitor WorkflowExecutionChannel, err error) {
	return e.MonitorExecutionWithContext(context.Background(), workflowId)
}

// WaitForRunningWorkflowsUntilTimeout waits until each of runningWorkflows
// has ended or timeout has passed, whichever is first; the ended ones have
// CompletedWorkflow set.
func (e *WorkflowExecutor) WaitForRunningWorkflowsUntilTimeout(timeout time.Duration, runningWorkflows ...*RunningWorkflow) {
	deadline := time.Now().Add(timeout)
	for _, rw := range runningWorkflows {
		if rw != nil {
			_, _ = rw.WaitForCompletionUntilTimeout(time.Until(deadline))
		}
	}
}

// GetWorkflow returns a workflow execution, with its tasks if includeTasks.
func (e *WorkflowExecutor) GetWorkflow(workflowId string, includeTasks bool) (*model.Workflow, error) {
	return e.GetWorkflowWithContext(context.Background(), workflowId, includeTasks)
}

// GetWorkflowStatus returns the short state of a workflow.
func (e *WorkflowExecutor) GetWorkflowStatus(workflowId string, includeOutput bool, includeVariables bool) (*model.WorkflowState, error) {
	return e.GetWorkflowStatusWithContext(context.Background(), workflowId, includeOutput, includeVariables)
}

// GetByCorrelationIds returns the executions of workflowName carrying each
// of correlationIds, keyed by correlation id.
func (e *WorkflowExecutor) GetByCorrelationIds(workflowName string, includeClosed bool, includeTasks bool, correlationIds ...string) (map[string][]model.Workflow, error) {
	return e.GetByCorrelationIdsWithContext(context.Background(), workflowName, includeClosed, includeTasks, correlationIds...)
}

// Search returns one page of workflows matching query and freeText.
func (e *WorkflowExecutor) Search(start int32, size int32, query string, freeText string) ([]model.WorkflowSummary, error) {
	return e.SearchWithContext(context.Background(), start, size, query, freeText)
}

// Pause stops a running workflow from scheduling further tasks.
func (e *WorkflowExecutor) Pause(workflowId string) error {
	return e.PauseWithContext(context.Background(), workflowId)
}

// Resume lets a paused workflow go on.
func (e *WorkflowExecutor) Resume(workflowId string) error {
	return e.ResumeWithContext(context.Background(), workflowId)
}

// Terminate ends a running or paused workflow with reason.
func (e *WorkflowExecutor) Terminate(workflowId string, reason string) error {
	return e.TerminateWithContext(context.Background(), workflowId, reason)
}

// TerminateWithFailure is Terminate asking the server to start the failure
// workflow too, on servers that know the parameter (Orkes).
func (e *WorkflowExecutor) TerminateWithFailure(workflowId string, reason string, triggerFailureWorkflow bool) error {
	return e.TerminateWithFailureWithContext(context.Background(), workflowId, reason, triggerFailureWorkflow)
}

// Restart runs a finished workflow again from its start.
func (e *WorkflowExecutor) Restart(workflowId string, useLatestDefinition bool) error {
	return e.RestartWithContext(context.Background(), workflowId, useLatestDefinition)
}

// Retry retries the last failed task of a failed workflow.
func (e *WorkflowExecutor) Retry(workflowId string, resumeSubworkflowTasks bool) error {
	return e.RetryWithContext(context.Background(), workflowId, resumeSubworkflowTasks)
}

// ReRun runs a finished workflow again, from the task reRunRequest names
// or from its start, and returns the workflow id.
func (e *WorkflowExecutor) ReRun(workflowId string, reRunRequest model.RerunWorkflowRequest) (id string, error error) {
	return e.ReRunWithContext(context.Background(), workflowId, reRunRequest)
}

// SkipTasksFromWorkflow marks a not yet scheduled task as SKIPPED.
func (e *WorkflowExecutor) SkipTasksFromWorkflow(workflowId string, taskReferenceName string, skipTaskRequest model.SkipTaskRequest) error {
	return e.SkipTasksFromWorkflowWithContext(context.Background(), workflowId, taskReferenceName, skipTaskRequest)
}

// UpdateTask sets a task's status and output. output is a
// *model.TaskResult sent as it is, or anything encoding to a JSON object.
func (e *WorkflowExecutor) UpdateTask(taskId string, workflowInstanceId string, status model.TaskResultStatus, output any) error {
	return e.UpdateTaskWithContext(context.Background(), taskId, workflowInstanceId, status, output)
}

// UpdateTaskByRefName sets the status and output of the pending task with
// reference name taskRefName, e.g. to complete a WAIT or HUMAN task.
func (e *WorkflowExecutor) UpdateTaskByRefName(taskRefName string, workflowInstanceId string, status model.TaskResultStatus, output any) error {
	return e.UpdateTaskByRefNameWithContext(context.Background(), taskRefName, workflowInstanceId, status, output)
}

// GetTask returns a task by id.
func (e *WorkflowExecutor) GetTask(taskId string) (task *model.WorkerTask, err error) {
	return e.GetTaskWithContext(context.Background(), taskId)
}

// RemoveWorkflow deletes a workflow from the execution store.
func (e *WorkflowExecutor) RemoveWorkflow(workflowId string) error {
	return e.RemoveWorkflowWithContext(context.Background(), workflowId)
}
