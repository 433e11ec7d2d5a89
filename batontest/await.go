package batontest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/batonhq/baton/model"
)

// Want is what a workflow should have done. Zero fields are not checked.
type Want struct {
	// Status is the workflow's status.
	Status model.WorkflowStatus
	// Tasks, when not nil, is the workflow's whole task list in order
	// (retries are tasks of their own, with the same reference name); an
	// empty, non-nil list means no tasks.
	Tasks []WantTask
	// Output lists keys the workflow's output must have, with their values
	// (compared as JSON: 1 and 1.0 are equal). Other keys are not checked.
	Output map[string]any
	// Reason is text the workflow's reasonForIncompletion must contain.
	Reason string
}

// WantTask is what one task should look like. Zero fields other than Ref
// are not checked.
type WantTask struct {
	// Ref is the task's reference name. Required.
	Ref string
	// Status is the task's status.
	Status model.TaskStatus
	// Output lists keys the task's output must have, as Want.Output.
	Output map[string]any
	// Reason is text the task's reasonForIncompletion must contain.
	Reason string
}

// Task is a WantTask of a reference name and status, for short lists.
func Task(ref string, status model.TaskStatus) WantTask { return WantTask{Ref: ref, Status: status} }

// MismatchError is Await's answer when the workflow did not get to what
// was wanted: what differs, and the workflow as last seen.
type MismatchError struct {
	// Workflow is the workflow as last read, with its tasks.
	Workflow *model.Workflow
	// Problems lists each difference from the Want, in words.
	Problems []string
	// Why says why Await stopped waiting: the workflow ended, or the wait
	// ran out.
	Why string
}

func (e *MismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "batontest: workflow %s %s; want vs. got:\n", e.Workflow.WorkflowId, e.Why)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	b.WriteString("what the workflow did:\n")
	b.WriteString(TaskTable(e.Workflow))
	return strings.TrimRight(b.String(), "\n")
}

// Await waits until workflow id matches want and returns it (with its
// tasks). It wakes at each change the server commits, without polling or
// sleeping, and stops early with a *MismatchError when the workflow has ended
// without matching. When ctx has no deadline it waits at most the server's
// await timeout (WithAwaitTimeout, 10s by default) of wall time: on a fake
// clock, a workflow held up by a delay waits for Clock().Advance, and the
// error says timers are pending.
//
// Call it to let the workers catch up before advancing the clock, e.g. to
// see a task fail before moving past its retry delay.
func (s *Server) Await(ctx context.Context, id string, want Want) (*model.Workflow, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.awaitTimeout)
		defer cancel()
	}
	changed, stop := s.srv.WatchWorkflow(id) // before the first read, so no change is missed
	defer stop()
	for {
		wf, err := s.client.Workflows().Get(ctx, id, true)
		if err != nil {
			return nil, fmt.Errorf("batontest: await workflow %s: %w", id, err)
		}
		problems := want.diff(wf)
		if len(problems) == 0 {
			return wf, nil
		}
		if wf.Status.IsTerminal() {
			return wf, &MismatchError{Workflow: wf, Problems: problems, Why: "ended " + string(wf.Status)}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			why := "did not get there in time (" + context.Cause(ctx).Error() + ")"
			if s.clock != nil {
				if n, next := s.clock.Pending(); n > 0 {
					why += fmt.Sprintf("; %d timers wait on the fake clock, the next in %v: Clock().Advance?", n, next)
				}
			}
			return wf, &MismatchError{Workflow: wf, Problems: problems, Why: why}
		}
	}
}

// Check compares wf with want and returns a *MismatchError listing every
// difference, or nil when they match. Use it on a workflow you already have.
func Check(wf *model.Workflow, want Want) error {
	if p := want.diff(wf); len(p) > 0 {
		return &MismatchError{Workflow: wf, Problems: p, Why: "does not match"}
	}
	return nil
}

func (w Want) diff(wf *model.Workflow) []string {
	var out []string
	if w.Status != "" && wf.Status != w.Status {
		out = append(out, fmt.Sprintf("status: want %s, got %s", w.Status, wf.Status))
	}
	if w.Reason != "" && !strings.Contains(wf.ReasonForIncompletion, w.Reason) {
		out = append(out, fmt.Sprintf("reason: want one containing %q, got %q", w.Reason, wf.ReasonForIncompletion))
	}
	out = append(out, diffOutput("output", w.Output, wf.Output)...)
	if w.Tasks == nil {
		return out
	}
	for i, want := range w.Tasks {
		if i >= len(wf.Tasks) {
			out = append(out, fmt.Sprintf("task %d: want %s, got no task", i+1, want.describe()))
			continue
		}
		got := &wf.Tasks[i]
		where := fmt.Sprintf("task %d (%s)", i+1, got.ReferenceTaskName)
		switch {
		case got.ReferenceTaskName != want.Ref:
			out = append(out, fmt.Sprintf("task %d: want %s, got %s %s", i+1, want.describe(), got.ReferenceTaskName, got.Status))
			continue
		case want.Status != "" && got.Status != want.Status:
			out = append(out, fmt.Sprintf("%s: want status %s, got %s", where, want.Status, got.Status))
		}
		if want.Reason != "" && !strings.Contains(got.ReasonForIncompletion, want.Reason) {
			out = append(out, fmt.Sprintf("%s: want a reason containing %q, got %q", where, want.Reason, got.ReasonForIncompletion))
		}
		out = append(out, diffOutput(where+" output", want.Output, got.OutputData)...)
	}
	for i := len(w.Tasks); i < len(wf.Tasks); i++ {
		out = append(out, fmt.Sprintf("task %d: want none, got %s %s", i+1, wf.Tasks[i].ReferenceTaskName, wf.Tasks[i].Status))
	}
	return out
}

func (t WantTask) describe() string {
	if t.Status == "" {
		return t.Ref
	}
	return t.Ref + " " + string(t.Status)
}

// diffOutput reports each key of want that got lacks or holds another
// value, comparing both as JSON.
func diffOutput(what string, want, got map[string]any) []string {
	var out []string
	for _, k := range sortedKeys(want) {
		g, ok := got[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s %q: want %s, got no such key", what, k, compactJSON(want[k])))
			continue
		}
		if !jsonEqual(want[k], g) {
			out = append(out, fmt.Sprintf("%s %q: want %s, got %s", what, k, compactJSON(want[k]), compactJSON(g)))
		}
	}
	return out
}

func jsonEqual(a, b any) bool {
	na, errA := normalize(a)
	nb, errB := normalize(b)
	if err := errors.Join(errA, errB); err != nil {
		return reflect.DeepEqual(a, b)
	}
	return reflect.DeepEqual(na, nb)
}

func normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}
