package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newServer returns an in-memory server on a free loopback port, stopped
// at the end of the test.
func newServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Stop(context.Background())) })
	return s
}

func apiClient(t testing.TB, baseURL string) *client.APIClient {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(baseURL), HTTPClient: &http.Client{Transport: tr}})
	require.NoError(t, err)
	return c
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url) //nolint:noctx // test helper on loopback
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestStartServeStop(t *testing.T) {
	t.Parallel()
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB})
	require.NoError(t, err)
	require.Empty(t, s.URL())
	require.Empty(t, s.Addr())

	require.NoError(t, s.Start(t.Context()))
	require.NoError(t, s.Start(t.Context()), "a second Start does nothing")
	require.True(t, strings.HasPrefix(s.URL(), "http://127.0.0.1:"), s.URL())
	require.True(t, strings.HasSuffix(s.URL(), "/api"), s.URL())
	require.NotContains(t, s.Addr(), ":0")

	for _, path := range []string{"/health", "/api/health"} {
		status, body := get(t, "http://"+s.Addr()+path)
		require.Equal(t, http.StatusOK, status)
		require.JSONEq(t, `{"healthResults":[],"suppressedHealthResults":[],"healthy":true}`, body)
	}

	require.NoError(t, s.Stop(t.Context()))
	require.NoError(t, s.Stop(t.Context()), "Stop is idempotent")
	require.ErrorContains(t, s.Start(t.Context()), "Start after Stop")
	_, err = net.Dial("tcp", s.Addr())
	require.Error(t, err, "the listener is closed")
	http.DefaultClient.CloseIdleConnections()
}

func TestStopWithoutStart(t *testing.T) {
	t.Parallel()
	s, err := New(&Config{DBPath: MemoryDB})
	require.NoError(t, err)
	require.NoError(t, s.Stop(t.Context()))
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Addr: "localhost", DBPath: MemoryDB}, `Addr "localhost" is not host:port`},
		{Config{Addr: "127.0.0.1:0", DBPath: MemoryDB, MaxBodyBytes: -1}, "MaxBodyBytes -1 must not be negative"},
		{Config{Addr: "127.0.0.1:0", DBPath: filepath.Join(t.TempDir(), "missing-dir", "baton.db")}, "missing-dir"},
	} {
		_, err := New(&tc.cfg)
		require.ErrorContains(t, err, tc.want)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c := Config{}.WithDefaults()
	require.Equal(t, "127.0.0.1:8080", c.Addr)
	require.Equal(t, "baton.db", c.DBPath)
	require.NotNil(t, c.Logger)
}

func TestPortInUse(t *testing.T) {
	t.Parallel()
	s1 := newServer(t)
	require.NoError(t, s1.Start(t.Context()))
	s2, err := New(&Config{Addr: s1.Addr(), DBPath: MemoryDB})
	require.NoError(t, err)
	require.ErrorContains(t, s2.Start(t.Context()), "listen on "+s1.Addr())
	require.NoError(t, s2.Stop(t.Context()))
}

func TestURLOfWildcardAddress(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"0.0.0.0:8080":    "http://127.0.0.1:8080/api",
		"[::]:8080":       "http://[::1]:8080/api",
		"10.1.2.3:9":      "http://10.1.2.3:9/api",
		"127.0.0.1:12345": "http://127.0.0.1:12345/api",
	} {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		require.NoError(t, err)
		s := &Server{ln: fakeListener{tcp}}
		require.Equal(t, want, s.URL())
	}
}

type fakeListener struct{ addr net.Addr }

