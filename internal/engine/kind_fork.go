package engine

import (
	"context"
	"fmt"

	"github.com/batonhq/baton/model"
)

// taskTypeFork is the type of the task row a FORK_JOIN or
// FORK_JOIN_DYNAMIC maps to (TaskType.TASK_TYPE_FORK).
const taskTypeFork = "FORK"

// forkKind matches Conductor's FORK_JOIN (ForkJoinTaskMapper, tasks/Fork):
// a FORK task, COMPLETED at once, the first task of every branch and the
// JOIN that follows the fork in the definition, all scheduled together.
// It is registered both under FORK_JOIN (the definition type) and FORK
// (the task row type).
type forkKind struct{ flowKind }

func (forkKind) validate(wt *model.WorkflowTask) []string {
	var msgs []string
	if len(wt.ForkTasks) == 0 { // a missing list is Conductor's default empty one
		msgs = append(msgs, fmt.Sprintf("forkTasks should have atleast one task for taskType: %s taskName: %s", model.TaskTypeForkJoin, wt.Name))
	}
	return msgs
}

func (forkKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	wt := mc.wt
	input, err := e.taskInput(mc.x, wt.InputParameters, nil, "")
	if err != nil {
		return nil, err
	}
	now := e.clock.Now().UnixMilli()
	fork := mc.newTask(e)
	fork.TaskType = taskTypeFork
	fork.TaskDefName = taskTypeFork
	fork.StartTime, fork.EndTime = now, now
	fork.InputData = input
	fork.Status = model.TaskCompleted
	out := []*model.WorkerTask{fork}
	for _, branch := range wt.ForkTasks {
		if len(branch) == 0 {
			continue // Conductor fails on an empty branch with an IndexOutOfBounds (a 500)
		}
		tasks, err := e.tasksToSchedule(context.Background(), mc.x, &branch[0], mc.retryCount, "")
		if err != nil {
			return nil, err
		}
		out = append(out, tasks...)
	}
	join := nextTask(mc.x.def(), wt.TaskReferenceName)
	if join == nil || join.TaskType() != model.TaskTypeJoin {
		return nil, terminate("Fork task definition is not followed by a join task.  Check the blueprint")
	}
	joins, err := e.tasksToSchedule(context.Background(), mc.x, join, mc.retryCount, "")
	if err != nil {
		return nil, err
	}
	return append(out, joins...), nil
}

// forkFollowedByJoin is the rule Conductor applies only when it runs a
// fork ("... is not followed by a join task"); Baton refuses such a
// definition when it is registered, since it can never run.
func forkFollowedByJoin(d *model.WorkflowDef) []string {
	var msgs []string
	for _, wt := range collectTasks(d.Tasks) {
		switch wt.TaskType() {
		case model.TaskTypeForkJoin, model.TaskTypeForkJoinDynamic:
		default:
			continue
		}
		if n := nextTask(d, wt.TaskReferenceName); n == nil || n.TaskType() != model.TaskTypeJoin {
			msgs = append(msgs, fmt.Sprintf("%s task %s must be followed by a JOIN task", wt.TaskType(), wt.TaskReferenceName))
		}
	}
	return msgs
}
