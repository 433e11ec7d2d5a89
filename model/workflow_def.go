package model

// WorkflowDef is a workflow definition (POST /api/metadata/workflow).
type WorkflowDef struct {
	OwnerApp                      string           `json:"ownerApp,omitempty"`
	CreateTime                    *int64           `json:"createTime,omitempty"`
	UpdateTime                    *int64           `json:"updateTime,omitempty"`
	CreatedBy                     string           `json:"createdBy,omitempty"`
	UpdatedBy                     string           `json:"updatedBy,omitempty"`
	Name                          string           `json:"name"`
	Description                   string           `json:"description,omitempty"`
	Version                       int              `json:"version"`
	Tasks                         []WorkflowTask   `json:"tasks"`
	InputParameters               []string         `json:"inputParameters,omitzero"`
	OutputParameters              map[string]any   `json:"outputParameters,omitzero"`
	FailureWorkflow               string           `json:"failureWorkflow,omitempty"`
	SchemaVersion                 int              `json:"schemaVersion"`
	Restartable                   bool             `json:"restartable"`
	WorkflowStatusListenerEnabled bool             `json:"workflowStatusListenerEnabled"`
	OwnerEmail                    string           `json:"ownerEmail,omitempty"`
	TimeoutPolicy                 TimeoutPolicy    `json:"timeoutPolicy,omitempty"`
	TimeoutSeconds                int64            `json:"timeoutSeconds"`
	Variables                     map[string]any   `json:"variables,omitzero"`
	InputTemplate                 map[string]any   `json:"inputTemplate,omitzero"`
	FailureWorkflowVersion        *int             `json:"failureWorkflowVersion,omitempty"`
	WorkflowStatusListenerSink    string           `json:"workflowStatusListenerSink,omitempty"`
	RateLimitConfig               *RateLimitConfig `json:"rateLimitConfig,omitempty"`
	InputSchema                   *SchemaDef       `json:"inputSchema,omitempty"`
	OutputSchema                  *SchemaDef       `json:"outputSchema,omitempty"`
	EnforceSchema                 bool             `json:"enforceSchema"`
	Metadata                      map[string]any   `json:"metadata,omitzero"`
	MaskedFields                  []string         `json:"maskedFields,omitzero"`
}

// NewWorkflowDef returns a definition with Conductor's defaults (version 1,
// schema version 2, restartable, ALERT_ONLY timeouts).
func NewWorkflowDef(name string, tasks ...WorkflowTask) *WorkflowDef {
	return &WorkflowDef{
		Name: name, Version: 1, Tasks: tasks, SchemaVersion: 2, Restartable: true,
		TimeoutPolicy: AlertOnly, EnforceSchema: true,
	}
}

// RateLimitConfig limits concurrent executions of a workflow by a key.
type RateLimitConfig struct {
	RateLimitKey        string `json:"rateLimitKey,omitempty"`
	ConcurrentExecLimit int    `json:"concurrentExecLimit"`
	Policy              string `json:"policy,omitempty"`
}

// Task types known to Conductor.
const (
	TaskTypeSimple          = "SIMPLE"
	TaskTypeDynamic         = "DYNAMIC"
	TaskTypeForkJoin        = "FORK_JOIN"
	TaskTypeForkJoinDynamic = "FORK_JOIN_DYNAMIC"
	TaskTypeDecision        = "DECISION"
	TaskTypeSwitch          = "SWITCH"
	TaskTypeJoin            = "JOIN"
	TaskTypeDoWhile         = "DO_WHILE"
	TaskTypeSubWorkflow     = "SUB_WORKFLOW"
	TaskTypeStartWorkflow   = "START_WORKFLOW"
	TaskTypeEvent           = "EVENT"
	TaskTypeWait            = "WAIT"
	TaskTypeHuman           = "HUMAN"
	TaskTypeHTTP            = "HTTP"
	TaskTypeInline          = "INLINE"
	TaskTypeJSONJQTransform = "JSON_JQ_TRANSFORM"
	TaskTypeSetVariable     = "SET_VARIABLE"
	TaskTypeTerminate       = "TERMINATE"
	TaskTypeNoop            = "NOOP"
	TaskTypeExclusiveJoin   = "EXCLUSIVE_JOIN"
	TaskTypeKafkaPublish    = "KAFKA_PUBLISH"
	TaskTypeLambda          = "LAMBDA"
)

