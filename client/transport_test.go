package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testTransport is a direct transport on a fresh pool, with a clock the test
// moves.
func testTransport(t *testing.T) (*directTransport, *atomic.Int64) {
	t.Helper()
	next := &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}
	tr := newDirectTransport(next)
	tr.dial = (&net.Dialer{}).DialContext
	var clock atomic.Int64 // seconds
	tr.now = func() time.Time { return time.Unix(clock.Load(), 0) }
	t.Cleanup(tr.CloseIdleConnections)
	return tr, &clock
}

// countingServer is an httptest server that counts the connections made to it.
func countingServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// roundTrip sends a request and reads the answer the way APIClient does.
func roundTrip(t *testing.T, tr http.RoundTripper, method, u, body string) (int, string, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	b, _, err := readBody(resp)
	_ = resp.Body.Close()
	return resp.StatusCode, string(b), err
}

func TestDirectTransportKeepsConnectionsAlive(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 10_000)
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/sized":
			w.Header().Set("Content-Length", "5")
			_, _ = io.WriteString(w, "sized")
		case "/chunked": // no length: net/http chunks a large body
			_, _ = io.WriteString(w, big)
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/echo":
			_, _ = w.Write(b)
		}
	})
	tr, _ := testTransport(t)
	for range 3 {
		for _, c := range []struct{ method, path, body, want string }{
			{http.MethodGet, "/sized", "", "sized"},
			{http.MethodGet, "/chunked", "", big},
			{http.MethodPost, "/echo", `{"a":1}`, `{"a":1}`},
			{http.MethodGet, "/empty", "", ""},
		} {
			_, got, err := roundTrip(t, tr, c.method, srv.URL+c.path, c.body)
			require.NoError(t, err, c.path)
			require.Equal(t, c.want, got, c.path)
		}
	}
	require.Equal(t, int64(1), conns.Load(), "one connection serves every sequential request")
	require.Equal(t, int64(12), tr.direct.Load())
}

func TestDirectTransportClosesWhatCannotBeReused(t *testing.T) {
	t.Parallel()
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/close" {
			w.Header().Set("Connection", "close")
		}
		_, _ = io.WriteString(w, "answer")
	})
	tr, _ := testTransport(t)

	_, _, err := roundTrip(t, tr, http.MethodGet, srv.URL+"/close", "")
	require.NoError(t, err)
	_, _, err = roundTrip(t, tr, http.MethodGet, srv.URL+"/close", "")
	require.NoError(t, err)
	require.Equal(t, int64(2), conns.Load(), "Connection: close is honoured")

	// A body closed before its end leaves the connection in an unknown
	// place: it is closed, not pooled.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/open", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	_, _, err = roundTrip(t, tr, http.MethodGet, srv.URL+"/open", "")
	require.NoError(t, err)
	require.Equal(t, int64(4), conns.Load())
}

func TestDirectTransportPoolBounds(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var arrived sync.WaitGroup
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		<-release
		_, _ = io.WriteString(w, "ok")
	})
	tr, clock := testTransport(t) // keeps 4 idle per host
	const n = 6
	arrived.Add(n)
	errs := make(chan error, n)
	for range n {
		go func() {
			_, _, err := roundTrip(t, tr, http.MethodGet, srv.URL, "")
			errs <- err
		}()
	}
	arrived.Wait()
	close(release)
	for range n {
		require.NoError(t, <-errs)
	}
	require.Equal(t, int64(n), conns.Load())
	tr.mu.Lock()
	require.Len(t, tr.idle[strings.TrimPrefix(srv.URL, "http://")], 4)
	tr.mu.Unlock()

	// Past the idle timeout a pooled connection is closed, not used.
	clock.Add(int64(time.Minute/time.Second) + 1)
	arrived.Add(1)
	_, _, err := roundTrip(t, tr, http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	require.Equal(t, int64(n+1), conns.Load())
}

