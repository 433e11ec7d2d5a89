package model

// EventHandler reacts to events on a queue with actions (/api/event).
type EventHandler struct {
	Name          string        `json:"name"`
	Event         string        `json:"event"`
	Condition     string        `json:"condition,omitempty"`
	Actions       []EventAction `json:"actions,omitzero"`
	Active        bool          `json:"active"`
	EvaluatorType string        `json:"evaluatorType,omitempty"`
}

// Event handler action kinds.
const (
	ActionStartWorkflow           = "start_workflow"
	ActionCompleteTask            = "complete_task"
	ActionFailTask                = "fail_task"
	ActionTerminateWorkflow       = "terminate_workflow"
	ActionUpdateWorkflowVariables = "update_workflow_variables"
)

// EventAction is one action of an event handler; the field named after
// Action holds its parameters.
type EventAction struct {
	Action                  string                   `json:"action,omitempty"`
	StartWorkflow           *StartWorkflowAction     `json:"start_workflow,omitempty"`
	CompleteTask            *TaskDetails             `json:"complete_task,omitempty"`
	FailTask                *TaskDetails             `json:"fail_task,omitempty"`
	TerminateWorkflow       *TerminateWorkflowAction `json:"terminate_workflow,omitempty"`
	UpdateWorkflowVariables *UpdateVariablesAction   `json:"update_workflow_variables,omitempty"`
	ExpandInlineJSON        bool                     `json:"expandInlineJSON"`
}

// StartWorkflowAction starts a workflow from an event.
type StartWorkflowAction struct {
	Name          string            `json:"name,omitempty"`
	Version       *int              `json:"version,omitempty"`
	CorrelationId string            `json:"correlationId,omitempty"`
	Input         map[string]any    `json:"input,omitzero"`
	TaskToDomain  map[string]string `json:"taskToDomain,omitzero"`
}

// TaskDetails names the task an event completes or fails.
type TaskDetails struct {
	WorkflowId            string         `json:"workflowId,omitempty"`
	TaskRefName           string         `json:"taskRefName,omitempty"`
	Output                map[string]any `json:"output,omitzero"`
	TaskId                string         `json:"taskId,omitempty"`
	ReasonForIncompletion string         `json:"reasonForIncompletion,omitempty"`
}

// TerminateWorkflowAction terminates a workflow from an event.
type TerminateWorkflowAction struct {
	WorkflowId        string `json:"workflowId,omitempty"`
	TerminationReason string `json:"terminationReason,omitempty"`
}

// UpdateVariablesAction sets workflow variables from an event.
type UpdateVariablesAction struct {
	WorkflowId  string         `json:"workflowId,omitempty"`
	Variables   map[string]any `json:"variables,omitzero"`
	AppendArray bool           `json:"appendArray"`
}
