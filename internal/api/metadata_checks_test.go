package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// A task definition that sets responseTimeoutSeconds or backoffScaleFactor
// to 0 is refused as Conductor refuses it (@Min(1)); leaving them out gets
// the defaults.
func TestTaskDefExplicitZeros(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, body string
		want               []model.ValidationError
	}{
		{"register responseTimeoutSeconds 0", "POST", `[{"name":"a"},{"name":"b","responseTimeoutSeconds":0}]`,
			[]model.ValidationError{{Path: "registerTaskDef.arg0[1].responseTimeoutSeconds", InvalidValue: "0",
				Message: "TaskDef responseTimeoutSeconds: 0 should be minimum 1 second"}}},
		{"register backoffScaleFactor 0", "POST", `[{"name":"a","backoffScaleFactor":0}]`,
			[]model.ValidationError{{Path: "registerTaskDef.arg0[0].backoffScaleFactor", InvalidValue: "0",
				Message: "Backoff scale factor. Applicable for LINEAR_BACKOFF"}}},
		{"update with both 0", "PUT", `{"name":"a","backoffScaleFactor":0,"responseTimeoutSeconds":0}`,
			[]model.ValidationError{
				{Path: "updateTaskDef.arg0.responseTimeoutSeconds", InvalidValue: "0", Message: "TaskDef responseTimeoutSeconds: 0 should be minimum 1 second"},
				{Path: "updateTaskDef.arg0.backoffScaleFactor", InvalidValue: "0", Message: "Backoff scale factor. Applicable for LINEAR_BACKOFF"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			e := errorBody(t, do(t, f, tc.method, "/api/metadata/taskdefs", tc.body), 400)
			require.Equal(t, tc.want, e.ValidationErrors)
			require.Empty(t, f.recorded(), "a refused definition must not reach the engine")
		})
	}

	f := newFake()
	resp := do(t, f, "POST", "/api/metadata/taskdefs", `[{"name":"a"}]`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	defs := f.recorded()[0].Args[0].([]model.TaskDef)
	require.EqualValues(t, 3600, defs[0].ResponseTimeoutSeconds, "left out: the default")
	require.Equal(t, 1, defs[0].BackoffScaleFactor)
}

// An empty JSON list reaches the engine as an empty list and null as none,
// so that the engine answers Conductor's two different messages.
func TestDefinitionListsEmptyOrNull(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method, target, body string
		wantNil              bool
	}{
		{"POST", "/api/metadata/taskdefs", `[]`, false},
		{"POST", "/api/metadata/taskdefs", `null`, true},
		{"PUT", "/api/metadata/workflow", `[]`, false},
		{"PUT", "/api/metadata/workflow", ` null `, true},
	} {
		f := newFake()
		do(t, f, tc.method, tc.target, tc.body)
		calls := f.recorded()
		require.Len(t, calls, 1, "%s %s", tc.target, tc.body)
		arg := calls[0].Args[0]
		switch v := arg.(type) {
		case []model.TaskDef:
			require.Equal(t, tc.wantNil, v == nil, "%s %s", tc.target, tc.body)
			require.Empty(t, v)
		case []model.WorkflowDef:
			require.Equal(t, tc.wantNil, v == nil, "%s %s", tc.target, tc.body)
			require.Empty(t, v)
		default:
			t.Fatalf("unexpected argument %T", arg)
		}
	}
}