// scriptedServer accepts connections and runs serve on each, for answers
// net/http's server would not give.
func scriptedServer(t *testing.T, serve func(n int, c net.Conn, r *bufio.Reader)) (string, *atomic.Int64) {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var conns atomic.Int64
	var wg sync.WaitGroup
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := int(conns.Add(1))
			wg.Go(func() {
				defer c.Close()
				serve(n, c, bufio.NewReader(c))
			})
		}
	})
	return "http://" + ln.Addr().String(), &conns
}

// readRequest reads one request and its body.
func readRequest(r *bufio.Reader) (*http.Request, bool) {
	req, err := http.ReadRequest(r)
	if err != nil {
		return nil, false
	}
	_, _ = io.Copy(io.Discard, req.Body)
	return req, true
}

// TestDirectTransportServerClosedReusedConnection: the server answers one
// request per connection, then reads the next and closes without answering,
// as a server does whose idle timeout struck as the request came.
func TestDirectTransportServerClosedReusedConnection(t *testing.T) {
	t.Parallel()
	u, conns := scriptedServer(t, func(_ int, c net.Conn, r *bufio.Reader) {
		if _, ok := readRequest(r); !ok {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		readRequest(r)
	})
	tr, _ := testTransport(t)
	tr.probeAfter = time.Hour // the close comes after the check, as in a race

	_, _, err := roundTrip(t, tr, http.MethodGet, u, "")
	require.NoError(t, err)
	_, got, err := roundTrip(t, tr, http.MethodGet, u, "")
	require.NoError(t, err, "an idempotent request is sent again on a new connection")
	require.Equal(t, "ok", got)
	require.Equal(t, int64(2), conns.Load())

	// A POST may have been applied: like net/http, the transport reports it
	// and leaves the decision to the caller.
	_, _, err = roundTrip(t, tr, http.MethodPost, u, `{"status":"COMPLETED"}`)
	require.Error(t, err)
	var un errUnanswered
	require.ErrorAs(t, err, &un)
	require.Equal(t, int64(2), conns.Load(), "no second attempt")
}

func TestDirectTransportInterimAndMalformedAnswers(t *testing.T) {
	t.Parallel()
	answers := map[string]string{
		"/early":   "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"/garbage": "SPDY/9 what\r\n\r\n",
		"/short":   "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
		"/switch":  "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
	}
	u, _ := scriptedServer(t, func(_ int, c net.Conn, r *bufio.Reader) {
		req, ok := readRequest(r)
		if !ok {
			return
		}
		_, _ = io.WriteString(c, answers[req.URL.Path])
	})
	tr, _ := testTransport(t)
	status, got, err := roundTrip(t, tr, http.MethodGet, u+"/early", "")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "ok", got)

	_, _, err = roundTrip(t, tr, http.MethodGet, u+"/garbage", "")
	require.ErrorContains(t, err, "malformed HTTP")
	_, _, err = roundTrip(t, tr, http.MethodGet, u+"/short", "")
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, _, err = roundTrip(t, tr, http.MethodGet, u+"/switch", "")
	require.ErrorContains(t, err, "switched protocols")
}

func TestDirectTransportContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	hanging := make(chan struct{}, 1)
	srv, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" {
			hanging <- struct{}{}
		}
		if r.URL.Path == "/half" {
			w.Header().Set("Content-Length", "10")
			_, _ = io.WriteString(w, "half")
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	tr, _ := testTransport(t)

	// Cancelled while waiting for the answer's head.
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/hang", nil)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := tr.RoundTrip(req)
		done <- err
	}()
	<-hanging
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)

	// Past its deadline while reading the body.
	ctx, cancelDeadline := context.WithCancel(t.Context())
	defer cancelDeadline()
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/half", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	buf := make([]byte, 4)
	_, err = io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	cancelDeadline()
	_, err = io.ReadAll(resp.Body)
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, resp.Body.Close())

	tr.mu.Lock()
	defer tr.mu.Unlock()
	require.Empty(t, tr.idle[strings.TrimPrefix(srv.URL, "http://")], "interrupted connections are not pooled")
}

