package engine

import (
	"context"

	"github.com/batonhq/baton/internal/expr"
	"github.com/batonhq/baton/model"
)

// dynamicKind matches Conductor's DYNAMIC (DynamicTaskMapper): a worker
// task whose name, and so its type, is the input value named by
// dynamicTaskNameParam. The name needs a task definition.
type dynamicKind struct{ mapperOnly }

func (dynamicKind) validate(wt *model.WorkflowTask) []string {
	if wt.DynamicTaskNameParam == "" {
		return []string{paramRequired("dynamicTaskNameParam", model.TaskTypeDynamic, wt.Name)}
	}
	return nil
}

func (dynamicKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	in, err := e.taskInput(mc.x, mc.wt.InputParameters, nil, "")
	if err != nil {
		return nil, err
	}
	v, ok := in[mc.wt.DynamicTaskNameParam]
	if !ok || v == nil {
		return nil, terminate("Cannot map a dynamic task based on the parameter and input. Parameter= %s, input= %s",
			mc.wt.DynamicTaskNameParam, expr.JavaString(in))
	}
	// Conductor renames the definition's own workflow task; a copy keeps
	// the definition intact and gives the task row what Conductor's has.
	wt := *mc.wt
	wt.Name = expr.JavaString(v)
	def := wt.TaskDefinition
	if def == nil {
		if def, err = e.meta.taskDef(context.Background(), wt.Name); err != nil {
			return nil, err
		}
		if def == nil {
			return nil, terminate("Invalid task specified.  Cannot find task by name %s in the task definitions", wt.Name)
		}
	}
	wt.TaskDefinition = def
	input, err := e.taskInput(mc.x, wt.InputParameters, def, mc.taskID)
	if err != nil {
		return nil, err
	}
	sub := *mc
	sub.wt = &wt
	t := sub.newTask(e)
	t.TaskType = wt.Name
	t.StartDelayInSeconds = wt.StartDelay
	t.InputData = input
	t.Status = model.TaskScheduled
	t.CallbackAfterSeconds = int64(wt.StartDelay)
	t.ResponseTimeoutSeconds = def.ResponseTimeoutSeconds
	return []*model.WorkerTask{t}, nil
}
