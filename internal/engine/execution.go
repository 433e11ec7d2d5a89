package engine

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// execution is one workflow with its tasks, as the decider sees it
// (Conductor's WorkflowModel). wf.Tasks is unused: tasks live in tasks, in
// the order they were scheduled.
type execution struct {
	wf    *model.Workflow
	tasks []*model.WorkerTask
	// failedTaskID is the task whose failure ended the workflow
	// (WorkflowModel.failedTaskId; not part of the Workflow JSON, so it is
	// only known in the request that ends the workflow).
	failedTaskID string
	// previousStatus is the status the workflow had before its latest
	// change (WorkflowModel.previousStatus, set by setStatus). Like
	// failedTaskID it is not part of the Workflow JSON, so only the
	// request that changed the status knows it.
	previousStatus model.WorkflowStatus
	// delays holds the retry delay, with jitter, of tasks created in this
	// request (TaskModel.callbackAfterMs); others use callbackAfterSeconds.
	delays map[string]time.Duration
	// changes collects what the running decide does, so that a system
	// task's execute can schedule or delete tasks (a loop's next
	// iteration); nil outside decide.
	changes *changes
	// outbox holds the event messages this request publishes; commit
	// writes them in its batch and queues them for handling.
	outbox []*store.EventMessage
	// unpublish names the waiting event messages this request withdraws
	// (a cancelled EVENT task's); commit acknowledges them.
	unpublish []eventRef
}

// setStatus changes the workflow's status, remembering the one it
// replaces as WorkflowModel.setStatus does.
func (x *execution) setStatus(s model.WorkflowStatus) {
	if x.wf.Status != s {
		x.previousStatus = x.wf.Status
	}
	x.wf.Status = s
}

func (x *execution) id() string              { return x.wf.WorkflowId }
func (x *execution) def() *model.WorkflowDef { return x.wf.WorkflowDefinition }

func (x *execution) taskByID(id string) *model.WorkerTask {
	for _, t := range x.tasks {
		if t.TaskId == id {
			return t
		}
	}
	return nil
}

// taskByRef returns the latest task with a reference name
// (WorkflowModel.getTaskByRefName).
func (x *execution) taskByRef(ref string) *model.WorkerTask {
	for i := len(x.tasks) - 1; i >= 0; i-- {
		if x.tasks[i].ReferenceTaskName == ref {
			return x.tasks[i]
		}
	}
	return nil
}

// snapshot returns the workflow with copies of its tasks, for callers
// outside the lock.
func (x *execution) snapshot(includeTasks bool) *model.Workflow {
	// The maps are copied: the execution changes some in place after the
	// lock is released (a DO_WHILE adds each iteration's output to its
	// task's), while the caller still reads or encodes the snapshot.
	wf := *x.wf
	wf.Input, wf.Output, wf.Variables = copyMap(wf.Input), copyMap(wf.Output), copyMap(wf.Variables)
	wf.Tasks = []model.WorkerTask{} // Conductor answers "tasks": [] without them
	if includeTasks {
		wf.Tasks = make([]model.WorkerTask, len(x.tasks))
		for i, t := range x.tasks {
			c := *t
			c.InputData, c.OutputData, c.ExecutionMetadata = copyMap(t.InputData), copyMap(t.OutputData), copyMap(t.ExecutionMetadata)
			wf.Tasks[i] = c
		}
		sortTasksBySeq(wf.Tasks)
	}
	return &wf
}

// withWorkflow locks workflow id, loads its execution and calls fn with it.
// A workflow that does not exist is Conductor's NotFoundException.
func (e *Engine) withWorkflow(ctx context.Context, id string, fn func(x *execution) error) error {
	unlock := e.locks.lock(id)
	defer unlock()
	x, err := e.load(ctx, id)
	if err != nil {
		return err
	}
	return fn(x)
}

