package workflow

import (
	"github.com/batonhq/baton/model"
)

// SimpleTask is a SIMPLE task: work done by a worker polling for
// taskType. Its retry, rate-limit and timeout setters fill a task
// definition carried inside the workflow task, for servers where no
// definition of that name is registered.
type SimpleTask struct {
	Task
	taskDef *model.TaskDef
	// responseTimeoutSet records ResponseTimeout, so an execution timeout
	// below Conductor's default response timeout can lower it.
	responseTimeoutSet bool
}

// NewSimpleTask returns a SIMPLE task for workers of taskType, known in the
// workflow as taskRefName.
func NewSimpleTask(taskType string, taskRefName string) *SimpleTask {
	return &SimpleTask{Task: newTask(taskType, taskRefName, SIMPLE, nil)}
}

func (task *SimpleTask) toWorkflowTask() []model.WorkflowTask {
	wts := task.Task.toWorkflowTask()
	if task.taskDef != nil {
		def := *task.taskDef
		// Conductor refuses a definition whose response timeout exceeds
		// its execution timeout (TaskTimeoutConstraint); conductor-go
		// sends one whenever only ExecutionTimeout is set.
		if !task.responseTimeoutSet && def.TimeoutSeconds > 0 && def.ResponseTimeoutSeconds > def.TimeoutSeconds {
			def.ResponseTimeoutSeconds = def.TimeoutSeconds
		}
		wts[0].TaskDefinition = &def
	}
	return wts
}

// RetryPolicy sets how often and how far apart a failed task is retried.
func (task *SimpleTask) RetryPolicy(retryCount int32, policy RetryLogic, retryDelay int32, backoffScaleFactor int32) *SimpleTask {
	def := task.ensureTaskDef()
	def.RetryCount = int(retryCount)
	def.RetryLogic = model.RetryLogic(policy)
	def.RetryDelaySeconds = int(retryDelay)
	def.BackoffScaleFactor = int(backoffScaleFactor)
	return task
}

// RateLimitFrequency lets at most rateLimitPerFrequency tasks start per
// rateLimitFrequencyInSeconds.
func (task *SimpleTask) RateLimitFrequency(rateLimitFrequencyInSeconds int32, rateLimitPerFrequency int32) *SimpleTask {
	def := task.ensureTaskDef()
	def.RateLimitPerFrequency = int(rateLimitPerFrequency)
	def.RateLimitFrequencyInSeconds = int(rateLimitFrequencyInSeconds)
	return task
}

// ConcurrentExecutionLimit caps how many of these tasks run at once.
func (task *SimpleTask) ConcurrentExecutionLimit(limit int32) *SimpleTask {
	l := int(limit)
	task.ensureTaskDef().ConcurrentExecLimit = &l
	return task
}

// ExecutionTimeout bounds the task's whole execution, retries aside.
func (task *SimpleTask) ExecutionTimeout(timeoutInSeconds int64) *SimpleTask {
	task.ensureTaskDef().TimeoutSeconds = timeoutInSeconds
	return task
}

// PollTimeout bounds how long the task may wait in its queue for a worker.
func (task *SimpleTask) PollTimeout(timeoutInSeconds int32) *SimpleTask {
	t := int(timeoutInSeconds)
	task.ensureTaskDef().PollTimeoutSeconds = &t
	return task
}

// ResponseTimeout bounds how long a worker may hold the task without
// reporting.
func (task *SimpleTask) ResponseTimeout(timeoutInSeconds int64) *SimpleTask {
	task.ensureTaskDef().ResponseTimeoutSeconds = timeoutInSeconds
	task.responseTimeoutSet = true
	return task
}

// TimeoutPolicy says what a timeout does: TimeOutTaskWorkflow, RetryTask or
// AlertOnlyTask.
func (task *SimpleTask) TimeoutPolicy(timeoutPolicy TaskTimeoutPolicy) *SimpleTask {
	task.ensureTaskDef().TimeoutPolicy = model.TimeoutPolicy(timeoutPolicy)
	return task
}

// ensureTaskDef returns the inline definition, created with Conductor's
// defaults for what conductor-go leaves out, and its zero retry count and
// timeout for the two fields it always sends.
func (task *SimpleTask) ensureTaskDef() *model.TaskDef {
	if task.taskDef == nil {
		def := model.NewTaskDef(task.name)
		def.RetryCount, def.TimeoutSeconds = 0, 0
		def.InputKeys, def.OutputKeys, def.InputTemplate = nil, nil, nil
		task.taskDef = def
	}
	return task.taskDef
}
