package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/expr"
	"github.com/batonhq/baton/model"
)

// The workflow status listener is Conductor's ConductorQueueStatusPublisher
// (conductor.workflow-status-listener.type=queue_publisher): a workflow
// whose definition has workflowStatusListenerEnabled publishes its summary
// to a conductor queue when it ends, in the batch that ends it: COMPLETED
// to Config.WorkflowStatusSuccessQueue, any other end (FAILED, TIMED_OUT,
// TERMINATED) to Config.WorkflowStatusFailureQueue. The message's id is the
// workflow's id. A handler on "conductor:<queue>" reacts to it.

// publishStatus adds the status message of a workflow the commit finishes.
func (e *Engine) publishStatus(x *execution, finished bool) {
	def := x.def()
	if !finished || def == nil || !def.WorkflowStatusListenerEnabled || e.eventStore() == nil {
		return
	}
	queue := e.cfg.WorkflowStatusFailureQueue
	if x.wf.Status == model.WorkflowCompleted {
		queue = e.cfg.WorkflowStatusSuccessQueue
	}
	m, err := e.newEventMessage(queue, x.wf.WorkflowId, statusSummary(x.wf, e.clock.Now().UnixMilli()))
	if err != nil {
		e.log.Warn("workflow status message not built", "workflowId", x.wf.WorkflowId, "err", err)
		return
	}
	x.outbox = append(x.outbox, m)
}

// statusSummary is the WorkflowSummary the publisher sends: times as
// ISO-8601 text, input and output as their Java toString, as Conductor's
// WorkflowSummary holds them. now stands in for the end time the commit is
// about to stamp.
func statusSummary(wf *model.Workflow, now int64) map[string]any {
	end := wf.EndTime
	if end == 0 {
		end = now
	}
	iso := func(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }
	failed := slices.Sorted(slices.Values(wf.FailedTaskNames))
	if failed == nil {
		failed = []string{}
	}
	ttd := wf.TaskToDomain
	if ttd == nil {
		ttd = map[string]string{}
	}
	s := map[string]any{
		"workflowType":             wf.WorkflowName,
		"version":                  wf.WorkflowVersion,
		"workflowId":               wf.WorkflowId,
		"startTime":                iso(wf.CreateTime),
		"updateTime":               iso(now),
		"endTime":                  iso(end),
		"status":                   wf.Status,
		"input":                    expr.JavaString(orEmptyMap(wf.Input)),
		"output":                   expr.JavaString(orEmptyMap(wf.Output)),
		"executionTime":            end - wf.CreateTime,
		"failedReferenceTaskNames": strings.Join(wf.FailedReferenceTaskNames, ","),
		"failedTaskNames":          failed,
		"priority":                 wf.Priority,
		"taskToDomain":             ttd,
		"parentWorkflowId":         wf.ParentWorkflowId,
	}
	for k, v := range map[string]string{"correlationId": wf.CorrelationId, "reasonForIncompletion": wf.ReasonForIncompletion,
		"event": wf.Event, "createdBy": wf.CreatedBy, "idempotencyKey": wf.IdempotencyKey} {
		if v != "" {
			s[k] = v
		}
	}
	return s
}

func orEmptyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
