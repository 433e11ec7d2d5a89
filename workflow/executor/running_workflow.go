package executor

import (
	"errors"
	"fmt"
	"time"

	"github.com/batonhq/baton/model"
)

// WorkflowExecutionChannel receives a monitored workflow once it has ended,
// then closes.
type WorkflowExecutionChannel chan *model.Workflow

// RunningWorkflow is a workflow started by StartWorkflows.
type RunningWorkflow struct {
	// WorkflowId is empty when the start failed.
	WorkflowId string
	// WorkflowExecutionChannel is nil when the workflow is not monitored.
	WorkflowExecutionChannel WorkflowExecutionChannel
	// Err is why the start or the watch failed.
	Err error
	// CompletedWorkflow is set by WaitForCompletionUntilTimeout once the
	// workflow has ended.
	CompletedWorkflow *model.Workflow
}

// NewRunningWorkflow returns a RunningWorkflow.
func NewRunningWorkflow(workflowId string, workflowExecutionChannel WorkflowExecutionChannel, err error) *RunningWorkflow {
	return &RunningWorkflow{WorkflowId: workflowId, WorkflowExecutionChannel: workflowExecutionChannel, Err: err}
}

// ErrTimeout is returned by the waits with a timeout when it passes first.
var ErrTimeout = errors.New("executor: timed out waiting for the workflow")

// WaitForCompletionUntilTimeout waits at most timeout for the workflow to
// end, records it in CompletedWorkflow and returns it.
func (rw *RunningWorkflow) WaitForCompletionUntilTimeout(timeout time.Duration) (workflow *model.Workflow, err error) {
	if rw.CompletedWorkflow != nil {
		return rw.CompletedWorkflow, nil
	}
	if rw.Err != nil {
		return nil, rw.Err
	}
	if rw.WorkflowExecutionChannel == nil {
		return nil, fmt.Errorf("executor: workflow %q is not monitored", rw.WorkflowId)
	}
	wf, err := WaitForWorkflowCompletionUntilTimeout(rw.WorkflowExecutionChannel, timeout)
	if err != nil {
		return nil, err
	}
	rw.CompletedWorkflow = wf
	return wf, nil
}

// WaitForWorkflowCompletionUntilTimeout waits at most timeout for a value
// on executionChannel. A channel closed without one gives an error: the
// workflow could not be watched to its end.
func WaitForWorkflowCompletionUntilTimeout(executionChannel WorkflowExecutionChannel, timeout time.Duration) (workflow *model.Workflow, err error) {
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	} else {
		closed := make(chan time.Time)
		close(closed)
		expired = closed
	}
	select {
	case wf, ok := <-executionChannel:
		if !ok {
			return nil, errors.New("executor: the watch ended before the workflow did (unknown workflow, or executor closed)")
		}
		return wf, nil
	case <-expired:
		// A value that arrived at the same moment still counts.
		select {
		case wf, ok := <-executionChannel:
			if ok {
				return wf, nil
			}
		default:
		}
		return nil, ErrTimeout
	}
}
