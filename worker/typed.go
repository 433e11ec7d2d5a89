package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/batonhq/baton/model"
)

// Typed adapts a typed function to a model.WorkerTaskFunction. The task's
// inputData is decoded into In as encoding/json would decode it (fields by
// their json tags, unknown keys ignored); the function gets the task's
// context (see model.WorkerTask.Context) and its Out becomes the task's
// output under the usual rules (a struct becomes a map, a scalar or slice
// {"result": v}). Input that does not fit In fails the task without retries,
// with a reason naming the field, since the same input would fail again.
func Typed[In, Out any](fn func(ctx context.Context, in In) (Out, error)) model.WorkerTaskFunction {
	if fn == nil {
		return func(*model.WorkerTask) (any, error) {
			return nil, model.NewTerminalError(errors.New("worker: Typed was given a nil function"))
		}
	}
	return func(t *model.WorkerTask) (any, error) {
		in, err := decodeInput[In](t.InputData)
		if err != nil {
			return nil, model.NewTerminalError(err)
		}
		return fn(t.Context(), in)
	}
}

func decodeInput[In any](data map[string]any) (In, error) {
	var in In
	if p, ok := any(&in).(*map[string]any); ok {
		*p = data
		return in, nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return in, fmt.Errorf("worker: task input cannot be re-encoded: %w", err)
	}
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				return in, fmt.Errorf("worker: task input: cannot decode JSON %s into %s", te.Value, te.Type)
			}
			return in, fmt.Errorf("worker: task input field %q: cannot decode JSON %s into %s", field, te.Value, te.Type)
		}
		return in, fmt.Errorf("worker: task input does not fit %T: %w", in, err)
	}
	return in, nil
}
