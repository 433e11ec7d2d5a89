package engine

import (
	"context"
	"errors"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// maxReason is the length Conductor keeps of a worker's
// reasonForIncompletion (TaskResult.setReasonForIncompletion).
const maxReason = 500

// UpdateTask records a worker's result for a task and decides the workflow
// (WorkflowExecutorOps.updateTask). An update of a task or workflow that
// has already ended is ignored, as in Conductor (still a success for the
// caller). IN_PROGRESS puts a worker task back to SCHEDULED, pollable again
// after callbackAfterSeconds; extendLease only restarts the response-timeout
// clock. Output replaces the task's output; logs are appended.
func (e *Engine) UpdateTask(ctx context.Context, r *model.TaskResult) error {
	_, err := e.updateTask(ctx, r)
	return err
}

// UpdateTaskV2 is UpdateTask that, when the update ended the task, hands
// the worker the next queued task of the same type and domain.
func (e *Engine) UpdateTaskV2(ctx context.Context, r *model.TaskResult) (*model.WorkerTask, error) {
	t, err := e.updateTask(ctx, r)
	if err != nil || t == nil || !t.Status.IsTerminal() {
		return nil, err
	}
	// poll, not Poll: the hand-off is part of the update, not a poll request
	// of its own for the poll metrics.
	next, err := e.poll(ctx, t.TaskType, PollRequest{Domain: t.Domain, WorkerID: r.WorkerId, Count: 1})
	if err != nil || len(next) == 0 {
		return nil, err
	}
	return next[0], nil
}

func (e *Engine) updateTask(ctx context.Context, r *model.TaskResult) (*model.WorkerTask, error) {
	start := time.Now() // latency is wall time, whatever clock the engine runs on
	out, err := e.updateTaskTimed(ctx, r)
	var status model.TaskResultStatus
	if r != nil && r.Status.IsValid() {
		status = r.Status
	}
	e.obs.Updated(time.Since(start), status, err != nil)
	return out, err
}

func (e *Engine) updateTaskTimed(ctx context.Context, r *model.TaskResult) (*model.WorkerTask, error) {
	if err := checkResult(r); err != nil {
		return nil, err
	}
	var out *model.WorkerTask
	err := e.withTask(ctx, r.WorkflowInstanceId, r.TaskId, func(x *execution, t *model.WorkerTask) error {
		if r.ExtendLease {
			if !t.Status.IsTerminal() {
				c := newChanges()
				c.update(t) // stamping updateTime is the lease
				return e.commit(ctx, x, c)
			}
			return nil
		}
		var err error
		out, err = e.applyResult(ctx, x, t, r)
		return err
	})
	return out, err
}

func checkResult(r *model.TaskResult) error {
	var v violations
	if r == nil {
		v.add("updateTask.arg0", "TaskResult cannot be null or empty.", nil)
		return v.err()
	}
	if r.WorkflowInstanceId == "" {
		v.add("updateTask.arg0.workflowInstanceId", "Workflow Id cannot be null or empty", nil)
	}
	if r.TaskId == "" {
		v.add("updateTask.arg0.taskId", "Task ID cannot be null or empty", nil)
	}
	if err := v.err(); err != nil {
		return err
	}
	if !r.ExtendLease && !r.Status.IsValid() {
		return badRequest("task status %q is not valid: use one of IN_PROGRESS, FAILED, FAILED_WITH_TERMINAL_ERROR, COMPLETED, CANCELED", r.Status)
	}
	return nil
}

// withTask locks the workflow that owns a task and calls fn with both. The
// workflow named by the caller must exist (Conductor reads it first); the
// task is looked for there and, failing that, in the store, so a result
// sent with the wrong workflow id still reaches its task.
func (e *Engine) withTask(ctx context.Context, wfID, taskID string, fn func(*execution, *model.WorkerTask) error) error {
	var owner string
	err := e.withWorkflow(ctx, wfID, func(x *execution) error {
		if t := x.taskByID(taskID); t != nil {
			return fn(x, t)
		}
		st, err := e.st.GetTask(ctx, taskID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && st.WorkflowInstanceId == wfID) {
			return notFound("No such task found by id: %s", taskID)
		}
		if err != nil {
			return internalf(err, "read task %s", taskID)
		}
		owner = st.WorkflowInstanceId
		return nil
	})
	if err != nil || owner == "" {
		return err
	}
	return e.withWorkflow(ctx, owner, func(x *execution) error {
		t := x.taskByID(taskID)
		if t == nil {
			return notFound("No such task found by id: %s", taskID)
		}
		return fn(x, t)
	})
}

// applyResult applies a result to a task under its workflow's lock, then
// decides the workflow and commits everything in one batch. It returns a
// copy of the task.
func (e *Engine) applyResult(ctx context.Context, x *execution, t *model.WorkerTask, r *model.TaskResult) (*model.WorkerTask, error) {
	if t.Status.IsTerminal() || x.wf.Status.IsTerminal() {
		e.queues.remove(t.TaskId) // already finished: drop any stale queue entry
		cp := *t
		return &cp, nil
	}
	now := e.clock.Now()
	if !e.kinds.isSystem(t.TaskType) && r.Status == model.InProgressTask {
		t.Status = model.TaskScheduled
	} else {
		t.Status = r.Status.TaskStatus()
	}
	t.ReasonForIncompletion = truncate(r.ReasonForIncompletion, maxReason)
	t.WorkerId = r.WorkerId
	t.CallbackAfterSeconds = max(r.CallbackAfterSeconds, 0)
	t.OutputData = copyMap(r.OutputData)
	if t.OutputData == nil {
		t.OutputData = map[string]any{}
	}
	if reason := e.taskOutputTooLarge(t.OutputData); reason != "" {
		t.Status = model.TaskFailedWithTerminalError
		t.ReasonForIncompletion = reason
		t.OutputData = map[string]any{}
	}
	t.SubWorkflowId = r.SubWorkflowId
	if r.ExternalOutputPayloadStoragePath != "" {
		t.ExternalOutputPayloadStoragePath = r.ExternalOutputPayloadStoragePath
	}
	if t.Status.IsTerminal() {
		t.EndTime = now.UnixMilli()
	}
	c := newChanges()
	c.update(t)
	switch {
	case t.Status.IsTerminal():
		c.pull(t.TaskId)
	case !e.kinds.isSystem(t.TaskType) || e.kinds.isAsyncSystem(t.TaskType):
		c.push(t, secs(t.CallbackAfterSeconds))
	}
	for i, l := range r.Logs {
		if i == e.cfg.MaxLogsPerUpdate {
			e.log.Warn("task update carries more log lines than kept", "taskId", t.TaskId, "lines", len(r.Logs), "kept", e.cfg.MaxLogsPerUpdate)
			break
		}
		l.TaskId = t.TaskId
		if l.CreatedTime == 0 {
			l.CreatedTime = now.UnixMilli()
		}
		c.logs = append(c.logs, l)
	}
	if err := e.decide(ctx, x, c); err != nil {
		return nil, err
	}
	if err := e.commit(ctx, x, c); err != nil {
		return nil, err
	}
	if t.Status.IsTerminal() { // Conductor's task_execution (WorkflowExecutor.updateTask)
		e.obs.TaskFinished(t.TaskType, t.Status, msDuration(t.StartTime, t.EndTime))
	}
	cp := *t
	return &cp, nil
}

// truncate keeps the first n characters of s.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// UpdateTaskByRefName completes (or fails...) the pending task with a
// reference name, merging output into the task's current output
// (TaskServiceImpl.updateTask by reference name). A loop task matches by
// its name without the iteration suffix. It returns the task's id, or ""
// when the workflow has no pending task with that name (Conductor answers
// an empty 200 then, also for an unknown workflow).
func (e *Engine) UpdateTaskByRefName(ctx context.Context, workflowID, ref string, status model.TaskResultStatus,
	output map[string]any, workerID string) (string, error) {
	if !status.IsValid() {
		return "", badRequest("task status %q is not valid: use one of IN_PROGRESS, FAILED, FAILED_WITH_TERMINAL_ERROR, COMPLETED, CANCELED", status)
	}
	if workflowID == "" || ref == "" {
		return "", nil
	}
	var id string
	err := e.withWorkflow(ctx, workflowID, func(x *execution) error {
		t := pendingByRef(x, ref)
		if t == nil {
			return nil
		}
		merged := copyMap(t.OutputData)
		if merged == nil {
			merged = map[string]any{}
		}
		for k, v := range output {
			merged[k] = v
		}
		r := &model.TaskResult{WorkflowInstanceId: workflowID, TaskId: t.TaskId, Status: status, OutputData: merged,
			ReasonForIncompletion: t.ReasonForIncompletion, CallbackAfterSeconds: t.CallbackAfterSeconds,
			WorkerId: t.WorkerId, SubWorkflowId: t.SubWorkflowId}
		if workerID != "" {
			r.WorkerId = workerID
		}
		id = t.TaskId
		_, err := e.applyResult(ctx, x, t, r)
		return err
	})
	if KindOf(err) == KindNotFound {
		return "", nil
	}
	return id, err
}

// pendingByRef finds the first non-terminal task with a reference name,
// else the first whose name without a loop suffix matches
// (ExecutionService.getPendingTaskForWorkflow).
func pendingByRef(x *execution, ref string) *model.WorkerTask {
	tasks := sortedBySeq(x.tasks)
	for _, t := range tasks {
		if !t.Status.IsTerminal() && t.ReferenceTaskName == ref {
			return t
		}
	}
	for _, t := range tasks {
		if !t.Status.IsTerminal() && baseRef(t.ReferenceTaskName) == ref {
			return t
		}
	}
	return nil
}

// GetTask returns a task by id.
func (e *Engine) GetTask(ctx context.Context, taskID string) (*model.WorkerTask, error) {
	if taskID == "" {
		var v violations
		v.add("getTask.arg0", "TaskId cannot be null or empty.", nil)
		return nil, v.err()
	}
	t, err := e.st.GetTask(ctx, taskID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Task not found for taskId: %s", taskID)
	}
	if err != nil {
		return nil, internalf(err, "read task %s", taskID)
	}
	return t, nil
}

// AddTaskLog appends a line to a task's execution log.
func (e *Engine) AddTaskLog(ctx context.Context, taskID, line string) error {
	if taskID == "" {
		var v violations
		v.add("log.arg0", "TaskId cannot be null or empty.", nil)
		return v.err()
	}
	if _, err := e.GetTask(ctx, taskID); err != nil {
		if KindOf(err) == KindNotFound {
			return notFound("No such task found by id: %s", taskID)
		}
		return err
	}
	b := &store.Batch{Logs: []model.TaskExecLog{{Log: line, TaskId: taskID, CreatedTime: e.clock.Now().UnixMilli()}}}
	return internalf(e.st.Apply(ctx, b), "append log of task %s", taskID)
}

// TaskLogs returns a task's execution log.
func (e *Engine) TaskLogs(ctx context.Context, taskID string) ([]model.TaskExecLog, error) {
	if taskID == "" {
		var v violations
		v.add("getTaskLogs.arg0", "TaskId cannot be null or empty.", nil)
		return nil, v.err()
	}
	logs, err := e.st.TaskLogs(ctx, taskID)
	if err != nil {
		return nil, internalf(err, "read log of task %s", taskID)
	}
	// By createdTime, as Conductor's index DAOs order them (ORDER BY
	// created_time); a TaskResult's log lines keep the createdTime the
	// worker gave them, so they need not come last. Ties keep the order
	// they were written in.
	sort.SliceStable(logs, func(i, j int) bool { return logs[i].CreatedTime < logs[j].CreatedTime })
	return logs, nil
}