func (fakeListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (fakeListener) Close() error              { return nil }
func (l fakeListener) Addr() net.Addr          { return l.addr }

// TestHandlerRunsAWorkflow drives the real engine through Handler alone
// (no Start): register, start, poll, complete, read back.
func TestHandlerRunsAWorkflow(t *testing.T) {
	t.Parallel()
	s, err := New(&Config{DBPath: MemoryDB})
	require.NoError(t, err)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		require.NoError(t, s.Stop(context.Background()))
	})
	ctx := t.Context()
	api := apiClient(t, ts.URL+"/api")

	require.NoError(t, api.Metadata().RegisterTaskDefs(ctx, *model.NewTaskDef("task_1")))
	def := model.NewWorkflowDef("wf", model.WorkflowTask{Name: "task_1", TaskReferenceName: "t1", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"x": "${workflow.input.x}"}})
	def.OutputParameters = map[string]any{"y": "${t1.output.y}"}
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, def, false))
	id, err := api.Workflows().StartByName(ctx, "wf", map[string]any{"x": 41.0}, client.StartOptions{})
	require.NoError(t, err)

	task, err := api.Tasks().Poll(ctx, "task_1", client.PollOptions{WorkerID: "w"})
	require.NoError(t, err)
	require.NotNil(t, task)
	require.Equal(t, 41.0, task.InputData["x"])
	result := model.NewTaskResultFromTask(task)
	result.Status = model.CompletedTask
	result.OutputData = map[string]any{"y": 42.0}
	ack, err := api.Tasks().Update(ctx, result)
	require.NoError(t, err)
	require.Equal(t, task.TaskId, ack)

	wf, err := api.Workflows().Get(ctx, id, true)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Equal(t, 42.0, wf.Output["y"])

	page, err := api.Workflows().Search(ctx, client.SearchOptions{Query: "workflowType = 'wf'"})
	require.NoError(t, err)
	require.Equal(t, int64(1), page.TotalHits)
	require.Equal(t, id, page.Results[0].WorkflowId)
	require.Equal(t, "{x=41}", page.Results[0].Input)
}

// TestStopEndsLongPolls: a long poll in flight answers [] as soon as Stop
// begins, instead of holding the shutdown for its timeout.
func TestStopEndsLongPolls(t *testing.T) {
	t.Parallel()
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB})
	require.NoError(t, err)
	arrived := make(chan struct{})
	inner := s.handler
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/poll/batch/") {
			close(arrived)
		}
		inner.ServeHTTP(w, r)
	})
	require.NoError(t, s.Start(t.Context()))
	api := apiClient(t, s.URL())

	type answer struct {
		tasks []model.WorkerTask
		err   error
	}
	done := make(chan answer)
	go func() {
		tasks, err := api.Tasks().BatchPoll(context.Background(), "task_1", client.BatchPollOptions{Count: 1, Timeout: 5e9})
		done <- answer{tasks, err}
	}()
	<-arrived
	require.NoError(t, s.Stop(t.Context()))
	got := <-done
	require.NoError(t, got.err)
	require.Empty(t, got.tasks)
}

// TestStopFinishesRequestsInFlight: a request that started before Stop
// completes normally; Stop waits for it.
func TestStopFinishesRequestsInFlight(t *testing.T) {
	t.Parallel()
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB})
	require.NoError(t, err)
	arrived, release := make(chan struct{}), make(chan struct{})
	inner := s.handler
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/metadata/taskdefs" && r.Method == http.MethodPost {
			close(arrived)
			<-release
		}
		inner.ServeHTTP(w, r)
	})
	require.NoError(t, s.Start(t.Context()))
	shuttingDown := make(chan struct{})
	s.httpSrv.RegisterOnShutdown(func() { close(shuttingDown) })
	api := apiClient(t, s.URL())

	registered := make(chan error)
	go func() {
		registered <- api.Metadata().RegisterTaskDefs(context.Background(), *model.NewTaskDef("task_1"))
	}()
	<-arrived
	stopped := make(chan error)
	go func() { stopped <- s.Stop(context.Background()) }()
	<-shuttingDown
	close(release)
	require.NoError(t, <-registered, "the request in flight completes")
	require.NoError(t, <-stopped)
}

// TestDataSurvivesRestart: a file database keeps definitions and
// executions across servers.
func TestDataSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.db")
	ctx := t.Context()

	s1, err := New(&Config{Addr: "127.0.0.1:0", DBPath: path})
	require.NoError(t, err)
	require.NoError(t, s1.Start(ctx))
	api := apiClient(t, s1.URL())
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef("wf", model.WorkflowTask{Name: "task_1", TaskReferenceName: "t1"}), false))
	id, err := api.Workflows().StartByName(ctx, "wf", map[string]any{}, client.StartOptions{})
	require.NoError(t, err)
	require.NoError(t, s1.Stop(ctx))

	s2, err := New(&Config{Addr: "127.0.0.1:0", DBPath: path})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s2.Stop(context.Background())) })
	require.NoError(t, s2.Start(ctx))
	api2 := apiClient(t, s2.URL())
	wf, err := api2.Workflows().Get(ctx, id, true)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowRunning, wf.Status)
	task, err := api2.Tasks().Poll(ctx, "task_1", client.PollOptions{})
	require.NoError(t, err)
	require.NotNil(t, task, "the queue is rebuilt from the database")
	require.Equal(t, id, task.WorkflowInstanceId)
}
