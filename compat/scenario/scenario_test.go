package scenario

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/compat/trace"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDelayClass(t *testing.T) {
	t.Parallel()
	cases := []struct {
		measured time.Duration
		expected float64
		want     string
	}{
		{50 * time.Millisecond, 0, "≈0s"},
		{900 * time.Millisecond, 1, "≈1s"},
		{5 * time.Second, 1, "≈1s"},
		{500 * time.Millisecond, 1, "early (<1s)"},
		{7 * time.Second, 1, "late (>6s)"},
		{60 * time.Second, 2, "late (>7s)"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, DelayClass(c.measured, c.expected), "%s vs %gs", c.measured, c.expected)
	}
}

func TestElideAndProject(t *testing.T) {
	t.Parallel()
	wf := M{"status": "RUNNING", "workflowDefinition": M{"name": "x"}, "createTime": 1,
		"tasks": []any{M{"taskType": "a", "status": "SCHEDULED", "workflowTask": M{}, "taskDefinition": nil, "queueWaitTime": 3}}}
	e := elide(wf).(M)
	require.Equal(t, "<elided>", e["workflowDefinition"])
	task := e["tasks"].([]any)[0].(M)
	require.Equal(t, "<elided>", task["workflowTask"])
	require.Nil(t, task["taskDefinition"], "a null stays null")
	p := projectWorkflow(wf).(M)
	require.Equal(t, M{"status": "RUNNING", "tasks": []any{M{"taskType": "a", "status": "SCHEDULED"}}}, p)
}

func TestOwn(t *testing.T) {
	t.Parallel()
	s := &S{prefix: "cx1_s_"}
	got := s.Own([]any{M{"name": "cx1_s_a"}, M{"name": "other"}, M{"tasks": []any{M{"name": "cx1_s_b"}}}})
	require.Len(t, got, 2)
	require.Equal(t, "not a list", s.Own("not a list"))
}

// fakeServer answers just enough of the API for TestRun.
func fakeServer(t *testing.T) *httptest.Server {
	t.Helper()
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/api/workflow":
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			_, _ = io.WriteString(w, "11111111-1111-4111-8111-111111111111")
		case strings.HasPrefix(r.URL.Path, "/api/tasks/poll/"):
			polls++
			if polls < 3 {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"taskId":"22222222-2222-4222-8222-222222222222","workflowInstanceId":"11111111-1111-4111-8111-111111111111","status":"IN_PROGRESS","updateTime":1795805983110}`)
		case strings.HasPrefix(r.URL.Path, "/api/workflow/"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"RUNNING","tasks":[]}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"status":404,"message":"nope","instance":"host-1"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRun(t *testing.T) {
	t.Parallel()
	srv := fakeServer(t)
	sc := Scenario{Name: "fake", Run: func(s *S) {
		id := s.Start("wf", M{"x": 1}, nil)
		task := s.AwaitPoll("a")
		s.Check("polled the workflow's task", str(task, "workflowInstanceId") == id)
		s.Do(Req{Method: http.MethodGet, Path: "/missing"})
	}}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	res, err := Run(context.Background(), Target{BaseURL: srv.URL + "/api", Client: client, AwaitTimeout: 5 * time.Second}, sc, "r1")
	require.NoError(t, err)
	require.Empty(t, res.Trace.Aborted)
	steps := res.Normalized["steps"].([]any)
	require.Len(t, steps, 5) // start, awaited poll, check, 404, final state
	require.Equal(t, "<wf1>", steps[0].(M)["response"])
	poll := steps[1].(M)
	require.Equal(t, "a task to poll", poll["await"])
	require.Equal(t, M{"taskId": "<task1>", "workflowInstanceId": "<wf1>", "status": "IN_PROGRESS", "updateTime": "<time>"}, poll["response"])
	require.Equal(t, true, steps[2].(M)["ok"])
	require.Equal(t, "<host>", steps[3].(M)["response"].(M)["instance"])
	require.Equal(t, trace.KindFinal, steps[4].(M)["kind"])
}

func TestRunAbortsWhenAnAwaitIsNeverMet(t *testing.T) {
	t.Parallel()
	srv := fakeServer(t)
	sc := Scenario{Name: "never", Run: func(s *S) {
		s.Start("wf", M{}, nil)
		s.AwaitStatus(s.workflows[0], "COMPLETED")
		s.Note("not reached", 1)
	}}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	res, err := Run(context.Background(), Target{BaseURL: srv.URL + "/api", Client: client, AwaitTimeout: 300 * time.Millisecond}, sc, "r2")
	require.NoError(t, err)
	require.Contains(t, res.Trace.Aborted, `await "workflow COMPLETED"`)
	for _, st := range res.Trace.Steps {
		require.NotEqual(t, trace.KindNote, st.Kind)
	}
	_, err = Run(context.Background(), Target{}, sc, "r3")
	require.Error(t, err)
}

func TestRunTurnsAPanicIntoAnAbort(t *testing.T) {
	t.Parallel()
	sc := Scenario{Name: "panics", Run: func(*S) { panic("boom") }}
	res, err := Run(context.Background(), Target{BaseURL: "http://127.0.0.1:1/api"}, sc, "r4")
	require.NoError(t, err)
	require.Contains(t, res.Trace.Aborted, "panic: boom")
}

func TestAllScenariosHaveUniqueNamesAndSources(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, sc := range All() {
		require.NotEmpty(t, sc.Source, sc.Name)
		require.NotNil(t, sc.Run, sc.Name)
		require.False(t, seen[sc.Name], "duplicate %s", sc.Name)
		seen[sc.Name] = true
	}
}

// Every scenario has a unique name, a source, a topic from Topics and a
// golden trace recorded from the real server.
func TestAllScenariosAreDescribed(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, sc := range All() {
		require.False(t, seen[sc.Name], "duplicate scenario %s", sc.Name)
		seen[sc.Name] = true
		require.NotEmpty(t, sc.Source, sc.Name)
		require.Contains(t, Topics, sc.Topic, sc.Name)
		require.FileExists(t, "../testdata/conductor/"+sc.Name+".json", "golden trace of %s", sc.Name)
	}
	require.NotEmpty(t, seen)
}
