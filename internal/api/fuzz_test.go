package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/batonhq/baton/model"
)

var fuzzMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}

// FuzzHandler sends random methods, paths, queries and bodies: whatever a
// client sends, the answer is never a 5xx (501 marks endpoints Baton does
// not offer, not a failure), and every error answer is Conductor's JSON.
func FuzzHandler(f *testing.F) {
	for _, seed := range []struct {
		m          uint8
		path, body string
	}{
		{1, "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED"}`},
		{1, "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"DONE","outputData":[1,{"a":null}]}`},
		{1, "/api/tasks/update-v2", `{"callbackAfterSeconds":1e99}`},
		{1, "/api/tasks/w/r/COMPLETED?workerid=x", `{"a":[1,2,{"b":"c"}]}`},
		{0, "/api/tasks/poll/batch/t?count=-7&timeout=99999999999", ``},
		{0, "/api/tasks/poll/t?domain=%00", ``},
		{1, "/api/workflow", `{"name":"wf","input":null,"workflowDef":{"tasks":[{"forkTasks":[[{"taskDefinition":{"retryLogic":"X"}}]]}]}}`},
		{1, "/api/workflow/execute/wf/-1?waitForSeconds=x", `{}`},
		{1, "/api/workflow/wf/correlated", `["a",1]`},
		{2, "/api/workflow/bulk/pause", `[` + strings.Repeat(`"x",`, 10) + `"y"]`},
		{1, "/api/metadata/taskdefs", `[{"name":"x"},{"name":5}]`},
		{1, "/api/metadata/workflow?overwrite=yes", `{"name":"wf","tasks":[{"decisionCases":{"a":[{"loopOver":[{}]}]}}]}`},
		{0, "/api/workflow/search?size=5000&sort=a|b|&query=%27%27", ``},
		{0, "/api/workflow/w1/tasks?status=x&start=2147483648", ``},
		{3, "/api/workflow/w1/remove?archiveWorkflow=2", ``},
		{2, "/api/workflow/w1/skiptask/r?taskInput[a]=1&taskOutput.b=2", `{"taskInput":{"x":1}}`},
		{0, "/api/../etc/passwd", ``},
		{0, "//api//tasks", ``},
		{5, "/api/tasks/t1", ``},
		{4, "/health", `{}`},
	} {
		f.Add(seed.m, seed.path, seed.body)
	}
	f.Fuzz(func(t *testing.T, m uint8, target, body string) {
		u, err := url.ParseRequestURI(target)
		if err != nil || !strings.HasPrefix(target, "/") {
			return
		}
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		req := httptest.NewRequest(method, "/", strings.NewReader(body))
		req.URL = u
		req.RequestURI = target
		svc := newFake().on("StartWorkflow", "w1", nil).on("UpdateTaskByRefName", "t1", nil)
		rec := httptest.NewRecorder()
		newTestHandler(svc, Config{MaxBodyBytes: 1 << 16}).ServeHTTP(rec, req)
		resp := rec.Result()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented {
			t.Fatalf("%s %s %q: %d %s", method, target, body, resp.StatusCode, b)
		}
		if resp.StatusCode >= 400 && !strings.HasPrefix(string(b), `{"status":`) && method != "HEAD" {
			t.Fatalf("%s %s: error answer is not an ErrorResponse: %s", method, target, b)
		}
	})
}

// FuzzDecode feeds one body to every request decoder of decode.go and
// defaults.go: each either decodes it or answers a 400 ErrorResponse that
// names the problem, never panics, and a body that decodes as a TaskResult
// or a workflow definition encodes back to JSON.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED","outputData":{"a":[1,{"b":null}]}}`,
		`{"name":"wf","version":1,"tasks":[{"name":"t","taskReferenceName":"r","type":"SIMPLE"}]}`,
		`[{"name":"task_1","retryCount":3,"retryLogic":"LINEAR_BACKOFF","timeoutPolicy":"ALERT_ONLY"}]`,
		`{"name":"wf","input":null,"workflowDef":{"name":"wf","tasks":[{"forkTasks":[[{"taskDefinition":{"retryLogic":"X"}}]]}]}}`,
		`{"name":"wf","priority":1e3,"idempotencyStrategy":"NOPE","taskToDomain":{"a":1}}`,
		`{"status":"COMPLETED"} {}`,
		`{"callbackAfterSeconds":-1,"outputData":"x"}`,
		`[{"name":"x"},{"name":5}]`,
		`{"tasks":[{"decisionCases":{"a":[{"loopOver":[{"type":7}]}]}}]}`,
		`"\ud800"`, `null`, `[]`, `{`, `1e999`, ``,
	} {
		f.Add([]byte(seed))
	}
	decoders := map[string]func(b []byte) (any, error){
		"TaskResult": func(b []byte) (any, error) {
			var tr model.TaskResult
			if err := decodeJSON(b, &tr, taskResultExample); err != nil {
				return nil, err
			}
			return &tr, checkTaskResult(&tr)
		},
		"StartWorkflowRequest": func(b []byte) (any, error) {
			r := httptest.NewRequest(http.MethodPost, "/api/workflow", bytes.NewReader(b))
			return decodeStartRequest(r)
		},
		"WorkflowDef":  func(b []byte) (any, error) { return decodeWorkflowDefJSON(b, workflowDefExample) },
		"WorkflowDefs": func(b []byte) (any, error) { return decodeWorkflowDefs(b) },
		"TaskDef":      func(b []byte) (any, error) { return decodeTaskDef(b, taskDefExample) },
		"TaskDefs":     func(b []byte) (any, error) { return decodeTaskDefs(b) },
		"map":          func(b []byte) (any, error) { var m map[string]any; return m, decodeJSON(b, &m, "an object") },
		"ids":          func(b []byte) (any, error) { var ids []string; return ids, decodeJSON(b, &ids, "ids") },
		"SkipTaskRequest": func(b []byte) (any, error) {
			r := httptest.NewRequest(http.MethodPut, "/api/workflow/w/skiptask/r?taskInput[a]=1", bytes.NewReader(b))
			return skipTaskRequest(r)
		},
	}
	h := &Handler{cfg: Config{}.WithDefaults()}
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, decode := range decoders {
			v, err := decode(body)
			if err != nil {
				resp := h.errorResponse(err)
				if resp.Status != http.StatusBadRequest || resp.Message == "" {
					t.Fatalf("%s(%q): answered %d %q, want a 400 with a message", name, body, resp.Status, resp.Message)
				}
				continue
			}
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("%s(%q) decoded to %#v, which does not encode: %v", name, body, v, err)
			}
		}
	})
}
