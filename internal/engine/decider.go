package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/batonhq/baton/model"
)

// outcome is one decision (DeciderService.DeciderOutcome).
type outcome struct {
	toSchedule    []*model.WorkerTask
	toUpdate      []*model.WorkerTask
	complete      bool
	terminateTask *model.WorkerTask
}

// refMap is an insertion-ordered map from reference name to task
// (Conductor's LinkedHashMap of tasks to schedule).
type refMap struct {
	keys []string
	m    map[string]*model.WorkerTask
}

func (r *refMap) put(t *model.WorkerTask) {
	if r.m == nil {
		r.m = map[string]*model.WorkerTask{}
	}
	if _, ok := r.m[t.ReferenceTaskName]; !ok {
		r.keys = append(r.keys, t.ReferenceTaskName)
	}
	r.m[t.ReferenceTaskName] = t
}

func (r *refMap) putIfAbsent(t *model.WorkerTask) {
	if _, ok := r.m[t.ReferenceTaskName]; !ok {
		r.put(t)
	}
}

// decideOnce computes what to do next for a workflow
// (DeciderService.decide). It changes tasks in memory (statuses, executed
// and retried flags); the caller persists the outcome. A *terminateErr
// means the workflow must end.
func (e *Engine) decideOnce(ctx context.Context, x *execution) (*outcome, error) {
	var pre []*model.WorkerTask
	unprocessed := false
	for _, t := range x.tasks {
		if t.Status != model.TaskSkipped && !t.Executed {
			unprocessed = true
			break
		}
	}
	if !unprocessed {
		var err error
		if pre, err = e.firstTasks(ctx, x); err != nil {
			return nil, err
		}
	}
	return e.decideWith(ctx, x, pre)
}

// firstTasks returns the tasks that start a workflow: the first task of
// the definition that was not skipped (DeciderService.startWorkflow).
func (e *Engine) firstTasks(ctx context.Context, x *execution) ([]*model.WorkerTask, error) {
	d := x.def()
	if x.wf.ReRunFromWorkflowId == "" || len(x.tasks) == 0 {
		if len(d.Tasks) == 0 {
			return nil, &terminateErr{reason: "No tasks found to be executed", status: model.WorkflowCompleted}
		}
		wt := &d.Tasks[0]
		for wt != nil && e.skipped(x, wt) {
			wt = nextTask(d, wt.TaskReferenceName)
		}
		if wt == nil {
			return nil, nil
		}
		return e.tasksToSchedule(ctx, x, wt, 0, "")
	}
	t := x.tasks[0]
	t.Status = model.TaskScheduled
	t.Retried = true
	t.RetryCount = 0
	return []*model.WorkerTask{t}, nil
}

