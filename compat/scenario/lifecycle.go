package scenario

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
)

// Workflow operations the specs touch only in passing: both start forms, status, terminate,
// remove, correlation, skip with input/output, pause/resume edge cases, rerun with new input.

func lifecycleScenarios() []Scenario {
	return []Scenario{
		{Name: "start_by_name", Source: "POST /workflow/{name} with query parameters; GET /workflow/{id}/status", Run: startByName},
		{Name: "start_request_latest_version", Source: "POST /workflow with and without a version; the latest version wins", Run: startLatestVersion},
		{Name: "terminate", Source: "DELETE /workflow/{id}: running, terminated again, completed (409), failed (→ TERMINATED)", Run: terminate},
		{Name: "remove", Source: "DELETE /workflow/{id}/remove: running (400 with archive), completed, archiveWorkflow=false", Run: remove},
		{Name: "correlated", Source: "GET /workflow/{name}/correlated/{id} and POST /workflow/{name}/correlated", Run: correlated},
		{Name: "skip_task_io", Source: "PUT /workflow/{id}/skiptask/{ref}: query-string input/output, JSON body ignored, errors", Run: skipTaskIO},
		{Name: "pause_resume_edges", Source: "pause twice, resume twice, pause a completed workflow", Run: pauseResumeEdges},
		{Name: "rerun_with_new_input", Source: "POST /workflow/{id}/rerun with workflowInput, and from a task with taskInput", Run: rerunNewInput},
	}
}

// oneTask registers task "a" (no retries) and workflow "wf" running it, with extra def fields.
func (s *S) oneTask(taskFields, wfFields M) {
	tf := M{"retryCount": 0, "responseTimeoutSeconds": 60}
	for k, v := range taskFields {
		tf[k] = v
	}
	s.RegisterTaskDefs(s.TaskDef("a", tf))
	s.RegisterWorkflow(s.WorkflowDef("wf", wfFields, s.Simple("a", "a", M{"inputParameters": M{"x": "${workflow.input.x}"}})))
}

// twoTasks registers tasks "a" and "b" (no retries) and workflow "wf" running a then b.
func (s *S) twoTasks(wfFields M) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 0, "responseTimeoutSeconds": 60}), s.TaskDef("b", M{"retryCount": 0, "responseTimeoutSeconds": 60}))
	s.RegisterWorkflow(s.WorkflowDef("wf", wfFields,
		s.Simple("a", "a", M{"inputParameters": M{"x": "${workflow.input.x}"}}),
		s.Simple("b", "b", M{"inputParameters": M{"fromA": "${a.output.v}"}})))
}

func startByName(s *S) {
	s.oneTask(nil, nil)
	r := s.must(s.Do(Req{Method: http.MethodPost, Path: "/workflow/{name}", Args: []string{s.N("wf")},
		Query: url.Values{"version": {"1"}, "correlationId": {"corr-1"}, "priority": {"7"}}, Body: M{"x": 1}}), http.StatusOK)
	id := r.Text()
	s.learn(id, "wf")
	s.GetWorkflow(id, "")
	s.Do(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}/status", Args: []string{id}})
	s.PollComplete("a", M{"done": true})
	s.AwaitStatus(id, "COMPLETED")
	s.Do(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}/status", Args: []string{id},
		Query: url.Values{"includeOutput": {"true"}, "includeVariables": {"true"}}})
	s.Do(Req{Method: http.MethodPost, Path: "/workflow/{name}", Args: []string{s.N("wf")}, Query: url.Values{"version": {"9"}}, Body: M{}, Label: "unknown version"})
}

