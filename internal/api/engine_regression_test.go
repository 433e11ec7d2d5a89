package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/model"
)

// Regressions found by fuzzing the API (make api-fuzz) against the real
// engine: each case failed before its fix.

// newEngineHandler is the API on a real engine over an in-memory store.
func newEngineHandler(t testing.TB) (http.Handler, *engine.Engine) {
	t.Helper()
	e, err := engine.New(engine.Config{Store: enginetest.NewMemStore(),
		Clock: enginetest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), ServerID: "baton"})
	require.NoError(t, err)
	require.NoError(t, e.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, e.Stop(context.Background())) })
	return NewHandler(e, Config{ServerID: testServerID}), e
}

// ?topLevelOnly=true, a documented parameter of the workflow searches,
// was folded into parentWorkflowId="" and then refused by the engine: every
// such search answered 400. It now keeps the workflows that are not
// sub-workflows.
func TestWorkflowSearchTopLevelOnly(t *testing.T) {
	t.Parallel()
	h, e := newEngineHandler(t)
	def := `{"name":"parent","version":1,"tasks":[{"name":"child","taskReferenceName":"child","type":"SUB_WORKFLOW",` +
		`"subWorkflowParam":{"name":"child","version":1}}]}`
	child := `{"name":"child","version":1,"tasks":[{"name":"w","taskReferenceName":"w","type":"WAIT"}]}`
	for _, body := range []string{child, def} {
		resp := doWith(t, h, http.MethodPost, "/api/metadata/workflow", body)
		require.Equal(t, http.StatusOK, resp.StatusCode, readAll(t, resp))
	}
	resp := doWith(t, h, http.MethodPost, "/api/workflow/parent", `{}`)
	parentID := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, parentID)
	e.RunDueTimers() // the SUB_WORKFLOW task starts its child

	for _, path := range []string{"/api/workflow/search", "/api/workflow/search-v2"} {
		all := searchIDs(t, h, path+"?size=10")
		require.Len(t, all, 2, "the parent and its sub-workflow")
		top := searchIDs(t, h, path+"?size=10&topLevelOnly=true")
		require.Equal(t, []string{parentID}, top, path)
	}
	// Another parent id is not supported yet, and says so.
	resp = doWith(t, h, http.MethodGet, `/api/workflow/search?query=parentWorkflowId%3Dabc`, "")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, readAll(t, resp), "parentWorkflowId")
}

func searchIDs(t *testing.T, h http.Handler, target string) []string {
	t.Helper()
	resp := doWith(t, h, http.MethodGet, target, "")
	body := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var res model.SearchResult[struct {
		WorkflowId string `json:"workflowId"`
	}]
	require.NoError(t, json.Unmarshal([]byte(body), &res))
	ids := []string{}
	for _, r := range res.Results {
		ids = append(ids, r.WorkflowId)
	}
	return ids
}

// ?classifier=a,b, a documented parameter of the workflow searches, was
// folded into classifier IN (a,b) and then refused by the engine: every
// such search answered 400. It now filters by the definition's classifier,
// the one the summaries report.
func TestWorkflowSearchClassifier(t *testing.T) {
	t.Parallel()
	h, _ := newEngineHandler(t)
	ids := map[string]string{}
	for name, meta := range map[string]string{"plain": `{}`, "tagged": `{"classifier":"custom"}`} {
		def := `{"name":"` + name + `","version":1,"metadata":` + meta +
			`,"tasks":[{"name":"w","taskReferenceName":"w","type":"WAIT"}]}`
		resp := doWith(t, h, http.MethodPost, "/api/metadata/workflow", def)
		require.Equal(t, http.StatusOK, resp.StatusCode, readAll(t, resp))
		resp = doWith(t, h, http.MethodPost, "/api/workflow/"+name, `{}`)
		ids[name] = readAll(t, resp)
		require.Equal(t, http.StatusOK, resp.StatusCode, ids[name])
	}
	for _, path := range []string{"/api/workflow/search", "/api/workflow/search-v2"} {
		require.Equal(t, []string{ids["tagged"]}, searchIDs(t, h, path+"?classifier=custom"), path)
		require.Equal(t, []string{ids["plain"]}, searchIDs(t, h, path+"?classifier=workflow"), path)
		require.Len(t, searchIDs(t, h, path+"?classifier=workflow,custom"), 2, path)
		require.Empty(t, searchIDs(t, h, path+"?classifier=agent"), path)
	}
}

