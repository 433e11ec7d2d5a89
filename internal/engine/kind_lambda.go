package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/batonhq/baton/internal/script"
	"github.com/batonhq/baton/model"
)

// lambdaKind matches Conductor's Lambda (and LambdaTaskMapper), INLINE's
// older form: scriptExpression is a function body, run with `$` bound to
// the input; what it returns is the output's "result". Any error fails the
// task (FAILED, so the definition's retries apply).
type lambdaKind struct{ systemKind }

func (lambdaKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	return mapSystemTask(e, mc, model.TaskInProgress, true)
}

func (lambdaKind) execute(ctx context.Context, e *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	expression, _ := t.InputData["scriptExpression"].(string)
	if strings.TrimSpace(expression) == "" {
		t.ReasonForIncompletion = "Empty 'scriptExpression' in Lambda task's input parameters. A non-empty String value must be provided."
		t.Status = model.TaskFailed
		return true, nil
	}
	result, err := e.scripts.Eval(ctx, "function scriptFun(){"+expression+"} scriptFun();", t.InputData)
	if err != nil {
		var se *script.Error
		if !errors.As(err, &se) {
			return false, err // the engine is stopping: run it again later
		}
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = se.Message
		setOutput(t, "error", se.Message)
		return true, nil
	}
	setOutput(t, "result", result)
	t.Status = model.TaskCompleted
	return true, nil
}
