package engine

import (
	"context"
	"sort"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// GetWorkflow returns a workflow, with its tasks in seq order when asked.
// A running workflow is read under its lock, so the workflow and its tasks
// always come from the same moment.
func (e *Engine) GetWorkflow(ctx context.Context, workflowID string, includeTasks bool) (*model.Workflow, error) {
	if workflowID == "" {
		var v violations
		v.add("getExecutionStatus.arg0", "WorkflowId cannot be null or empty.", nil)
		return nil, v.err()
	}
	var wf *model.Workflow
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		wf = x.snapshot(includeTasks)
		return nil
	})
	return wf, err
}

// ByCorrelationID returns the workflows of a definition with a correlation
// id: only RUNNING ones unless includeClosed (ExecutionService
// getWorkflowInstances).
func (e *Engine) ByCorrelationID(ctx context.Context, name, correlationID string, includeClosed, includeTasks bool) ([]*model.Workflow, error) {
	if name == "" {
		var v violations
		v.add("getWorkflows.arg0", "Workflow name cannot be null or empty", nil)
		return nil, v.err()
	}
	found, _, err := e.st.SearchWorkflows(ctx, store.WorkflowQuery{WorkflowTypes: []string{name}, CorrelationIDs: []string{correlationID},
		Sort: []store.SortField{{Field: "startTime"}}})
	if err != nil {
		return nil, internalf(err, "search workflows")
	}
	out := []*model.Workflow{}
	for _, wf := range found {
		if !includeClosed && wf.Status != model.WorkflowRunning {
			continue
		}
		wf.Tasks = []model.WorkerTask{}
		if includeTasks {
			got, err := e.GetWorkflow(ctx, wf.WorkflowId, true)
			if err != nil {
				if KindOf(err) == KindNotFound {
					continue
				}
				return nil, err
			}
			wf = got
		}
		out = append(out, wf)
	}
	return out, nil
}

// Running returns the ids of a definition's running (and paused)
// workflows, of every version as Conductor's SQLite backend does; with a
// start and end time, the ids of that version's workflows created between
// them, whatever their status.
func (e *Engine) Running(ctx context.Context, name string, version int, startTime, endTime int64) ([]string, error) {
	if name == "" {
		var v violations
		v.add("getRunningWorkflows.arg0", "Workflow name cannot be null or empty.", nil)
		return nil, v.err()
	}
	q := store.WorkflowQuery{WorkflowTypes: []string{name}, Sort: []store.SortField{{Field: "startTime"}}}
	if startTime != 0 && endTime != 0 {
		q.Versions = []int{version}
		q.StartedAfter, q.StartedBefore = time.UnixMilli(startTime), time.UnixMilli(endTime)
	} else {
		q.Statuses = []model.WorkflowStatus{model.WorkflowRunning, model.WorkflowPaused}
	}
	found, _, err := e.st.SearchWorkflows(ctx, q)
	if err != nil {
		return nil, internalf(err, "search workflows")
	}
	ids := make([]string, len(found))
	for i, wf := range found {
		ids[i] = wf.WorkflowId
	}
	return ids, nil
}

// QueueSize returns how many tasks wait in a queue, delayed ones included.
func (e *Engine) QueueSize(ctx context.Context, taskType, domain string) (int, error) {
	return e.queues.size(queueKey{taskType, domain}), nil
}

// QueueSizes returns the size of every queue, keyed "type" or
// "domain:type" as Conductor names queues.
func (e *Engine) QueueSizes(ctx context.Context) (map[string]int, error) {
	return e.queues.sizes(), nil
}

// PollData returns the last poll of each domain of a task type.
func (e *Engine) PollData(ctx context.Context, taskType string) ([]model.PollData, error) {
	if taskType == "" {
		var v violations
		v.add("getPollData.arg0", "TaskType cannot be null or empty.", nil)
		return nil, v.err()
	}
	return e.polls.forType(taskType), nil
}

// AllPollData returns the last poll of every queue.
func (e *Engine) AllPollData(ctx context.Context) ([]model.PollData, error) {
	return e.polls.all(), nil
}

// RequeuePending puts every pending task of a type back in its queue —
// IN_PROGRESS ones too, to be handed out again — and returns how many
// (ExecutionService.requeuePendingTasks).
func (e *Engine) RequeuePending(ctx context.Context, taskType string) (int, error) {
	if taskType == "" {
		var v violations
		v.add("requeuePendingTask.arg0", "TaskType cannot be null or empty.", nil)
		return 0, v.err()
	}
	if e.kinds.isSystem(taskType) {
		return 0, nil
	}
	found, _, err := e.st.SearchTasks(ctx, store.TaskQuery{TaskTypes: []string{taskType},
		Statuses: []model.TaskStatus{model.TaskScheduled, model.TaskInProgress}})
	if err != nil {
		return 0, internalf(err, "search tasks")
	}
	count := 0
	for _, st := range found {
		err := e.withWorkflow(ctx, st.WorkflowInstanceId, func(x *execution) error {
			t := x.taskByID(st.TaskId)
			if t == nil || t.Status.IsTerminal() {
				return nil
			}
			ref := t.UpdateTime
			if ref == 0 {
				ref = t.ScheduledTime
			}
			now := e.clock.Now()
			delay := time.UnixMilli(ref).Add(secs(t.CallbackAfterSeconds)).Sub(now)
			it := itemFor(t)
			it.redeliver = t.Status == model.TaskInProgress
			e.queues.push(queueKey{t.TaskType, t.Domain}, it, delay)
			count++
			return nil
		})
		if err != nil && KindOf(err) != KindNotFound {
			return count, err
		}
	}
	return count, nil
}

// sortTasksBySeq orders a workflow's tasks as Conductor returns them.
func sortTasksBySeq(tasks []model.WorkerTask) {
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].Seq < tasks[j].Seq })
}

// sortedBySeq returns the tasks in seq order.
func sortedBySeq(tasks []*model.WorkerTask) []*model.WorkerTask {
	out := append([]*model.WorkerTask(nil), tasks...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}