func (e *Engine) decideWith(ctx context.Context, x *execution, pre []*model.WorkerTask) (*outcome, error) {
	out := &outcome{}
	wf := x.wf
	if wf.Status.IsTerminal() {
		return out, nil
	}
	if err := e.checkWorkflowTimeout(x); err != nil {
		return nil, err
	}
	if wf.Status == model.WorkflowPaused {
		return out, nil
	}
	var pending []*model.WorkerTask
	executed := map[string]bool{}
	for _, t := range x.tasks {
		if !t.Retried && t.Status != model.TaskSkipped && !t.Executed {
			pending = append(pending, t)
		}
		if t.Executed {
			executed[t.ReferenceTaskName] = true
		}
		if t.TaskType == model.TaskTypeTerminate && t.Status.IsTerminal() && t.Status.IsSuccessful() {
			out.terminateTask = t
		}
	}
	var sched refMap
	for _, t := range pre {
		sched.put(t)
	}
	for _, t := range pending {
		if e.kinds.isSystem(t.TaskType) && !t.Status.IsTerminal() {
			sched.putIfAbsent(t)
			delete(executed, t.ReferenceTaskName)
		}
		def := e.taskDefOf(x, t)
		if def != nil {
			if err := e.checkTimeouts(x, def, t); err != nil {
				return nil, err
			}
		}
		if t.Status.IsTerminal() && !t.Status.IsSuccessful() {
			wt := t.WorkflowTask
			if wt == nil {
				wt = taskByRef(x.def().Tasks, t.ReferenceTaskName)
			}
			retried, err := e.retry(ctx, x, def, wt, t)
			if err != nil {
				return nil, err
			}
			if retried != nil {
				sched.put(retried)
				delete(executed, retried.ReferenceTaskName)
				out.toUpdate = append(out.toUpdate, t)
			} else if wt := t.WorkflowTask; wt == nil || !wt.Permissive || wt.Optional {
				// Optional: done with errors. Permissive: stays FAILED, the
				// workflow goes on and fails at the end.
				t.Status = model.TaskCompletedWithErrors
			}
		}
		if !t.Executed && !t.Retried && t.Status.IsTerminal() {
			t.Executed = true
			nextTasks, err := e.nextTasks(ctx, x, t)
			if err != nil {
				return nil, err
			}
			for _, n := range nextTasks {
				sched.putIfAbsent(n)
			}
			out.toUpdate = append(out.toUpdate, t)
		}
	}
	for _, ref := range sched.keys {
		if !executed[ref] {
			out.toSchedule = append(out.toSchedule, sched.m[ref])
		}
	}
	if out.terminateTask != nil || (len(out.toSchedule) == 0 && e.workflowDone(x)) {
		if msg := permissiveFailures(x); msg != "" {
			return nil, terminate("%s", msg)
		}
		out.complete = true
	}
	return out, nil
}

// permissiveFailures joins the failures of permissive (non-optional)
// tasks whose latest attempt ended unsuccessfully; they fail the workflow
// when it would otherwise complete.
func permissiveFailures(x *execution) string {
	latest := map[string]*model.WorkerTask{}
	var order []string
	for _, t := range x.tasks {
		wt := t.WorkflowTask
		if wt == nil || !wt.Permissive || wt.Optional {
			continue
		}
		prev, ok := latest[t.ReferenceTaskName]
		if !ok {
			order = append(order, t.ReferenceTaskName)
		}
		if !ok || t.RetryCount >= prev.RetryCount {
			latest[t.ReferenceTaskName] = t
		}
	}
	var msgs []string
	for _, ref := range order {
		t := latest[ref]
		if t.Status.IsTerminal() && !t.Status.IsSuccessful() {
			msgs = append(msgs, fmt.Sprintf("Task %s failed with status: %s and reason: '%s'", t.TaskId, t.Status, nullStr(t.ReasonForIncompletion)))
		}
	}
	return strings.Join(msgs, ". ")
}

