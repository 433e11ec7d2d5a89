package engine

import (
	"context"
	"strings"

	"github.com/batonhq/baton/model"
)

// ExecuteWorkflow starts a workflow and waits until it ends, until one of
// opts.WaitUntilTaskRef has ended, or until opts.WaitFor passes (then the
// response says signalTimeout), answering Conductor's SignalResponse
// (WorkflowResource.executeWorkflow, WorkflowSignalResponder). Conductor
// re-reads the workflow every 100 ms; here the wait is woken by each
// commit of the workflow, so the answer comes as soon as the state is
// reached. For BLOCKING_TASK strategies with no blocking task the answer
// is nil, as Conductor's is null.
func (e *Engine) ExecuteWorkflow(ctx context.Context, req *model.StartWorkflowRequest, opts ExecuteOptions) (*model.SignalResponse, error) {
	if opts.ReturnStrategy == "" {
		opts.ReturnStrategy = model.ReturnTargetWorkflow
	}
	if opts.RequestID == "" {
		opts.RequestID = e.ids()
	}
	wait := opts.WaitFor
	if wait <= 0 {
		wait = e.cfg.DefaultExecuteWait
	}
	var refs []string
	for _, r := range opts.WaitUntilTaskRef {
		for _, part := range strings.Split(r, ",") {
			if part = strings.TrimSpace(part); part != "" {
				refs = append(refs, part)
			}
		}
	}
	id := e.ids()
	changed, unwatch := e.watch.add(id)
	defer unwatch()
	if _, err := e.start(ctx, req, id); err != nil {
		return nil, err
	}
	timedOut := make(chan struct{})
	stop := e.clock.AfterFunc(wait, func() { close(timedOut) })
	defer stop()
	for {
		wf, err := e.GetWorkflow(ctx, id, true)
		if err != nil {
			return nil, err
		}
		if blocking := blockingTasks(wf, refs); wf.Status.IsTerminal() || len(blocking) > 0 {
			return signalResponse(wf, blocking, opts, false), nil
		}
		select {
		case <-changed:
		case <-timedOut:
			wf, err := e.GetWorkflow(ctx, id, true)
			if err != nil {
				return nil, err
			}
			return signalResponse(wf, nil, opts, true), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-e.stopping:
			return nil, Errorf(KindUnavailable, "server is shutting down; workflow %s was started, query it by id", id)
		}
	}
}

// blockingTasks returns the tasks a synchronous execution stops at: an
// ended task named in refs (WorkflowSignalResponder.findBlockingTasks).
// WAIT tasks without a timeout block too once system tasks exist.
func blockingTasks(wf *model.Workflow, refs []string) []model.WorkerTask {
	var out []model.WorkerTask
	for _, t := range wf.Tasks {
		if t.TaskType == model.TaskTypeWait && !t.Status.IsTerminal() && waitsForSignal(&t) {
			out = append(out, t)
			continue
		}
		for _, r := range refs {
			if r == t.ReferenceTaskName && t.Status.IsTerminal() {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// waitsForSignal reports whether a WAIT task has neither duration nor
// until, so only an external signal ends it (waitTimeout == 0).
func waitsForSignal(t *model.WorkerTask) bool {
	_, d := t.InputData["duration"]
	_, u := t.InputData["until"]
	return !d && !u
}

// signalResponse renders the answer (NotificationResult.toResponse).
func signalResponse(wf *model.Workflow, blocking []model.WorkerTask, opts ExecuteOptions, timedOut bool) *model.SignalResponse {
	switch opts.ReturnStrategy {
	case model.ReturnBlockingTask, model.ReturnBlockingTaskInput:
		if len(blocking) == 0 {
			return nil
		}
		t := blocking[0]
		return &model.SignalResponse{
			ResponseType: opts.ReturnStrategy, TargetWorkflowId: wf.WorkflowId, TargetWorkflowStatus: wf.Status,
			RequestId: opts.RequestID, SignalTimeout: timedOut,
			TaskType: t.TaskType, TaskId: t.TaskId, ReferenceTaskName: t.ReferenceTaskName, RetryCount: t.RetryCount,
			TaskDefName: t.TaskDefName, RetriedTaskId: t.RetriedTaskId, WorkflowType: t.WorkflowType,
			ReasonForIncompletion: t.ReasonForIncompletion, Priority: t.WorkflowPriority,
			WorkflowId: t.WorkflowInstanceId, CorrelationId: t.CorrelationId, Status: string(t.Status),
			Input: t.InputData, Output: t.OutputData, CreatedBy: t.WorkerId, CreateTime: t.StartTime, UpdateTime: t.UpdateTime,
		}
	}
	tasks := wf.Tasks
	if tasks == nil {
		tasks = []model.WorkerTask{}
	}
	return &model.SignalResponse{
		ResponseType: opts.ReturnStrategy, TargetWorkflowId: wf.WorkflowId, TargetWorkflowStatus: wf.Status,
		RequestId: opts.RequestID, WorkflowId: wf.WorkflowId, CorrelationId: wf.CorrelationId,
		Input: wf.Input, Output: wf.Output, Priority: wf.Priority, Variables: wf.Variables, Tasks: tasks,
		CreatedBy: wf.CreatedBy, CreateTime: wf.CreateTime, UpdateTime: wf.UpdateTime, Status: string(wf.Status),
		SignalTimeout: timedOut,
	}
}
