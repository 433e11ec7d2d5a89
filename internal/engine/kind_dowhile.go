package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
)

// doWhileKind matches Conductor's DO_WHILE (DoWhileTaskMapper,
// tasks/DoWhile). The loop task stays IN_PROGRESS while its iterations
// run: each iteration schedules the loopOver tasks with reference names
// suffixed "__<iteration>"; when every one of them has ended, the loop
// records their outputs under output["<iteration>"] and evaluates
// loopCondition (JavaScript, $ bound to the loop's input, its own output
// and the latest output of each loop task) to start the next iteration or
// complete. With items, it iterates over a list instead, exposing
// loopIndex and loopItem. keepLastN (an input parameter) bounds the
// iterations kept in its output and in the workflow's task list.
type doWhileKind struct{ flowKind }

func (doWhileKind) loops() bool { return true }

func (doWhileKind) validate(wt *model.WorkflowTask) []string {
	var msgs []string
	if wt.LoopCondition == "" && !isListIteration(wt) {
		msgs = append(msgs, paramRequired("loopCondition", model.TaskTypeDoWhile, wt.Name))
	}
	if len(wt.LoopOver) == 0 {
		msgs = append(msgs, paramRequired("loopOver", model.TaskTypeDoWhile, wt.Name))
	}
	return msgs
}

func (doWhileKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	wt := mc.wt
	if t := mc.x.taskByRef(wt.TaskReferenceName); t != nil && t.Status.IsTerminal() {
		return nil, nil // the loop already ran
	}
	def := wt.TaskDefinition
	if def == nil {
		d, err := e.meta.taskDef(context.Background(), wt.Name)
		if err != nil {
			return nil, err
		}
		def = d
	}
	t := mc.newTask(e)
	t.TaskType = model.TaskTypeDoWhile
	t.Status = model.TaskInProgress
	t.StartTime = e.clock.Now().UnixMilli()
	if def != nil {
		t.RateLimitPerFrequency = def.RateLimitPerFrequency
		t.RateLimitFrequencyInSeconds = def.RateLimitFrequencyInSeconds
	}
	input, err := e.taskInput(mc.x, wt.InputParameters, def, t.TaskId)
	if err != nil {
		return nil, err
	}
	t.InputData = input
	return []*model.WorkerTask{t}, nil
}

func (doWhileKind) cancel(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) error {
	t.Status = model.TaskCanceled
	return nil
}

func (k doWhileKind) execute(ctx context.Context, e *Engine, x *execution, loop *model.WorkerTask) (bool, error) {
	wt := loop.WorkflowTask
	if loop.OutputData == nil {
		loop.OutputData = map[string]any{}
	}
	relevant, order := iterationTasks(x, loop)
	if len(order) == 0 {
		if isListIteration(wt) {
			items, err := e.loopItems(x, loop)
			if err != nil {
				return k.fail(loop, model.TaskFailedWithTerminalError, err.Error())
			}
			if len(items) == 0 {
				loop.OutputData["iteration"] = 0
				loop.Status = model.TaskCompleted
				return true, nil
			}
		}
		return k.nextIteration(ctx, e, x, loop)
	}

	failed := false
	var reasons strings.Builder
	output := map[string]any{}
	for _, ref := range order {
		t := relevant[ref]
		failed = !t.Status.IsSuccessful()
		if failed {
			reasons.WriteString(nullStr(t.ReasonForIncompletion) + " ")
		}
		output[baseRef(t.ReferenceTaskName)] = t.OutputData
		if failed {
			break
		}
	}
	n, keep := keepLastN(wt)
	if limit := e.cfg.MaxLoopIterationsKept; !keep || n > limit {
		n, keep = limit, true // the server keeps no more than its limit
	}
	if keep && loop.Iteration > n {
		removeIterations(x, loop, loop.Iteration-n)
	}
	// The iteration's outputs are recorded when the loop task is saved;
	// Conductor also adds them to its in-memory copy at every evaluation.
	record := func() {
		loop.OutputData[strconv.Itoa(loop.Iteration)] = output
		if keep {
			for i := 1; i <= loop.Iteration-n; i++ {
				delete(loop.OutputData, strconv.Itoa(i))
			}
		}
	}
	if failed {
		record()
		return k.fail(loop, model.TaskFailed, reasons.String())
	}
	if !iterationComplete(loop, relevant) {
		return false, nil
	}
	record()
	more, err := e.loopContinues(ctx, x, loop)
	if err != nil {
		return k.fail(loop, model.TaskFailedWithTerminalError,
			fmt.Sprintf("Unable to evaluate condition %s, exception %s", wt.LoopCondition, err.Error()))
	}
	if !more {
		loop.Status = model.TaskCompleted
		return true, nil
	}
	return k.nextIteration(ctx, e, x, loop)
}

