package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
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