// nullStr prints an unset string as Java's String.format prints null.
func nullStr(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

// taskDefOf returns the definition a task runs under: the one embedded in
// its workflow task, else the one of the definition's task with that
// reference name.
func (e *Engine) taskDefOf(x *execution, t *model.WorkerTask) *model.TaskDef {
	if t.WorkflowTask != nil && t.WorkflowTask.TaskDefinition != nil {
		return t.WorkflowTask.TaskDefinition
	}
	if wt := taskByRef(x.def().Tasks, t.ReferenceTaskName); wt != nil {
		return wt.TaskDefinition
	}
	return nil
}

func (e *Engine) skipped(x *execution, wt *model.WorkflowTask) bool {
	t := x.taskByRef(wt.TaskReferenceName)
	return t != nil && t.Status == model.TaskSkipped
}

// nextTasks returns the tasks that follow a finished task
// (DeciderService.getNextTask).
func (e *Engine) nextTasks(ctx context.Context, x *execution, t *model.WorkerTask) ([]*model.WorkerTask, error) {
	d := x.def()
	if e.kinds.schedulesOwnNext(t) {
		return nil, nil
	}
	ref := t.ReferenceTaskName
	if t.Iteration > 0 {
		ref = baseRef(ref)
	}
	wt := nextTask(d, ref)
	for wt != nil && e.skipped(x, wt) {
		wt = nextTask(d, wt.TaskReferenceName)
	}
	if wt == nil {
		return nil, nil
	}
	if wt.TaskType() == model.TaskTypeDoWhile {
		for _, have := range x.tasks {
			if have.ReferenceTaskName == wt.TaskReferenceName {
				return nil, nil
			}
		}
	}
	next, err := e.tasksToSchedule(ctx, x, wt, 0, "")
	if err != nil || t.Iteration == 0 || e.kinds.isLoop(t.TaskType) {
		return next, err
	}
	return loopIteration(x, next, t.Iteration), nil
}

// loopIteration gives tasks that follow a task of a loop's iteration the
// iteration's suffix, leaving out those the workflow already runs
// (DeciderService.filterNextLoopOverTasks).
func loopIteration(x *execution, tasks []*model.WorkerTask, iteration int) []*model.WorkerTask {
	for _, n := range tasks {
		n.ReferenceTaskName = iterationRef(n.ReferenceTaskName, iteration)
		n.Iteration = iteration
	}
	have := map[string]bool{}
	for _, t := range x.tasks {
		if t.Status == model.TaskInProgress || t.Status.IsTerminal() {
			have[t.ReferenceTaskName] = true
		}
	}
	out := tasks[:0]
	for _, n := range tasks {
		if !have[n.ReferenceTaskName] {
			out = append(out, n)
		}
	}
	return out
}

// tasksToSchedule maps a workflow task to the tasks to schedule for it,
// leaving out reference names the workflow already runs or ran
// (DeciderService.getTasksToBeScheduled).
func (e *Engine) tasksToSchedule(ctx context.Context, x *execution, wt *model.WorkflowTask, retryCount int, retriedTaskID string) ([]*model.WorkerTask, error) {
	have := map[string]bool{}
	for _, t := range x.tasks {
		if t.Status == model.TaskInProgress || t.Status.IsTerminal() {
			have[t.ReferenceTaskName] = true
		}
	}
	mc := &mapContext{x: x, wt: wt, retryCount: retryCount, retriedTaskID: retriedTaskID, taskID: e.ids()}
	mapped, err := e.kinds.get(wt.TaskType()).mapTasks(e, mc)
	if err != nil {
		return nil, err
	}
	out := mapped[:0]
	for _, t := range mapped {
		if !have[t.ReferenceTaskName] {
			out = append(out, t)
		}
	}
	return out, nil
}

// workflowDone reports whether every task has ended and nothing is left
// to schedule (DeciderService.checkForWorkflowCompletion).
func (e *Engine) workflowDone(x *execution) bool {
	status := map[string]model.TaskStatus{}
	var notExecuted []*model.WorkerTask
	for _, t := range x.tasks {
		status[t.ReferenceTaskName] = t.Status
		if !t.Status.IsTerminal() {
			return false
		}
		if t.TaskType == model.TaskTypeTerminate && t.Status.IsSuccessful() {
			return true
		}
		if !t.Retried || !t.Executed {
			notExecuted = append(notExecuted, t)
		}
	}
	if len(status) == 0 {
		return false
	}
	d := x.def()
	for i := range d.Tasks {
		s, ok := status[d.Tasks[i].TaskReferenceName]
		if !ok || !s.IsTerminal() {
			return false
		}
	}
	for _, t := range notExecuted {
		wt := nextTask(d, t.ReferenceTaskName)
		for wt != nil && e.skipped(x, wt) {
			wt = nextTask(d, wt.TaskReferenceName)
		}
		if wt != nil {
			if _, ok := status[wt.TaskReferenceName]; !ok {
				return false
			}
		}
	}
	return true
}

// asTerminate reports whether err ends the workflow.
func asTerminate(err error) (*terminateErr, bool) {
	var te *terminateErr
	ok := errors.As(err, &te)
	return te, ok
}