// load returns the execution of workflow id; the caller holds its lock.
func (e *Engine) load(ctx context.Context, id string) (*execution, error) {
	if x := e.cache.get(id); x != nil {
		return x, nil
	}
	wf, err := e.st.GetWorkflow(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("No such workflow found by id: %s", id)
	}
	if err != nil {
		return nil, internalf(err, "read workflow %s", id)
	}
	tasks, err := e.st.GetWorkflowTasks(ctx, id)
	if err != nil {
		return nil, internalf(err, "read tasks of workflow %s", id)
	}
	if wf.WorkflowDefinition == nil {
		d, err := e.meta.workflowDef(ctx, wf.WorkflowName, wf.WorkflowVersion)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, internalf(errors.New("definition missing"), "workflow %s has no definition %s/%d", id, wf.WorkflowName, wf.WorkflowVersion)
		}
		if wf.WorkflowDefinition, err = cloneWorkflowDef(d); err != nil {
			return nil, internalf(err, "copy definition")
		}
	}
	wf.Tasks = nil
	x := &execution{wf: wf, tasks: tasks}
	if !wf.Status.IsTerminal() {
		e.cache.put(id, x)
	}
	return x, nil
}

// changes collects what one request does to one workflow, to be written in
// one store batch, and what to do once the batch is committed.
type changes struct {
	wfDirty  bool // write the workflow, stamping its updateTime
	wfSave   bool // write the workflow, keeping its updateTime
	wfNew    bool
	deleteWf bool
	tasks    []*model.WorkerTask
	kind     map[string]taskChange
	delTasks []*model.WorkerTask
	logs     []model.TaskExecLog
	enqueue  []enqueueOp
	dequeue  []string
	after    []func(context.Context)
}

type taskChange int

const (
	taskUpdated taskChange = iota + 1 // stamped with updateTime as Conductor's updateTask does
	taskCreated                       // written as scheduled, updateTime left 0 (createTasks)
	taskStarted                       // created, then saved again in the same batch: stamped (updateTask after createTasks)
)

type enqueueOp struct {
	t     *model.WorkerTask
	delay time.Duration
}

func newChanges() *changes { return &changes{kind: map[string]taskChange{}} }

// update marks an existing task as changed.
func (c *changes) update(t *model.WorkerTask) {
	if k, ok := c.kind[t.TaskId]; ok {
		if k == taskCreated { // created, then saved again: updateTask stamps it
			c.kind[t.TaskId] = taskStarted
		}
		return
	}
	c.kind[t.TaskId] = taskUpdated
	c.tasks = append(c.tasks, t)
}

// create marks a new task.
func (c *changes) create(t *model.WorkerTask) {
	if k, ok := c.kind[t.TaskId]; ok {
		if k == taskUpdated {
			c.kind[t.TaskId] = taskCreated
		}
		return
	}
	c.kind[t.TaskId] = taskCreated
	c.tasks = append(c.tasks, t)
}

// drop deletes a task; one created in this batch is simply not written.
func (c *changes) drop(t *model.WorkerTask) {
	created := c.kind[t.TaskId] == taskCreated || c.kind[t.TaskId] == taskStarted
	delete(c.kind, t.TaskId)
	c.tasks = slices.DeleteFunc(c.tasks, func(o *model.WorkerTask) bool { return o == t })
	if !created {
		c.delTasks = append(c.delTasks, t)
	}
}

func (c *changes) push(t *model.WorkerTask, delay time.Duration) {
	c.enqueue = append(c.enqueue, enqueueOp{t, delay})
}

func (c *changes) pull(taskID string) { c.dequeue = append(c.dequeue, taskID) }

func (c *changes) empty() bool {
	return !c.wfDirty && !c.wfSave && !c.wfNew && !c.deleteWf && len(c.tasks) == 0 && len(c.delTasks) == 0 && len(c.logs) == 0
}

