package engine

import (
	"context"

	"github.com/batonhq/baton/model"
)

// humanKind matches Conductor's Human (and HumanTaskMapper): IN_PROGRESS
// until the task update API ends it; nothing times it out unless its task
// definition says so.
type humanKind struct{ systemKind }

func (humanKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	return mapSystemTask(e, mc, model.TaskInProgress, false)
}

func (humanKind) start(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) error {
	t.Status = model.TaskInProgress
	return nil
}

func (humanKind) cancel(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) error {
	t.Status = model.TaskCanceled
	return nil
}
