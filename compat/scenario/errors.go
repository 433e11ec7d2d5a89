package scenario

import (
	"net/http"
	"net/url"
)

// Error answers: unknown ids and names, operations on workflows in the wrong state, malformed and
// invalid requests. Conductor answers several client mistakes with 500; Baton answers them with
// 400, and those differences are in compat/allowlist.json.

func errorScenarios() []Scenario {
	return []Scenario{
		{Name: "errors_not_found", Source: "unknown workflow, task and definition names on every kind of endpoint", Run: errorsNotFound},
		{Name: "errors_wrong_state", Source: "operations refused for the workflow's state: restart, retry, resume or rerun of a running workflow; pause, terminate, retry or reset callbacks of a completed one; an existing definition version", Run: errorsWrongState},
		{Name: "errors_malformed", Source: "malformed JSON, missing bodies, wrong types, bad enums, bad parameters", Run: errorsMalformed},
	}
}

const noWF = "no-such-workflow"

func errorsNotFound(s *S) {
	s.oneTask(nil, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	calls := []Req{
		{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{noWF}},
		{Method: http.MethodGet, Path: "/workflow/{workflowId}/status", Args: []string{noWF}},
		{Method: http.MethodDelete, Path: "/workflow/{workflowId}", Args: []string{noWF}},
		{Method: http.MethodPut, Path: "/workflow/{workflowId}/pause", Args: []string{noWF}},
		{Method: http.MethodPut, Path: "/workflow/{workflowId}/resume", Args: []string{noWF}},
		{Method: http.MethodPost, Path: "/workflow/{workflowId}/restart", Args: []string{noWF}},
		{Method: http.MethodPost, Path: "/workflow/{workflowId}/retry", Args: []string{noWF}},
		{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{noWF}, Body: M{"reRunFromWorkflowId": noWF}},
		{Method: http.MethodDelete, Path: "/workflow/{workflowId}/remove", Args: []string{noWF}},
		{Method: http.MethodPut, Path: "/workflow/{workflowId}/skiptask/{ref}", Args: []string{noWF, "a"}},
		{Method: http.MethodPost, Path: "/workflow/{workflowId}/resetcallbacks", Args: []string{noWF}},
		{Method: http.MethodGet, Path: "/tasks/{taskId}", Args: []string{"no-such-task"}},
		{Method: http.MethodPost, Path: "/tasks", Body: M{"workflowInstanceId": noWF, "taskId": "no-such-task", "status": "COMPLETED"}, Label: "update: unknown workflow"},
		{Method: http.MethodPost, Path: "/tasks", Body: M{"workflowInstanceId": id, "taskId": "no-such-task", "status": "COMPLETED"}, Label: "update: unknown task"},
		{Method: http.MethodPost, Path: "/tasks/update-v2", Body: M{"workflowInstanceId": noWF, "taskId": "no-such-task", "status": "COMPLETED"}},
		{Method: http.MethodPost, Path: "/tasks/{workflowId}/{taskRefName}/{status}", Args: []string{noWF, "a", "COMPLETED"}, Body: M{}},
		{Method: http.MethodGet, Path: "/metadata/taskdefs/{name}", Args: []string{s.N("nope")}},
		{Method: http.MethodDelete, Path: "/metadata/taskdefs/{name}", Args: []string{s.N("nope")}},
		{Method: http.MethodGet, Path: "/metadata/workflow/{name}", Args: []string{s.N("nope")}},
		{Method: http.MethodDelete, Path: "/metadata/workflow/{name}/{version}", Args: []string{s.N("nope"), "1"}},
		{Method: http.MethodPost, Path: "/workflow", Body: M{"name": s.N("nope"), "input": M{}}, Label: "start: unknown name"},
		{Method: http.MethodPost, Path: "/workflow", Body: M{"name": s.N("wf"), "version": 7, "input": M{}}, Label: "start: unknown version"},
		{Method: http.MethodPost, Path: "/workflow/{name}", Args: []string{s.N("nope")}, Body: M{}},
		{Method: http.MethodGet, Path: "/no/such/path", Label: "unknown path"},
		{Method: http.MethodPatch, Path: "/workflow/{workflowId}", Args: []string{id}, Label: "unsupported method"},
	}
	for _, c := range calls {
		s.Do(c)
	}
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}

func errorsWrongState(s *S) {
	s.oneTask(nil, nil)
	done := s.Start("wf", M{"x": 2}, nil)
	s.PollComplete("a", nil)
	s.AwaitStatus(done, "COMPLETED")
	running := s.Start("wf", M{"x": 1}, nil)
	for _, c := range []struct{ method, path string }{
		{http.MethodPost, "/workflow/{workflowId}/restart"},
		{http.MethodPost, "/workflow/{workflowId}/retry"},
		{http.MethodPut, "/workflow/{workflowId}/resume"},
	} {
		s.Do(Req{Method: c.method, Path: c.path, Args: []string{running}, Label: c.method + " " + c.path + " (running)"})
	}
	s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{running}, Body: M{"reRunFromWorkflowId": running}, Label: "rerun (running)"})
	for _, c := range []struct{ method, path string }{
		{http.MethodPut, "/workflow/{workflowId}/pause"},
		{http.MethodDelete, "/workflow/{workflowId}"},
		{http.MethodPost, "/workflow/{workflowId}/retry"},
		{http.MethodPost, "/workflow/{workflowId}/resetcallbacks"},
	} {
		s.Do(Req{Method: c.method, Path: c.path, Args: []string{done}, Label: c.method + " " + c.path + " (completed)"})
	}
	s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{done},
		Body: M{"reRunFromWorkflowId": done, "reRunFromTaskId": "no-such-task"}, Label: "rerun from an unknown task"})
	s.RegisterTaskDefs(s.TaskDef("b", nil))
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow", Body: s.WorkflowDef("wf", nil, s.Simple("b", "b", nil)), Label: "register an existing version"})
	s.WF(http.MethodDelete, "/workflow/{workflowId}", running, url.Values{"reason": {"scenario done"}})
}

