package engine

import (
	"fmt"
	"sort"

	"github.com/batonhq/baton/internal/expr"
	"github.com/batonhq/baton/model"
)

// paramDoc builds the document `${...}` expressions are evaluated against
// (ParametersUtils.getTaskInputV2): the workflow's fields under "workflow"
// and, under each reference name, the latest task with that name. Loop
// tasks are keyed by their reference name without the iteration suffix.
// Unset strings are nil, as Java's nulls are.
func paramDoc(x *execution) map[string]any {
	wf := x.wf
	var schemaVersion any
	if d := x.def(); d != nil {
		schemaVersion = d.SchemaVersion
	}
	doc := make(map[string]any, len(x.tasks)+1)
	doc["workflow"] = map[string]any{
		"input":                 wf.Input,
		"output":                wf.Output,
		"status":                string(wf.Status),
		"workflowId":            wf.WorkflowId,
		"parentWorkflowId":      nilIfEmpty(wf.ParentWorkflowId),
		"parentWorkflowTaskId":  nilIfEmpty(wf.ParentWorkflowTaskId),
		"workflowType":          wf.WorkflowName,
		"version":               wf.WorkflowVersion,
		"correlationId":         nilIfEmpty(wf.CorrelationId),
		"reasonForIncompletion": nilIfEmpty(wf.ReasonForIncompletion),
		"schemaVersion":         schemaVersion,
		"variables":             wf.Variables,
	}
	for _, t := range x.tasks {
		key := t.ReferenceTaskName
		if t.Iteration > 0 {
			key = baseRef(key)
		}
		doc[key] = map[string]any{
			"input":                 t.InputData,
			"output":                t.OutputData,
			"taskType":              t.TaskType,
			"status":                string(t.Status),
			"referenceTaskName":     t.ReferenceTaskName,
			"retryCount":            t.RetryCount,
			"correlationId":         nilIfEmpty(t.CorrelationId),
			"pollCount":             t.PollCount,
			"taskDefName":           t.TaskDefName,
			"scheduledTime":         t.ScheduledTime,
			"startTime":             t.StartTime,
			"endTime":               t.EndTime,
			"workflowInstanceId":    t.WorkflowInstanceId,
			"taskId":                t.TaskId,
			"reasonForIncompletion": nilIfEmpty(t.ReasonForIncompletion),
			"callbackAfterSeconds":  t.CallbackAfterSeconds,
			"workerId":              nilIfEmpty(t.WorkerId),
			"iteration":             t.Iteration,
		}
	}
	return doc
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// resolve evaluates the expressions in params against the workflow.
func (e *Engine) resolve(x *execution, params map[string]any, taskID string) (map[string]any, error) {
	if len(params) == 0 {
		return map[string]any{}, nil
	}
	return expr.Resolve(params, paramDoc(x), expr.Options{TaskID: taskID, Env: e.cfg.Env})
}

// taskInput computes a task's input (ParametersUtils.getTaskInputV2): the
// definition's inputTemplate fills keys the workflow task does not set, the
// expressions are resolved, and a key that resolves to null takes the
// template's value. A malformed expression fails the workflow with a reason
// that names it (Conductor would silently pass null).
func (e *Engine) taskInput(x *execution, params map[string]any, def *model.TaskDef, taskID string) (map[string]any, error) {
	in := params
	if def != nil && len(def.InputTemplate) > 0 {
		in = make(map[string]any, len(params)+len(def.InputTemplate))
		for k, v := range params {
			in[k] = v
		}
		for k, v := range def.InputTemplate {
			if _, ok := in[k]; !ok {
				in[k] = v
			}
		}
	}
	out, err := e.resolve(x, in, taskID)
	if err != nil {
		return nil, terminate("%s", err.Error())
	}
	if def != nil && len(def.InputTemplate) > 0 {
		for k, v := range out {
			if v == nil {
				if tv, ok := def.InputTemplate[k]; ok {
					out[k] = deepCopy(tv)
				}
			}
		}
	}
	return out, nil
}

// deepCopy copies JSON-shaped values so no two owners share a map or list.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return copyMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

func copyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// terminateErr is Conductor's TerminateWorkflowException: the workflow
// ends with status, for reason, blaming task (if any).
type terminateErr struct {
	reason string
	status model.WorkflowStatus
	task   *model.WorkerTask
}

func (t *terminateErr) Error() string { return t.reason }

// terminate returns a terminateErr that fails the workflow.
func terminate(format string, args ...any) *terminateErr {
	return &terminateErr{reason: fmt.Sprintf(format, args...), status: model.WorkflowFailed}
}
