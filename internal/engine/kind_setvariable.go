package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/batonhq/baton/model"
)

// setVariableKind matches Conductor's SetVariable (and
// SetVariableTaskMapper): each input key is written to workflow.variables;
// if the variables would then exceed MaxWorkflowVariablesSize as JSON they
// are left as they were and the task fails with a terminal error.
type setVariableKind struct{ systemKind }

func (setVariableKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	return mapSystemTask(e, mc, model.TaskInProgress, true)
}

func (setVariableKind) execute(_ context.Context, e *Engine, x *execution, t *model.WorkerTask) (bool, error) {
	if len(t.InputData) > 0 {
		vars := copyMap(x.wf.Variables)
		if vars == nil {
			vars = map[string]any{}
		}
		for k, v := range t.InputData {
			vars[k] = deepCopy(v)
		}
		b, err := json.Marshal(vars)
		if err != nil {
			t.Status = model.TaskFailedWithTerminalError
			t.ReasonForIncompletion = "Unable to validate variables payload size of workflow: " + x.id()
			return true, nil //nolint:nilerr // the error fails the task (a value), not the decide
		}
		if limit := e.cfg.MaxWorkflowVariablesSize; len(b) > limit {
			t.ReasonForIncompletion = fmt.Sprintf("The variables payload size: %d of workflow: %s is greater than the permissible limit: %d kilobytes",
				len(b), x.id(), limit/1024)
			t.Status = model.TaskFailedWithTerminalError
			return true, nil
		}
		x.wf.Variables = vars
	}
	t.Status = model.TaskCompleted
	return true, nil
}
