package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

type testBundle struct {
	srv  *batontest.Server
	base string
	http *http.Client
}

func setup(t *testing.T, opts ...batontest.Option) *testBundle {
	t.Helper()
	srv := batontest.NewServer(t, opts...)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &testBundle{srv: srv, base: strings.TrimSuffix(srv.URL(), "/api"), http: hc}
}

// do sends a request and returns the status, headers and body.
func (b *testBundle) do(t *testing.T, method, path string, form url.Values, header map[string]string) (int, http.Header, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, b.base+path, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(out)
}

func (b *testBundle) startWait(t *testing.T, correlationID string) string {
	t.Helper()
	ctx := context.Background()
	def := model.NewWorkflowDef("gate", model.WorkflowTask{Name: "gate", TaskReferenceName: "gate", Type: model.TaskTypeWait})
	require.NoError(t, b.srv.Client().Metadata().RegisterWorkflowDef(ctx, def, true))
	id, err := b.srv.Client().Workflows().StartByName(ctx, "gate", nil, client.StartOptions{CorrelationID: correlationID})
	require.NoError(t, err)
	return id
}

func TestPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.startWait(t, "c-1")
	for _, path := range []string{"/executions", "/executions/" + id, "/executions/" + id + "?task=nope&tp=9&iter=x:y&expand=z",
		"/definitions", "/definitions/workflow/gate", "/definitions/new/workflow", "/definitions/new/task", "/queues"} {
		status, h, body := b.do(t, http.MethodGet, path, nil, nil)
		require.Equal(t, http.StatusOK, status, path)
		require.Contains(t, h.Get("Content-Security-Policy"), "script-src 'self'", path)
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		require.Contains(t, body, `<script src="/static/app.js" defer></script>`, path)
		require.NotContains(t, body, " onclick=", path)
		require.NotContains(t, body, " style=", path) // the CSP allows no inline style
	}
	status, h, _ := b.do(t, http.MethodGet, "/", nil, nil)
	require.Equal(t, http.StatusFound, status)
	require.Equal(t, "/executions", h.Get("Location"))
	for _, path := range []string{"/static/app.css", "/static/app.js"} {
		status, _, _ := b.do(t, http.MethodGet, path, nil, nil)
		require.Equal(t, http.StatusOK, status, path)
	}
}

func TestAPIStillServed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	status, h, body := b.do(t, http.MethodGet, "/api/health", nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, h.Get("Content-Type"), "json")
	require.Contains(t, body, "healthy")
	status, _, body = b.do(t, http.MethodGet, "/no/such/page", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, body, `"status":404`) // the API's ErrorResponse
}

func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	status, _, body := b.do(t, http.MethodGet, "/executions/no-such-id", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, body, "no-such-id")
	status, _, body = b.do(t, http.MethodGet, "/definitions/workflow/nope", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, body, "nope")
}

func TestEscaping(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.startWait(t, `<script>alert("x")</script>`)
	for _, path := range []string{"/executions", "/executions/" + id} {
		_, _, body := b.do(t, http.MethodGet, path, nil, nil)
		require.NotContains(t, body, `<script>alert`, path)
		require.Contains(t, body, `&lt;script&gt;alert`, path)
	}
}

func TestCrossOriginFormsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.startWait(t, "")
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "http://evil.example"},
	} {
		status, _, _ := b.do(t, http.MethodPost, "/executions/"+id+"/terminate", url.Values{"reason": {"csrf"}}, h)
		require.Equal(t, http.StatusForbidden, status, h)
	}
	wf, err := b.srv.Client().Workflows().Get(context.Background(), id, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowRunning, wf.Status)

	status, h, _ := b.do(t, http.MethodPost, "/executions/"+id+"/pause", url.Values{}, map[string]string{"Sec-Fetch-Site": "same-origin"})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, "/executions/"+id+"?done=pause", h.Get("Location"))
}

func TestActionRefusedWithServerMessage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.startWait(t, "")
	status, _, body := b.do(t, http.MethodPost, "/executions/"+id+"/resume", url.Values{}, nil)
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, body, "is not PAUSED so cannot resume")
	status, _, body = b.do(t, http.MethodPost, "/executions/"+id+"/complete", url.Values{"output": {"[1]"}, "task": {"x"}}, nil)
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, body, "not a JSON object")
	status, _, _ = b.do(t, http.MethodPost, "/executions/"+id+"/explode", url.Values{}, nil)
	require.Equal(t, http.StatusBadRequest, status)
}

func TestSaveDefinition(t *testing.T) {
	t.Parallel()
	b := setup(t)
	status, _, body := b.do(t, http.MethodPost, "/definitions/workflow",
		url.Values{"json": {`{"name": "w", "version": 1, "tasks": [{"name": "a", "type": "SIMPLE"}]}`}}, nil)
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, body, "taskReferenceName")
	require.Contains(t, body, `&#34;name&#34;: &#34;w&#34;`, "the text is kept in the editor")

	status, h, _ := b.do(t, http.MethodPost, "/definitions/workflow",
		url.Values{"json": {`{"name": "w", "version": 3, "tasks": [{"name": "a", "taskReferenceName": "a", "type": "SIMPLE"}]}`}}, nil)
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, "/definitions/workflow/w?saved=1&version=3", h.Get("Location"))

	status, h, _ = b.do(t, http.MethodPost, "/definitions/task", url.Values{"json": {`[{"name": "a", "retryCount": 1}]`}}, nil)
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, "/definitions/task/a?saved=1", h.Get("Location"))
	status, _, body = b.do(t, http.MethodPost, "/definitions/task", url.Values{"json": {`{"retryCount": 1}`}}, nil)
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, body, "name")
}

func TestExecutionsSearchInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.startWait(t, "c-1")
	for _, q := range []string{"sort=nope", "size=7", "start=-1", "status=NOPE", "correlationId=a,b", "from=yesterday"} {
		status, _, body := b.do(t, http.MethodGet, "/executions?"+q, nil, nil)
		require.Equal(t, http.StatusBadRequest, status, q)
		require.Contains(t, body, `id="problem"`, q)
	}
	_, _, body := b.do(t, http.MethodGet, "/executions?status=RUNNING&correlationId=c-1&from=2000-01-01T00:00", nil, nil)
	require.Contains(t, body, "1–1 of 1")
}