// FuzzEngineHandler is FuzzHandler against the real engine, with a
// definition registered and a workflow running: whatever a client sends,
// the answer is never a 5xx (but the 501s of endpoints Baton does not offer).
func FuzzEngineHandler(f *testing.F) {
	for _, seed := range []struct {
		m          uint8
		path, body string
	}{
		{1, "/api/workflow/fz", `{"x":1}`},
		{1, "/api/workflow", `{"name":"fz","version":1,"correlationId":"c","priority":5,"taskToDomain":{"*":"d"}}`},
		{1, "/api/workflow/execute/fz/1?waitForSeconds=1&returnStrategy=BLOCKING_TASK_INPUT", `{}`},
		{0, "/api/workflow/search-by-tasks-v2?query=taskType%3Dfz_task&size=3", ``},
		{0, "/api/workflow/search?classifier=workflow&topLevelOnly=yes&sort=startTime:ASC", ``},
		{1, "/api/tasks/WFID/fz_task/COMPLETED/sync", `{"out":[1,2]}`},
		{2, "/api/workflow/WFID/skiptask/fz_task?taskOutput[a]=1", ``},
		{1, "/api/workflow/WFID/rerun", `{"reRunFromTaskId":"nope","taskInput":{"a":1}}`},
		{1, "/api/workflow/bulk/restart?useLatestDefinitions=true", `["WFID","x"]`},
		{3, "/api/metadata/workflow/fz/1", ``},
		{1, "/api/metadata/taskdefs", `[{"name":"fz_task","retryCount":0,"timeoutSeconds":1,"responseTimeoutSeconds":1}]`},
		{0, "/api/tasks/poll/batch/fz_task?count=5&timeout=0", ``},
	} {
		f.Add(seed.m, seed.path, seed.body)
	}
	h, _ := newEngineHandler(f)
	def := `{"name":"fz","version":1,"tasks":[{"name":"fz_task","taskReferenceName":"fz_task","type":"SIMPLE"},` +
		`{"name":"w","taskReferenceName":"w","type":"WAIT"}]}`
	for _, step := range [][2]string{
		{"/api/metadata/taskdefs", `[{"name":"fz_task"}]`},
		{"/api/metadata/workflow", def},
	} {
		resp := doWith(f, h, http.MethodPost, step[0], step[1])
		require.Equal(f, http.StatusOK, resp.StatusCode, readAll(f, resp))
	}
	resp := doWith(f, h, http.MethodPost, "/api/workflow/fz", `{}`)
	wfID := readAll(f, resp)
	require.Equal(f, http.StatusOK, resp.StatusCode, wfID)
	f.Fuzz(func(t *testing.T, m uint8, target, body string) {
		target = strings.ReplaceAll(target, "WFID", wfID)
		u, err := url.ParseRequestURI(target)
		if err != nil || !strings.HasPrefix(target, "/") {
			return
		}
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		req := httptest.NewRequest(method, "/", strings.NewReader(body))
		req.URL, req.RequestURI = u, target
		req.Header.Set("Content-Type", "application/json")
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second) // bounds executions that wait
		defer cancel()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.WithContext(ctx))
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s %q: %d %s", method, target, body, rec.Code, rec.Body)
		}
	})
}

