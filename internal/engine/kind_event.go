package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/batonhq/baton/model"
)

// eventKind matches Conductor's Event (and EventTaskMapper) for the
// conductor sink: its output is the input with the workflow's identity and
// the queue the event goes to (event_produced); that output is the message
// it publishes, with the task's id as the message's id, and it completes in
// the decide that scheduled it (unless asyncComplete: then it waits for an
// update from outside, often an event handler's complete_task). The message
// is written in the batch that starts the task (see events.go). Sinks of
// other systems (sqs, amqp, kafka, nats...) are refused when a definition
// is registered.
type eventKind struct{ systemKind }

const eventSinkConductor = "conductor"

// validate is WorkflowTaskTypeConstraint.isEventTaskValid, and Baton's
// refusal of the sinks it cannot publish to. A sink that is an expression
// is checked when the task starts.
func (eventKind) validate(wt *model.WorkflowTask) []string {
	switch {
	case wt.Sink == "":
		return []string{paramRequired("sink", model.TaskTypeEvent, wt.Name)}
	case !strings.Contains(wt.Sink, "${") && !conductorSink(wt.Sink):
		return []string{unsupportedSink(wt.Sink, wt.TaskReferenceName)}
	}
	return nil
}

func conductorSink(sink string) bool {
	return sink == eventSinkConductor || strings.HasPrefix(sink, eventSinkConductor+":")
}

func unsupportedSink(sink, ref string) string {
	return fmt.Sprintf("sink %s of task type EVENT (taskReferenceName: %s) is not supported by Baton: only the conductor sink is", sink, ref)
}

func (eventKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	params := make(map[string]any, len(mc.wt.InputParameters)+2)
	for k, v := range mc.wt.InputParameters {
		params[k] = v
	}
	params["sink"] = mc.wt.Sink
	params["asyncComplete"] = mc.wt.AsyncComplete
	input, err := e.taskInput(mc.x, params, nil, mc.taskID)
	if err != nil {
		return nil, err
	}
	t := mc.newTask(e)
	t.InputData = input
	t.Status = model.TaskScheduled
	return []*model.WorkerTask{t}, nil
}

// start is Event.start: the payload the event would carry becomes the
// output, with the queue it goes to.
func (eventKind) start(_ context.Context, e *Engine, x *execution, t *model.WorkerTask) error {
	if t.OutputData == nil {
		t.OutputData = map[string]any{}
	}
	for k, v := range t.InputData {
		t.OutputData[k] = deepCopy(v)
	}
	taskToDomain := map[string]any{}
	for k, v := range x.wf.TaskToDomain {
		taskToDomain[k] = v
	}
	t.OutputData["workflowInstanceId"] = x.wf.WorkflowId
	t.OutputData["workflowType"] = x.wf.WorkflowName
	t.OutputData["workflowVersion"] = x.wf.WorkflowVersion
	t.OutputData["correlationId"] = nilIfEmpty(x.wf.CorrelationId)
	t.OutputData["taskToDomain"] = taskToDomain
	t.Status = model.TaskInProgress
	queue, err := eventQueueName(x, t)
	if err != nil {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = err.Error()
		return nil //nolint:nilerr // the error fails the task (a value), not the decide
	}
	t.OutputData["event_produced"] = queue
	// Conductor publishes in Event.execute, which its decider calls again
	// on every decide while an asyncComplete task is IN_PROGRESS; Baton
	// publishes once, when the task starts.
	m, err := e.newEventMessage(strings.TrimPrefix(queue, eventSinkConductor+":"), t.TaskId, t.OutputData)
	if err != nil {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = "Error serializing JSON payload: " + err.Error()
		return nil //nolint:nilerr // the error fails the task (a value), not the decide
	}
	if e.eventStore() == nil {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = "event queues need a store that keeps events"
		return nil
	}
	x.outbox = append(x.outbox, m)
	return nil
}

// eventQueueName is Event.computeQueueName for the conductor sink.
func eventQueueName(x *execution, t *model.WorkerTask) (string, error) {
	sink, _ := t.InputData["sink"].(string)
	switch {
	case sink == eventSinkConductor:
		return sink + ":" + x.wf.WorkflowName + ":" + t.ReferenceTaskName, nil
	case strings.HasPrefix(sink, eventSinkConductor+":"):
		return eventSinkConductor + ":" + x.wf.WorkflowName + ":" + strings.ReplaceAll(sink, eventSinkConductor+":", ""), nil
	case strings.HasPrefix(sink, eventSinkConductor):
		return "", fmt.Errorf("Invalid / Unsupported sink specified: %s", sink) //nolint:staticcheck // Conductor's message
	}
	return "", fmt.Errorf("%s", unsupportedSink(sink, t.ReferenceTaskName))
}

// execute is Event.execute after the publish: COMPLETED, unless the task
// is completed from outside (asyncComplete).
func (eventKind) execute(_ context.Context, e *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	if t.Status != model.TaskInProgress || e.asyncComplete(t) {
		return false, nil
	}
	t.Status = model.TaskCompleted
	return true, nil
}

// cancel is Event.cancel: the message a cancelled task published and no
// handler has taken yet is withdrawn (acknowledged in the cancelling batch).
func (eventKind) cancel(_ context.Context, e *Engine, x *execution, t *model.WorkerTask) error {
	queue, _ := t.OutputData["event_produced"].(string)
	if queue == "" {
		return nil
	}
	name := strings.TrimPrefix(queue, eventSinkConductor+":")
	for _, k := range e.events.keys(name, t.TaskId) {
		x.unpublish = append(x.unpublish, eventRef{queue: name, key: k})
	}
	return nil
}
