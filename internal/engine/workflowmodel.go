package engine

import (
	"github.com/batonhq/baton/model"
)

// Conductor hands a failure workflow the failed workflow as its internal
// WorkflowModel (WorkflowExecutorOps.terminateWorkflow puts the object in
// the input), which Jackson writes with WorkflowModel's and TaskModel's
// fields, not the public Workflow's and Task's. The functions here turn
// Baton's Workflow and Task JSON into those shapes.

// workflowModelValue returns the execution as Conductor's WorkflowModel
// JSON: the Workflow's fields without the ones only the public class has
// (history, startTime, updateTime, rateLimited, idempotencyKey,
// rateLimitKey), with updatedTime, previousStatus and failedTaskId, the
// failed-name sets left out when empty (@JsonInclude NON_EMPTY), and tasks
// as TaskModel.
func workflowModelValue(x *execution) map[string]any {
	m, _ := jsonValue(x.snapshot(true)).(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	for _, k := range []string{"history", "startTime", "updateTime", "rateLimited", "idempotencyKey", "rateLimitKey"} {
		delete(m, k)
	}
	for _, k := range []string{"failedReferenceTaskNames", "failedTaskNames"} {
		if l, ok := m[k].([]any); ok && len(l) == 0 {
			delete(m, k)
		}
	}
	if x.wf.UpdateTime != 0 {
		m["updatedTime"] = x.wf.UpdateTime
	}
	if x.previousStatus != "" {
		m["previousStatus"] = string(x.previousStatus)
	}
	if x.failedTaskID != "" {
		m["failedTaskId"] = x.failedTaskID
	}
	tasks, _ := m["tasks"].([]any)
	byID := map[string]*model.WorkerTask{}
	for _, t := range x.tasks {
		byID[t.TaskId] = t
	}
	for _, v := range tasks {
		tm, ok := v.(map[string]any)
		if !ok {
			continue
		}
		id, _ := tm["taskId"].(string)
		if t := byID[id]; t != nil {
			taskModelFields(x, t, tm)
		}
	}
	// Plain JSON data throughout, as the input reads back from the store.
	if v, ok := jsonValue(m).(map[string]any); ok {
		return v
	}
	return map[string]any{}
}

// taskModelFields turns one Task's JSON into TaskModel's: without
// executionMetadata, firstStartTime and runtimeMetadata, which only the
// public Task has, and with TaskModel's own fields.
func taskModelFields(x *execution, t *model.WorkerTask, m map[string]any) {
	for _, k := range []string{"executionMetadata", "firstStartTime", "runtimeMetadata"} {
		delete(m, k)
	}
	async := false
	if v, ok := t.InputData["asyncComplete"]; ok {
		async, _ = v.(bool)
	} else if t.WorkflowTask != nil {
		async = t.WorkflowTask.AsyncComplete
	}
	m["asyncComplete"] = async // TaskModel.isAsyncComplete
	m["idempotent"] = false
	m["idempotentExecution"] = false // !asyncComplete && idempotent
	m["cachedOutput"] = false
	m["nonWorkflowEventTask"] = false
	m["notifications"] = map[string]any{}
	m["waitTimeout"] = 0
	m["firstScheduledTime"] = firstScheduled(x, t)
	// callbackAfterMs holds a retry's delay with its jitter
	// (DeciderService.retry); Baton keeps the jittered value only while the
	// request that scheduled the retry runs, and the whole seconds after.
	var afterMs int64
	if d, ok := x.delays[t.TaskId]; ok {
		afterMs = d.Milliseconds()
	} else if t.RetriedTaskId != "" {
		afterMs = int64(t.StartDelayInSeconds) * 1000
	}
	m["callbackAfterMs"] = afterMs
	onStateChange := map[string]any{} // copied from the workflow task (TaskMapperContext)
	if t.WorkflowTask != nil && len(t.WorkflowTask.OnStateChange) > 0 {
		if v, ok := jsonValue(t.WorkflowTask.OnStateChange).(map[string]any); ok {
			onStateChange = v
		}
	}
	m["onStateChange"] = onStateChange
}
