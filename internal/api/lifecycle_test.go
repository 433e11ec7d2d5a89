package api

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestPanicBecomes500AndIsLogged(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	f := newFake().on("GetTask", task1, nil)
	f.panicOn = "GetTask"
	h := newTestHandler(f, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	e := errorBody(t, doWith(t, h, "GET", "/api/tasks/t1", ""), http.StatusInternalServerError)
	require.Contains(t, e.Message, "fake GetTask exploded")
	require.Contains(t, e.Message, "GET /api/tasks/t1")
	require.False(t, e.Retryable)
	require.Contains(t, logs.String(), "panic serving request")
	require.Contains(t, logs.String(), "fake GetTask exploded")

	// The handler keeps serving.
	f.panicOn = ""
	resp := doWith(t, h, "GET", "/api/tasks/t1", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestPanicAfterTheAnswerStartedAbortsIt(t *testing.T) {
	t.Parallel()
	h := &Handler{cfg: Config{}.WithDefaults()}
	sw := &statusWriter{ResponseWriter: httptest.NewRecorder()}
	sw.WriteHeader(http.StatusOK)
	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		defer h.recoverPanic(sw, httptest.NewRequest(http.MethodGet, "/x", nil))
		panic("late")
	})
}

func TestErrAbortHandlerPassesThrough(t *testing.T) {
	t.Parallel()
	h := &Handler{cfg: Config{}.WithDefaults()}
	sw := &statusWriter{ResponseWriter: httptest.NewRecorder()}
	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		defer h.recoverPanic(sw, httptest.NewRequest(http.MethodGet, "/x", nil))
		panic(http.ErrAbortHandler)
	})
}

func TestServerFaultsAreLoggedClientMistakesAreNot(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	f := newFake().on("GetTask", nil, engine.Errorf(engine.KindInternal, "disk on fire"))
	h := newTestHandler(f, Config{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	errorBody(t, doWith(t, h, "GET", "/api/tasks/t1", ""), 500)
	errorBody(t, doWith(t, h, "GET", "/api/tasks/poll/batch/x?count=x", ""), 400)
	require.Contains(t, logs.String(), "disk on fire")
	require.NotContains(t, logs.String(), "count")
}

// TestDrainEndsLongPolls: a long poll in progress answers [] as soon as the
// server starts to drain, well before its timeout.
func TestDrainEndsLongPolls(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"/api/tasks/poll/batch/task_1?timeout=5000", "/api/tasks/poll/task_1"} {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			drain, stopAll := context.WithCancel(t.Context())
			polling := make(chan struct{})
			f := newFake()
			f.poll = func(ctx context.Context, _ string, _ engine.PollRequest) ([]*model.WorkerTask, error) {
				close(polling)
				<-ctx.Done()
				return nil, context.Cause(ctx)
			}
			h := newTestHandler(f, Config{Drain: drain})
			done := make(chan *http.Response)
			go func() { done <- doWith(t, h, "GET", target, "") }()
			<-polling
			stopAll()
			resp := <-done
			if resp.StatusCode == http.StatusOK {
				require.Equal(t, "[]", readAll(t, resp))
			} else {
				require.Equal(t, http.StatusNoContent, resp.StatusCode)
			}
		})
	}
}

// TestClientGoneEndsLongPoll: a poll whose client went away returns without
// waiting out its timeout (the answer goes nowhere).
func TestClientGoneEndsLongPoll(t *testing.T) {
	t.Parallel()
	polling := make(chan struct{})
	f := newFake()
	f.poll = func(ctx context.Context, _ string, _ engine.PollRequest) ([]*model.WorkerTask, error) {
		close(polling)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	h := newTestHandler(f, Config{})
	ctx, cancel := context.WithCancel(t.Context())
	req := httptest.NewRequestWithContext(ctx, "GET", "/api/tasks/poll/batch/task_1?timeout=5000", nil)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(rec, req); close(done) }()
	<-polling
	cancel()
	<-done
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
}

// TestDrainEndsExecuteWait: a synchronous execution stops waiting when the
// server drains; the service answers with the state so far.
func TestDrainEndsExecuteWait(t *testing.T) {
	t.Parallel()
	drain, stopAll := context.WithCancel(t.Context())
	waiting := make(chan struct{})
	f := newFake()
	soFar := &model.SignalResponse{WorkflowId: "w1", Status: "RUNNING"}
	f.execute = func(ctx context.Context) (*model.SignalResponse, error) {
		close(waiting)
		<-ctx.Done()
		return soFar, nil
	}
	h := newTestHandler(f, Config{Drain: drain})
	done := make(chan *http.Response)
	go func() { done <- doWith(t, h, "POST", "/api/workflow/execute/wf/1?waitForSeconds=600", `{}`) }()
	<-waiting
	stopAll()
	resp := <-done
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, mustJSON(soFar), readAll(t, resp))
}

func TestNewHandlerNeedsAService(t *testing.T) {
	t.Parallel()
	require.PanicsWithValue(t, "api: NewHandler needs a Service", func() { NewHandler(nil, Config{}) })
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c := Config{MaxBodyBytes: -5}.WithDefaults()
	require.Equal(t, int64(DefaultMaxBodyBytes), c.MaxBodyBytes)
	require.NotNil(t, c.Logger)
	require.NotEmpty(t, c.ServerID)
	require.Equal(t, "me", Config{ServerID: "me"}.WithDefaults().ServerID)
}
