package client_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// Tests against servers (or proxies) that misbehave at the HTTP level. The
// scripted server below speaks HTTP/1.1 by hand so that it can send what a
// well-behaved server never would.

// scriptedServer accepts one connection at a time on loopback and hands
// each request read from it to answer, which writes raw bytes back. A
// connection is served until the client closes it, so the requests of all
// connections are seen in the order the client sent them.
type scriptedServer struct {
	ln     net.Listener
	answer func(n int, req *http.Request, w io.Writer) (keep bool)

	mu    sync.Mutex
	paths []string // request paths in the order they arrived
	conns int      // connections accepted
	done  chan struct{}
	// hangups gets a value each time the client closes a connection.
	hangups chan struct{}
}

func newScripted(t *testing.T, answer func(n int, req *http.Request, w io.Writer) bool) *scriptedServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &scriptedServer{ln: ln, answer: answer, done: make(chan struct{}), hangups: make(chan struct{}, 64)}
	go s.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		<-s.done
	})
	return s
}

func (s *scriptedServer) url() string { return "http://" + s.ln.Addr().String() + "/api" }

func (s *scriptedServer) serve() {
	defer close(s.done)
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
		s.serveConn(conn)
	}
}

func (s *scriptedServer) serveConn(conn net.Conn) {
	defer conn.Close()
	// A client that keeps the connection idle would hold the next one back:
	// ln.Close unblocks Accept, and this deadline ends an idle connection.
	br := bufio.NewReader(conn)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		req, err := http.ReadRequest(br)
		if errors.Is(err, io.EOF) {
			select {
			case s.hangups <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		s.mu.Lock()
		s.paths = append(s.paths, req.URL.Path)
		n := len(s.paths)
		s.mu.Unlock()
		if !s.answer(n, req, conn) {
			return
		}
	}
}

func (s *scriptedServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

// taskAnswer is a 200 answer carrying a task whose id is the last segment
// of the request's path.
func taskAnswer(req *http.Request) string {
	id := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
	body := fmt.Sprintf(`{"taskId":%q,"status":"IN_PROGRESS","taskType":"t"}`, id)
	return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

// defaultClient is a client as users make it, on the shared transport.
func defaultClient(t *testing.T, url string, timeout time.Duration) *client.APIClient {
	t.Helper()
	hs := settings.NewHttpSettings(url)
	hs.Timeout = timeout
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: hs})
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// TestUnsolicitedAnswerIsNotHandedToTheNextCall: a server (or a proxy)
// sends an extra answer nobody asked for on an idle connection. Every later
// call must still get its own answer, not the one before it.
func TestUnsolicitedAnswerIsNotHandedToTheNextCall(t *testing.T) {
	t.Parallel()
	extra := make(chan struct{}) // the test tells the server to send it
	srv := newScripted(t, func(n int, req *http.Request, w io.Writer) bool {
		if _, err := io.WriteString(w, taskAnswer(req)); err != nil {
			return false
		}
		if n == 1 {
			<-extra
			_, err := io.WriteString(w, taskAnswer(req)) // the same answer once more, unasked
			return err == nil
		}
		return true
	})
	c := defaultClient(t, srv.url(), 5*time.Second)
	got, err := c.Tasks().Get(t.Context(), "id1")
	require.NoError(t, err)
	require.Equal(t, "id1", got.TaskId)
	close(extra)
	// A client watching its idle connections hangs up on one that speaks
	// out of turn at once. The bound only keeps a client that does not from
	// hanging the test: it then asks on that connection below (and is
	// below the second after which the former transport checked an idle
	// connection before reuse).
	select {
	case <-srv.hangups:
	case <-time.After(900 * time.Millisecond):
	}
	for _, id := range []string{"id2", "id3", "id4"} {
		got, err := c.Tasks().Get(t.Context(), id)
		require.NoError(t, err)
		require.Equal(t, id, got.TaskId, "the answer to Get(%s)", id)
	}
}

// TestCancelledContextSendsNothing: a call whose context has already ended
// returns its error and sends nothing.
func TestCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, func(_ int, req *http.Request, w io.Writer) bool {
		_, err := io.WriteString(w, taskAnswer(req))
		return err == nil
	})
	c := defaultClient(t, srv.url(), 5*time.Second)
	_, err := c.Tasks().Get(t.Context(), "warm") // a connection in the pool
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.Tasks().Get(ctx, "cancelled")
	require.ErrorIs(t, err, context.Canceled)
	_, err = c.Tasks().Update(ctx, &model.TaskResult{TaskId: "cancelled", WorkflowInstanceId: "wf", Status: model.CompletedTask})
	require.ErrorIs(t, err, context.Canceled)

	// The server serves connections one after another, so anything the
	// cancelled calls wrote reached it before this call.
	_, err = c.Tasks().Get(t.Context(), "after")
	require.NoError(t, err)
	require.Equal(t, []string{"/api/tasks/warm", "/api/tasks/after"}, srv.seen())
}

