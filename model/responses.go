package model

// SearchResult is a page of search results.
type SearchResult[T any] struct {
	TotalHits int64 `json:"totalHits"`
	Results   []T   `json:"results"`
}

// WorkflowSummary is a workflow as search returns it. Times are strings in
// yyyy-MM-dd'T'HH:mm:ss.SSS'Z' (UTC); input and output are JSON text.
type WorkflowSummary struct {
	WorkflowType                     string            `json:"workflowType,omitempty"`
	Version                          int               `json:"version"`
	WorkflowId                       string            `json:"workflowId,omitempty"`
	CorrelationId                    string            `json:"correlationId,omitempty"`
	StartTime                        string            `json:"startTime,omitempty"`
	UpdateTime                       string            `json:"updateTime,omitempty"`
	EndTime                          string            `json:"endTime,omitempty"`
	Status                           WorkflowStatus    `json:"status,omitempty"`
	Input                            string            `json:"input,omitempty"`
	Output                           string            `json:"output,omitempty"`
	ReasonForIncompletion            string            `json:"reasonForIncompletion,omitempty"`
	ExecutionTime                    int64             `json:"executionTime"`
	Event                            string            `json:"event,omitempty"`
	FailedReferenceTaskNames         string            `json:"failedReferenceTaskNames,omitempty"`
	ExternalInputPayloadStoragePath  string            `json:"externalInputPayloadStoragePath,omitempty"`
	ExternalOutputPayloadStoragePath string            `json:"externalOutputPayloadStoragePath,omitempty"`
	Priority                         int               `json:"priority"`
	CreatedBy                        string            `json:"createdBy,omitempty"`
	IdempotencyKey                   string            `json:"idempotencyKey,omitempty"`
	ParentWorkflowId                 string            `json:"parentWorkflowId,omitempty"`
	Classifier                       string            `json:"classifier,omitempty"`
	FailedTaskNames                  []string          `json:"failedTaskNames,omitzero"`
	TaskToDomain                     map[string]string `json:"taskToDomain,omitzero"`
	InputSize                        int64             `json:"inputSize"`
	OutputSize                       int64             `json:"outputSize"`
}

// TaskSummary is a task as task search returns it.
type TaskSummary struct {
	WorkflowId                       string     `json:"workflowId,omitempty"`
	WorkflowType                     string     `json:"workflowType,omitempty"`
	CorrelationId                    string     `json:"correlationId,omitempty"`
	ScheduledTime                    string     `json:"scheduledTime,omitempty"`
	StartTime                        string     `json:"startTime,omitempty"`
	UpdateTime                       string     `json:"updateTime,omitempty"`
	EndTime                          string     `json:"endTime,omitempty"`
	Status                           TaskStatus `json:"status,omitempty"`
	ReasonForIncompletion            string     `json:"reasonForIncompletion,omitempty"`
	ExecutionTime                    int64      `json:"executionTime"`
	QueueWaitTime                    int64      `json:"queueWaitTime"`
	TaskDefName                      string     `json:"taskDefName,omitempty"`
	TaskType                         string     `json:"taskType,omitempty"`
	Input                            string     `json:"input,omitempty"`
	Output                           string     `json:"output,omitempty"`
	TaskId                           string     `json:"taskId,omitempty"`
	ExternalInputPayloadStoragePath  string     `json:"externalInputPayloadStoragePath,omitempty"`
	ExternalOutputPayloadStoragePath string     `json:"externalOutputPayloadStoragePath,omitempty"`
	WorkflowPriority                 int        `json:"workflowPriority"`
	Domain                           string     `json:"domain,omitempty"`
}

// BulkResponse is the answer of a bulk operation: the ids that succeeded and,
// for each that failed, why.
type BulkResponse[T any] struct {
	BulkErrorResults      map[string]string `json:"bulkErrorResults"`
	BulkSuccessfulResults []T               `json:"bulkSuccessfulResults"`
	Message               string            `json:"message,omitempty"`
}

// ErrorResponse is Conductor's error body.
type ErrorResponse struct {
	Status           int               `json:"status"`
	Code             string            `json:"code,omitempty"`
	Message          string            `json:"message,omitempty"`
	Instance         string            `json:"instance,omitempty"`
	Retryable        bool              `json:"retryable"`
	ValidationErrors []ValidationError `json:"validationErrors,omitzero"`
	Metadata         map[string]any    `json:"metadata,omitzero"`
}

// ValidationError is one failed constraint of a request.
type ValidationError struct {
	Path         string `json:"path,omitempty"`
	Message      string `json:"message,omitempty"`
	InvalidValue any    `json:"invalidValue,omitempty"`
}

// WorkflowDefSummary names one version of a workflow definition.
type WorkflowDefSummary struct {
	Name    string `json:"name,omitempty"`
	Version int    `json:"version"`
	// CreateTime and UpdateTime are always sent, 0 when unset, as
	// Conductor copies them from the definition's Auditable getters.
	CreateTime int64 `json:"createTime"`
	UpdateTime int64 `json:"updateTime"`
}

// HealthCheckStatus is the answer of GET /health.
type HealthCheckStatus struct {
	HealthResults           []any `json:"healthResults"`
	SuppressedHealthResults []any `json:"suppressedHealthResults"`
	Healthy                 bool  `json:"healthy"`
}
