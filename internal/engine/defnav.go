package engine

import (
	"sort"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
)

// Navigation of a workflow definition, ported from WorkflowDef and
// WorkflowTask (children, collectTasks, next, has, getNextTask): which task
// follows a given one, across the nesting of decisions, forks and loops.

// children returns the task lists nested in wt.
func children(wt *model.WorkflowTask) [][]model.WorkflowTask {
	switch wt.TaskType() {
	case model.TaskTypeDecision, model.TaskTypeSwitch:
		out := make([][]model.WorkflowTask, 0, len(wt.DecisionCases)+1)
		for _, k := range sortedCaseKeys(wt.DecisionCases) {
			out = append(out, wt.DecisionCases[k])
		}
		return append(out, wt.DefaultCase)
	case model.TaskTypeForkJoin:
		return wt.ForkTasks
	case model.TaskTypeDoWhile:
		return [][]model.WorkflowTask{wt.LoopOver}
	}
	return nil
}

// sortedCaseKeys orders decision cases. Conductor keeps JSON order
// (LinkedHashMap); a Go map has none, so the order is by key.
func sortedCaseKeys(m map[string][]model.WorkflowTask) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// collectTasks returns every task of a list, nested ones included, in
// definition order.
func collectTasks(tasks []model.WorkflowTask) []*model.WorkflowTask {
	var out []*model.WorkflowTask
	for i := range tasks {
		out = appendCollected(out, &tasks[i])
	}
	return out
}

func appendCollected(out []*model.WorkflowTask, wt *model.WorkflowTask) []*model.WorkflowTask {
	out = append(out, wt)
	for _, list := range children(wt) {
		for i := range list {
			out = appendCollected(out, &list[i])
		}
	}
	return out
}

// taskByRef finds a task of a definition by reference name, at any depth.
func taskByRef(tasks []model.WorkflowTask, ref string) *model.WorkflowTask {
	for _, wt := range collectTasks(tasks) {
		if wt.TaskReferenceName == ref {
			return wt
		}
	}
	return nil
}

// has reports whether ref is wt or nested in it.
func has(wt *model.WorkflowTask, ref string) bool {
	if wt.TaskReferenceName == ref {
		return true
	}
	for _, list := range children(wt) {
		for i := range list {
			if has(&list[i], ref) {
				return true
			}
		}
	}
	return false
}

// next is WorkflowTask.next: the task after ref inside wt, or nil.
func next(wt *model.WorkflowTask, ref string, parent *model.WorkflowTask) *model.WorkflowTask {
	switch typ := wt.TaskType(); typ {
	case model.TaskTypeDoWhile, model.TaskTypeDecision, model.TaskTypeSwitch:
		for _, list := range children(wt) {
			if n, found := nextInList(wt, list, ref); n != nil {
				return n
			} else if found {
				break
			}
		}
		if typ == model.TaskTypeDoWhile && has(wt, ref) {
			// The last task of a loop: the loop itself decides what follows.
			return wt
		}
	case model.TaskTypeForkJoin:
		for _, list := range children(wt) {
			i, found := 0, false
			for ; i < len(list); i++ {
				t := &list[i]
				if t.TaskReferenceName == ref {
					found = true
					break
				}
				if n := next(t, ref, wt); n != nil {
					return n
				}
				if has(t, ref) {
					break
				}
			}
			if i+1 < len(list) {
				return &list[i+1]
			}
			if found && parent != nil {
				return next(parent, wt.TaskReferenceName, parent)
			}
		}
	}
	return nil
}

// nextInList walks one nested list of a decision or loop. It returns the
// follower of ref if ref is in the list (found reports that the walk
// stopped inside this list).
func nextInList(parent *model.WorkflowTask, list []model.WorkflowTask, ref string) (*model.WorkflowTask, bool) {
	i := 0
	for ; i < len(list); i++ {
		t := &list[i]
		if t.TaskReferenceName == ref {
			break
		}
		if n := next(t, ref, parent); n != nil {
			return n, true
		}
		if has(t, ref) {
			break
		}
	}
	if i+1 < len(list) {
		return &list[i+1], true
	}
	return nil, false
}

// nextTask is WorkflowDef.getNextTask: the task scheduled after ref.
func nextTask(d *model.WorkflowDef, ref string) *model.WorkflowTask {
	if wt := taskByRef(d.Tasks, ref); wt != nil && wt.TaskType() == model.TaskTypeTerminate {
		return nil
	}
	for i := range d.Tasks {
		t := &d.Tasks[i]
		if t.TaskReferenceName == ref {
			if i+1 < len(d.Tasks) {
				return &d.Tasks[i+1]
			}
			return nil
		}
		if n := next(t, ref, nil); n != nil {
			return n
		} else if t.TaskType() == model.TaskTypeDoWhile && t.TaskReferenceName != ref && has(t, ref) {
			return nil
		}
		if has(t, ref) {
			if i+1 < len(d.Tasks) {
				return &d.Tasks[i+1]
			}
			return nil
		}
	}
	return nil
}

// baseRef strips a loop iteration suffix: "ref__3" is "ref"
// (TaskUtils.removeIterationFromTaskRefName).
func baseRef(ref string) string {
	if i := strings.Index(ref, "__"); i >= 0 {
		return ref[:i]
	}
	return ref
}

// iterationRef appends a loop iteration to a reference name: "ref" in
// iteration 3 is "ref__3" (TaskUtils.appendIteration).
func iterationRef(ref string, iteration int) string {
	return ref + "__" + strconv.Itoa(iteration)
}