func startLatestVersion(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 0}), s.TaskDef("b", M{"retryCount": 0}))
	s.RegisterWorkflow(s.WorkflowDef("wf", nil, s.Simple("a", "a", nil)))
	s.RegisterWorkflow(s.WorkflowDef("wf", M{"version": 2}, s.Simple("b", "b", nil)))
	latest := s.Start("wf", M{"k": "v"}, M{"correlationId": "c-latest", "priority": 3})
	v1 := s.Start("wf", M{"k": "v"}, M{"version": 1})
	s.GetWorkflow(latest, "latest")
	s.GetWorkflow(v1, "version 1")
	s.PollComplete("b", nil)
	s.PollComplete("a", nil)
	s.AwaitStatus(latest, "COMPLETED")
	s.AwaitStatus(v1, "COMPLETED")
}

func terminate(s *S) {
	s.oneTask(nil, nil)
	running := s.Start("wf", M{"x": 1}, nil)
	s.WF(http.MethodDelete, "/workflow/{workflowId}", running, url.Values{"reason": {"stop it"}})
	s.GetWorkflow(running, "terminated")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", running, url.Values{"reason": {"again"}})
	done := s.Start("wf", M{"x": 2}, nil)
	s.PollComplete("a", nil)
	s.AwaitStatus(done, "COMPLETED")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", done, url.Values{"reason": {"too late"}})
	failed := s.Start("wf", M{"x": 3}, nil)
	s.must(s.Fail(s.AwaitPoll("a"), "FAILED", "broken"), http.StatusOK)
	s.AwaitStatus(failed, "FAILED")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", failed, url.Values{"reason": {"clean up"}})
	s.GetWorkflow(failed, "failed then terminated")
}

func remove(s *S) {
	s.oneTask(nil, nil)
	running := s.Start("wf", M{"x": 1}, nil)
	s.WF(http.MethodDelete, "/workflow/{workflowId}/remove", running, nil)
	s.WF(http.MethodDelete, "/workflow/{workflowId}/remove", running, url.Values{"archiveWorkflow": {"false"}})
	s.WF(http.MethodGet, "/workflow/{workflowId}", running, nil)
	done := s.Start("wf", M{"x": 2}, nil)
	s.PollComplete("a", nil)
	s.AwaitStatus(done, "COMPLETED")
	s.WF(http.MethodDelete, "/workflow/{workflowId}/remove", done, nil)
	s.WF(http.MethodGet, "/workflow/{workflowId}", done, nil)
	s.WF(http.MethodDelete, "/workflow/{workflowId}/remove", done, nil)
	s.workflows = nil // both are gone: no final states to read
}

func correlated(s *S) {
	s.oneTask(nil, nil)
	a1 := s.Start("wf", M{"x": 1}, M{"correlationId": "corr-A"})
	s.PollComplete("a", nil)
	s.AwaitStatus(a1, "COMPLETED")
	s.Start("wf", M{"x": 2}, M{"correlationId": "corr-A"})
	s.Start("wf", M{"x": 3}, M{"correlationId": "corr-B"})
	path := "/workflow/{name}/correlated/{correlationId}"
	s.Do(Req{Method: http.MethodGet, Path: path, Args: []string{s.N("wf"), "corr-A"}, Label: "open only"})
	s.Do(Req{Method: http.MethodGet, Path: path, Args: []string{s.N("wf"), "corr-A"}, Label: "with closed",
		Query: url.Values{"includeClosed": {"true"}}, View: sortByInput})
	s.Do(Req{Method: http.MethodGet, Path: path, Args: []string{s.N("wf"), "none"}, Label: "no match"})
	s.Do(Req{Method: http.MethodPost, Path: "/workflow/{name}/correlated", Args: []string{s.N("wf")},
		Query: url.Values{"includeClosed": {"true"}, "includeTasks": {"true"}}, Body: []any{"corr-A", "corr-B", "none"}, View: sortMapLists})
	for _, id := range s.workflows[1:] {
		s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
	}
}

// sortByInput orders a list of workflows by their input.x, which the scenario made distinct:
// the server's order of equally matching rows is not behaviour.
func sortByInput(v any) any { return sortByX(v, "input") }

