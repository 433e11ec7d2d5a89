package scenario

import (
	"net/http"
	"net/url"
	"strings"
)

// Metadata: task and workflow definition CRUD, versions, overwrite, bulk update, and the
// validation errors with Conductor's messages.

func metadataScenarios() []Scenario {
	return []Scenario{
		{Name: "taskdef_crud", Source: "POST/GET/PUT/DELETE /metadata/taskdefs", Full: true, Run: taskDefCRUD},
		{Name: "workflowdef_crud", Source: "POST/GET/PUT/DELETE /metadata/workflow: versions, overwrite, bulk update, listings", Full: true, Run: workflowDefCRUD},
		{Name: "taskdef_validation", Source: "TaskDef constraint messages, in the words of Conductor's bean-validation constraints", Run: taskDefValidation},
		{Name: "workflowdef_validation", Source: "WorkflowDef / WorkflowTask constraint messages (WorkflowTaskTypeConstraint and the models' bean-validation constraints)", Run: workflowDefValidation},
	}
}

func taskDefCRUD(s *S) {
	get := func(name, label string) {
		s.Do(Req{Method: http.MethodGet, Path: "/metadata/taskdefs/{name}", Args: []string{s.N(name)}, Label: label})
	}
	s.RegisterTaskDefs(s.TaskDef("a", M{"description": "first", "retryCount": 2, "ownerEmail": "o@example.com", "createdBy": "me", "updatedBy": "me", "ownerApp": "app"}),
		s.TaskDef("b", M{"concurrentExecLimit": 3, "pollTimeoutSeconds": 10, "inputKeys": []any{"k"}}))
	get("a", "get a")
	get("b", "get b")
	s.RegisterTaskDefs(s.TaskDef("a", M{"description": "registered again"}))
	get("a", "get a after upsert")
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/taskdefs", Body: s.TaskDef("a", M{"description": "updated", "retryCount": 5})})
	get("a", "get a after update")
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/taskdefs", Body: s.TaskDef("nope", nil), Label: "update an unknown def"})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/taskdefs", View: s.Own})
	s.Do(Req{Method: http.MethodDelete, Path: "/metadata/taskdefs/{name}", Args: []string{s.N("a")}})
	get("a", "get a after delete")
	s.Do(Req{Method: http.MethodDelete, Path: "/metadata/taskdefs/{name}", Args: []string{s.N("a")}, Label: "delete a again"})
}

func workflowDefCRUD(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", nil))
	v1 := s.WorkflowDef("wf", M{"description": "v1", "ownerEmail": "o@example.com"}, s.Simple("a", "a", nil))
	s.RegisterWorkflow(v1)
	wfPath := "/metadata/workflow/{name}"
	get := func(version, label string) {
		var q url.Values
		if version != "" {
			q = url.Values{"version": {version}}
		}
		s.Do(Req{Method: http.MethodGet, Path: wfPath, Args: []string{s.N("wf")}, Query: q, Label: label})
	}
	get("", "latest (1)")
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow", Body: v1, Label: "register v1 again"})
	v1["description"] = "v1 overwritten"
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow", Query: url.Values{"overwrite": {"true"}}, Body: v1, Label: "overwrite v1"})
	s.RegisterWorkflow(s.WorkflowDef("wf", M{"version": 2, "description": "v2"}, s.Simple("a", "a", nil)))
	get("", "latest (2)")
	get("1", "version 1")
	get("3", "version 3 (absent)")
	own := func(v any) any {
		m, ok := v.(M)
		if !ok {
			return s.Own(v)
		}
		out := M{}
		for k, e := range m {
			if strings.HasPrefix(k, s.prefix) {
				out[k] = e
			}
		}
		return out
	}
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/names-and-versions", View: own})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/latest-versions", View: s.Own})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow", View: s.Own})
	v3 := s.WorkflowDef("wf", M{"version": 3, "description": "v3 by bulk"}, s.Simple("a", "a", nil))
	v2 := s.WorkflowDef("wf", M{"version": 2, "description": "v2 by bulk"}, s.Simple("a", "a", nil))
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/workflow", Body: []any{v2, v3}, Label: "bulk update"})
	get("", "latest (3)")
	get("2", "version 2 after bulk")
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow/validate", Body: v3, Label: "validate a good def"})
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow/validate", Body: M{"name": s.N("bad")}, Label: "validate a bad def"})
	s.Do(Req{Method: http.MethodDelete, Path: "/metadata/workflow/{name}/{version}", Args: []string{s.N("wf"), "1"}})
	get("1", "version 1 after delete")
	s.Do(Req{Method: http.MethodDelete, Path: "/metadata/workflow/{name}/{version}", Args: []string{s.N("wf"), "1"}, Label: "delete version 1 again"})
}

