package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/batonhq/baton/internal/script"
	"github.com/batonhq/baton/model"
)

// inlineKind matches Conductor's Inline (and InlineTaskMapper): the input's
// expression is evaluated by its evaluatorType (javascript by default,
// graaljs the same, value-param reads the input key it names) with `$`
// bound to the input, and the value is the output's "result". A script
// error fails the task with FAILED_WITH_TERMINAL_ERROR, a timeout with
// FAILED, the message in the reason and in the output's "error".
type inlineKind struct{ systemKind }

func (inlineKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	return mapSystemTask(e, mc, model.TaskInProgress, true)
}

func (inlineKind) execute(ctx context.Context, e *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	in := t.InputData
	evaluator := "javascript"
	if v, ok := in["evaluatorType"]; ok && v != nil {
		evaluator, _ = v.(string)
	}
	expression, _ := in["expression"].(string)
	fail := func(msg string, terminal bool) (bool, error) {
		t.Status = model.TaskFailed
		if terminal {
			t.Status = model.TaskFailedWithTerminalError
		}
		t.ReasonForIncompletion = msg
		setOutput(t, "error", msg)
		return true, nil
	}
	switch {
	case strings.TrimSpace(evaluator) == "":
		return fail("Empty 'evaluatorType' in INLINE task's input parameters. A non-empty String value must be provided.", true)
	case evaluator != "javascript" && evaluator != "graaljs" && evaluator != "value-param":
		return fail("Unknown evaluator '"+evaluator+"' in INLINE task.", true)
	case strings.TrimSpace(expression) == "":
		return fail("Empty 'expression' in Inline task's input parameters. A non-empty String value must be provided.", true)
	}
	var result any
	if evaluator == "value-param" {
		result = deepCopy(in[expression])
	} else {
		var err error
		if result, err = e.scripts.Eval(ctx, expression, in); err != nil {
			var se *script.Error
			if !errors.As(err, &se) {
				return false, err // the engine is stopping: run it again later
			}
			return fail(se.Message, se.Terminal())
		}
	}
	setOutput(t, "result", result)
	t.Status = model.TaskCompleted
	return true, nil
}

// setOutput adds one key to a task's output (TaskModel.addOutput).
func setOutput(t *model.WorkerTask, k string, v any) {
	if t.OutputData == nil {
		t.OutputData = map[string]any{}
	}
	t.OutputData[k] = v
}
