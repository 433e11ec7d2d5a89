package model

// TimeoutPolicy says what happens when a task exceeds its timeoutSeconds.
type TimeoutPolicy string

// Task timeout policies. A workflow definition uses TimeOutWorkflow or AlertOnly.
const (
	TimeoutRetry    TimeoutPolicy = "RETRY"
	TimeOutWorkflow TimeoutPolicy = "TIME_OUT_WF"
	AlertOnly       TimeoutPolicy = "ALERT_ONLY"
)

// RetryLogic says how the delay between retries grows.
type RetryLogic string

// Retry strategies.
const (
	RetryFixed              RetryLogic = "FIXED"
	RetryExponentialBackoff RetryLogic = "EXPONENTIAL_BACKOFF"
	RetryLinearBackoff      RetryLogic = "LINEAR_BACKOFF"
)

// Conductor's TaskDef defaults, also applied to SIMPLE tasks that have no
// registered definition.
const (
	DefaultRetryCount             = 3
	DefaultRetryDelaySeconds      = 60
	DefaultResponseTimeoutSeconds = 3600
)

// TaskDef is a task definition (POST /api/metadata/taskdefs).
//
// Fields whose Conductor default is not the zero value and for which zero is
// invalid (ResponseTimeoutSeconds, BackoffScaleFactor,
// RateLimitFrequencyInSeconds) are left out when zero, so that the server's
// default applies. Use NewTaskDef for a definition with every default set.
type TaskDef struct {
	OwnerApp                    string         `json:"ownerApp,omitempty"`
	CreateTime                  *int64         `json:"createTime,omitempty"`
	UpdateTime                  *int64         `json:"updateTime,omitempty"`
	CreatedBy                   string         `json:"createdBy,omitempty"`
	UpdatedBy                   string         `json:"updatedBy,omitempty"`
	Name                        string         `json:"name"`
	Description                 string         `json:"description,omitempty"`
	RetryCount                  int            `json:"retryCount"`
	TimeoutSeconds              int64          `json:"timeoutSeconds"`
	InputKeys                   []string       `json:"inputKeys,omitzero"`
	OutputKeys                  []string       `json:"outputKeys,omitzero"`
	TimeoutPolicy               TimeoutPolicy  `json:"timeoutPolicy,omitempty"`
	RetryLogic                  RetryLogic     `json:"retryLogic,omitempty"`
	RetryDelaySeconds           int            `json:"retryDelaySeconds"`
	ResponseTimeoutSeconds      int64          `json:"responseTimeoutSeconds,omitempty"`
	ConcurrentExecLimit         *int           `json:"concurrentExecLimit,omitempty"`
	InputTemplate               map[string]any `json:"inputTemplate,omitzero"`
	RateLimitPerFrequency       int            `json:"rateLimitPerFrequency"`
	RateLimitFrequencyInSeconds int            `json:"rateLimitFrequencyInSeconds,omitempty"`
	IsolationGroupId            string         `json:"isolationGroupId,omitempty"`
	ExecutionNameSpace          string         `json:"executionNameSpace,omitempty"`
	OwnerEmail                  string         `json:"ownerEmail,omitempty"`
	PollTimeoutSeconds          *int           `json:"pollTimeoutSeconds,omitempty"`
	BackoffScaleFactor          int            `json:"backoffScaleFactor,omitempty"`
	MaxRetryDelaySeconds        int            `json:"maxRetryDelaySeconds"`
	BackoffJitterMs             int            `json:"backoffJitterMs"`
	BaseType                    string         `json:"baseType,omitempty"`
	TotalTimeoutSeconds         int64          `json:"totalTimeoutSeconds"`
	TaskStatusListenerEnabled   bool           `json:"taskStatusListenerEnabled"`
	InputSchema                 *SchemaDef     `json:"inputSchema,omitempty"`
	OutputSchema                *SchemaDef     `json:"outputSchema,omitempty"`
	EnforceSchema               bool           `json:"enforceSchema"`
	RuntimeMetadata             []string       `json:"runtimeMetadata,omitzero"`
}

// NewTaskDef returns a task definition named name with Conductor's defaults:
// 3 retries, FIXED 60 s apart, a 3600 s response timeout, TIME_OUT_WF.
func NewTaskDef(name string) *TaskDef {
	return &TaskDef{
		Name:                        name,
		RetryCount:                  DefaultRetryCount,
		RetryDelaySeconds:           DefaultRetryDelaySeconds,
		ResponseTimeoutSeconds:      DefaultResponseTimeoutSeconds,
		TimeoutPolicy:               TimeOutWorkflow,
		RetryLogic:                  RetryFixed,
		RateLimitFrequencyInSeconds: 1,
		BackoffScaleFactor:          1,
		TaskStatusListenerEnabled:   true,
		InputKeys:                   []string{},
		OutputKeys:                  []string{},
		InputTemplate:               map[string]any{},
	}
}

// SchemaDef names a registered schema for a task's or workflow's input or output.
type SchemaDef struct {
	CreateTime  *int64         `json:"createTime,omitempty"`
	UpdateTime  *int64         `json:"updateTime,omitempty"`
	CreatedBy   string         `json:"createdBy,omitempty"`
	UpdatedBy   string         `json:"updatedBy,omitempty"`
	Name        string         `json:"name,omitempty"`
	Version     int            `json:"version"`
	Type        string         `json:"type,omitempty"`
	Data        map[string]any `json:"data,omitzero"`
	ExternalRef string         `json:"externalRef,omitempty"`
}
