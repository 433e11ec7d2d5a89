package engine

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/batonhq/baton/model"
)

// joinKind matches Conductor's JOIN (JoinTaskMapper, tasks/Join). It waits
// until every task it joins on has ended and then completes with their
// outputs keyed by reference name. A failed joined task that is neither
// optional nor permissive fails it at once; a failed permissive one fails
// it once all have ended; optional ones that failed make it
// COMPLETED_WITH_ERRORS.
//
// Conductor runs JOIN on its asynchronous system-task workers, polling with
// a backoff, and saves the outputs gathered so far at each poll; Baton
// evaluates it inside the decide loop, so it ends in the same request as
// the last task it waits for, and saves the outputs gathered so far at
// each decide that changes them.
type joinKind struct{ flowKind }

func (joinKind) queuedByConductor() bool { return true }

func (joinKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	t := mc.newTask(e)
	t.TaskType = model.TaskTypeJoin
	t.TaskDefName = model.TaskTypeJoin
	t.StartTime = e.clock.Now().UnixMilli()
	t.InputData = map[string]any{"joinOn": nonNilStrings(mc.wt.JoinOn)}
	t.Status = model.TaskInProgress
	return []*model.WorkerTask{t}, nil
}

func (joinKind) execute(_ context.Context, _ *Engine, x *execution, t *model.WorkerTask) (bool, error) {
	joinOn := joinRefs(t)
	allTerminal := true
	for _, ref := range joinOn {
		if f := x.taskByRef(ref); f == nil || !f.Status.IsTerminal() {
			allTerminal = false
			break
		}
	}
	var optionalFailures strings.Builder
	gathered := false
	for _, ref := range joinOn {
		f := x.taskByRef(ref)
		if f == nil {
			continue // not scheduled yet
		}
		if len(f.OutputData) > 0 && !reflect.DeepEqual(t.OutputData[ref], f.OutputData) {
			if t.OutputData == nil {
				t.OutputData = map[string]any{}
			}
			t.OutputData[ref] = deepCopy(f.OutputData) // Join.execute's addOutput: kept while it waits
			gathered = true
		}
		optional, permissive := false, false
		if f.WorkflowTask != nil {
			optional, permissive = f.WorkflowTask.Optional, f.WorkflowTask.Permissive
		}
		if !f.Status.IsSuccessful() && !optional && (!permissive || allTerminal) {
			t.ReasonForIncompletion = failureReasons(x, joinOn)
			t.Status = model.TaskFailed
			return true, nil
		}
		if optional && f.Status == model.TaskCompletedWithErrors {
			fmt.Fprintf(&optionalFailures, "%s/%s ", f.TaskDefName, f.TaskId)
		}
	}
	if !allTerminal {
		return gathered, nil
	}
	if optionalFailures.Len() > 0 {
		t.Status = model.TaskCompletedWithErrors
		t.ReasonForIncompletion = optionalFailures.String() + "completed with errors"
	} else {
		t.Status = model.TaskCompleted
	}
	return true, nil
}

// joinRefs returns the reference names a join waits on; inside a loop,
// those of its own iteration.
func joinRefs(t *model.WorkerTask) []string {
	refs := stringList(t.InputData["joinOn"])
	if t.Iteration > 0 {
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = iterationRef(r, t.Iteration)
		}
		return out
	}
	return refs
}

// failureReasons joins the reasons of the unsuccessful tasks among refs.
func failureReasons(x *execution, refs []string) string {
	var reasons []string
	for _, ref := range refs {
		if f := x.taskByRef(ref); f != nil && !f.Status.IsSuccessful() {
			reasons = append(reasons, nullStr(f.ReasonForIncompletion))
		}
	}
	return strings.Join(reasons, " ")
}