// TestPostRedirectReachesTheOriginOnce: a 307 to a POST is followed once,
// with its body, and the origin sees the request once.
func TestPostRedirectReachesTheOriginOnce(t *testing.T) {
	t.Parallel()
	var origin, target atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/api/workflow":
			origin.Add(1)
			w.Header().Set("Location", "/moved/api/workflow")
			w.WriteHeader(http.StatusTemporaryRedirect)
		case "/moved/api/workflow":
			target.Add(1)
			if !strings.Contains(string(body), `"name":"wf"`) {
				http.Error(w, "body lost on redirect: "+string(body), http.StatusBadRequest)
				return
			}
			_, _ = io.WriteString(w, "wf-1")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c := defaultClient(t, srv.URL+"/api", 5*time.Second)
	id, err := c.Workflows().Start(t.Context(), &model.StartWorkflowRequest{Name: "wf"})
	require.NoError(t, err)
	require.Equal(t, "wf-1", id)
	require.Equal(t, int32(1), origin.Load(), "requests to the origin")
	require.Equal(t, int32(1), target.Load(), "requests to the redirect target")
}

// TestAnswerHeadIsBounded: a head past the limit, and an endless run of
// interim 1xx answers, end the call with an error instead of being read
// whole.
func TestAnswerHeadIsBounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		head func(w io.Writer) error
	}{
		{name: "24 MiB header", head: func(w io.Writer) error {
			if _, err := io.WriteString(w, "HTTP/1.1 200 OK\r\nX-Big: "); err != nil {
				return err
			}
			chunk := strings.Repeat("a", 64<<10)
			for range 24 << 4 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, "\r\nContent-Length: 2\r\n\r\n{}")
			return err
		}},
		{name: "10000 interim answers", head: func(w io.Writer) error {
			for range 10000 {
				if _, err := io.WriteString(w, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"); err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newScripted(t, func(_ int, _ *http.Request, w io.Writer) bool {
				_ = tc.head(w)
				return false
			})
			c := defaultClient(t, srv.url(), 5*time.Second)
			_, err := c.Tasks().Get(t.Context(), "id1")
			require.Error(t, err)
			var apiErr *client.APIError
			require.False(t, errors.As(err, &apiErr), "a transport error, not an answer: %v", err)
		})
	}
}

// TestServerClosingKeptAliveConnections: a server that closes every
// connection after its answer, without saying so, costs nothing but new
// connections: every call gets through, results included.
func TestServerClosingKeptAliveConnections(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, func(_ int, req *http.Request, w io.Writer) bool {
		if req.Method == http.MethodPost {
			_, _ = io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
			return false
		}
		_, _ = io.WriteString(w, taskAnswer(req))
		return false
	})
	c := defaultClient(t, srv.url(), 5*time.Second)
	for i := range 20 {
		got, err := c.Tasks().Get(t.Context(), fmt.Sprint("id", i))
		require.NoError(t, err)
		require.Equal(t, fmt.Sprint("id", i), got.TaskId)
		_, err = c.Tasks().Update(t.Context(), &model.TaskResult{TaskId: got.TaskId, WorkflowInstanceId: "wf", Status: model.CompletedTask})
		require.NoError(t, err, "update %d", i)
	}
	require.Len(t, srv.seen(), 40)
}

