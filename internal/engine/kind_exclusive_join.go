package engine

import (
	"context"

	"github.com/batonhq/baton/model"
)

// exclusiveJoinKind matches Conductor's EXCLUSIVE_JOIN
// (ExclusiveJoinTaskMapper, tasks/ExclusiveJoin): after a decision, it
// waits for the first of joinOn that was scheduled (or, when none was, the
// first scheduled of defaultExclusiveJoinTask) and completes with that
// task's output, or fails with its reason.
type exclusiveJoinKind struct{ flowKind }

func (exclusiveJoinKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	t := mc.newTask(e)
	t.TaskType = model.TaskTypeExclusiveJoin
	t.TaskDefName = model.TaskTypeExclusiveJoin
	t.StartTime = e.clock.Now().UnixMilli()
	t.InputData = map[string]any{
		"joinOn":                   nonNilStrings(mc.wt.JoinOn),
		"defaultExclusiveJoinTask": nonNilStrings(mc.wt.DefaultExclusiveJoinTask),
	}
	t.Status = model.TaskInProgress
	return []*model.WorkerTask{t}, nil
}

func (exclusiveJoinKind) execute(_ context.Context, _ *Engine, x *execution, t *model.WorkerTask) (bool, error) {
	joinOn := joinRefs(t)
	found, failed := false, false
	var reason string
	var chosen *model.WorkerTask
	for _, ref := range joinOn {
		f := x.taskByRef(ref)
		if f == nil || f.Status == model.TaskSkipped {
			continue
		}
		chosen = f
		found = f.Status.IsTerminal()
		permissive := f.WorkflowTask != nil && f.WorkflowTask.Permissive
		if !f.Status.IsSuccessful() && (!permissive || allEnded(x, joinOn)) {
			failed = true
			reason = failureReasons(x, joinOn)
		}
		break
	}
	if !found {
		for _, ref := range stringList(t.InputData["defaultExclusiveJoinTask"]) {
			f := x.taskByRef(ref)
			if f == nil || f.Status == model.TaskSkipped {
				continue
			}
			chosen = f
			found = f.Status.IsTerminal()
			if !f.Status.IsSuccessful() {
				failed = true
				reason += nullStr(f.ReasonForIncompletion) + " "
			}
			break
		}
	}
	switch {
	case failed:
		t.ReasonForIncompletion = reason
		t.Status = model.TaskFailed
	case found:
		t.OutputData = copyMap(chosen.OutputData)
		if t.OutputData == nil {
			t.OutputData = map[string]any{}
		}
		t.Status = model.TaskCompleted
	default:
		return false, nil
	}
	return true, nil
}

// allEnded reports whether every task of refs was scheduled and has
// ended. (Conductor dereferences unscheduled ones and fails with a
// NullPointerException.)
func allEnded(x *execution, refs []string) bool {
	for _, ref := range refs {
		if f := x.taskByRef(ref); f == nil || !f.Status.IsTerminal() {
			return false
		}
	}
	return true
}