// POST /api/workflow/execute with returnStrategy=BLOCKING_TASK_INPUT on a
// workflow that ends without a blocking task answers null, as Conductor's
// NotificationResult.toResponse does; the document said the answer is
// always an object. The answer is now validated against the document.
func TestExecuteWithNothingBlockingMatchesDocument(t *testing.T) {
	t.Parallel()
	h, _ := newEngineHandler(t)
	body := `{"input":{"x":1},"workflowDef":{"name":"quick","version":1,"tasks":[{"name":"set","taskReferenceName":"set",` +
		`"type":"SET_VARIABLE","inputParameters":{"done":true}}]}}`
	for _, strategy := range []string{"BLOCKING_TASK_INPUT", "BLOCKING_TASK", "TARGET_WORKFLOW"} {
		target := "/api/workflow/execute/quick/0?returnStrategy=" + strategy
		resp := doWith(t, h, http.MethodPost, target, body)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		answer := readAll(t, resp)
		if strategy != "TARGET_WORKFLOW" {
			require.Equal(t, "null", answer, strategy)
		}
		requireAnswerMatchesDocument(t, http.MethodPost, target, body, resp, answer)
	}
}

// TestAnswersMatchDocument walks a workflow's life through the API on the
// real engine and validates every answer, successes and errors, against
// the document.
func TestAnswersMatchDocument(t *testing.T) {
	t.Parallel()
	h, e := newEngineHandler(t)
	vars := map[string]string{}
	step := func(method, target, body string, status int, keep string) {
		t.Helper()
		for k, v := range vars {
			target = strings.ReplaceAll(target, "{"+k+"}", v)
			body = strings.ReplaceAll(body, "{"+k+"}", v)
		}
		resp := doWith(t, h, method, target, body)
		answer := readAll(t, resp)
		require.Equal(t, status, resp.StatusCode, "%s %s: %s", method, target, answer)
		requireAnswerMatchesDocument(t, method, target, body, resp, answer)
		if keep != "" {
			vars[keep] = answer
		}
	}
	def := `{"name":"doc_wf","version":1,"tasks":[{"name":"doc_task","taskReferenceName":"doc_task","type":"SIMPLE"},` +
		`{"name":"w","taskReferenceName":"w","type":"WAIT","inputParameters":{"duration":"1 hour"}}]}`
	step("POST", "/api/metadata/taskdefs", `[{"name":"doc_task","retryCount":1}]`, 200, "")
	step("POST", "/api/metadata/workflow", def, 200, "")
	step("POST", "/api/metadata/workflow", def, 409, "")
	step("POST", "/api/metadata/workflow/validate", `{"name":"","tasks":[]}`, 400, "")
	step("PUT", "/api/metadata/workflow", `[`+def+`]`, 200, "")
	step("PUT", "/api/metadata/taskdefs", `{"name":"doc_task","retryCount":2}`, 200, "")
	step("POST", "/api/workflow/doc_wf?correlationId=c1&priority=3", `{"k":"v"}`, 200, "wf")
	step("POST", "/api/workflow", `{"name":"doc_wf","version":1,"input":{}}`, 200, "wf2")
	e.RunDueTimers()
	step("GET", "/api/workflow/{wf}", "", 200, "")
	step("GET", "/api/workflow/{wf}/status?includeOutput=true&includeVariables=true", "", 200, "")
	step("GET", "/api/workflow/{wf}/tasks?status=SCHEDULED", "", 200, "")
	step("GET", "/api/workflow/doc_wf/correlated/c1?includeTasks=true", "", 200, "")
	step("POST", "/api/workflow/doc_wf/correlated?includeClosed=true", `["c1","c2"]`, 200, "")
	step("GET", "/api/workflow/running/doc_wf", "", 200, "")
	step("GET", "/api/tasks/queue/size?taskType=doc_task", "", 200, "")
	step("GET", "/api/tasks/queue/sizes?taskType=doc_task", "", 200, "")
	step("GET", "/api/tasks/queue/all", "", 200, "")
	step("GET", "/api/tasks/queue/all/verbose", "", 200, "")
	step("GET", "/api/tasks/poll/batch/doc_task?count=1&timeout=0&workerid=me", "", 200, "")
	step("GET", "/api/tasks/queue/polldata?taskType=doc_task", "", 200, "")
	step("GET", "/api/tasks/queue/polldata/all", "", 200, "")
	step("GET", "/api/tasks/poll/doc_task", "", 200, "")
	step("GET", "/api/tasks/poll/batch/nothing_here?timeout=0", "", 200, "") // a single poll would wait on the fake clock
	step("POST", "/api/tasks/{wf}/doc_task/COMPLETED?workerid=me", `{"out":1}`, 200, "")
	// No pending task by that name: Conductor's empty 200 with no Content-Type,
	// which OpenAPI cannot describe beside the text/plain id.
	resp := doWith(t, h, http.MethodPost, "/api/tasks/"+vars["wf"]+"/doc_task/COMPLETED", `{"out":1}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, readAll(t, resp))
	step("PUT", "/api/workflow/{wf}/pause", "", 200, "")
	step("PUT", "/api/workflow/{wf}/resume", "", 200, "")
	step("PUT", "/api/workflow/decide/{wf}", "", 200, "")
	step("POST", "/api/workflow/{wf}/resetcallbacks", "", 204, "")
	step("GET", "/api/workflow/search?query=workflowType%3Ddoc_wf&sort=startTime:ASC", "", 200, "")
	step("GET", "/api/workflow/search-v2?classifier=workflow&topLevelOnly=true", "", 200, "")
	step("GET", "/api/workflow/search-by-tasks?query=taskType%3Ddoc_task", "", 200, "")
	step("GET", "/api/workflow/search-by-tasks-v2", "", 200, "")
	step("GET", "/api/tasks/search?size=2", "", 200, "")
	step("GET", "/api/tasks/search-v2?freeText=*", "", 200, "")
	step("DELETE", "/api/workflow/{wf}?reason=done", "", 200, "")
	step("POST", "/api/workflow/{wf}/retry", "", 204, "")
	step("DELETE", "/api/workflow/{wf}", "", 200, "")
	step("POST", "/api/workflow/{wf}/restart?useLatestDefinitions=true", "", 204, "")
	step("PUT", "/api/workflow/bulk/pause", `["{wf}","nope"]`, 200, "")
	step("POST", "/api/workflow/bulk/search?includeTasks=false", `["{wf}","nope"]`, 200, "")
	step("POST", "/api/workflow/bulk/terminate?reason=r", `["{wf}","{wf2}"]`, 200, "")
	step("DELETE", "/api/workflow/bulk/remove", `["{wf2}"]`, 200, "")
	step("PUT", "/api/workflow/bulk/resume", `[]`, 400, "")
	step("DELETE", "/api/workflow/{wf}/terminate-remove", "", 200, "")
	step("GET", "/api/workflow/{wf}", "", 404, "")
	step("GET", "/api/tasks/nope", "", 404, "")
	step("GET", "/api/metadata/workflow", "", 200, "")
	step("GET", "/api/metadata/workflow/doc_wf?version=1", "", 200, "")
	step("GET", "/api/metadata/workflow/names-and-versions", "", 200, "")
	step("GET", "/api/metadata/workflow/names", "", 200, "")
	step("GET", "/api/metadata/workflow/doc_wf/versions", "", 200, "")
	step("GET", "/api/metadata/workflow/latest-versions", "", 200, "")
	step("GET", "/api/metadata/taskdefs", "", 200, "")
	step("GET", "/api/metadata/taskdefs/doc_task", "", 200, "")
	step("DELETE", "/api/metadata/workflow/doc_wf/1", "", 200, "")
	step("DELETE", "/api/metadata/taskdefs/doc_task", "", 200, "")
	step("GET", "/api/metadata/taskdefs/doc_task", "", 404, "")
	step("POST", "/api/workflow", `{"name":`, 400, "")
	step("GET", "/api/workflow/externalstoragelocation", "", 501, "")
	step("GET", "/health", "", 200, "")
	step("GET", "/api/health", "", 200, "")
	step("GET", "/api-docs", "", 200, "")
}
