package model

// IdempotencyStrategy says what a start with a known idempotency key does.
type IdempotencyStrategy string

// Idempotency strategies.
const (
	IdempotencyFail           IdempotencyStrategy = "FAIL"
	IdempotencyReturnExisting IdempotencyStrategy = "RETURN_EXISTING"
	IdempotencyFailOnRunning  IdempotencyStrategy = "FAIL_ON_RUNNING"
)

// StartWorkflowRequest starts a workflow (POST /api/workflow).
type StartWorkflowRequest struct {
	Name                            string              `json:"name"`
	Version                         *int                `json:"version,omitempty"`
	CorrelationId                   string              `json:"correlationId,omitempty"`
	Input                           map[string]any      `json:"input,omitzero"`
	TaskToDomain                    map[string]string   `json:"taskToDomain,omitzero"`
	WorkflowDef                     *WorkflowDef        `json:"workflowDef,omitempty"`
	ExternalInputPayloadStoragePath string              `json:"externalInputPayloadStoragePath,omitempty"`
	Priority                        *int                `json:"priority,omitempty"`
	CreatedBy                       string              `json:"createdBy,omitempty"`
	IdempotencyKey                  string              `json:"idempotencyKey,omitempty"`
	IdempotencyStrategy             IdempotencyStrategy `json:"idempotencyStrategy,omitempty"`
}

// NewStartWorkflowRequest returns a request for the named workflow. A version
// of 0 means the latest.
func NewStartWorkflowRequest(name string, version int, correlationID string, input map[string]any) *StartWorkflowRequest {
	r := &StartWorkflowRequest{Name: name, CorrelationId: correlationID, Input: input}
	if version > 0 {
		r.Version = &version
	}
	return r
}

// RerunWorkflowRequest reruns a workflow, optionally from one task.
type RerunWorkflowRequest struct {
	ReRunFromWorkflowId string         `json:"reRunFromWorkflowId,omitempty"`
	WorkflowInput       map[string]any `json:"workflowInput,omitzero"`
	ReRunFromTaskId     string         `json:"reRunFromTaskId,omitempty"`
	TaskInput           map[string]any `json:"taskInput,omitzero"`
	CorrelationId       string         `json:"correlationId,omitempty"`
}

// SkipTaskRequest gives the input and output recorded for a skipped task.
type SkipTaskRequest struct {
	TaskInput  map[string]any `json:"taskInput,omitzero"`
	TaskOutput map[string]any `json:"taskOutput,omitzero"`
}

// ReturnStrategy says what a synchronous execution returns.
type ReturnStrategy string

// Return strategies of POST /api/workflow/execute.
const (
	ReturnTargetWorkflow    ReturnStrategy = "TARGET_WORKFLOW"
	ReturnBlockingWorkflow  ReturnStrategy = "BLOCKING_WORKFLOW"
	ReturnBlockingTask      ReturnStrategy = "BLOCKING_TASK"
	ReturnBlockingTaskInput ReturnStrategy = "BLOCKING_TASK_INPUT"
)

// SignalResponse is the answer of a synchronous execution or a signal. Which
// fields are set depends on ResponseType: the workflow fields for
// TARGET_WORKFLOW and BLOCKING_WORKFLOW, the task fields for the task types.
type SignalResponse struct {
	ResponseType         ReturnStrategy `json:"responseType,omitempty"`
	TargetWorkflowId     string         `json:"targetWorkflowId,omitempty"`
	TargetWorkflowStatus WorkflowStatus `json:"targetWorkflowStatus,omitempty"`
	RequestId            string         `json:"requestId,omitempty"`
	WorkflowId           string         `json:"workflowId,omitempty"`
	CorrelationId        string         `json:"correlationId,omitempty"`
	Input                map[string]any `json:"input,omitzero"`
	Output               map[string]any `json:"output,omitzero"`
	Priority             int            `json:"priority"`
	Variables            map[string]any `json:"variables,omitzero"`
	Tasks                []WorkerTask   `json:"tasks,omitzero"`
	CreatedBy            string         `json:"createdBy,omitempty"`
	CreateTime           int64          `json:"createTime,omitempty"`
	UpdateTime           int64          `json:"updateTime,omitempty"`
	Status               string         `json:"status,omitempty"`
	// SignalTimeout is true when the wait ended before the target state.
	SignalTimeout bool `json:"signalTimeout"`

	// Task fields, for the BLOCKING_TASK strategies.
	TaskType              string `json:"taskType,omitempty"`
	TaskId                string `json:"taskId,omitempty"`
	ReferenceTaskName     string `json:"referenceTaskName,omitempty"`
	RetryCount            int    `json:"retryCount,omitempty"`
	TaskDefName           string `json:"taskDefName,omitempty"`
	RetriedTaskId         string `json:"retriedTaskId,omitempty"`
	WorkflowType          string `json:"workflowType,omitempty"`
	ReasonForIncompletion string `json:"reasonForIncompletion,omitempty"`
}
