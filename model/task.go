package model

import "context"

// WorkerTask is one task execution as Conductor returns it from poll and
// GET /api/tasks/{taskId} (Conductor's Task). Workers receive it; the field set
// is Conductor's in full.
type WorkerTask struct {
	TaskType                         string            `json:"taskType,omitempty"`
	Status                           TaskStatus        `json:"status,omitempty"`
	InputData                        map[string]any    `json:"inputData,omitzero"`
	ReferenceTaskName                string            `json:"referenceTaskName,omitempty"`
	RetryCount                       int               `json:"retryCount"`
	Seq                              int               `json:"seq"`
	CorrelationId                    string            `json:"correlationId,omitempty"`
	PollCount                        int               `json:"pollCount"`
	TaskDefName                      string            `json:"taskDefName,omitempty"`
	ScheduledTime                    int64             `json:"scheduledTime"`
	StartTime                        int64             `json:"startTime"`
	EndTime                          int64             `json:"endTime"`
	UpdateTime                       int64             `json:"updateTime"`
	StartDelayInSeconds              int               `json:"startDelayInSeconds"`
	RetriedTaskId                    string            `json:"retriedTaskId,omitempty"`
	Retried                          bool              `json:"retried"`
	Executed                         bool              `json:"executed"`
	CallbackFromWorker               bool              `json:"callbackFromWorker"`
	ResponseTimeoutSeconds           int64             `json:"responseTimeoutSeconds"`
	WorkflowInstanceId               string            `json:"workflowInstanceId,omitempty"`
	WorkflowType                     string            `json:"workflowType,omitempty"`
	TaskId                           string            `json:"taskId,omitempty"`
	ReasonForIncompletion            string            `json:"reasonForIncompletion,omitempty"`
	CallbackAfterSeconds             int64             `json:"callbackAfterSeconds"`
	WorkerId                         string            `json:"workerId,omitempty"`
	OutputData                       map[string]any    `json:"outputData,omitzero"`
	WorkflowTask                     *WorkflowTask     `json:"workflowTask,omitempty"`
	Domain                           string            `json:"domain,omitempty"`
	RateLimitPerFrequency            int               `json:"rateLimitPerFrequency"`
	RateLimitFrequencyInSeconds      int               `json:"rateLimitFrequencyInSeconds"`
	ExternalInputPayloadStoragePath  string            `json:"externalInputPayloadStoragePath,omitempty"`
	ExternalOutputPayloadStoragePath string            `json:"externalOutputPayloadStoragePath,omitempty"`
	WorkflowPriority                 int               `json:"workflowPriority"`
	ExecutionNameSpace               string            `json:"executionNameSpace,omitempty"`
	IsolationGroupId                 string            `json:"isolationGroupId,omitempty"`
	Iteration                        int               `json:"iteration"`
	SubWorkflowId                    string            `json:"subWorkflowId,omitempty"`
	SubworkflowChanged               bool              `json:"subworkflowChanged"`
	FirstStartTime                   int64             `json:"firstStartTime"`
	ExecutionMetadata                map[string]any    `json:"executionMetadata,omitzero"`
	ParentTaskId                     string            `json:"parentTaskId,omitempty"`
	RuntimeMetadata                  map[string]string `json:"runtimeMetadata,omitzero"`
	// QueueWaitTime and LoopOverTask are derived by Conductor's getters
	// (startTime - scheduledTime, iteration > 0) and sent with every task.
	QueueWaitTime int64 `json:"queueWaitTime"`
	LoopOverTask  bool  `json:"loopOverTask"`
	// TaskDefinition is always sent, null when the task's workflowTask has
	// none: Conductor's Task.getTaskDefinition() is an Optional, which
	// Jackson writes as null when empty.
	TaskDefinition *TaskDef `json:"taskDefinition"`

	ctx context.Context
}

// Context returns the task's context. Inside a worker it is cancelled when the
// host's shutdown deadline passes or the task's lease is lost; elsewhere it is
// context.Background.
func (t *WorkerTask) Context() context.Context {
	if t == nil || t.ctx == nil {
		return context.Background()
	}
	return t.ctx
}

// WithContext returns a shallow copy of t whose Context is ctx. It panics on a
// nil ctx, as http.Request.WithContext does.
func (t *WorkerTask) WithContext(ctx context.Context) *WorkerTask {
	if ctx == nil {
		panic("model: nil context")
	}
	c := *t
	c.ctx = ctx
	return &c
}

// WorkerTaskFunction is the function a worker runs for each task. It returns
// the task's output — a *TaskResult or TaskResult, a map, a struct (encoded
// into a map), or a scalar or slice (sent as {"result": v}) — or an error,
// which fails the task. Wrap an error with NewTerminalError to fail the task
// without retries.
type WorkerTaskFunction func(t *WorkerTask) (interface{}, error)

// ExecuteTaskFunction is the name the official Go SDK gives WorkerTaskFunction.
type ExecuteTaskFunction = WorkerTaskFunction

// TaskExecLog is one line of a task's execution log.
type TaskExecLog struct {
	Log         string `json:"log,omitempty"`
	TaskId      string `json:"taskId,omitempty"`
	CreatedTime int64  `json:"createdTime"`
}

// PollData records the last poll of a task queue.
type PollData struct {
	QueueName    string `json:"queueName,omitempty"`
	Domain       string `json:"domain,omitempty"`
	WorkerId     string `json:"workerId,omitempty"`
	LastPollTime int64  `json:"lastPollTime"`
}
