package workflow

import (
	"github.com/batonhq/baton/model"
)

// TerminateTask is a TERMINATE task: it ends the workflow with a status
// and reason; its input workflowOutput, if set, becomes the output.
type TerminateTask struct {
	Task
}

// NewTerminateTask returns a task ending the workflow with status
// (model.WorkflowCompleted, model.WorkflowFailed or
// model.WorkflowTerminated) and terminationReason.
func NewTerminateTask(taskRefName string, status model.WorkflowStatus, terminationReason string) *TerminateTask {
	return &TerminateTask{newTask(taskRefName, taskRefName, TERMINATE, map[string]any{
		"terminationStatus": status,
		"terminationReason": terminationReason,
	})}
}

// SetVariableTask is a SET_VARIABLE task: each of its inputs becomes the
// workflow variable of that name (${workflow.variables.name}).
type SetVariableTask struct {
	Task
}

// NewSetVariableTask returns a SET_VARIABLE task; give the variables with
// Input or InputMap.
func NewSetVariableTask(taskRefName string) *SetVariableTask {
	return &SetVariableTask{newTask(taskRefName, taskRefName, SET_VARIABLE, nil)}
}
