package executor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// errNoClient is returned by every call of an executor made without a client.
var errNoClient = errors.New("executor: no API client (NewWorkflowExecutor got nil)")

// RegisterWorkflowWithContext is RegisterWorkflow with a context.
func (e *WorkflowExecutor) RegisterWorkflowWithContext(ctx context.Context, overwrite bool, workflow *model.WorkflowDef) error {
	if e.api == nil {
		return errNoClient
	}
	if workflow == nil {
		return errors.New("executor: register workflow: definition is nil")
	}
	return e.metadata.RegisterWorkflowDef(ctx, workflow, overwrite)
}

// UnRegisterWorkflowWithContext is UnRegisterWorkflow with a context.
func (e *WorkflowExecutor) UnRegisterWorkflowWithContext(ctx context.Context, name string, version int32) error {
	if e.api == nil {
		return errNoClient
	}
	return e.metadata.DeleteWorkflowDef(ctx, name, int(version))
}

// StartWorkflowWithContext is StartWorkflow with a context.
func (e *WorkflowExecutor) StartWorkflowWithContext(ctx context.Context, startWorkflowRequest *model.StartWorkflowRequest) (workflowId string, err error) {
	if e.api == nil {
		return "", errNoClient
	}
	return e.workflows.Start(ctx, startWorkflowRequest)
}

// StartWorkflowsWithContext is StartWorkflows with a context, which bounds
// the starts (not the watches).
func (e *WorkflowExecutor) StartWorkflowsWithContext(ctx context.Context, monitorExecution bool, startWorkflowRequests ...*model.StartWorkflowRequest) []*RunningWorkflow {
	out := make([]*RunningWorkflow, len(startWorkflowRequests))
	sem := make(chan struct{}, e.cfg.StartConcurrency)
	var wg sync.WaitGroup
	for i, req := range startWorkflowRequests {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			id, err := e.StartWorkflowWithContext(ctx, req)
			if err != nil {
				out[i] = NewRunningWorkflow("", nil, err)
				return
			}
			var ch WorkflowExecutionChannel
			if monitorExecution {
				// The watch outlives ctx: it ends when the workflow does.
				ch, err = e.MonitorExecutionWithContext(context.WithoutCancel(ctx), id)
			}
			out[i] = NewRunningWorkflow(id, ch, err)
		})
	}
	wg.Wait()
	return out
}

// ExecuteWorkflowWithContext is ExecuteWorkflow with a context.
func (e *WorkflowExecutor) ExecuteWorkflowWithContext(ctx context.Context, startWorkflowRequest *model.StartWorkflowRequest, waitUntilTask string) (run *model.SignalResponse, err error) {
	if e.api == nil {
		return nil, errNoClient
	}
	if startWorkflowRequest == nil {
		return nil, errors.New("executor: execute workflow: request is nil")
	}
	opts := client.ExecuteOptions{}
	if waitUntilTask != "" {
		opts.WaitUntilTaskRefs = []string{waitUntilTask}
	}
	return e.workflows.Execute(ctx, startWorkflowRequest.Name, version(startWorkflowRequest), startWorkflowRequest, opts)
}

func version(r *model.StartWorkflowRequest) int {
	if r.Version == nil {
		return 0
	}
	return *r.Version
}

// MonitorExecutionWithContext is MonitorExecution with a context: the
// channel is closed without a value when ctx is done first.
func (e *WorkflowExecutor) MonitorExecutionWithContext(ctx context.Context, workflowId string) (WorkflowExecutionChannel, error) {
	if e.api == nil {
		return nil, errNoClient
	}
	if workflowId == "" {
		return nil, errors.New("executor: monitor execution: workflow id is empty")
	}
	return e.monitor.watch(ctx, workflowId)
}

// WaitForCompletion waits until the workflow reaches a terminal state and
// returns it (without its tasks), or returns the error that ended the
// wait: ctx's, the executor's closing, or the server's answer for a
// workflow it does not know. Transient failures (5xx, 429, the network)
// are retried on the polling schedule.
func (e *WorkflowExecutor) WaitForCompletion(ctx context.Context, workflowId string) (*model.Workflow, error) {
	if e.api == nil {
		return nil, errNoClient
	}
	return e.monitor.wait(ctx, workflowId)
}

// GetWorkflowWithContext is GetWorkflow with a context.
func (e *WorkflowExecutor) GetWorkflowWithContext(ctx context.Context, workflowId string, includeTasks bool) (*model.Workflow, error) {
	if e.api == nil {
		return nil, errNoClient
	}
	return e.workflows.Get(ctx, workflowId, includeTasks)
}

// GetWorkflowStatusWithContext is GetWorkflowStatus with a context.
func (e *WorkflowExecutor) GetWorkflowStatusWithContext(ctx context.Context, workflowId string, includeOutput bool, includeVariables bool) (*model.WorkflowState, error) {
	if e.api == nil {
		return nil, errNoClient
	}
	return e.workflows.Status(ctx, workflowId, includeOutput, includeVariables)
}

// GetByCorrelationIdsWithContext is GetByCorrelationIds with a context.
func (e *WorkflowExecutor) GetByCorrelationIdsWithContext(ctx context.Context, workflowName string, includeClosed bool, includeTasks bool, correlationIds ...string) (map[string][]model.Workflow, error) {
	if e.api == nil {
		return nil, errNoClient
	}
	return e.workflows.ByCorrelationIDs(ctx, workflowName, correlationIds, includeClosed, includeTasks)
}

