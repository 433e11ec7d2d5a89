package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
)

// TestEventAndScheduleAnswersMatchDocument drives the event handler, queue
// admin, schedule and poll-release routes on the real engine, and validates
// every answer (status, headers, body) against the OpenAPI document.
func TestEventAndScheduleAnswersMatchDocument(t *testing.T) {
	t.Parallel()
	h, _ := newEngineHandler(t)
	step := func(method, target, body string, status int) string {
		t.Helper()
		resp := doWith(t, h, method, target, body)
		answer := readAll(t, resp)
		require.Equal(t, status, resp.StatusCode, "%s %s: %s", method, target, answer)
		require.Equal(t, capabilities, resp.Header.Get(headerCapabilities), "%s %s", method, target)
		requireAnswerMatchesDocument(t, method, target, body, resp, answer)
		return answer
	}
	handler := `{"name":"doc_handler","event":"conductor:doc_queue","active":true,` +
		`"actions":[{"action":"start_workflow","start_workflow":{"name":"doc_wf"}}]}`
	step("GET", "/api/event", "", 200)
	step("GET", "/api/event/conductor:doc_queue", "", 200)
	step("POST", "/api/event", handler, 200)
	step("POST", "/api/event", handler, 409)
	step("PUT", "/api/event", strings.Replace(handler, `"active":true`, `"active":false`, 1), 200)
	step("PUT", "/api/event", strings.Replace(handler, "doc_handler", "nope", 1), 404)
	require.Contains(t, step("GET", "/api/event", "", 200), "doc_handler")
	require.Equal(t, "[]", step("GET", "/api/event/conductor:doc_queue", "", 200))
	require.Contains(t, step("GET", "/api/event/conductor:doc_queue?activeOnly=false", "", 200), "doc_handler")
	step("GET", "/api/event/%20", "", 400)
	step("DELETE", "/api/event/doc_handler", "", 200)
	step("DELETE", "/api/event/doc_handler", "", 404)
	step("GET", "/api/queue/", "", 200)
	step("GET", "/api/queue/size", "", 200)
	step("POST", "/api/queue/update/wf1/ref1/COMPLETED", `{"approved":true}`, 200)
	step("POST", "/api/queue/update/wf1/task/t1/FAILED", `{}`, 200)
	step("POST", "/api/queue/update/wf1/ref1/SKIPPED", `{}`, 400)

	schedule := `{"name":"doc_schedule","cronExpression":"0 0 * * * ?","startWorkflowRequest":{"name":"doc_wf"}}`
	step("GET", "/api/scheduler/schedules/search", "", 200)
	step("GET", "/api/scheduler/search/executions", "", 200)
	step("POST", "/api/scheduler/schedules", schedule, 200)
	step("POST", "/api/scheduler/schedules", `{"name":"x"}`, 400)
	step("GET", "/api/scheduler/schedules", "", 200)
	step("GET", "/api/scheduler/schedules?workflowName=doc_wf", "", 200)
	step("GET", "/api/scheduler/schedules/search?scheduleName=doc&paused=false&sort=name:DESC&start=0&size=10", "", 200)
	step("GET", "/api/scheduler/schedules/doc_schedule", "", 200)
	step("GET", "/api/scheduler/schedules/nope", "", 404)
	step("PUT", "/api/scheduler/schedules/doc_schedule/pause?reason=why", "", 200)
	step("PUT", "/api/scheduler/schedules/doc_schedule/resume", "", 200)
	step("PUT", "/api/scheduler/schedules/doc_schedule/resume", "", 404)
	step("PUT", "/api/scheduler/bulk/pause", `["doc_schedule","nope"]`, 200)
	step("PUT", "/api/scheduler/bulk/resume", `["doc_schedule"]`, 200)
	step("GET", "/api/scheduler/nextFewSchedules?cronExpression=0+0+*+*+*+%3F&limit=3", "", 200)
	step("GET", "/api/scheduler/nextFewSchedules", "", 400)
	step("GET", "/api/scheduler/search/executions?query=scheduleName%3Ddoc_schedule&start=0&size=5", "", 200)
	step("GET", "/api/scheduler/admin/pause", "", 200)
	step("GET", "/api/scheduler/admin/resume", "", 200)
	step("DELETE", "/api/scheduler/schedules/doc_schedule", "", 200)
	step("DELETE", "/api/scheduler/schedules/doc_schedule", "", 200)

	step("POST", "/api/tasks/poll/release?pollerId=p1", "", 204)
	step("POST", "/api/tasks/poll/release", "", 400)
	resp := doWith(t, h, http.MethodGet, "/api/tasks/poll/batch/doc_task?timeout=0", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, readAll(t, resp))
}

