package workflow

import (
	"maps"

	"github.com/batonhq/baton/model"
)

// TaskType is the type of a workflow task, as Conductor names it.
type TaskType string

// Task types with a builder in this package.
const (
	SIMPLE            TaskType = "SIMPLE"
	DYNAMIC           TaskType = "DYNAMIC"
	FORK_JOIN         TaskType = "FORK_JOIN"
	FORK_JOIN_DYNAMIC TaskType = "FORK_JOIN_DYNAMIC"
	SWITCH            TaskType = "SWITCH"
	JOIN              TaskType = "JOIN"
	DO_WHILE          TaskType = "DO_WHILE"
	SUB_WORKFLOW      TaskType = "SUB_WORKFLOW"
	START_WORKFLOW    TaskType = "START_WORKFLOW"
	EVENT             TaskType = "EVENT"
	WAIT              TaskType = "WAIT"
	HUMAN             TaskType = "HUMAN"
	HTTP              TaskType = "HTTP"
	INLINE            TaskType = "INLINE"
	UPDATE            TaskType = "UPDATE_TASK"
	TERMINATE         TaskType = "TERMINATE"
	KAFKA_PUBLISH     TaskType = "KAFKA_PUBLISH"
	JSON_JQ_TRANSFORM TaskType = "JSON_JQ_TRANSFORM"
	SET_VARIABLE      TaskType = "SET_VARIABLE"
)

// RetryLogic says how the delay between a task's retries grows.
type RetryLogic string

// Retry strategies of SimpleTask.RetryPolicy.
const (
	FixedRetry              RetryLogic = "FIXED"
	LinearBackoffRetry      RetryLogic = "LINEAR_BACKOFF"
	ExponentialBackoffRetry RetryLogic = "EXPONENTIAL_BACKOFF"
	// ExponenialBackOffRetry is conductor-go's spelling of ExponentialBackoffRetry.
	ExponenialBackOffRetry = ExponentialBackoffRetry
)

// TaskTimeoutPolicy says what happens when a task exceeds its timeout.
type TaskTimeoutPolicy string

// Task timeout policies of SimpleTask.TimeoutPolicy.
const (
	TimeOutTaskWorkflow TaskTimeoutPolicy = "TIME_OUT_WF"
	// RetryTask retries a timed-out task. conductor-go sends
	// "ALERTRETRY_ONLY", which Conductor rejects; this is "RETRY".
	RetryTask     TaskTimeoutPolicy = "RETRY"
	AlertOnlyTask TaskTimeoutPolicy = "ALERT_ONLY"
)

// TaskInterface is what ConductorWorkflow.Add and the compound builders
// accept: any task builder of this package.
type TaskInterface interface {
	// toWorkflowTask returns the workflow tasks the builder stands for (a
	// fork is followed by its JOIN, a dynamic fork may be preceded by the
	// task preparing it).
	toWorkflowTask() []model.WorkflowTask
	// OutputRef returns the expression for the task's output, or for path
	// inside it: "${ref.output}" or "${ref.output.path}".
	OutputRef(path string) string
	// ToTaskDef returns a task definition named after the task.
	ToTaskDef() *model.TaskDef
}

// Task holds what every task builder has: name, reference name, type,
// description, optional flag, input parameters and cache settings. Each
// builder embeds it and repeats its setters with its own result type, so
// calls chain.
type Task struct {
	name              string
	taskReferenceName string
	description       string
	taskType          TaskType
	optional          bool
	inputParameters   map[string]any
	cacheConfig       *model.CacheConfig
}

func newTask(name, ref string, typ TaskType, input map[string]any) Task {
	if input == nil {
		input = map[string]any{}
	}
	return Task{name: name, taskReferenceName: ref, taskType: typ, inputParameters: input}
}

// toWorkflowTask returns the task's own workflow task. The input map is
// copied so later calls to Input do not reach definitions already built.
func (task *Task) toWorkflowTask() []model.WorkflowTask {
	var input map[string]any
	if len(task.inputParameters) > 0 {
		input = maps.Clone(task.inputParameters)
	}
	var cache *model.CacheConfig
	if task.cacheConfig != nil {
		c := *task.cacheConfig
		cache = &c
	}
	return []model.WorkflowTask{{
		Name:              task.name,
		TaskReferenceName: task.taskReferenceName,
		Description:       task.description,
		InputParameters:   input,
		Optional:          task.optional,
		Type:              string(task.taskType),
		CacheConfig:       cache,
	}}
}

// ToTaskDef returns a task definition with the task's name and description.
func (task *Task) ToTaskDef() *model.TaskDef {
	return &model.TaskDef{Name: task.name, Description: task.description}
}

// ReferenceName returns the task's reference name.
func (task *Task) ReferenceName() string { return task.taskReferenceName }

// OutputRef returns "${ref.output}" for an empty path, else
// "${ref.output.path}": the expression another task's input uses to read
// this task's output.
func (task *Task) OutputRef(path string) string {
	if path == "" {
		return "${" + task.taskReferenceName + ".output}"
	}
	return "${" + task.taskReferenceName + ".output." + path + "}"
}

// Input sets one input parameter. A value may hold expressions such as
// "${workflow.input.name}".
func (task *Task) Input(key string, value any) *Task {
	task.inputParameters[key] = value
	return task
}

// InputMap sets several input parameters.
func (task *Task) InputMap(inputMap map[string]any) *Task {
	maps.Copy(task.inputParameters, inputMap)
	return task
}

// Description sets the task's description.
func (task *Task) Description(description string) *Task {
	task.description = description
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *Task) Optional(optional bool) *Task {
	task.optional = optional
	return task
}

// CacheConfig caches the task's output under cacheKey (which may hold
// expressions) for ttlInSeconds.
func (task *Task) CacheConfig(cacheKey string, ttlInSeconds int) *Task {
	task.cacheConfig = &model.CacheConfig{Key: cacheKey, TTLInSecond: ttlInSeconds}
	return task
}

// workflowTasks flattens the workflow tasks of builders.
func workflowTasks(tasks []TaskInterface) []model.WorkflowTask {
	out := make([]model.WorkflowTask, 0, len(tasks))
	for _, t := range tasks {
		if t == nil {
			out = append(out, model.WorkflowTask{})
			continue
		}
		out = append(out, t.toWorkflowTask()...)
	}
	return out
}
