package scenario

import (
	"maps"
	"net/http"
	"slices"
	"time"
)

// Helpers for the system-task scenarios (spec_wait.go, spec_subworkflow.go, ...): tasks the
// server runs itself, completed through the task update API where the spec calls
// workflowExecutor.updateTask, and sub-workflows followed down their tree.

func sysTaskScenarios() []Scenario {
	var all []Scenario
	for _, g := range [][]Scenario{
		waitSpecScenarios(), terminateSpecScenarios(), setVariableSpecScenarios(), jqSpecScenarios(),
		subWorkflowSpecScenarios(), subWorkflowTreeScenarios(), startWorkflowSpecScenarios(),
		inlineScenarios(), humanNoopScenarios(), httpTaskScenarios(), kitchensinkScenarios(),
	} {
		all = append(all, g...)
	}
	return all
}

// Sys returns a workflow task of a system type; its name is the reference (system tasks need
// no registered definition).
func Sys(typ, ref string, fields M) M {
	t := M{"name": ref, "taskReferenceName": ref, "type": typ}
	maps.Copy(t, fields)
	return t
}

// Alias makes the normaliser write token wherever literal appears (a loopback address that
// changes from run to run).
func (s *S) Alias(literal, token string) {
	if s.replace == nil {
		s.replace = map[string]string{}
	}
	s.replace[literal] = token
}

// Row returns the workflow's task row with the reference name (the last one: retries come
// later), or nil.
func Row(wf M, ref string) M {
	var row M
	for _, t := range Tasks(wf) {
		if str(t, "referenceTaskName") == ref {
			row = t
		}
	}
	return row
}

// CompleteRow sets a task row's status through POST /tasks, as the specs' updateTask(new
// TaskResult(task)) does for WAIT and HUMAN tasks.
func (s *S) CompleteRow(row M, status string, output M) *Resp {
	if row == nil {
		s.abort("no task row to update")
	}
	return s.must(s.Update(TaskResult(row, status, output)), http.StatusOK)
}

// AwaitRow waits until the workflow has a row with the reference in the status and returns
// the workflow.
func (s *S) AwaitRow(id, ref, status string) M {
	return s.AwaitWorkflow(id, ref+" "+status, func(wf M) bool { return str(Row(wf, ref), "status") == status })
}

// SubWorkflowOf waits until the workflow's row with the reference has a sub-workflow id,
// learns it (so its final state is recorded) and returns it.
func (s *S) SubWorkflowOf(id, ref string) string {
	wf := s.AwaitWorkflow(id, ref+" has a sub-workflow", func(wf M) bool { return str(Row(wf, ref), "subWorkflowId") != "" })
	sub := str(Row(wf, ref), "subWorkflowId")
	s.learnWorkflow(sub)
	return sub
}

// LearnTree learns every sub-workflow reachable from a workflow, depth first in task order,
// so their final states are recorded.
func (s *S) LearnTree(id string) {
	resp, err := s.send(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}})
	if err != nil || resp.Status != http.StatusOK {
		return
	}
	for _, t := range Tasks(resp.Obj()) {
		if sub := str(t, "subWorkflowId"); sub != "" && !slices.Contains(s.workflows, sub) {
			s.learnWorkflow(sub)
			s.LearnTree(sub)
		}
	}
}

// Drive plays the workers of the given task types until the workflow ends: it polls each type
// (unrecorded while nothing comes back), records each poll that returns a task and completes it
// with {"op": "<type>.done"}. Meanwhile it follows the workflow's sub-workflows and asks the
// server to decide each every half second (unrecorded; see AwaitDeciding). It records the
// terminal state and returns it. The flows it drives have one pollable task at a time, so the
// recorded order is the workflow's.
func (s *S) Drive(id string, taskTypes ...string) M {
	return s.DriveWith(id, nil, taskTypes...)
}

// DriveWith is Drive with the output each task type completes with (the default for a type
// not in outputs).
func (s *S) DriveWith(id string, outputs map[string]M, taskTypes ...string) M {
	deadline := time.Now().Add(s.tgt.AwaitTimeout)
	lastDecide := time.Now()
	for time.Now().Before(deadline) {
		resp, err := s.send(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}})
		if err == nil && resp.Status == http.StatusOK && statusIs(resp.Obj(), "COMPLETED", "FAILED", "TERMINATED", "TIMED_OUT") {
			break
		}
		for _, typ := range taskTypes {
			r := pollReq(s.N(typ), Worker, "")
			got, err := s.send(r)
			if err != nil || got.Status != http.StatusOK || got.Obj() == nil {
				continue
			}
			s.record(r, got, "a task to poll", nil)
			out, ok := outputs[typ]
			if !ok {
				out = M{"op": typ + ".done"}
			}
			s.must(s.Complete(got.Obj(), out), http.StatusOK)
		}
		if time.Since(lastDecide) > 500*time.Millisecond {
			s.LearnTree(id)
			for _, w := range s.workflows {
				_, _ = s.send(Req{Method: http.MethodPut, Path: "/workflow/decide/{workflowId}", Args: []string{w}})
			}
			lastDecide = time.Now()
		}
		time.Sleep(awaitInterval)
	}
	return s.AwaitWorkflow(id, "workflow ended", func(wf M) bool {
		return statusIs(wf, "COMPLETED", "FAILED", "TERMINATED", "TIMED_OUT")
	})
}

// AwaitDeciding waits until the workflow has the status, asking the server to decide it
// (unrecorded, every half second) meanwhile: Conductor notices an elapsed WAIT or a finished
// sub-workflow only when it next decides the parent, and its sweeper comes late on SQLite (see
// SweepAfter); the specs call sweep() at these points. Baton's timers make the decides no-ops.
func (s *S) AwaitDeciding(id, status string) M {
	decide := Req{Method: http.MethodPut, Path: "/workflow/decide/{workflowId}", Args: []string{id}}
	deadline := time.Now().Add(s.tgt.AwaitTimeout)
	for time.Now().Before(deadline) {
		resp, err := s.send(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}})
		if err == nil && resp.Status == http.StatusOK && str(resp.Obj(), "status") == status {
			break
		}
		_, _ = s.send(decide)
		time.Sleep(500 * time.Millisecond)
	}
	return s.AwaitStatus(id, status)
}