func errorsMalformed(s *S) {
	s.oneTask(nil, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	raw := func(method, path, body, label string, args ...string) {
		b := body
		s.Do(Req{Method: method, Path: path, Args: args, Raw: &b, ContentType: "application/json", Label: label})
	}
	raw(http.MethodPost, "/tasks", `{"workflowInstanceId": `, "update: truncated JSON")
	raw(http.MethodPost, "/tasks", ``, "update: no body")
	raw(http.MethodPost, "/tasks", `{"workflowInstanceId":"`+id+`","taskId":"x","status":"DONE"}`, "update: unknown status")
	raw(http.MethodPost, "/tasks", `{"workflowInstanceId":"`+id+`","taskId":"x","status":"COMPLETED","callbackAfterSeconds":"soon"}`, "update: string for a number")
	raw(http.MethodPost, "/tasks", `[]`, "update: array body")
	s.Do(Req{Method: http.MethodPost, Path: "/tasks", Body: M{}, Label: "update: empty TaskResult"})
	raw(http.MethodPost, "/workflow", `{"name": `, "start: truncated JSON")
	raw(http.MethodPost, "/workflow", ``, "start: no body")
	s.Do(Req{Method: http.MethodPost, Path: "/workflow", Body: M{"input": M{}}, Label: "start: no name"})
	s.Do(Req{Method: http.MethodPost, Path: "/workflow", Body: M{"name": s.N("wf"), "input": nil}, Label: "start: null input"})
	s.Do(Req{Method: http.MethodPost, Path: "/workflow", Body: M{"name": s.N("wf"), "input": M{}, "priority": 100}, Label: "start: priority 100"})
	s.Do(Req{Method: http.MethodPost, Path: "/workflow", Body: M{"name": s.N("wf"), "input": "text"}, Label: "start: input is a string"})
	raw(http.MethodPost, "/workflow/{name}", ``, "start by name: no body", s.N("wf"))
	raw(http.MethodPost, "/workflow/{name}", `[1,2]`, "start by name: array body", s.N("wf"))
	raw(http.MethodPost, "/metadata/taskdefs", `[{"name": `, "taskdefs: truncated JSON")
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/taskdefs", Body: s.TaskDef("single", nil), Label: "taskdefs: object instead of list"})
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/taskdefs", Body: []any{s.TaskDef("bad", M{"retryLogic": "SOMETIMES"})}, Label: "taskdefs: unknown retryLogic"})
	raw(http.MethodPost, "/metadata/workflow", `{"name": `, "workflow def: truncated JSON")
	batch := "/tasks/poll/batch/{taskType}"
	s.Do(Req{Method: http.MethodGet, Path: batch, Args: []string{s.N("a")}, Query: url.Values{"count": {"many"}}, Label: "batch poll: count not a number"})
	s.Do(Req{Method: http.MethodGet, Path: batch, Args: []string{s.N("a")}, Query: url.Values{"timeout": {"6000"}}, Label: "batch poll: timeout over 5000"})
	s.Do(Req{Method: http.MethodGet, Path: batch, Args: []string{s.N("a")}, Query: url.Values{"count": {"-1"}}, Label: "batch poll: negative count"})
	s.Do(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}, Query: url.Values{"includeTasks": {"maybe"}}, Label: "includeTasks not a boolean"})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/sizes", Label: "queue sizes without taskType"})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/size", Label: "queue size without taskType"})
	s.Do(Req{Method: http.MethodPost, Path: "/tasks/{workflowId}/{taskRefName}/{status}", Args: []string{id, "a", "COMPLETED"},
		Raw: ptr(`not json`), ContentType: "application/json", Label: "update by ref: malformed output"})
	s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{id}, Raw: ptr(`{`), ContentType: "application/json", Label: "rerun: truncated JSON"})
	s.Do(Req{Method: http.MethodPost, Path: "/workflow", Body: M{"name": s.N("wf"), "input": M{}}, ContentType: "text/plain", Label: "start: text/plain content type"})
	s.GetWorkflow(id, "unchanged by all of the above")
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}

func ptr(s string) *string { return &s }
