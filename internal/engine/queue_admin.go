package engine

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Queue admin (/api/queue) is Conductor's DefaultEventQueueProcessor: a
// message on the queue of a status (COMPLETED or FAILED) names a task
// (externalId: workflowId with taskId or taskRefName) and carries the
// output to add to it; handling it gives the task that status. Conductor
// OSS has such queues only with an external broker configured (SQS, AMQP,
// NATS, Kafka), and without one it has none (GET /api/queue answers {} and
// every update is a 400). Baton's are conductor queues, durable as the
// others, named by queueAdminQueue.

// queueAdminStatuses are the statuses that have a queue, as Conductor's
// broker configurations create them.
var queueAdminStatuses = []model.TaskResultStatus{model.CompletedTask, model.FailedTask}

// queueAdminQueue is the conductor queue of a status.
func queueAdminQueue(s model.TaskResultStatus) string { return "_queueAdmin_" + string(s) }

func queueAdminStatusOf(queue string) (model.TaskResultStatus, bool) {
	for _, s := range queueAdminStatuses {
		if queueAdminQueue(s) == queue {
			return s, true
		}
	}
	return "", false
}

// QueueAdminNames returns each status's queue (QueueAdminResource.names).
func (e *Engine) QueueAdminNames() map[string]string {
	out := map[string]string{}
	if e.eventStore() == nil {
		return out
	}
	for _, s := range queueAdminStatuses {
		out[string(s)] = queueAdminQueue(s)
	}
	return out
}

// QueueAdminSizes returns how many messages wait on each status's queue
// (QueueAdminResource.size).
func (e *Engine) QueueAdminSizes() map[string]int {
	out := map[string]int{}
	if e.eventStore() == nil {
		return out
	}
	sizes := e.EventQueueSizes()
	for _, s := range queueAdminStatuses {
		out[queueAdminQueue(s)] = sizes[queueAdminQueue(s)]
	}
	return out
}

// QueueUpdate publishes a message that gives a task a status once handled
// (DefaultEventQueueProcessor.updateByTaskRefName and updateByTaskId): the
// task is the pending one with taskID, else the pending one with
// taskRefName, else the workflow's pending WAIT task. The update happens
// when the message is handled, not before this returns.
func (e *Engine) QueueUpdate(ctx context.Context, workflowID, taskRefName, taskID string, status model.TaskResultStatus, output map[string]any) error {
	if !slices.Contains(queueAdminStatuses, status) {
		return badRequest("There is no queue for handling %s status", status)
	}
	if e.eventStore() == nil {
		return errNoEvents
	}
	ext := map[string]any{"workflowId": workflowID}
	if taskID != "" {
		ext["taskId"] = taskID
	} else {
		ext["taskRefName"] = taskRefName
	}
	extJSON, err := json.Marshal(ext)
	if err != nil {
		return internalf(err, "encode externalId")
	}
	payload := map[string]any{}
	maps.Copy(payload, output)
	payload["externalId"] = string(extJSON)
	m, err := e.newEventMessage(queueAdminQueue(status), e.ids(), payload)
	if err != nil {
		return badRequest("the output is not JSON: %v", err)
	}
	return e.publish(ctx, m)
}

// handleQueueUpdate is DefaultEventQueueProcessor's listener: a message
// that names no workflow, or no pending task, is dropped.
func (e *Engine) handleQueueUpdate(ctx context.Context, m *store.EventMessage, status model.TaskResultStatus) {
	payload, _ := decodePayload(m.Payload).(map[string]any)
	extText, _ := payload["externalId"].(string)
	var ext map[string]any
	if err := json.Unmarshal([]byte(extText), &ext); err != nil || extText == "" {
		e.log.Warn("queue update without externalId dropped", "queue", m.Queue, "messageId", m.ID)
		return
	}
	str := func(k string) string { s, _ := ext[k].(string); return s }
	workflowID, ref, taskID := str("workflowId"), str("taskRefName"), str("taskId")
	if workflowID == "" {
		e.log.Warn("queue update without workflowId dropped", "queue", m.Queue, "messageId", m.ID)
		return
	}
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		var task *model.WorkerTask
		for _, t := range x.tasks {
			if t.Status.IsTerminal() {
				continue
			}
			if (taskID != "" && t.TaskId == taskID) ||
				(taskID == "" && ref == "" && t.TaskType == model.TaskTypeWait) ||
				(taskID == "" && ref != "" && removeIteration(t.ReferenceTaskName) == ref) {
				task = t
				break
			}
		}
		if task == nil {
			e.log.Warn("queue update names no pending task; dropped", "workflowId", workflowID, "taskRefName", ref, "taskId", taskID)
			return nil
		}
		out := maps.Clone(task.OutputData)
		if out == nil {
			out = map[string]any{}
		}
		maps.Copy(out, payload)
		r := &model.TaskResult{WorkflowInstanceId: workflowID, TaskId: task.TaskId, Status: status, OutputData: out,
			ReasonForIncompletion: task.ReasonForIncompletion, WorkerId: task.WorkerId,
			CallbackAfterSeconds: task.CallbackAfterSeconds, SubWorkflowId: task.SubWorkflowId}
		_, err := e.applyResult(ctx, x, task, r)
		return err
	})
	if err != nil {
		e.log.Warn("queue update failed", "workflowId", workflowID, "err", err)
	}
}

// removeIteration is TaskUtils.removeIterationFromTaskRefName: the name
// before the first "__".
func removeIteration(ref string) string {
	before, _, _ := strings.Cut(ref, "__")
	return before
}
