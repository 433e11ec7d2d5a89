package workflow

import (
	"github.com/batonhq/baton/model"
)

// ForkTask is a FORK_JOIN task: its branches run in parallel, the tasks of
// one branch in sequence, and the JOIN after it waits for them.
//
// For branches [[a1, a2], [b1], [c1]]:
//
//	    fork
//	  /   |   \
//	a1    b1   c1
//	a2    |    |
//	  \   |   /
//	    join
type ForkTask struct {
	Task
	forkedTasks [][]TaskInterface
	join        *JoinTask
}

// NewForkTask returns a fork of the given branches followed by a JOIN
// named taskRefName+"_join" that waits for the last task of each branch.
// (conductor-go's JOIN waits for nothing, so the workflow goes on while
// the branches still run.)
func NewForkTask(taskRefName string, forkedTask ...[]TaskInterface) *ForkTask {
	return &ForkTask{Task: newTask(taskRefName, taskRefName, FORK_JOIN, nil), forkedTasks: forkedTask}
}

// NewForkTaskWithJoin returns a fork of the given branches followed by join.
func NewForkTaskWithJoin(taskRefName string, join *JoinTask, forkedTask ...[]TaskInterface) *ForkTask {
	return &ForkTask{Task: newTask(taskRefName, taskRefName, FORK_JOIN, nil), forkedTasks: forkedTask, join: join}
}

func (task *ForkTask) toWorkflowTask() []model.WorkflowTask {
	fork := task.Task.toWorkflowTask()[0]
	fork.ForkTasks = make([][]model.WorkflowTask, len(task.forkedTasks))
	var lasts []string
	for i, branch := range task.forkedTasks {
		fork.ForkTasks[i] = workflowTasks(branch)
		if n := len(fork.ForkTasks[i]); n > 0 {
			lasts = append(lasts, fork.ForkTasks[i][n-1].TaskReferenceName)
		}
	}
	join := task.join
	if join == nil {
		join = NewJoinTask(task.taskReferenceName+"_join", lasts...)
	}
	return append([]model.WorkflowTask{fork}, join.toWorkflowTask()...)
}

// JoinTask is a JOIN task: it waits until the tasks it joins on have ended
// and outputs their outputs by reference name.
type JoinTask struct {
	Task
	joinOn []string
}

// NewJoinTask returns a JOIN waiting for the tasks named by joinOn.
func NewJoinTask(taskRefName string, joinOn ...string) *JoinTask {
	return &JoinTask{Task: newTask(taskRefName, taskRefName, JOIN, nil), joinOn: joinOn}
}

func (task *JoinTask) toWorkflowTask() []model.WorkflowTask {
	wts := task.Task.toWorkflowTask()
	if len(task.joinOn) > 0 {
		wts[0].JoinOn = append([]string(nil), task.joinOn...)
	}
	return wts
}

// DynamicForkInput is what the task preparing a dynamic fork outputs: the
// tasks to fork (as forkedTasks) and their inputs by reference name (as
// forkedTasksInputs).
type DynamicForkInput struct {
	Tasks     []model.WorkflowTask
	TaskInput map[string]any
}

// Input keys of a dynamic fork: the list of tasks and their inputs.
const (
	forkedTasks       = "forkedTasks"
	forkedTasksInputs = "forkedTasksInputs"
)

// DynamicForkTask is a FORK_JOIN_DYNAMIC task: the branches are decided at
// run time, from its input forkedTasks (a list of workflow tasks) and
// forkedTasksInputs (their inputs by reference name).
type DynamicForkTask struct {
	Task
	preForkTask TaskInterface
	join        *JoinTask
}

// NewDynamicForkTask returns a dynamic fork fed by forkPrepareTask's
// outputs forkedTasks and forkedTasksInputs; the prepare task runs just
// before it and a JOIN named taskRefName+"_join" after it.
func NewDynamicForkTask(taskRefName string, forkPrepareTask TaskInterface) *DynamicForkTask {
	return &DynamicForkTask{Task: newTask(taskRefName, taskRefName, FORK_JOIN_DYNAMIC, nil), preForkTask: forkPrepareTask}
}

// NewDynamicForkTaskWithoutPrepareTask returns a dynamic fork whose inputs
// forkedTasks and forkedTasksInputs are set with Input.
func NewDynamicForkTaskWithoutPrepareTask(taskRefName string) *DynamicForkTask {
	return &DynamicForkTask{Task: newTask(taskRefName, taskRefName, FORK_JOIN_DYNAMIC, nil)}
}

// NewDynamicForkWithJoinTask is NewDynamicForkTask with the JOIN given.
// (conductor-go ignores join and adds its own.)
func NewDynamicForkWithJoinTask(taskRefName string, forkPrepareTask TaskInterface, join JoinTask) *DynamicForkTask {
	return &DynamicForkTask{Task: newTask(taskRefName, taskRefName, FORK_JOIN_DYNAMIC, nil), preForkTask: forkPrepareTask, join: &join}
}

func (task *DynamicForkTask) toWorkflowTask() []model.WorkflowTask {
	fork := task.Task.toWorkflowTask()[0]
	fork.DynamicForkTasksParam = forkedTasks
	fork.DynamicForkTasksInputParamName = forkedTasksInputs
	join := task.join
	if join == nil {
		join = NewJoinTask(task.taskReferenceName + "_join")
	}
	var out []model.WorkflowTask
	if task.preForkTask != nil {
		if fork.InputParameters == nil {
			fork.InputParameters = map[string]any{}
		}
		fork.InputParameters[forkedTasks] = task.preForkTask.OutputRef(forkedTasks)
		fork.InputParameters[forkedTasksInputs] = task.preForkTask.OutputRef(forkedTasksInputs)
		out = append(out, task.preForkTask.toWorkflowTask()...)
	}
	out = append(out, fork)
	return append(out, join.toWorkflowTask()...)
}
