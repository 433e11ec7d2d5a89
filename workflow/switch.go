package workflow

import (
	"github.com/batonhq/baton/model"
)

// Evaluators of a SWITCH task's expression.
const (
	EvaluatorTypeValueParam = "value-param"
	EvaluatorTypeJavaScript = "javascript"
	EvaluatorTypeGraalJS    = "graaljs"
)

// switchCaseValue is the input key a value-param SWITCH reads.
const switchCaseValue = "switchCaseValue"

// SwitchTask is a SWITCH task: it runs the tasks of the case whose name
// equals the evaluated expression, or the default case.
type SwitchTask struct {
	Task
	// DecisionCases maps case values to the tasks they run.
	DecisionCases map[string][]TaskInterface
	defaultCase   []TaskInterface
	expression    string
	useJavascript bool
	evaluatorType string
}

// NewSwitchTask returns a SWITCH task choosing its case by caseExpression:
// by default a value (often "${workflow.input.kind}"), with UseJavascript a
// JavaScript expression over $ (the task's input).
func NewSwitchTask(taskRefName string, caseExpression string) *SwitchTask {
	return &SwitchTask{
		Task:          newTask(taskRefName, taskRefName, SWITCH, nil),
		DecisionCases: map[string][]TaskInterface{},
		expression:    caseExpression,
		evaluatorType: EvaluatorTypeValueParam,
	}
}

// SwitchCase sets the tasks run when the expression evaluates to caseName.
func (task *SwitchTask) SwitchCase(caseName string, tasks ...TaskInterface) *SwitchTask {
	task.DecisionCases[caseName] = tasks
	return task
}

// DefaultCase sets the tasks run when no case matches.
func (task *SwitchTask) DefaultCase(tasks ...TaskInterface) *SwitchTask {
	task.defaultCase = tasks
	return task
}

// UseJavascript evaluates the case expression as JavaScript (true) or
// takes it as a value (false, the default).
func (task *SwitchTask) UseJavascript(use bool) *SwitchTask {
	task.useJavascript = use
	task.evaluatorType = EvaluatorTypeValueParam
	if use {
		task.evaluatorType = EvaluatorTypeJavaScript
	}
	return task
}

func (task *SwitchTask) toWorkflowTask() []model.WorkflowTask {
	wts := task.Task.toWorkflowTask()
	wt := &wts[0]
	if len(task.DecisionCases) > 0 {
		wt.DecisionCases = make(map[string][]model.WorkflowTask, len(task.DecisionCases))
		for name, tasks := range task.DecisionCases {
			wt.DecisionCases[name] = workflowTasks(tasks)
		}
	}
	if len(task.defaultCase) > 0 {
		wt.DefaultCase = workflowTasks(task.defaultCase)
	}
	wt.EvaluatorType = task.evaluatorType
	if task.useJavascript {
		wt.Expression = task.expression
	} else {
		wt.Expression = switchCaseValue
		if wt.InputParameters == nil {
			wt.InputParameters = map[string]any{}
		}
		wt.InputParameters[switchCaseValue] = task.expression
	}
	return wts
}