// A schedule's inline workflowDef was saved unchecked: one that no start
// would accept (tasks without names) was stored, echoed back where the
// document promises a valid definition, and would have failed every run.
// It is now refused as a start refuses it; a valid one is answered as the
// document says, an embedded task definition included.
func TestScheduleInlineDefinitionIsValidated(t *testing.T) {
	t.Parallel()
	h, _ := newEngineHandler(t)
	save := func(def string) (*http.Response, string) {
		body := `{"name":"inline","cronExpression":"0 0 * * * ?","startWorkflowRequest":{"name":"inline_wf","workflowDef":` + def + `}}`
		resp := doWith(t, h, http.MethodPost, "/api/scheduler/schedules", body)
		answer := readAll(t, resp)
		requireAnswerMatchesDocument(t, http.MethodPost, "/api/scheduler/schedules", body, resp, answer)
		return resp, answer
	}
	resp, answer := save(`{"name":"inline_wf","tasks":[{"name":"","taskReferenceName":"","type":"","forkTasks":[[{"name":"","taskReferenceName":"","taskDefinition":{}}]]}]}`)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, answer)
	require.Contains(t, answer, "taskReferenceName")
	resp = doWith(t, h, http.MethodGet, "/api/scheduler/schedules/inline", "")
	require.Equal(t, http.StatusNotFound, resp.StatusCode, readAll(t, resp))

	resp, answer = save(`{"name":"inline_wf","tasks":[{"name":"w","taskReferenceName":"w","type":"WAIT","taskDefinition":{"name":"w"}}]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, answer)
	resp, answer = save(`{"name":"inline_wf","tasks":[{"name":"w","taskReferenceName":"w","type":"WAIT","taskDefinition":{}}]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, answer)
	require.Contains(t, answer, `"schemaVersion":2`, "WorkflowDef.java's defaults, as a start applies them")

	body := `{"name":"inline","cronExpression":"0 0 * * * ?","startWorkflowRequest":{"name":"inline_wf","priority":100}}`
	resp = doWith(t, h, http.MethodPost, "/api/scheduler/schedules", body)
	answer = readAll(t, resp)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, answer)
	require.Contains(t, answer, "priority")
	requireAnswerMatchesDocument(t, http.MethodPost, "/api/scheduler/schedules", body, resp, answer)
}

// TestGuardAnswersMatchDocument puts the authentication guard in front of
// the API, as baton server does off loopback, and validates its answers
// (POST /api/token, the 401s) and the API's behind it against the document.
func TestGuardAnswersMatchDocument(t *testing.T) {
	t.Parallel()
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	keys := auth.NewKeys(st, now)
	a, err := auth.New(context.Background(), auth.Config{Keys: keys, Now: now, ServerID: testServerID})
	require.NoError(t, err)
	k, err := keys.Create(context.Background(), "doc")
	require.NoError(t, err)
	api, _ := newEngineHandler(t)
	h := a.Handler(api)

	step := func(method, target, body, token string, status int) string {
		t.Helper()
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", ctJSON)
		if token != "" {
			req.Header.Set(auth.HeaderName, token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		resp := w.Result()
		answer := readAll(t, resp)
		require.Equal(t, status, resp.StatusCode, "%s %s: %s", method, target, answer)
		requireAnswerMatchesDocument(t, method, target, body, resp, answer)
		return answer
	}
	require.Contains(t, step("GET", "/api/event", "", "", 401), `"error":"INVALID_TOKEN"`)
	require.Contains(t, step("GET", "/api/scheduler/schedules", "", "not.a.token", 401), `"error":"INVALID_TOKEN"`)
	step("POST", auth.TokenPath, `{"keyId":"nope","keySecret":"nope"}`, "", 401)
	step("POST", auth.TokenPath, `{"keyId":`, "", 400)
	var tok struct{ Token string }
	require.NoError(t, json.Unmarshal([]byte(step("POST", auth.TokenPath,
		`{"keyId":"`+k.ID+`","keySecret":"`+k.Secret+`"}`, "", 200)), &tok))
	require.NotEmpty(t, tok.Token)
	step("GET", "/api/event", "", tok.Token, 200)
	step("GET", "/api/health", "", "", 200)
	step("GET", "/api-docs", "", "", 401)
}

// Without the guard (authentication off), POST /api/token is a path the
// API does not serve: the 404 the document names.
func TestTokenWithoutAuthentication(t *testing.T) {
	t.Parallel()
	body := `{"keyId":"a","keySecret":"b"}`
	resp := do(t, newFake(), http.MethodPost, auth.TokenPath, body)
	answer := readAll(t, resp)
	require.Equal(t, http.StatusNotFound, resp.StatusCode, answer)
	requireAnswerMatchesDocument(t, http.MethodPost, auth.TokenPath, body, resp, answer)
}

// A 503 carries Retry-After, as the document says of every 503.
func TestUnavailableMatchesDocument(t *testing.T) {
	t.Parallel()
	full := fmt.Errorf("%w: database or disk is full (13)", store.ErrUnavailable)
	f := newFake().on("AddEventHandler", nil, full).on("SaveSchedule", nil, full)
	for _, req := range []struct{ target, body string }{
		{"/api/event", `{"name":"h","event":"conductor:q","actions":[]}`},
		{"/api/scheduler/schedules", `{"name":"s","cronExpression":"0 0 * * * ?","startWorkflowRequest":{"name":"wf"}}`},
	} {
		resp := do(t, f, http.MethodPost, req.target, req.body)
		answer := readAll(t, resp)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, answer)
		require.Equal(t, "5", resp.Header.Get("Retry-After"))
		requireAnswerMatchesDocument(t, http.MethodPost, req.target, req.body, resp, answer)
	}
	b, err := apiDoc()
	require.NoError(t, err)
	require.Contains(t, string(b), `"Retry-After"`)
}

// The document's bound on a schedule's name is the engine's.
func TestScheduleNameBound(t *testing.T) {
	t.Parallel()
	h, _ := newEngineHandler(t)
	for n, status := range map[int]int{engine.MaxScheduleNameLen: http.StatusOK, engine.MaxScheduleNameLen + 1: http.StatusBadRequest} {
		body := `{"name":"` + strings.Repeat("s", n) + `","cronExpression":"0 0 * * * ?","startWorkflowRequest":{"name":"wf"}}`
		resp := doWith(t, h, http.MethodPost, "/api/scheduler/schedules", body)
		answer := readAll(t, resp)
		require.Equal(t, status, resp.StatusCode, answer)
		requireAnswerMatchesDocument(t, http.MethodPost, "/api/scheduler/schedules", body, resp, answer)
	}
}