func taskDefValidation(s *S) {
	cases := []struct {
		label string
		body  any
	}{
		{"no name", []any{M{"retryCount": 1}}},
		{"negative retryCount", []any{s.TaskDef("v1", M{"retryCount": -1})}},
		{"responseTimeoutSeconds 0", []any{s.TaskDef("v2", M{"responseTimeoutSeconds": 0})}},
		{"timeoutSeconds below the default responseTimeoutSeconds", []any{s.TaskDef("v3", M{"timeoutSeconds": 10})}},
		{"backoffScaleFactor 0", []any{s.TaskDef("v4", M{"backoffScaleFactor": 0})}},
		{"timeoutSeconds above totalTimeoutSeconds", []any{s.TaskDef("v5", M{"timeoutSeconds": 10, "responseTimeoutSeconds": 5, "totalTimeoutSeconds": 5})}},
		{"negative pollTimeoutSeconds", []any{s.TaskDef("v6", M{"pollTimeoutSeconds": -1})}},
		{"empty list", []any{}},
		{"second of two invalid", []any{s.TaskDef("v7", nil), M{"name": ""}}},
	}
	for _, c := range cases {
		s.Do(Req{Method: http.MethodPost, Path: "/metadata/taskdefs", Body: c.body, Label: c.label})
	}
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/taskdefs", Body: M{"name": s.N("v8"), "retryCount": -2}, Label: "update with a negative retryCount"})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/taskdefs/{name}", Args: []string{s.N("v7")}, Label: "v7 not registered"})
}

func workflowDefValidation(s *S) {
	simple := func(name, ref string) M { return M{"name": s.N(name), "taskReferenceName": ref, "type": "SIMPLE"} }
	cases := []struct {
		label string
		body  M
	}{
		{"empty", M{}},
		{"no tasks", M{"name": s.N("w1"), "tasks": []any{}}},
		{"task without a reference name", M{"name": s.N("w2"), "tasks": []any{M{"name": s.N("a")}}}},
		{"task without a name", M{"name": s.N("w3"), "tasks": []any{M{"taskReferenceName": "a"}}}},
		{"duplicate reference names", M{"name": s.N("w4"), "tasks": []any{simple("a", "x"), simple("b", "x")}}},
		{"schemaVersion 1", M{"name": s.N("w5"), "schemaVersion": 1, "tasks": []any{simple("a", "a")}}},
		{"input from an unknown reference", M{"name": s.N("w6"), "tasks": []any{
			M{"name": s.N("a"), "taskReferenceName": "a", "inputParameters": M{"v": "${nope.output.x}"}}}}},
		{"negative startDelay", M{"name": s.N("w7"), "tasks": []any{M{"name": s.N("a"), "taskReferenceName": "a", "startDelay": -1}}}},
		{"unknown task type", M{"name": s.N("w8"), "tasks": []any{M{"name": s.N("a"), "taskReferenceName": "a", "type": "NOT_A_TYPE"}}}},
		{"SWITCH without an expression", M{"name": s.N("w9"), "tasks": []any{M{"name": "sw", "taskReferenceName": "sw", "type": "SWITCH"}}}},
		{"negative timeoutSeconds", M{"name": s.N("w10"), "timeoutSeconds": -1, "tasks": []any{simple("a", "a")}}},
	}
	for _, c := range cases {
		s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow", Body: c.body, Label: c.label})
	}
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/workflow", Body: []any{M{"name": s.N("w11"), "tasks": []any{simple("a", "a")}}, M{}}, Label: "bulk with one invalid"})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/{name}", Args: []string{s.N("w11")}, Label: "w11 not registered"})
}
