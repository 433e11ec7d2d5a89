package scenario

import "strings"

// elided are the embedded definitions a Task or Workflow carries. They are recorded in full by
// the Full scenarios (the wire shapes) and replaced by "<elided>" elsewhere, where they would
// only repeat the definitions the scenario registered.
var elided = map[string]bool{"workflowTask": true, "taskDefinition": true, "workflowDefinition": true}

func elide(v any) any {
	switch x := v.(type) {
	case M:
		out := make(M, len(x))
		for k, e := range x {
			if elided[k] && e != nil {
				out[k] = "<elided>"
				continue
			}
			out[k] = elide(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = elide(e)
		}
		return out
	default:
		return v
	}
}

// taskRowFields are the per-task facts of a workflow's final state.
var taskRowFields = []string{
	"taskType", "referenceTaskName", "status", "retryCount", "retriedTaskId", "retried", "seq",
	"inputData", "outputData", "reasonForIncompletion", "callbackAfterSeconds", "startDelayInSeconds",
	"pollCount", "workerId", "domain",
}

var workflowFields = []string{
	"status", "input", "output", "reasonForIncompletion", "correlationId", "taskToDomain", "variables",
	"failedReferenceTaskNames", "failedTaskNames", "priority", "workflowVersion",
}

// projectWorkflow keeps what a workflow's final state says about behaviour: its status, output,
// reason and the rows of its tasks (with retry linkage as normalised ids).
func projectWorkflow(v any) any {
	wf, ok := v.(M)
	if !ok {
		return v
	}
	out := pick(wf, workflowFields)
	if tasks, ok := wf["tasks"].([]any); ok {
		rows := make([]any, len(tasks))
		for i, t := range tasks {
			if tm, ok := t.(M); ok {
				rows[i] = pick(tm, taskRowFields)
			}
		}
		out["tasks"] = rows
	}
	return out
}

// pick copies the listed keys that are present; absent ones stay absent (that is behaviour too).
func pick(m M, keys []string) M {
	out := M{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Own keeps the elements of a list answer that belong to this scenario (their JSON mentions the
// scenario's prefix): list endpoints also show what parallel scenarios registered.
func (s *S) Own(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := []any{}
	for _, e := range l {
		if mentions(e, s.prefix) {
			out = append(out, e)
		}
	}
	return out
}

func mentions(v any, sub string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, sub)
	case M:
		for k, e := range x {
			if strings.Contains(k, sub) || mentions(e, sub) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentions(e, sub) {
				return true
			}
		}
	}
	return false
}

// str reads a string field of a JSON object.
func str(m M, key string) string {
	s, _ := m[key].(string)
	return s
}
