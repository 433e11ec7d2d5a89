package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// hangingServer accepts requests and answers none until the client gives up
// (or the test ends).
func hangingServer(t *testing.T) *httptest.Server {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice when the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) }) // runs first
	return srv
}

func TestCallerContextEndsAHangingCall(t *testing.T) {
	t.Parallel()
	srv := hangingServer(t)
	c := client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api"))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{})
		done <- err
	}()
	cancel()
	err := <-done
	require.ErrorIs(t, err, context.Canceled)
	require.True(t, strings.HasPrefix(err.Error(), "conductor: GET /tasks/poll/batch/t: "), err.Error())
	var apiErr *client.APIError
	require.False(t, errors.As(err, &apiErr), "a transport error is not an *APIError")
}

func TestSettingsTimeoutBoundsEachRequest(t *testing.T) {
	t.Parallel()
	srv := hangingServer(t)
	h := settings.NewHttpSettings(srv.URL + "/api")
	h.Timeout = time.Millisecond
	c := client.NewAPIClient(h)
	_, err := c.Workflows().Get(context.Background(), "wf-1", false)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "conductor: GET /workflow/wf-1: ")
}

// deadlineRecorder is a transport that records how far away each request's
// deadline is and answers 200 [] itself.
type deadlineRecorder struct{ left chan time.Duration }

func (d deadlineRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	deadline, ok := r.Context().Deadline()
	if !ok {
		d.left <- -1
	} else {
		d.left <- time.Until(deadline)
	}
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
}

// recordingClient is a client with a 30 s timeout whose requests go to a
// deadlineRecorder.
func recordingClient(t *testing.T) (*client.APIClient, deadlineRecorder) {
	t.Helper()
	rec := deadlineRecorder{left: make(chan time.Duration, 1)}
	h := settings.NewHttpSettings("http://127.0.0.1:1/api")
	h.Timeout = 30 * time.Second
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: h, HTTPClient: &http.Client{Transport: rec}})
	require.NoError(t, err)
	return c, rec
}

func TestLongPollWaitIsAddedToTheTimeout(t *testing.T) {
	t.Parallel()
	c, rec := recordingClient(t)
	_, err := c.Tasks().BatchPoll(t.Context(), "t", client.BatchPollOptions{Timeout: 5 * time.Second})
	require.NoError(t, err)
	left := <-rec.left
	require.Greater(t, left, 34*time.Second, "30 s timeout + 5 s long poll")
	require.LessOrEqual(t, left, 35*time.Second)

	_, err = c.Workflows().Execute(t.Context(), "w", 1, nil, client.ExecuteOptions{WaitForSeconds: 20})
	require.ErrorContains(t, err, "empty answer") // the recorder answers nothing
	left = <-rec.left
	require.Greater(t, left, 49*time.Second, "30 s timeout + 20 s wait")
	require.LessOrEqual(t, left, 50*time.Second)
}

func TestConnectionReset(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close with RST
		}
		_ = conn.Close()
	}))
	t.Cleanup(srv.Close)
	c := client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api"))
	_, err := c.Tasks().Update(t.Context(), &model.TaskResult{TaskId: "t1", WorkflowInstanceId: "wf1", Status: model.CompletedTask})
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "conductor: POST /tasks: "), err.Error())
	var apiErr *client.APIError
	require.False(t, errors.As(err, &apiErr))
}

func TestRefusedConnection(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now
	c := client.NewAPIClient(settings.NewHttpSettings("http://" + addr + "/api"))
	_, err = c.Tasks().Poll(t.Context(), "t", client.PollOptions{})
	require.ErrorContains(t, err, "conductor: GET /tasks/poll/t: ")
	var opErr *net.OpError
	require.ErrorAs(t, err, &opErr, "the transport error stays reachable")
}

func TestHeadersAndInjectedHTTPClient(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Clone())
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	var used atomic.Int32
	tr := &http.Transport{} // not http.DefaultTransport, whose idle connections other tests close
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return tr.RoundTrip(r)
	})}
	h := settings.NewHttpSettings(srv.URL + "/api/") // the trailing slash is dropped
	h.Headers["X-Tenant"] = "blue"
	h.Headers["Accept"] = "text/html" // the client decides what it accepts
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: h, HTTPClient: hc, UserAgent: "orders-worker/1.0"})
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/api", c.BaseURL())

	task, err := c.Tasks().Poll(t.Context(), "t", client.PollOptions{})
	require.NoError(t, err)
	require.Nil(t, task)
	require.EqualValues(t, 1, used.Load(), "the injected client sent the request")
	hdr := got.Load().(http.Header)
	require.Equal(t, "blue", hdr.Get("X-Tenant"))
	require.Equal(t, "orders-worker/1.0", hdr.Get("User-Agent"))
	require.Equal(t, "application/json", hdr.Get("Accept"))
	require.Empty(t, hdr.Get("Content-Type"), "a GET has no body and no Content-Type")
	require.Empty(t, hdr.Get("X-Authorization"))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestConfig(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cfg  client.Config
		want string // error text; "" means valid
	}{
		"zero value is the local default server": {},
		"relative base URL":                      {cfg: client.Config{HTTP: &settings.HttpSettings{BaseUrl: "localhost:8080/api"}}, want: "absolute http(s)"},
		"ftp base URL":                           {cfg: client.Config{HTTP: &settings.HttpSettings{BaseUrl: "ftp://h/api"}}, want: "absolute http(s)"},
		"empty base URL":                         {cfg: client.Config{HTTP: &settings.HttpSettings{}}, want: "absolute http(s)"},
		"negative timeout":                       {cfg: client.Config{HTTP: &settings.HttpSettings{BaseUrl: "http://h/api", Timeout: -1}}, want: "must not be negative"},
		"negative refresh margin":                {cfg: client.Config{TokenRefreshMargin: -time.Second}, want: "TokenRefreshMargin"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := client.NewAPIClientWithConfig(tc.cfg)
			if tc.want == "" {
				require.NoError(t, err)
				require.Equal(t, settings.DefaultBaseURL, c.BaseURL())
				return
			}
			require.ErrorContains(t, err, tc.want)
			require.Nil(t, c)
		})
	}
}

func TestNewAPIClientReportsBadSettingsOnFirstCall(t *testing.T) {
	t.Parallel()
	c := client.NewAPIClient(&settings.HttpSettings{BaseUrl: "not a url"})
	require.NotNil(t, c)
	_, err := c.Tasks().Poll(t.Context(), "t", client.PollOptions{})
	require.ErrorContains(t, err, "absolute http(s)")
	c = client.NewAPIClientWithAuth(settings.NewAuthenticationSettings("k", "s"), &settings.HttpSettings{BaseUrl: "::"})
	require.ErrorContains(t, c.Workflows().Pause(t.Context(), "wf"), "base URL")
}

func TestNewAPIClientFromEnv(t *testing.T) {
	// Not parallel: it sets environment variables.
	t.Setenv(settings.EnvServerURL, "http://127.0.0.1:9/api/")
	t.Setenv(settings.EnvAuthKey, "")
	t.Setenv(settings.EnvAuthSecret, "")
	c, err := client.NewAPIClientFromEnv()
	require.NoError(t, err)
	require.Equal(t, "http://127.0.0.1:9/api", c.BaseURL())

	t.Setenv(settings.EnvAuthKey, "only-the-key")
	_, err = client.NewAPIClientFromEnv()
	require.Error(t, err)
}
