package workflow

import (
	"fmt"

	"github.com/batonhq/baton/model"
)

// loopCount is the input key of NewLoopTask's iteration count.
const loopCount = "loop_count"

// DoWhileTask is a DO_WHILE task: it runs its tasks, then again while its
// JavaScript condition holds.
type DoWhileTask struct {
	Task
	loopCondition string
	loopOver      []TaskInterface
}

// NewDoWhileTask returns a loop over tasks that goes on while
// terminationCondition, JavaScript over $ (the loop's input, its output
// under its reference name with the current iteration, and the latest
// output of each loop task by reference name), is true.
func NewDoWhileTask(taskRefName string, terminationCondition string, tasks ...TaskInterface) *DoWhileTask {
	return &DoWhileTask{
		Task:          newTask(taskRefName, taskRefName, DO_WHILE, nil),
		loopCondition: terminationCondition,
		loopOver:      tasks,
	}
}

// NewLoopTask returns a loop that runs tasks iterations times.
func NewLoopTask(taskRefName string, iterations int32, tasks ...TaskInterface) *DoWhileTask {
	return &DoWhileTask{
		Task:          newTask(taskRefName, taskRefName, DO_WHILE, map[string]any{loopCount: iterations}),
		loopCondition: forLoopCondition(taskRefName),
		loopOver:      tasks,
	}
}

// forLoopCondition compares the loop's iteration with its loop_count
// input. conductor-go swaps the two names, so its loops stop after one
// iteration.
func forLoopCondition(taskRefName string) string {
	return fmt.Sprintf("if ( $.%s['iteration'] < $.%s ) { true; } else { false; }", taskRefName, loopCount)
}

func (task *DoWhileTask) toWorkflowTask() []model.WorkflowTask {
	wts := task.Task.toWorkflowTask()
	wts[0].LoopCondition = task.loopCondition
	wts[0].LoopOver = workflowTasks(task.loopOver)
	return wts
}

// DynamicTask is a DYNAMIC task: the type of task it runs is read from its
// input at run time.
type DynamicTask struct {
	Task
}

// dynamicTaskNameParameter is the input key naming a dynamic task's type.
const dynamicTaskNameParameter = "taskToExecute"

// NewDynamicTask returns a DYNAMIC task running the task type that
// taskNameParameter (usually an expression such as
// "${workflow.input.type}") evaluates to.
func NewDynamicTask(taskRefName string, taskNameParameter string) *DynamicTask {
	return &DynamicTask{newTask(taskRefName, taskRefName, DYNAMIC, map[string]any{dynamicTaskNameParameter: taskNameParameter})}
}

func (task *DynamicTask) toWorkflowTask() []model.WorkflowTask {
	wts := task.Task.toWorkflowTask()
	wts[0].DynamicTaskNameParam = dynamicTaskNameParameter
	return wts
}