// SearchWithContext is Search with a context.
func (e *WorkflowExecutor) SearchWithContext(ctx context.Context, start int32, size int32, query string, freeText string) ([]model.WorkflowSummary, error) {
	if e.api == nil {
		return nil, errNoClient
	}
	res, err := e.workflows.Search(ctx, client.SearchOptions{Start: int(start), Size: int(size), Query: query, FreeText: freeText})
	if err != nil {
		return nil, err
	}
	return res.Results, nil
}

// PauseWithContext is Pause with a context.
func (e *WorkflowExecutor) PauseWithContext(ctx context.Context, workflowId string) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.Pause(ctx, workflowId)
}

// ResumeWithContext is Resume with a context.
func (e *WorkflowExecutor) ResumeWithContext(ctx context.Context, workflowId string) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.Resume(ctx, workflowId)
}

// TerminateWithContext is Terminate with a context.
func (e *WorkflowExecutor) TerminateWithContext(ctx context.Context, workflowId string, reason string) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.Terminate(ctx, workflowId, reason)
}

// TerminateWithFailureWithContext is TerminateWithFailure with a context.
func (e *WorkflowExecutor) TerminateWithFailureWithContext(ctx context.Context, workflowId string, reason string, triggerFailureWorkflow bool) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.TerminateWithFailure(ctx, workflowId, reason, triggerFailureWorkflow)
}

// RestartWithContext is Restart with a context.
func (e *WorkflowExecutor) RestartWithContext(ctx context.Context, workflowId string, useLatestDefinition bool) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.Restart(ctx, workflowId, useLatestDefinition)
}

// RetryWithContext is Retry with a context.
func (e *WorkflowExecutor) RetryWithContext(ctx context.Context, workflowId string, resumeSubworkflowTasks bool) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.Retry(ctx, workflowId, resumeSubworkflowTasks)
}

// ReRunWithContext is ReRun with a context.
func (e *WorkflowExecutor) ReRunWithContext(ctx context.Context, workflowId string, reRunRequest model.RerunWorkflowRequest) (id string, error error) {
	if e.api == nil {
		return "", errNoClient
	}
	return e.workflows.Rerun(ctx, workflowId, &reRunRequest)
}

// SkipTasksFromWorkflowWithContext is SkipTasksFromWorkflow with a context.
func (e *WorkflowExecutor) SkipTasksFromWorkflowWithContext(ctx context.Context, workflowId string, taskReferenceName string, skipTaskRequest model.SkipTaskRequest) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.SkipTask(ctx, workflowId, taskReferenceName, &skipTaskRequest)
}

// UpdateTaskWithContext is UpdateTask with a context.
func (e *WorkflowExecutor) UpdateTaskWithContext(ctx context.Context, taskId string, workflowInstanceId string, status model.TaskResultStatus, output any) error {
	if e.api == nil {
		return errNoClient
	}
	result, ok := output.(*model.TaskResult)
	if !ok || result == nil {
		out, err := outputMap(output)
		if err != nil {
			return fmt.Errorf("executor: update task %s: %w", taskId, err)
		}
		result = model.NewTaskResult(taskId, workflowInstanceId)
		result.OutputData = out
	}
	result.Status = status
	_, err := e.tasks.Update(ctx, result)
	return err
}

// UpdateTaskByRefNameWithContext is UpdateTaskByRefName with a context.
func (e *WorkflowExecutor) UpdateTaskByRefNameWithContext(ctx context.Context, taskRefName string, workflowInstanceId string, status model.TaskResultStatus, output any) error {
	if e.api == nil {
		return errNoClient
	}
	out, err := outputMap(output)
	if err != nil {
		return fmt.Errorf("executor: update task %s of workflow %s: %w", taskRefName, workflowInstanceId, err)
	}
	id, err := e.tasks.UpdateByRefName(ctx, workflowInstanceId, taskRefName, status, out, "")
	if err == nil && id == "" {
		// Conductor answers 200 with no task id; conductor-go reports success.
		return fmt.Errorf("executor: update task: workflow %s has no pending task %q: %w", workflowInstanceId, taskRefName, client.ErrNotFound)
	}
	return err
}

// GetTaskWithContext is GetTask with a context.
func (e *WorkflowExecutor) GetTaskWithContext(ctx context.Context, taskId string) (task *model.WorkerTask, err error) {
	if e.api == nil {
		return nil, errNoClient
	}
	return e.tasks.Get(ctx, taskId)
}

// RemoveWorkflowWithContext is RemoveWorkflow with a context.
func (e *WorkflowExecutor) RemoveWorkflowWithContext(ctx context.Context, workflowId string) error {
	if e.api == nil {
		return errNoClient
	}
	return e.workflows.Remove(ctx, workflowId, false)
}

// outputMap turns a task output into the JSON object Conductor stores: a
// map as it is, anything else through its JSON encoding.
func outputMap(v any) (map[string]any, error) {
	switch o := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return o, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, fmt.Errorf("output %T does not encode to a JSON object", v)
	}
	return m, nil
}
