package workflow

import (
	"maps"

	"github.com/batonhq/baton/model"
)

// SubWorkflowTask is a SUB_WORKFLOW task: it starts a workflow and waits
// for it to end, taking its output.
type SubWorkflowTask struct {
	Task
	workflowName    string
	version         int32
	taskToDomainMap map[string]string
	workflow        *ConductorWorkflow
}

// NewSubWorkflowTask returns a task running the registered workflow
// workflowName at version (0 for the latest).
func NewSubWorkflowTask(taskRefName string, workflowName string, version int32) *SubWorkflowTask {
	return &SubWorkflowTask{Task: newTask(taskRefName, taskRefName, SUB_WORKFLOW, nil), workflowName: workflowName, version: version}
}

// NewSubWorkflowInlineTask returns a task running workflow, whose
// definition travels inside the parent's: it need not be registered.
func NewSubWorkflowInlineTask(taskRefName string, workflow *ConductorWorkflow) *SubWorkflowTask {
	return &SubWorkflowTask{Task: newTask(taskRefName, taskRefName, SUB_WORKFLOW, nil), workflow: workflow}
}

// TaskToDomain sets the domains of the sub-workflow's tasks, by task name.
func (task *SubWorkflowTask) TaskToDomain(taskToDomainMap map[string]string) *SubWorkflowTask {
	task.taskToDomainMap = taskToDomainMap
	return task
}

func (task *SubWorkflowTask) toWorkflowTask() []model.WorkflowTask {
	wts := task.Task.toWorkflowTask()
	p := &model.SubWorkflowParams{TaskToDomain: maps.Clone(task.taskToDomainMap)}
	if task.workflow != nil {
		p.Name = task.workflow.name
		p.WorkflowDefinition = task.workflow.ToWorkflowDef()
	} else {
		p.Name = task.workflowName
		if task.version != 0 {
			v := int(task.version)
			p.Version = &v
		}
	}
	wts[0].SubWorkflowParam = p
	return wts
}

// StartWorkflowTask is a START_WORKFLOW task: it starts a workflow and goes
// on without waiting, its output the new workflow's id.
type StartWorkflowTask struct {
	Task
}

// NewStartWorkflowTask returns a task starting workflowName at version
// (nil for the latest) with the input and correlation id of
// startWorkflowRequest, which may be nil.
func NewStartWorkflowTask(taskRefName string, workflowName string, version *int32, startWorkflowRequest *model.StartWorkflowRequest) *StartWorkflowTask {
	var input map[string]any
	var correlationID string
	if startWorkflowRequest != nil {
		input, correlationID = startWorkflowRequest.Input, startWorkflowRequest.CorrelationId
	}
	return &StartWorkflowTask{newTask(taskRefName, taskRefName, START_WORKFLOW, map[string]any{
		"startWorkflow": map[string]any{
			"name":          workflowName,
			"version":       version,
			"input":         input,
			"correlationId": correlationID,
		},
	})}
}