// WorkflowTask is one step of a workflow definition.
type WorkflowTask struct {
	Name                           string                    `json:"name"`
	TaskReferenceName              string                    `json:"taskReferenceName"`
	Description                    string                    `json:"description,omitempty"`
	InputParameters                map[string]any            `json:"inputParameters,omitzero"`
	Type                           string                    `json:"type,omitempty"`
	DynamicTaskNameParam           string                    `json:"dynamicTaskNameParam,omitempty"`
	CaseValueParam                 string                    `json:"caseValueParam,omitempty"`
	CaseExpression                 string                    `json:"caseExpression,omitempty"`
	ScriptExpression               string                    `json:"scriptExpression,omitempty"`
	DecisionCases                  map[string][]WorkflowTask `json:"decisionCases,omitzero"`
	DynamicForkJoinTasksParam      string                    `json:"dynamicForkJoinTasksParam,omitempty"`
	DynamicForkTasksParam          string                    `json:"dynamicForkTasksParam,omitempty"`
	DynamicForkTasksInputParamName string                    `json:"dynamicForkTasksInputParamName,omitempty"`
	DefaultCase                    []WorkflowTask            `json:"defaultCase,omitzero"`
	ForkTasks                      [][]WorkflowTask          `json:"forkTasks,omitzero"`
	StartDelay                     int                       `json:"startDelay"`
	SubWorkflowParam               *SubWorkflowParams        `json:"subWorkflowParam,omitempty"`
	JoinOn                         []string                  `json:"joinOn,omitzero"`
	Sink                           string                    `json:"sink,omitempty"`
	Optional                       bool                      `json:"optional"`
	TaskDefinition                 *TaskDef                  `json:"taskDefinition,omitempty"`
	RateLimited                    *bool                     `json:"rateLimited,omitempty"`
	DefaultExclusiveJoinTask       []string                  `json:"defaultExclusiveJoinTask,omitzero"`
	AsyncComplete                  bool                      `json:"asyncComplete"`
	LoopCondition                  string                    `json:"loopCondition,omitempty"`
	LoopOver                       []WorkflowTask            `json:"loopOver,omitzero"`
	Items                          string                    `json:"items,omitempty"`
	RetryCount                     *int                      `json:"retryCount,omitempty"`
	EvaluatorType                  string                    `json:"evaluatorType,omitempty"`
	Expression                     string                    `json:"expression,omitempty"`
	OnStateChange                  map[string]any            `json:"onStateChange,omitzero"`
	JoinStatus                     string                    `json:"joinStatus,omitempty"`
	CacheConfig                    *CacheConfig              `json:"cacheConfig,omitempty"`
	Permissive                     bool                      `json:"permissive"`
	JoinMode                       string                    `json:"joinMode,omitempty"`
	Metadata                       map[string]any            `json:"metadata,omitzero"`
}

// TaskType returns the task's type, SIMPLE when none is set.
func (t *WorkflowTask) TaskType() string {
	if t.Type == "" {
		return TaskTypeSimple
	}
	return t.Type
}

// FillTaskDefaults gives every task of a list, however nested,
// WorkflowTask.java's field defaults as Conductor serialises them: type
// SIMPLE and empty (not null) collections.
func FillTaskDefaults(tasks []WorkflowTask) {
	for i := range tasks {
		t := &tasks[i]
		if t.Type == "" {
			t.Type = TaskTypeSimple
		}
		t.InputParameters = emptyIfNil(t.InputParameters)
		if t.DecisionCases == nil {
			t.DecisionCases = map[string][]WorkflowTask{}
		}
		for k := range t.DecisionCases {
			FillTaskDefaults(t.DecisionCases[k])
		}
		t.DefaultCase = emptyListIfNil(t.DefaultCase)
		FillTaskDefaults(t.DefaultCase)
		t.ForkTasks = emptyListIfNil(t.ForkTasks)
		for _, fork := range t.ForkTasks {
			FillTaskDefaults(fork)
		}
		t.LoopOver = emptyListIfNil(t.LoopOver)
		FillTaskDefaults(t.LoopOver)
		t.JoinOn = emptyListIfNil(t.JoinOn)
		t.DefaultExclusiveJoinTask = emptyListIfNil(t.DefaultExclusiveJoinTask)
		t.OnStateChange = emptyIfNil(t.OnStateChange)
		t.Metadata = emptyIfNil(t.Metadata)
	}
}

func emptyIfNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func emptyListIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SubWorkflowParams says which workflow a SUB_WORKFLOW task starts.
type SubWorkflowParams struct {
	Name                string            `json:"name,omitempty"`
	Version             *int              `json:"version,omitempty"`
	TaskToDomain        map[string]string `json:"taskToDomain,omitzero"`
	WorkflowDefinition  any               `json:"workflowDefinition,omitempty"`
	IdempotencyKey      string            `json:"idempotencyKey,omitempty"`
	IdempotencyStrategy string            `json:"idempotencyStrategy,omitempty"`
	Priority            any               `json:"priority,omitempty"`
}

// CacheConfig caches a task's output by key.
type CacheConfig struct {
	Key         string `json:"key,omitempty"`
	TTLInSecond int    `json:"ttlInSecond"`
}