func (doWhileKind) fail(loop *model.WorkerTask, status model.TaskStatus, reason string) (bool, error) {
	loop.ReasonForIncompletion = reason
	loop.Status = status
	return true, nil
}

// nextIteration starts the loop's next iteration: the first loopOver task
// is scheduled under the iteration's reference name; the decider schedules
// the rest as each one ends (WorkflowExecutorOps.scheduleNextIteration).
func (doWhileKind) nextIteration(ctx context.Context, e *Engine, x *execution, loop *model.WorkerTask) (bool, error) {
	loop.Iteration++
	loop.OutputData["iteration"] = loop.Iteration
	if isListIteration(loop.WorkflowTask) {
		items, err := e.loopItems(x, loop)
		if err != nil {
			loop.ReasonForIncompletion = err.Error()
			loop.Status = model.TaskFailedWithTerminalError
			return true, nil //nolint:nilerr // the error fails the task (a value), not the decide
		}
		idx := loop.Iteration - 1
		loop.OutputData["loopIndex"] = idx
		if idx < len(items) {
			loop.OutputData["loopItem"] = items[idx]
		}
	}
	tasks, err := e.tasksToSchedule(ctx, x, &loop.WorkflowTask.LoopOver[0], loop.RetryCount, "")
	if err != nil {
		return false, err
	}
	e.setTaskDomains(tasks, x)
	for _, t := range tasks {
		t.ReferenceTaskName = iterationRef(t.ReferenceTaskName, loop.Iteration)
		t.Iteration = loop.Iteration
	}
	added := dedupAndAdd(x, tasks)
	if x.changes == nil {
		return false, fmt.Errorf("engine: loop %s executed outside decide", loop.TaskId)
	}
	if _, err := e.schedule(ctx, x, x.changes, added); err != nil {
		return false, err
	}
	return true, nil
}

// iterationTasks returns the latest attempt of each task of the loop's
// current iteration, and their reference names in the order first seen.
func iterationTasks(x *execution, loop *model.WorkerTask) (map[string]*model.WorkerTask, []string) {
	relevant := map[string]*model.WorkerTask{}
	var order []string
	for _, t := range x.tasks {
		if t.ReferenceTaskName == loop.ReferenceTaskName || t.Iteration != loop.Iteration || !has(loop.WorkflowTask, baseRef(t.ReferenceTaskName)) {
			continue
		}
		prev, ok := relevant[t.ReferenceTaskName]
		if !ok {
			order = append(order, t.ReferenceTaskName)
		}
		if !ok || t.RetryCount > prev.RetryCount {
			relevant[t.ReferenceTaskName] = t
		}
	}
	return relevant, order
}

// iterationComplete reports whether every task of the iteration has ended
// and none is still to be scheduled after one that ended
// (DoWhile.isIterationComplete).
func iterationComplete(loop *model.WorkerTask, relevant map[string]*model.WorkerTask) bool {
	wt := loop.WorkflowTask
	for i := range wt.LoopOver {
		t, ok := relevant[iterationRef(wt.LoopOver[i].TaskReferenceName, loop.Iteration)]
		if !ok || !t.Status.IsTerminal() {
			return false
		}
	}
	for _, t := range relevant {
		if !t.Status.IsTerminal() {
			return false
		}
	}
	for _, t := range relevant {
		n := next(wt, baseRef(t.ReferenceTaskName), nil)
		if n != nil && n.TaskReferenceName != wt.TaskReferenceName && has(wt, n.TaskReferenceName) {
			if _, ok := relevant[iterationRef(n.TaskReferenceName, loop.Iteration)]; !ok {
				return false
			}
		}
	}
	return true
}

