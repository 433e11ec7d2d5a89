package engine

import (
	"context"

	"github.com/batonhq/baton/model"
)

// systemKind is the shared behaviour of the task types the engine runs
// itself (WorkflowSystemTask's defaults): synchronous, no type rules,
// start and cancel do nothing, execute changes nothing.
type systemKind struct{}

func (systemKind) system() bool                          { return true }
func (systemKind) async() bool                           { return false }
func (systemKind) validate(*model.WorkflowTask) []string { return nil }
func (systemKind) start(context.Context, *Engine, *execution, *model.WorkerTask) error {
	return nil
}
func (systemKind) execute(context.Context, *Engine, *execution, *model.WorkerTask) (bool, error) {
	return false, nil
}
func (systemKind) cancel(context.Context, *Engine, *execution, *model.WorkerTask) error {
	return nil
}

// mapSystemTask is what most system task mappers do: one task of the
// workflow task's type with its input resolved (with the definition's
// inputTemplate when withDef), started now, in status.
func mapSystemTask(e *Engine, mc *mapContext, status model.TaskStatus, withDef bool) ([]*model.WorkerTask, error) {
	var def *model.TaskDef
	if withDef {
		def = mc.wt.TaskDefinition
	}
	input, err := e.taskInput(mc.x, mc.wt.InputParameters, def, mc.taskID)
	if err != nil {
		return nil, err
	}
	t := mc.newTask(e)
	t.InputData = input
	t.Status = status
	if status == model.TaskInProgress {
		t.StartTime = e.clock.Now().UnixMilli()
	}
	return []*model.WorkerTask{t}, nil
}

// engineValidator is implemented by kinds whose definition rules look at
// the engine's registered task definitions.
type engineValidator interface {
	validateIn(e *Engine, wt *model.WorkflowTask) []string
}
