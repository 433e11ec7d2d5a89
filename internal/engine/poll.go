package engine

import (
	"context"
	"sync"
	"time"

	"github.com/batonhq/baton/model"
)

// Poll hands out up to req.Count tasks of a type (and domain) to a worker
// (ExecutionService.poll). Each task is acknowledged as part of the poll:
// it becomes IN_PROGRESS with the worker's id, a start time and one more
// poll count, and that is durable before Poll returns, so no two polls ever
// receive the same task. With a Timeout the call waits until a task is
// queued (it is woken by the enqueue itself), the timeout passes, ctx ends
// or the engine stops; it returns as soon as it has at least one task.
// Every call records poll data for (type, domain), even an empty one.
func (e *Engine) Poll(ctx context.Context, taskType string, req PollRequest) ([]*model.WorkerTask, error) {
	start := time.Now() // latency is wall time, whatever clock the engine runs on
	out, err := e.poll(ctx, taskType, req)
	e.obs.Polled(time.Since(start), len(out))
	return out, err
}

func (e *Engine) poll(ctx context.Context, taskType string, req PollRequest) ([]*model.WorkerTask, error) {
	if taskType == "" {
		var v violations
		v.add("batchPoll.arg0", "TaskType cannot be null or empty.", nil)
		return nil, v.err()
	}
	if req.Timeout > e.cfg.MaxPollTimeout {
		return nil, badRequest("Long Poll Timeout value cannot be more than %d seconds", int(e.cfg.MaxPollTimeout.Seconds()))
	}
	n := min(max(req.Count, 1), e.cfg.MaxPollCount)
	k := queueKey{taskType, req.Domain}
	e.polls.record(k, req.WorkerID, e.clock.Now())
	if _, err := e.meta.taskDef(ctx, taskType); err != nil { // caches the limits the queue needs
		return nil, err
	}
	q := e.queues.get(k)
	out := []*model.WorkerTask{}
	var released <-chan struct{} // nil (never ready) without a poller id
	if req.PollerID != "" {
		var done func()
		released, done = e.releases.watch(req.PollerID)
		defer done()
	}
	var timedOut chan struct{}
	for {
		// A poll whose worker has gone (its connection closed, or it
		// released its polls) takes nothing from the queue: a task taken
		// now could not reach anyone.
		if ctx.Err() != nil || isClosed(released) {
			return out, nil
		}
		wake := q.waitChan() // before popping, so an enqueue in between is not missed
		items := q.pop(n-len(out), func(it *queueItem) bool { return e.limits.admit(it.defName, it.taskID) })
		out = append(out, e.ackAll(ctx, items, req.WorkerID)...)
		if len(out) > 0 && (ctx.Err() != nil || isClosed(released)) {
			// The worker went away while its tasks were being taken.
			e.requeueAbandoned(context.WithoutCancel(ctx), out)
			return []*model.WorkerTask{}, nil
		}
		if len(out) > 0 || req.Timeout <= 0 || e.stoppingNow() {
			return out, nil
		}
		if timedOut == nil {
			timedOut = make(chan struct{})
			ch := timedOut
			stop := e.clock.AfterFunc(req.Timeout, func() { close(ch) })
			defer stop()
		}
		select {
		case <-wake:
		case <-timedOut:
			return out, nil
		case <-ctx.Done():
			return out, nil
		case <-released:
			return out, nil
		case <-e.stopping:
			return out, nil
		}
	}
}

// requeueAbandoned hands back tasks acknowledged for a poll whose worker
// went away before the answer: as a worker's own hand-back does (IN_PROGRESS,
// callbackAfterSeconds 0), so the next poll gets them at once. A poll whose
// connection closes after this point still loses its answer in transit, as
// with Conductor (the task is re-delivered after its responseTimeout);
// ReleasePolls has no such window.
func (e *Engine) requeueAbandoned(ctx context.Context, tasks []*model.WorkerTask) {
	for _, t := range tasks {
		err := e.UpdateTask(ctx, &model.TaskResult{
			WorkflowInstanceId: t.WorkflowInstanceId, TaskId: t.TaskId, WorkerId: t.WorkerId,
			Status: model.InProgressTask, OutputData: t.OutputData,
		})
		if err != nil {
			e.log.Warn("poll: task of an abandoned poll not queued again", "taskId", t.TaskId, "err", err)
		}
	}
}

// ackAll acknowledges popped items, concurrently when there are several
// (each takes its own workflow's lock, and the store can commit them
// together).
func (e *Engine) ackAll(ctx context.Context, items []*queueItem, workerID string) []*model.WorkerTask {
	if len(items) == 1 {
		if t := e.ackOrRelease(ctx, items[0], workerID); t != nil {
			return []*model.WorkerTask{t}
		}
		return nil
	}
	got := make([]*model.WorkerTask, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Go(func() { got[i] = e.ackOrRelease(ctx, it, workerID) })
	}
	wg.Wait()
	out := got[:0]
	for _, t := range got {
		if t != nil {
			out = append(out, t)
		}
	}
	return out
}

func (e *Engine) ackOrRelease(ctx context.Context, it *queueItem, workerID string) *model.WorkerTask {
	e.queues.forget(it)
	t, err := e.ack(ctx, it, workerID)
	if err != nil {
		e.log.Warn("poll: task not handed out", "taskId", it.taskID, "err", err)
	}
	if t == nil {
		e.limits.unreserve(it.defName, it.taskID)
	}
	return t
}

// ack marks a popped task IN_PROGRESS for workerID and returns a copy for
// the worker, or nil when the task is no longer to be handed out (ended,
// removed, or queued again since it was popped).
func (e *Engine) ack(ctx context.Context, it *queueItem, workerID string) (*model.WorkerTask, error) {
	unlock := e.locks.lock(it.workflowID)
	defer unlock()
	if e.queues.contains(it.taskID) {
		return nil, nil // re-queued after this pop; that entry will deliver it
	}
	x, err := e.load(ctx, it.workflowID)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return nil, nil
		}
		e.queues.push(it.key, &queueItem{taskID: it.taskID, workflowID: it.workflowID, defName: it.defName, priority: it.priority}, 0)
		return nil, err
	}
	t := x.taskByID(it.taskID)
	if t == nil || t.Status.IsTerminal() || (t.Status != model.TaskScheduled && !it.redeliver) {
		return nil, nil
	}
	t.Status = model.TaskInProgress
	first := t.StartTime == 0
	if first {
		t.StartTime = e.clock.Now().UnixMilli()
	}
	t.CallbackAfterSeconds = 0
	t.WorkerId = workerID
	t.PollCount++
	c := newChanges()
	c.update(t)
	if err := e.commit(ctx, x, c); err != nil {
		e.queues.push(it.key, &queueItem{taskID: it.taskID, workflowID: it.workflowID, defName: it.defName, priority: it.priority}, 0)
		return nil, err
	}
	if first { // Conductor's task_queue_wait, recorded at poll (ExecutionService.poll)
		e.obs.TaskStarted(t.TaskType, msDuration(t.ScheduledTime, t.StartTime))
	}
	cp := *t
	return &cp, nil
}

// isClosed reports whether c is closed; a nil c never is.
func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