// TestSlowAnswerEndsAtTheTimeout: a server that sends the head and then
// trickles the body byte by byte (a slow-loris answer) is cut off at the
// client's timeout.
func TestSlowAnswerEndsAtTheTimeout(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	srv := newScripted(t, func(_ int, _ *http.Request, w io.Writer) bool {
		if _, err := io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"); err != nil {
			return false
		}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return false
			case <-tick.C:
				if _, err := io.WriteString(w, " "); err != nil {
					return false
				}
			}
		}
	})
	t.Cleanup(func() { close(stop) })
	c := defaultClient(t, srv.url(), 200*time.Millisecond)
	_, err := c.Tasks().Get(t.Context(), "id1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestTLSAndHTTP2: over TLS the client speaks HTTP/2 when the server
// offers it, and the task decoder reads answers of unknown length.
func TestTLSAndHTTP2(t *testing.T) {
	t.Parallel()
	task := fixture(t, "task_polled.json")
	var proto atomic.Value
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(r.Proto)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/tasks/poll/batch/"):
			_, _ = io.WriteString(w, "["+task+"]")
		case r.Method == http.MethodPost && r.URL.Path == "/api/tasks":
			_, _ = io.WriteString(w, "ok")
		default:
			http.NotFound(w, r)
		}
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	tr := client.NewTransport()
	tr.TLSClientConfig = &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs, MinVersion: tls.VersionTLS12}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(srv.URL + "/api"), HTTPClient: client.NewHTTPClient(tr),
	})
	require.NoError(t, err)
	tasks, err := c.Tasks().BatchPoll(t.Context(), "task_1", client.BatchPollOptions{Count: 1})
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	require.Equal(t, decodeAs[model.WorkerTask](t, task).TaskId, tasks[0].TaskId)
	_, err = c.Tasks().Update(t.Context(), model.NewTaskResultFromTask(&tasks[0]))
	require.NoError(t, err)
	require.Equal(t, "HTTP/2.0", proto.Load())
}

// TestProxyFromEnvironment: the shared transport takes its proxy from
// HTTP_PROXY. net/http reads the environment once per process, so the
// check runs in a child process of this test binary.
func TestProxyFromEnvironment(t *testing.T) {
	t.Parallel()
	if os.Getenv("BATON_PROXY_CHILD") != "" {
		t.Skip("run by the parent test")
	}
	var seen atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A proxy gets the absolute URL; this one answers for the origin.
		seen.Store(r.RequestURI)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"taskId":"via-proxy","status":"IN_PROGRESS","taskType":"t"}`)
	}))
	t.Cleanup(proxy.Close)
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestProxyChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BATON_PROXY_CHILD=1", "HTTP_PROXY="+proxy.URL, "NO_PROXY=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "child: %s", out)
	require.Contains(t, string(out), "PASS")
	require.Equal(t, "http://conductor.example.invalid/api/tasks/id1", seen.Load())
}

// TestProxyChild is TestProxyFromEnvironment's child: a client on the
// shared transport asks a host that only the proxy knows.
func TestProxyChild(t *testing.T) {
	if os.Getenv("BATON_PROXY_CHILD") == "" {
		t.Skip("run by TestProxyFromEnvironment")
	}
	c := client.NewAPIClient(settings.NewHttpSettings("http://conductor.example.invalid/api"))
	defer c.CloseIdleConnections()
	got, err := c.Tasks().Get(t.Context(), "id1")
	require.NoError(t, err)
	require.Equal(t, "via-proxy", got.TaskId)
}