func TestDirectTransportHandsOtherRequestsOn(t *testing.T) {
	t.Parallel()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "tls")
	}))
	defer tlsSrv.Close()
	next := tlsSrv.Client().Transport.(*http.Transport).Clone()
	var proxied atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		_, _ = io.WriteString(w, "via proxy "+r.URL.String())
	}))
	defer proxy.Close()
	proxyURL, err := url.Parse(proxy.URL)
	require.NoError(t, err)
	next.Proxy = func(r *http.Request) (*url.URL, error) {
		if r.URL.Hostname() == "proxied.example" {
			return proxyURL, nil
		}
		return nil, nil
	}
	tr := newDirectTransport(next)
	defer tr.CloseIdleConnections()

	_, got, err := roundTrip(t, tr, http.MethodGet, tlsSrv.URL, "")
	require.NoError(t, err)
	require.Equal(t, "tls", got)
	_, got, err = roundTrip(t, tr, http.MethodGet, "http://proxied.example/x", "")
	require.NoError(t, err)
	require.Equal(t, "via proxy http://proxied.example/x", got)
	require.Equal(t, int64(1), proxied.Load())
	require.Zero(t, tr.direct.Load())

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1:1/", nil)
	require.NoError(t, err)
	req.Header.Set("Upgrade", "websocket")
	require.False(t, tr.handles(req))
}

func TestDirectTransportRefusedDial(t *testing.T) {
	t.Parallel()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	tr, _ := testTransport(t)
	_, _, err = roundTrip(t, tr, http.MethodPost, "http://"+addr+"/api/tasks", "{}")
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	require.Equal(t, "dial", op.Op, "the worker tells a request that never left by this")
	require.False(t, errors.As(err, new(errUnanswered)))
}

// TestDirectConnWatch: the watch on a context without a deadline outlives
// the exchange, one with a deadline does not, and a context's end
// interrupts only an exchange that is running on it.
func TestDirectConnWatch(t *testing.T) {
	t.Parallel()
	client, server := net.Pipe()
	t.Cleanup(func() {
		_ = client.Close()
		_ = server.Close()
	})
	c := &directConn{conn: client}
	watched := func() <-chan struct{} {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.watchDone
	}

	life, endLife := context.WithCancel(t.Context())
	c.begin(life)
	require.False(t, c.end())
	require.Equal(t, life.Done(), watched(), "a lifetime context stays watched")
	c.begin(context.WithValue(life, watchKey{}, 1)) // same Done: nothing new to register
	unwatch := c.unwatch
	require.False(t, c.end())
	c.begin(life)
	require.Equal(t, fmt.Sprintf("%p", unwatch), fmt.Sprintf("%p", c.unwatch), "the same registration serves")
	require.False(t, c.end())

	endLife() // idle: nothing to interrupt
	require.Eventually(t, func() bool { return watched() == nil }, 10*time.Second, time.Millisecond)
	go func() { _, _ = server.Write([]byte("x")) }()
	n, err := client.Read(make([]byte, 1))
	require.NoError(t, err, "the connection is still usable")
	require.Equal(t, 1, n)

	perRequest, cancel := context.WithTimeout(t.Context(), time.Hour)
	c.begin(perRequest)
	require.False(t, c.end())
	require.Nil(t, watched(), "a per-request context's watch ends with its exchange")
	cancel()

	running, stop := context.WithCancel(t.Context())
	c.begin(running)
	read := make(chan error, 1)
	go func() {
		_, err := client.Read(make([]byte, 1))
		read <- err
	}()
	stop()
	require.ErrorIs(t, <-read, os.ErrDeadlineExceeded, "the end of the context unblocks the read")
	require.True(t, c.end(), "and the exchange knows it was interrupted")
}

type watchKey struct{}
