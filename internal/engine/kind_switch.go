package engine

import (
	"context"
	"fmt"

	"github.com/batonhq/baton/model"
)

// switchKind matches Conductor's SWITCH (SwitchTaskMapper, tasks/Switch).
//
// Mapping evaluates the expression and schedules the SWITCH task
// IN_PROGRESS together with the first task of the chosen case (the
// default case when no case key matches). The decide loop then completes
// it. A failed evaluation schedules the SWITCH FAILED with the error as
// its reason, which fails the workflow (SWITCH is never retried).
type switchKind struct{ flowKind }

func (switchKind) validate(wt *model.WorkflowTask) []string { return switchConstraints(wt) }

func (switchKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	wt := mc.wt
	input, err := e.taskInput(mc.x, wt.InputParameters, nil, "")
	if err != nil {
		return nil, err
	}
	t := mc.newTask(e)
	t.TaskType = model.TaskTypeSwitch
	t.TaskDefName = model.TaskTypeSwitch
	t.InputData = input
	t.StartTime = e.clock.Now().UnixMilli()
	if !knownEvaluator(wt.EvaluatorType) {
		return nil, terminate("No evaluator registered for type: %s", wt.EvaluatorType)
	}
	result, err := e.evaluate(context.Background(), wt.EvaluatorType, wt.Expression, input)
	if err != nil {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = err.Error()
		return []*model.WorkerTask{t}, nil //nolint:nilerr // the error fails the task (a value), not the decide
	}
	value := caseString(result)
	input["case"] = value
	t.OutputData = map[string]any{"evaluationResult": []any{value}, "selectedCase": value}
	t.Status = model.TaskInProgress
	out := []*model.WorkerTask{t}
	selected, ok := wt.DecisionCases[value]
	if !ok { // an explicitly empty case runs nothing, not the default
		selected = wt.DefaultCase
	}
	if len(selected) > 0 {
		children, err := e.tasksToSchedule(context.Background(), mc.x, &selected[0], mc.retryCount, mc.retriedTaskID)
		if err != nil {
			return nil, err
		}
		out = append(out, children...)
		input["hasChildren"] = "true"
	}
	return out, nil
}

// execute completes the SWITCH: its case was chosen when it was mapped.
func (switchKind) execute(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	t.Status = model.TaskCompleted
	return true, nil
}

// schedulesOwnNext: a SWITCH whose case had tasks leaves what follows to
// the end of that case.
func (switchKind) schedulesOwnNext(t *model.WorkerTask) bool {
	return t.InputData["hasChildren"] != nil
}

// checkScripts syntax-checks a javascript expression; Conductor leaves
// graaljs ones to run time.
func (switchKind) checkScripts(check func(string) error, wt *model.WorkflowTask) []string {
	if wt.EvaluatorType != evaluatorJavascript || wt.Expression == "" {
		return nil
	}
	if err := check(wt.Expression); err != nil {
		return []string{fmt.Sprintf("Expression is not well formatted: %v, taskType: SWITCH taskName %s", err, wt.Name)}
	}
	return nil
}
