package model

// Workflow is one workflow execution (GET /api/workflow/{workflowId}).
type Workflow struct {
	// OwnerApp is always sent, as "" when unset: Conductor's WorkflowModel
	// fills it with the (empty) client app of the request that started it.
	OwnerApp   string `json:"ownerApp"`
	CreateTime int64  `json:"createTime,omitempty"`
	// UpdateTime is always sent, as 0 until the workflow is first saved
	// after a decide (WorkflowExecutorOps.decide leaves it unset at times).
	UpdateTime                       int64             `json:"updateTime"`
	CreatedBy                        string            `json:"createdBy,omitempty"`
	UpdatedBy                        string            `json:"updatedBy,omitempty"`
	Status                           WorkflowStatus    `json:"status,omitempty"`
	EndTime                          int64             `json:"endTime"`
	WorkflowId                       string            `json:"workflowId,omitempty"`
	ParentWorkflowId                 string            `json:"parentWorkflowId,omitempty"`
	ParentWorkflowTaskId             string            `json:"parentWorkflowTaskId,omitempty"`
	Tasks                            []WorkerTask      `json:"tasks,omitzero"`
	Input                            map[string]any    `json:"input,omitzero"`
	Output                           map[string]any    `json:"output,omitzero"`
	CorrelationId                    string            `json:"correlationId,omitempty"`
	ReRunFromWorkflowId              string            `json:"reRunFromWorkflowId,omitempty"`
	ReasonForIncompletion            string            `json:"reasonForIncompletion,omitempty"`
	Event                            string            `json:"event,omitempty"`
	TaskToDomain                     map[string]string `json:"taskToDomain,omitzero"`
	FailedReferenceTaskNames         []string          `json:"failedReferenceTaskNames,omitzero"`
	WorkflowDefinition               *WorkflowDef      `json:"workflowDefinition,omitempty"`
	ExternalInputPayloadStoragePath  string            `json:"externalInputPayloadStoragePath,omitempty"`
	ExternalOutputPayloadStoragePath string            `json:"externalOutputPayloadStoragePath,omitempty"`
	Priority                         int               `json:"priority"`
	Variables                        map[string]any    `json:"variables,omitzero"`
	LastRetriedTime                  int64             `json:"lastRetriedTime"`
	FailedTaskNames                  []string          `json:"failedTaskNames,omitzero"`
	History                          []Workflow        `json:"history,omitzero"`
	IdempotencyKey                   string            `json:"idempotencyKey,omitempty"`
	RateLimitKey                     string            `json:"rateLimitKey,omitempty"`
	RateLimited                      bool              `json:"rateLimited"`
	// StartTime, WorkflowName and WorkflowVersion are derived by Conductor's
	// getters (createTime, and the definition's name and version).
	StartTime       int64  `json:"startTime"`
	WorkflowName    string `json:"workflowName,omitempty"`
	WorkflowVersion int    `json:"workflowVersion"`
}

// TaskByRefName returns the latest task with the given reference name, or nil.
func (w *Workflow) TaskByRefName(ref string) *WorkerTask {
	for i := len(w.Tasks) - 1; i >= 0; i-- {
		if w.Tasks[i].ReferenceTaskName == ref {
			return &w.Tasks[i]
		}
	}
	return nil
}

// WorkflowState is the short status answer of GET /api/workflow/{id}/status
// (Conductor's WorkflowStatus class).
type WorkflowState struct {
	WorkflowId    string         `json:"workflowId,omitempty"`
	CorrelationId string         `json:"correlationId,omitempty"`
	Output        map[string]any `json:"output,omitzero"`
	Variables     map[string]any `json:"variables,omitzero"`
	Status        WorkflowStatus `json:"status,omitempty"`
}