// A validation error about a field the body left out has no invalidValue
// (Conductor reports the null it saw); about a field sent as "" it keeps "".
func TestValidationErrorsOfAbsentFields(t *testing.T) {
	t.Parallel()
	violation := func(path string) error {
		return engine.Invalid(model.ValidationError{Path: path, Message: "m", InvalidValue: ""})
	}
	for _, tc := range []struct {
		name, method, target, body, path, method2 string
		wantValue                                 any
	}{
		{"task def name left out", "POST", "/api/metadata/taskdefs", `[{"retryCount":1}]`, "registerTaskDef.arg0[0].name", "RegisterTaskDefs", nil},
		{"task def name empty", "POST", "/api/metadata/taskdefs", `[{"name":"a"},{"name":""}]`, "registerTaskDef.arg0[1].name", "RegisterTaskDefs", ""},
		{"task def name null", "POST", "/api/metadata/taskdefs", `[{"name":null}]`, "registerTaskDef.arg0[0].name", "RegisterTaskDefs", nil},
		{"workflow task ref left out", "POST", "/api/metadata/workflow", `{"name":"w","tasks":[{"name":"a"}]}`,
			"registerWorkflowDef.arg0.tasks[0].taskReferenceName", "RegisterWorkflowDef", nil},
		{"workflow task ref empty", "POST", "/api/metadata/workflow/validate", `{"name":"w","tasks":[{"name":"a","taskReferenceName":""}]}`,
			"validateWorkflowDef.arg0.tasks[0].taskReferenceName", "ValidateWorkflowDef", ""},
		{"bulk workflow name left out", "PUT", "/api/metadata/workflow", `[{"name":"w"},{}]`, "updateWorkflowDef.arg0[1].name", "UpdateWorkflowDefs", nil},
		{"update task def name empty", "PUT", "/api/metadata/taskdefs", `{"name":""}`, "updateTaskDef.arg0.name", "UpdateTaskDef", ""},
		{"path beyond the body", "POST", "/api/metadata/taskdefs", `[{"name":"a"}]`, "registerTaskDef.arg0[7].name", "RegisterTaskDefs", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake().on(tc.method2, nil, violation(tc.path))
			e := errorBody(t, do(t, f, tc.method, tc.target, tc.body), 400)
			require.Len(t, e.ValidationErrors, 1)
			require.Equal(t, tc.wantValue, e.ValidationErrors[0].InvalidValue)
		})
	}
}

func TestLookupPath(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"tasks": []any{map[string]any{"name": "a", "decisionCases": map[string]any{"x": []any{"y"}}}}, "n": nil}
	for _, tc := range []struct {
		path  string
		want  any
		found bool
	}{
		{"", doc, true},
		{".tasks[0].name", "a", true},
		{".tasks[0].decisionCases[x][0]", "y", true},
		{".n", nil, true},
		{".tasks[1].name", nil, false},
		{".tasks[-1].name", nil, false},
		{".tasks[x]", nil, false},
		{".tasks[0", nil, false},
		{".tasks[0].name.more", nil, false},
		{"name", nil, false},
		{".missing", nil, false},
	} {
		got, found := lookupPath(doc, tc.path)
		require.Equal(t, tc.found, found, tc.path)
		if tc.found && tc.path != "" {
			require.Equal(t, tc.want, got, tc.path)
		}
	}
}

// A JSON endpoint refuses a body declared as another media type with 415,
// as Conductor refuses it (with a 500); no Content-Type is read as JSON.
func TestJSONContentType(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, target, ctype, body string
		status                            int
	}{
		{"start as text", "POST", "/api/workflow", "text/plain;charset=UTF-8", `{"name":"wf"}`, 415},
		{"update as a form", "POST", "/api/tasks", "application/x-www-form-urlencoded", `a=b`, 415},
		{"register with a broken content type", "POST", "/api/metadata/taskdefs", "a/b/c;;", `[]`, 415},
		{"start as JSON with a charset", "POST", "/api/workflow", "application/json; charset=utf-8", `{"name":"wf"}`, 200},
		{"start as a JSON subtype", "POST", "/api/workflow", "application/vnd.baton+json", `{"name":"wf"}`, 200},
		{"start without a content type", "POST", "/api/workflow", "", `{"name":"wf"}`, 200},
		{"log as text", "POST", "/api/tasks/t1/log", "text/plain", `hello`, 200},
		{"skip with a text body, ignored as by Conductor", "PUT", "/api/workflow/w1/skiptask/r", "text/plain", `{"taskInput":{"a":1}}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake().on("StartWorkflow", "id-1", nil)
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			rec := httptest.NewRecorder()
			newTestHandler(f, Config{}).ServeHTTP(rec, req)
			resp := rec.Result()
			if tc.status != 200 {
				e := errorBody(t, resp, tc.status)
				require.Contains(t, e.Message, "is not supported: send the request body as application/json")
				require.Empty(t, f.recorded())
				return
			}
			require.Equal(t, 200, resp.StatusCode, readAll(t, resp))
			require.Len(t, f.recorded(), 1)
			if tc.target == "/api/workflow/w1/skiptask/r" {
				require.Equal(t, &model.SkipTaskRequest{}, f.recorded()[0].Args[2])
			}
		})
	}
}
