package scenario

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The definitions Conductor's test harness registers (test-harness/src/test/groovy/.../util/
// WorkflowTestUtil.groovy and test-harness/src/test/resources/*_integration_test.json), under the
// scenario's prefix. TaskDef(name, description, ownerEmail, retryCount, timeoutSeconds,
// responseTimeoutSeconds) in the harness becomes harnessTask.

const harnessEmail = "test@harness.com"

// harnessTask is `new TaskDef(name, name, "test@harness.com", retryCount, timeout, responseTimeout)`.
func (s *S) harnessTask(name string, retryCount, timeout, responseTimeout int, extra M) M {
	d := s.TaskDef(name, M{"description": name, "ownerEmail": harnessEmail, "retryCount": retryCount,
		"timeoutSeconds": timeout, "responseTimeoutSeconds": responseTimeout})
	for k, v := range extra {
		d[k] = v
	}
	return d
}

// registerIntegrationTasks registers integration_task_1..3 as the harness does (retryCount 1,
// timeout 120 s, response timeout 120 s); overrides replace fields of one of them.
func (s *S) registerIntegrationTasks(overrides map[string]M) {
	var defs []M
	for _, n := range []string{"integration_task_1", "integration_task_2", "integration_task_3"} {
		defs = append(defs, s.harnessTask(n, 1, 120, 120, overrides[n]))
	}
	s.RegisterTaskDefs(defs...)
}

// linearWF is simple_workflow_1_integration_test.json (integration_test_wf): t1 → t2.
func (s *S) linearWF(name string, fields M) M {
	def := s.WorkflowDef(name, M{
		"description":     name,
		"inputParameters": []any{"param1", "param2"},
		"outputParameters": M{
			"o1": "${workflow.input.param1}", "o2": "${t2.output.uuid}", "o3": "${t1.output.op}",
		},
		"failureWorkflow": "$workflow.input.failureWfName",
		"restartable":     true, "workflowStatusListenerEnabled": false,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "ownerEmail": harnessEmail,
	},
		s.Simple("integration_task_1", "t1", M{"inputParameters": M{
			"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}", "p3": "${CPEWF_TASK_ID}", "someNullKey": nil,
		}}),
		s.Simple("integration_task_2", "t2", M{"inputParameters": M{
			"tp1": "${workflow.input.param1}", "tp2": "${t1.output.op}", "tp3": "${CPEWF_TASK_ID}",
		}}),
	)
	for k, v := range fields {
		def[k] = v
	}
	return def
}

// wf3 is simple_workflow_3_integration_test.json (integration_test_wf3): t1 → t2 → t3.
func (s *S) wf3(fields M) M {
	def := s.WorkflowDef("integration_test_wf3", M{
		"inputParameters": []any{"param1", "param2"}, "outputParameters": M{},
		"restartable": true, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "ownerEmail": harnessEmail,
	},
		s.Simple("integration_task_1", "t1", M{"inputParameters": M{
			"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}", "someNullKey": nil}}),
		s.Simple("integration_task_2", "t2", M{"inputParameters": M{
			"tp1": "${workflow.input.param1}", "tp2": "${t1.output.op}"}}),
		s.Simple("integration_task_3", "t3", M{"inputParameters": M{
			"tp1": "${workflow.input.param1}", "tp2": "${t1.output.op}"}}),
	)
	for k, v := range fields {
		def[k] = v
	}
	return def
}

// specInput is the input most harness features start with.
func specInput() M { return M{"param1": "p1 value", "param2": "p2 value"} }

// shape summarises a workflow for checks: "RUNNING: integration_task_1=COMPLETED integration_task_2=SCHEDULED",
// with the prefix removed from task types.
func (s *S) shape(wf M) string {
	parts := []string{str(wf, "status") + ":"}
	for _, t := range Tasks(wf) {
		parts = append(parts, fmt.Sprintf("%s=%s", strings.TrimPrefix(str(t, "taskType"), s.prefix), str(t, "status")))
	}
	return strings.Join(parts, " ")
}

// CheckShape records whether the workflow has the expected shape (see shape).
func (s *S) CheckShape(label string, wf M, want string) {
	got := s.shape(wf)
	s.Check(fmt.Sprintf("%s: %s", label, want), got == want)
	if got != want {
		s.Note("shape instead of expected ("+label+")", got)
	}
}

// statusIs reports whether a workflow has one of the statuses.
func statusIs(wf M, statuses ...string) bool { return slices.Contains(statuses, str(wf, "status")) }

// ExpectShape waits (bounded) until the workflow has the expected shape and records that state
// and the check. Conductor defers a decide when another thread holds the workflow's lock, so the
// state right after an operation may still be the old one; the expectation is what it becomes.
// If it never does, the last state is recorded and the check fails; the scenario goes on.
func (s *S) ExpectShape(id, label, want string) M {
	return s.expectShapeFor(id, label, want, 10*time.Second, 0)
}

// expectShapeFor is ExpectShape waiting up to d, and recording the state only once its shape has
// matched, unchanged, for settle (a state two of Conductor's threads are still writing). A status
// in want may list alternatives, "JOIN=CANCELED|FAILED", for an outcome that is itself a race.
// A DO_WHILE row must also have caught up with its loop's rows (see loopCaughtUp).
func (s *S) expectShapeFor(id, label, want string, d, settle time.Duration) M {
	deadline := time.Now().Add(d)
	r := Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}}
	held, since := "", time.Time{}
	for {
		resp, err := s.send(r)
		if err != nil {
			s.record(r, nil, "", err)
			s.abort("%s %s: %v", r.Method, r.Path, err)
		}
		got := s.shape(resp.Obj())
		ok := shapeMatches(got, want) && loopCaughtUp(resp.Obj())
		if !ok || got != held {
			held, since = got, time.Now()
		}
		if ok && time.Since(since) >= settle || time.Now().After(deadline) {
			s.record(r, resp, "shape: "+want, nil)
			s.Check(label+": "+want, ok)
			if !ok {
				s.Note("shape instead of expected ("+label+")", got)
			}
			return resp.Obj()
		}
		time.Sleep(awaitInterval)
	}
}

// shapeMatches compares a shape with an expected one whose statuses may list alternatives.
func shapeMatches(got, want string) bool {
	if got == want {
		return true
	}
	g, w := strings.Fields(got), strings.Fields(want)
	if len(g) != len(w) {
		return false
	}
	for i := range w {
		wk, wv, _ := strings.Cut(w[i], "=")
		gk, gv, _ := strings.Cut(g[i], "=")
		if wk != gk || !slices.Contains(strings.Split(wv, "|"), gv) {
			return false
		}
	}
	return true
}

// loopCaughtUp reports whether every DO_WHILE row counts the iterations its loop's rows show.
// Conductor stores a new iteration's rows before it updates the loop's own row (iteration,
// outputData), so a read in between sees the new rows under the old count.
func loopCaughtUp(wf M) bool {
	var loop M
	for _, t := range Tasks(wf) {
		if str(t, "taskType") == "DO_WHILE" {
			loop = t
			continue
		}
		if loop != nil && num(t, "iteration") > num(loop, "iteration") {
			return false
		}
	}
	return true
}

// rowByRef returns the workflow's last task row with the reference name (nil when none).
func rowByRef(wf M, ref string) M {
	ts := Tasks(wf)
	for i := len(ts) - 1; i >= 0; i-- {
		if str(ts[i], "referenceTaskName") == ref {
			return ts[i]
		}
	}
	return nil
}