// sortByX orders a list of objects by the number at <field>.x, keeping the
// order of equal keys.
func sortByX(v any, field string) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	key := func(e any) float64 {
		m, _ := e.(M)
		in, _ := m[field].(M)
		return num(in, "x")
	}
	out := slices.Clone(l)
	slices.SortStableFunc(out, func(a, b any) int { return cmp.Compare(key(a), key(b)) })
	return out
}

func sortMapLists(v any) any {
	m, ok := v.(M)
	if !ok {
		return v
	}
	out := M{}
	for k, e := range m {
		out[k] = sortByInput(e)
	}
	return out
}

func skipTaskIO(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 0}), s.TaskDef("b", M{"retryCount": 0}), s.TaskDef("c", M{"retryCount": 0}))
	s.RegisterWorkflow(s.WorkflowDef("wf", M{"outputParameters": M{"fromB": "${b.output.out}"}},
		s.Simple("a", "a", nil), s.Simple("b", "b", nil), s.Simple("c", "c", M{"inputParameters": M{"skipped": "${b.output.out}"}})))
	id := s.Start("wf", M{}, nil)
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/{workflowId}/skiptask/{ref}", Args: []string{id, "b"},
		Query: url.Values{"taskInput[in]": {"1"}, "taskOutput[out]": {"2"}}, Body: M{"taskInput": M{"ignored": true}}, Label: "skip b with query input and output"})
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/{workflowId}/skiptask/{ref}", Args: []string{id, "a"}, Label: "skip a (already scheduled)"})
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/{workflowId}/skiptask/{ref}", Args: []string{id, "nope"}, Label: "skip an unknown ref"})
	s.PollComplete("a", nil)
	s.PollComplete("c", nil)
	s.AwaitStatus(id, "COMPLETED")
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/{workflowId}/skiptask/{ref}", Args: []string{id, "c"}, Label: "skip in a completed workflow"})
}

func pauseResumeEdges(s *S) {
	s.oneTask(nil, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	s.WF(http.MethodPut, "/workflow/{workflowId}/resume", id, nil)
	s.WF(http.MethodPut, "/workflow/{workflowId}/pause", id, nil)
	s.WF(http.MethodPut, "/workflow/{workflowId}/pause", id, nil)
	s.ExpectShape(id, "paused", "PAUSED: a=SCHEDULED")
	s.WF(http.MethodPut, "/workflow/{workflowId}/resume", id, nil)
	s.WF(http.MethodPut, "/workflow/{workflowId}/resume", id, nil)
	s.PollComplete("a", nil)
	s.AwaitStatus(id, "COMPLETED")
	s.WF(http.MethodPut, "/workflow/{workflowId}/pause", id, nil)
	s.WF(http.MethodPut, "/workflow/{workflowId}/resume", id, nil)
}

func rerunNewInput(s *S) {
	s.twoTasks(nil)
	id := s.Start("wf", M{"x": "first"}, M{"correlationId": "c1"})
	s.PollComplete("a", M{"v": "a1"})
	s.must(s.Fail(s.AwaitPoll("b"), "FAILED", "b broke"), http.StatusOK)
	wf := s.AwaitStatus(id, "FAILED")
	bID := str(Tasks(wf)[1], "taskId")
	s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{id},
		Body: M{"reRunFromWorkflowId": id, "reRunFromTaskId": bID, "taskInput": M{"extra": "yes"}}, Label: "rerun from b with taskInput"})
	s.ExpectShape(id, "rerun from b", "RUNNING: a=COMPLETED b=SCHEDULED")
	s.PollComplete("b", nil)
	s.AwaitStatus(id, "COMPLETED")
	s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{id},
		Body: M{"reRunFromWorkflowId": id, "workflowInput": M{"x": "second"}, "correlationId": "c2"}, Label: "rerun with new input"})
	s.ExpectShape(id, "rerun from the start", "RUNNING: a=SCHEDULED")
	s.PollComplete("a", M{"v": "a2"})
	s.PollComplete("b", nil)
	s.AwaitStatus(id, "COMPLETED")
}
