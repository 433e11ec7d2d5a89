package engine

import (
	"context"

	"github.com/batonhq/baton/model"
)

// noopKind matches Conductor's Noop (and NoopTaskMapper): IN_PROGRESS when
// scheduled, COMPLETED by its first execute, no input, no output.
type noopKind struct{ systemKind }

func (noopKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	t := mc.newTask(e)
	t.InputData = map[string]any{}
	t.Status = model.TaskInProgress
	t.StartTime = e.clock.Now().UnixMilli()
	return []*model.WorkerTask{t}, nil
}

func (noopKind) execute(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	t.Status = model.TaskCompleted
	return true, nil
}
