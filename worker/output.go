package worker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/batonhq/baton/model"
)

// buildResult turns what a handler returned into the result to send, and
// names the kind of failure for the task_execute_error_total metric.
//
//   - a *TaskResult or TaskResult is sent as given, with the task's ids; an
//     empty status means COMPLETED;
//   - a map becomes outputData; a struct is JSON-encoded into a map; a scalar
//     or slice becomes {"result": v}; nil becomes {};
//   - an error fails the task (FAILED, or FAILED_WITH_TERMINAL_ERROR when it
//     wraps a *model.TerminalError) with its text as reason, keeping any
//     output returned with it;
//   - output that cannot be encoded fails the task without retries.
func buildResult(t *model.WorkerTask, workerID string, out any, err error) (*model.TaskResult, string) {
	var r *model.TaskResult
	switch v := out.(type) {
	case *model.TaskResult:
		if v != nil {
			c := *v
			r = &c
		}
	case model.TaskResult:
		r = &v
	}
	kind := ""
	if r == nil {
		output, encErr := outputData(out)
		r = &model.TaskResult{OutputData: output}
		if encErr != nil {
			failUnencodable(r, encErr)
			kind = "output_encoding"
		}
	}
	r.TaskId, r.WorkflowInstanceId = t.TaskId, t.WorkflowInstanceId
	if r.WorkerId == "" {
		r.WorkerId = workerID
	}
	switch {
	case err != nil:
		r.Status, kind = model.FailedTask, "error"
		if model.IsTerminalError(err) {
			r.Status, kind = model.FailedWithTerminalErrorTask, "terminal_error"
		}
		r.ReasonForIncompletion = err.Error()
	case kind != "":
	case r.Status == "":
		r.Status = model.CompletedTask
	case !r.Status.IsValid():
		bad := r.Status
		r.Status, kind = model.FailedWithTerminalErrorTask, "invalid_status"
		r.ReasonForIncompletion = fmt.Sprintf("worker: task function returned status %q; want one of %v", bad, model.TaskResultStatuses)
	case !r.Status.IsSuccessful():
		kind = "failed_status"
	}
	return r, kind
}

// outputData is the outputData for a handler's output that is not a
// TaskResult.
func outputData(out any) (map[string]any, error) {
	switch v := out.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		if v == nil {
			return map[string]any{}, nil
		}
		return v, nil // checked for JSON when the result is sent
	}
	rv := reflect.ValueOf(out)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return map[string]any{}, nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Map:
		if rv.IsNil() {
			return map[string]any{}, nil
		}
	case reflect.Struct:
	default:
		return map[string]any{"result": out}, nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keeps int64 values exact on their way back out
	var decoded any
	if err := dec.Decode(&decoded); err != nil {
		return nil, err
	}
	if m, ok := decoded.(map[string]any); ok {
		return m, nil
	}
	// A struct that encodes as something else, such as time.Time.
	return map[string]any{"result": decoded}, nil
}

// failUnencodable turns r into a terminal failure that says why its output
// could not be sent. Retrying could not help: the same code would return the
// same output.
func failUnencodable(r *model.TaskResult, err error) {
	r.Status = model.FailedWithTerminalErrorTask
	r.OutputData = map[string]any{}
	r.ReasonForIncompletion = "worker: task output cannot be encoded as JSON (" + err.Error() +
		"); return a map, a struct or other JSON-encodable values"
}

// isEncodeError reports whether sending failed because the result itself
// cannot be encoded as JSON.
func isEncodeError(err error) bool {
	var ute *json.UnsupportedTypeError
	var uve *json.UnsupportedValueError
	var me *json.MarshalerError
	return errors.As(err, &ute) || errors.As(err, &uve) || errors.As(err, &me)
}
