package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/batonhq/baton/model"
)

// decisionKind matches Conductor's deprecated DECISION (DecisionTaskMapper,
// tasks/Decision): SWITCH's older form, whose case is the caseExpression's
// JavaScript result or, without one, the input value named by
// caseValueParam. Unlike SWITCH, an empty case list also falls back to the
// default case, and the task's input holds only "case" and "hasChildren".
type decisionKind struct{ flowKind }

func (decisionKind) validate(wt *model.WorkflowTask) []string { return decisionConstraints(wt) }

func (decisionKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	wt := mc.wt
	input, err := e.taskInput(mc.x, wt.InputParameters, nil, "")
	if err != nil {
		return nil, err
	}
	var value string
	if strings.TrimSpace(wt.CaseExpression) != "" {
		result, err := e.evalScript(context.Background(), wt.CaseExpression, input)
		if err != nil {
			return nil, terminate("Error while evaluating script: %s (%v)", wt.CaseExpression, err)
		}
		value = caseString(result)
	} else {
		value = caseString(input[wt.CaseValueParam])
	}
	t := mc.newTask(e)
	t.TaskType = model.TaskTypeDecision
	t.TaskDefName = model.TaskTypeDecision
	t.InputData = map[string]any{"case": value}
	t.OutputData = map[string]any{"caseOutput": []any{value}}
	t.StartTime = e.clock.Now().UnixMilli()
	t.Status = model.TaskInProgress
	out := []*model.WorkerTask{t}
	selected := wt.DecisionCases[value]
	if len(selected) == 0 {
		selected = wt.DefaultCase
	}
	if len(selected) > 0 {
		children, err := e.tasksToSchedule(context.Background(), mc.x, &selected[0], mc.retryCount, mc.retriedTaskID)
		if err != nil {
			return nil, err
		}
		out = append(out, children...)
		t.InputData["hasChildren"] = "true"
	}
	return out, nil
}

// execute completes the DECISION: its case was chosen when it was mapped.
func (decisionKind) execute(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	t.Status = model.TaskCompleted
	return true, nil
}

func (decisionKind) schedulesOwnNext(t *model.WorkerTask) bool {
	return t.InputData["hasChildren"] != nil
}

func (decisionKind) checkScripts(check func(string) error, wt *model.WorkflowTask) []string {
	if wt.CaseExpression == "" {
		return nil
	}
	if err := check(wt.CaseExpression); err != nil {
		return []string{fmt.Sprintf("Expression is not well formatted: %v, taskType: DECISION taskName %s", err, wt.Name)}
	}
	return nil
}
