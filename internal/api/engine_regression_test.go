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