// commit writes the changes of x in one batch and, once they are durable,
// updates queues, concurrency counts and timers and wakes watchers. The
// caller holds the workflow's lock. If the store refuses the batch the
// cached execution (already changed in memory) is dropped, so the next
// request reloads what the store has.
func (e *Engine) commit(ctx context.Context, x *execution, c *changes) error {
	id := x.id()
	// A workflow's endTime is set by its first commit in a terminal status
	// (and cleared by retry and restart): that commit finishes it.
	finished := x.wf.Status.IsTerminal() && x.wf.EndTime == 0 && !c.deleteWf && (c.wfDirty || c.wfSave || c.wfNew)
	e.publishStatus(x, finished)
	outbox, unpublish := x.outbox, x.unpublish
	x.outbox, x.unpublish = nil, nil
	if !c.empty() || len(outbox) > 0 || len(unpublish) > 0 {
		now := e.clock.Now().UnixMilli()
		b := &store.Batch{Logs: c.logs, Messages: outbox}
		for _, r := range unpublish {
			b.AckMessages = append(b.AckMessages, r.key)
		}
		for _, t := range c.delTasks {
			b.DeleteTasks = append(b.DeleteTasks, t.TaskId)
		}
		if c.deleteWf {
			b.DeleteWorkflows = []string{id}
			b.DeleteTasks, b.Logs = nil, nil
		} else {
			for _, t := range c.tasks {
				stampTask(t, c.kind[t.TaskId], now)
				b.Tasks = append(b.Tasks, t)
			}
			if c.wfDirty || c.wfSave || c.wfNew {
				if c.wfDirty { // a new workflow is stamped by its first decide, as in Conductor
					x.wf.UpdateTime = now
				}
				if x.wf.Status.IsTerminal() {
					x.wf.EndTime = now
				}
				b.Workflows = []*model.Workflow{x.wf}
			}
		}
		if err := e.st.Apply(ctx, b); err != nil {
			e.cache.evict(id)
			return internalf(err, "save workflow %s", id)
		}
	}
	x.delays = nil
	e.dropEvents(unpublish)
	e.queueEvents(outbox)
	if c.wfNew {
		e.obs.WorkflowStarted(x.wf.WorkflowName)
	}
	if finished {
		e.obs.WorkflowFinished(x.wf.WorkflowName, x.wf.Status)
	}
	e.afterCommit(x, c)
	for _, f := range c.after {
		f(e.bg) // follow-ups (a failure workflow) do not depend on the caller staying
	}
	return nil
}

// stampTask sets updateTime and endTime as ExecutionDAOFacade.updateTask
// does: a non-terminal task gets the current time, a terminal one keeps the
// time of its last non-terminal update (or now if it never had one).
func stampTask(t *model.WorkerTask, k taskChange, now int64) {
	if k == taskUpdated || k == taskStarted {
		if !t.Status.IsTerminal() || t.UpdateTime == 0 {
			t.UpdateTime = now
		}
	}
	if t.Status.IsTerminal() && t.EndTime == 0 {
		t.EndTime = now
	}
	if t.StartTime > 0 && t.ScheduledTime > 0 {
		t.QueueWaitTime = t.StartTime - t.ScheduledTime
	}
	t.LoopOverTask = t.Iteration > 0 // Task.isLoopOverTask
}

// afterCommit brings the in-memory state in line with what was committed.
func (e *Engine) afterCommit(x *execution, c *changes) {
	id := x.id()
	for _, tid := range c.dequeue {
		e.queues.remove(tid)
		e.disarmSystemTask(tid)
	}
	released := c.delTasks
	if c.deleteWf {
		released = x.tasks
	}
	for _, t := range released {
		e.queues.remove(t.TaskId)
		e.disarmSystemTask(t.TaskId)
		if !e.kinds.isSystem(t.TaskType) {
			e.limits.observe(t.TaskDefName, t.TaskId, false)
		}
	}
	for _, op := range c.enqueue {
		if op.t.Status == model.TaskScheduled || op.t.Status == model.TaskInProgress {
			if e.kinds.isAsyncSystem(op.t.TaskType) {
				e.armSystemTask(op.t, op.delay) // run by the engine, never polled
				continue
			}
			e.queues.push(queueKey{op.t.TaskType, op.t.Domain}, itemFor(op.t), op.delay)
		}
	}
	for _, t := range c.tasks {
		if !e.kinds.isSystem(t.TaskType) {
			e.limits.observe(t.TaskDefName, t.TaskId, t.Status == model.TaskInProgress && !c.deleteWf)
		}
	}
	switch {
	case c.deleteWf:
		e.cache.evict(id)
		e.timers.cancel("wf:" + id)
	case x.wf.Status.IsTerminal():
		e.cache.evict(id)
		e.timers.cancel("wf:" + id)
		e.notifyParent(x)
	default:
		e.cache.put(id, x)
		e.rearm(x)
	}
	e.watch.notify(id)
}

func itemFor(t *model.WorkerTask) *queueItem {
	return &queueItem{taskID: t.TaskId, workflowID: t.WorkflowInstanceId, defName: t.TaskDefName, priority: t.WorkflowPriority}
}
