package engine

import (
	"context"
	"errors"

	"github.com/batonhq/baton/internal/jq"
	"github.com/batonhq/baton/model"
)

// jqKind matches Conductor's JsonJqTransform (and
// JsonJQTransformTaskMapper): queryExpression runs on the task's input;
// "result" is its first value and "resultList" all of them. A query that
// fails fails the task (FAILED) with the message as reason and output
// "error".
type jqKind struct{ systemKind }

// validateIn is WorkflowTaskTypeConstraint.isJSONJQTransformTaskValid.
func (jqKind) validateIn(e *Engine, wt *model.WorkflowTask) []string {
	if _, ok := wt.InputParameters["queryExpression"]; ok || templateHas(e, wt, "queryExpression") {
		return nil
	}
	return []string{paramRequired("inputParameters.queryExpression", model.TaskTypeJSONJQTransform, wt.Name)}
}

func (jqKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	return mapSystemTask(e, mc, model.TaskInProgress, true)
}

// start runs the query: Conductor's JsonJqTransform works in start.
func (jqKind) start(ctx context.Context, e *Engine, _ *execution, t *model.WorkerTask) error {
	query, ok := t.InputData["queryExpression"].(string)
	if !ok {
		t.ReasonForIncompletion = "Missing 'queryExpression' in input parameters"
		t.Status = model.TaskFailed
		return nil
	}
	result, list, err := e.jq.Transform(ctx, query, t.InputData)
	if err != nil {
		var je *jq.Error
		if !errors.As(err, &je) {
			return err // the engine is stopping: run it again later
		}
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = je.Message
		setOutput(t, "error", je.Message)
		return nil
	}
	t.Status = model.TaskCompleted
	setOutput(t, "result", result)
	setOutput(t, "resultList", list)
	return nil
}