// loopContinues evaluates whether another iteration runs
// (DoWhile.evaluateCondition).
func (e *Engine) loopContinues(ctx context.Context, x *execution, loop *model.WorkerTask) (bool, error) {
	wt := loop.WorkflowTask
	in, err := e.taskInput(x, wt.InputParameters, wt.TaskDefinition, loop.TaskId)
	if err != nil {
		return false, err
	}
	in[loop.ReferenceTaskName] = loop.OutputData
	for _, t := range x.tasks {
		if t.ReferenceTaskName != loop.ReferenceTaskName && has(wt, baseRef(t.ReferenceTaskName)) {
			in[baseRef(t.ReferenceTaskName)] = t.OutputData
		}
	}
	if isListIteration(wt) {
		items, err := e.loopItems(x, loop)
		if err != nil {
			return false, err
		}
		idx := loop.Iteration - 1
		in["loopIndex"] = idx
		if idx >= 0 && idx < len(items) {
			in["loopItem"] = items[idx]
		}
		more := idx < len(items)-1
		if strings.TrimSpace(wt.LoopCondition) == "" {
			return more, nil
		}
		v, err := e.evalScript(ctx, wt.LoopCondition, in)
		if err != nil {
			return false, err
		}
		return truthy(v) && more, nil
	}
	if wt.LoopCondition == "" {
		return false, nil
	}
	v, err := e.evalScript(ctx, wt.LoopCondition, in)
	if err != nil {
		return false, err
	}
	return truthy(v), nil
}

// isListIteration reports whether a loop iterates over items (the items
// field, or Orkes' _items input parameter).
func isListIteration(wt *model.WorkflowTask) bool {
	if strings.TrimSpace(wt.Items) != "" {
		return true
	}
	switch v := wt.InputParameters["_items"].(type) {
	case string:
		return strings.TrimSpace(v) != ""
	case []any:
		return true
	}
	return false
}

// loopItems evaluates the list a loop iterates over (evaluateItemsList);
// a single value is a list of one.
func (e *Engine) loopItems(x *execution, loop *model.WorkerTask) ([]any, error) {
	wt := loop.WorkflowTask
	var v any
	if strings.TrimSpace(wt.Items) != "" {
		in, err := e.taskInput(x, map[string]any{"items": wt.Items}, wt.TaskDefinition, loop.TaskId)
		if err != nil {
			return nil, err
		}
		v = in["items"]
	}
	if v == nil {
		in, err := e.taskInput(x, wt.InputParameters, wt.TaskDefinition, loop.TaskId)
		if err != nil {
			return nil, err
		}
		v = in["_items"]
	}
	switch l := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return l, nil
	}
	return []any{v}, nil
}

// keepLastN reads the loop's keepLastN input parameter, a whole number of
// at least one. (Conductor casts whatever is there to Integer; a value of
// 0 there removes the running iteration's tasks and restarts the loop.)
func keepLastN(wt *model.WorkflowTask) (int, bool) {
	var n int
	switch v := wt.InputParameters["keepLastN"].(type) {
	case float64:
		n = int(v)
	case int:
		n = v
	case json.Number:
		i, err := v.Int64()
		if err != nil {
			return 0, false
		}
		n = int(i)
	default:
		return 0, false
	}
	return n, n >= 1
}

// removeIterations deletes the tasks of iterations 1..upTo of a loop from
// the workflow (DoWhile.removeIterations).
func removeIterations(x *execution, loop *model.WorkerTask, upTo int) {
	kept := x.tasks[:0]
	for _, t := range x.tasks {
		if t != loop && t.Iteration <= upTo && t.Iteration > 0 && has(loop.WorkflowTask, baseRef(t.ReferenceTaskName)) &&
			t.ReferenceTaskName != loop.ReferenceTaskName {
			if x.changes != nil {
				x.changes.drop(t)
			}
			continue
		}
		kept = append(kept, t)
	}
	for i := len(kept); i < len(x.tasks); i++ {
		x.tasks[i] = nil
	}
	x.tasks = kept
}
