package workflow

import (
	"github.com/batonhq/baton/model"
)

// EventTask is an EVENT task: it publishes its input to a queue. Baton's
// server does not run EVENT tasks; the builder exists for programs that
// target Conductor.
type EventTask struct {
	Task
	sink string
}

// NewSqsEventTask returns an EVENT task publishing to the SQS queue queueName.
func NewSqsEventTask(taskRefName string, queueName string) *EventTask {
	return newEventTask(taskRefName, "sqs", queueName)
}

// NewConductorEventTask returns an EVENT task publishing to Conductor's own
// queue for eventName.
func NewConductorEventTask(taskRefName string, eventName string) *EventTask {
	return newEventTask(taskRefName, "conductor", eventName)
}

func newEventTask(taskRefName, prefix, suffix string) *EventTask {
	return &EventTask{Task: newTask(taskRefName, taskRefName, EVENT, nil), sink: prefix + ":" + suffix}
}

func (task *EventTask) toWorkflowTask() []model.WorkflowTask {
	wts := task.Task.toWorkflowTask()
	wts[0].Sink = task.sink
	return wts
}

// KafkaPublishTask is a KAFKA_PUBLISH task. Baton's server does not run it;
// the builder exists for programs that target Conductor.
type KafkaPublishTask struct {
	Task
}

// KafkaPublishTaskInput is the message a KAFKA_PUBLISH task sends.
type KafkaPublishTaskInput struct {
	BootStrapServers string         `json:"bootStrapServers"`
	Key              string         `json:"key"`
	KeySerializer    string         `json:"keySerializer,omitempty"`
	Value            string         `json:"value"`
	RequestTimeoutMs string         `json:"requestTimeoutMs,omitempty"`
	MaxBlockMs       string         `json:"maxBlockMs,omitempty"`
	Headers          map[string]any `json:"headers,omitempty"`
	Topic            string         `json:"topic"`
}

// NewKafkaPublishTask returns a task publishing kafkaPublishTaskInput.
func NewKafkaPublishTask(taskRefName string, kafkaPublishTaskInput *KafkaPublishTaskInput) *KafkaPublishTask {
	return &KafkaPublishTask{newTask(taskRefName, taskRefName, KAFKA_PUBLISH, map[string]any{"kafka_request": kafkaPublishTaskInput})}
}

// UpdateTask is Orkes Conductor's UPDATE_TASK, which sets the status of
// another task. Neither Conductor OSS nor Baton runs it.
type UpdateTask struct {
	Task
}

// NewUpdateTaskWithTaskId returns a task setting task targetTaskId to status.
func NewUpdateTaskWithTaskId(taskRefName string, status model.TaskResultStatus, targetTaskId string) *UpdateTask {
	return &UpdateTask{newTask(string(UPDATE), taskRefName, UPDATE, map[string]any{"taskId": targetTaskId, "taskStatus": status})}
}

// NewUpdateTask returns a task setting the task targetTaskRefName of
// workflow targetWorkflowId to status.
func NewUpdateTask(taskRefName string, status model.TaskResultStatus, targetWorkflowId string, targetTaskRefName string) *UpdateTask {
	return &UpdateTask{newTask(string(UPDATE), taskRefName, UPDATE, map[string]any{
		"workflowId": targetWorkflowId, "taskRefName": targetTaskRefName, "taskStatus": status,
	})}
}

// MergeOutput merges the given output into the target's (true) or
// replaces it (false).
func (task *UpdateTask) MergeOutput(value bool) *UpdateTask {
	task.inputParameters["mergeOutput"] = value
	return task
}

// TaskOutput sets the output given to the target task.
func (task *UpdateTask) TaskOutput(inputMap map[string]any) *UpdateTask {
	task.inputParameters["taskOutput"] = inputMap
	return task
}
