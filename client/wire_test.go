package client

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/settings"
)

// wireClient is a client on its own direct transport, with the wire path.
func wireClient(t *testing.T, base string, headers map[string]string) *APIClient {
	t.Helper()
	h := settings.NewHttpSettings(base)
	for k, v := range headers {
		h.Headers[k] = v
	}
	c, err := NewAPIClientWithConfig(Config{HTTP: h})
	require.NoError(t, err)
	tr, _ := testTransport(t)
	c.direct = tr
	c.wire = newWireTarget(tr, c.baseURL, c.headers)
	require.NotNil(t, c.wire, "%s %v", base, headers)
	return c
}

// TestWireRequestWritesWhatNetHTTPWrites renders requests both ways and
// compares what a server reads from them.
func TestWireRequestWritesWhatNetHTTPWrites(t *testing.T) {
	t.Parallel()
	bases := []string{"http://localhost:8080/api", "http://127.0.0.1:9", "http://conductor.internal/a%20b/api", "http://[::1]:8080/api"}
	headers := map[string]string{"X-Tenant": "blue  ", "Idempotency-Key": "k1", "User-Agent": "ignored: Config.UserAgent wins"}
	q := url.Values{"count": {"10"}, "workerid": {"w 1/ä"}, "domain": {""}}
	requests := []struct {
		r           request
		body        string
		contentType string
		tok         string
	}{
		{r: request{method: http.MethodGet, path: "/tasks/poll/batch/" + url.PathEscape("a b/ç"), query: q}},
		{r: request{method: http.MethodPost, path: "/tasks/update-v2"}, body: `{"taskId":"t"}`, contentType: "application/json", tok: "eyJ.tok"},
		{r: request{method: http.MethodPost, path: "/workflow/x/pause"}},
		{r: request{method: http.MethodPut, path: "/metadata/taskdefs"}, body: "[]", contentType: "application/json"},
		{r: request{method: http.MethodDelete, path: "/workflow/bulk/remove", accept: "text/plain, application/json"}, body: `["a"]`, contentType: "application/json"},
		{r: request{method: http.MethodPatch, path: "/x"}, body: "{}", contentType: "application/json"},
		{r: request{method: http.MethodGet, path: "/x", query: url.Values{"q": {"a&b=c#d"}}}},
	}
	for _, base := range bases {
		c := wireClient(t, base, headers)
		for _, tc := range requests {
			var payload []byte
			if tc.body != "" {
				payload = []byte(tc.body)
			}
			w, ok := c.wire.request(t.Context(), time.Time{}, tc.r, payload, tc.contentType, tc.tok)
			require.True(t, ok, "%s %s", base, tc.r.path)
			var wire bytes.Buffer
			bw := bufio.NewWriter(&wire)
			require.NoError(t, w.writeTo(bw))
			require.NoError(t, bw.Flush())

			req, err := c.newRequest(t.Context(), tc.r, payload, tc.contentType, tc.tok)
			require.NoError(t, err)
			var std bytes.Buffer
			require.NoError(t, req.Write(&std))

			got, gotBody := parseRequest(t, wire.Bytes())
			want, wantBody := parseRequest(t, std.Bytes())
			require.Equal(t, want.Method, got.Method)
			require.Equal(t, want.RequestURI, got.RequestURI, "%s", wire.String())
			require.Equal(t, want.Host, got.Host)
			require.Equal(t, want.Header, got.Header, "%s", wire.String())
			require.Equal(t, want.ContentLength, got.ContentLength)
			require.Equal(t, wantBody, gotBody)
			require.Equal(t, req.URL.String(), w.url(), "errors name the same URL")
		}
	}
}

func parseRequest(t *testing.T, b []byte) (*http.Request, string) {
	t.Helper()
	r := bufio.NewReader(bytes.NewReader(b))
	req, err := http.ReadRequest(r)
	require.NoError(t, err, "%s", b)
	body, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	require.Zero(t, r.Buffered(), "nothing after the request")
	return req, string(body)
}

func TestWireDeclinesWhatNetHTTPWouldRewrite(t *testing.T) {
	t.Parallel()
	tr, _ := testTransport(t)
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h[kv[i]] = []string{kv[i+1]}
		}
		return h
	}
	require.NotNil(t, newWireTarget(tr, "http://h:1/api", hdr("User-Agent", "x")))
	for _, tc := range []struct {
		base string
		hdr  http.Header
	}{
		{"https://h/api", nil},
		{"http://user:pw@h/api", nil},
		{"http://h/api?x=1", nil},
		{"http://bücher.example/api", nil},
		{"http://[fe80::1%25en0]:8080/api", nil},
		{"::not a url", nil},
		{"http://h/a b", nil},
		{"http://h/api", hdr("Content-Type", "text/plain")},
		{"http://h/api", hdr("Accept", "text/html")},
		{"http://h/api", hdr("Host", "other")},
		{"http://h/api", hdr("Connection", "close")},
		{"http://h/api", hdr("X-Bad", "a\r\nInjected: 1")},
		{"http://h/api", hdr("X-Bad", "caf\xc3\xa9")},
		{"http://h/api", hdr("Bad Name", "v")},
	} {
		require.Nil(t, newWireTarget(tr, tc.base, tc.hdr), "%s %v", tc.base, tc.hdr)
	}

	proxied := newDirectTransport(&http.Transport{Proxy: func(*http.Request) (*url.URL, error) {
		return url.Parse("http://proxy:3128")
	}})
	require.Nil(t, newWireTarget(proxied, "http://h/api", nil), "a proxy gets the request from net/http")

	w := newWireTarget(tr, "http://h/api", nil)
	for _, tc := range []struct {
		r   request
		tok string
	}{
		{r: request{method: http.MethodHead, path: "/x"}},
		{r: request{method: http.MethodOptions, path: "/x"}},
		{r: request{method: http.MethodGet, path: "/a b"}},
		{r: request{method: http.MethodGet, path: "/a%zz"}},
		{r: request{method: http.MethodGet, path: "/x#frag"}},
		{r: request{method: http.MethodGet, path: "/x"}, tok: "tok\r\nX-Injected: 1"},
		{r: request{method: http.MethodGet, path: "/x", accept: "text/\x00"}},
	} {
		_, ok := w.request(t.Context(), time.Time{}, tc.r, nil, "", tc.tok)
		require.False(t, ok, "%+v", tc)
	}
}

// TestParseHead: the heads parsed in place, and those left to net/http.
func TestParseHead(t *testing.T) {
	t.Parallel()
	ok := map[string]wireHead{
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n": {code: 200, status: "200 OK", length: 12},
		"HTTP/1.1 200\r\ncontent-length:0\r\n\r\n":                                        {code: 200, status: "200", length: 0},
		"HTTP/1.1 404 Nope\r\nContent-Length: 3\r\nConnection: keep-alive, Close\r\n\r\n": {code: 404, status: "404 Nope", length: 3, close: true},
		"HTTP/1.1 204 No Content\r\nDate: Fri, 27 Nov 2026 22:00:00 GMT\r\n\r\n":          {code: 204, status: "204 No Content", length: 0},
		"HTTP/1.1 500 Internal Server Error\r\nContent-Length:  \t7 \r\nX-Empty:\r\n\r\n": {code: 500, status: "500 Internal Server Error", length: 7},
		"HTTP/1.1 210 \r\nContent-Length: 0\r\n\r\n":                                      {code: 210, status: "210 ", length: 0}, // no text for 210
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n":                           {code: 200, status: "200 OK", length: -1, chunked: true},
	}
	for head, want := range ok {
		got, parsed := parseHead([]byte(head + "body after"))
		require.True(t, parsed, "%q", head)
		want.size = len(head)
		require.Equal(t, want, got, "%q", head)
	}
	for _, head := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n",                                           // not all here yet
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",                                  // another coding
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", // twice
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",                         // a list
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n",          // and a length
		"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",                       // on 204
		"HTTP/1.1 200 OK\r\n\r\n",                                                             // read until close
		"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n",                                        // HTTP/1.0
		"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",                                      // interim
		"HTTP/1.1 101 Switching Protocols\r\n\r\n",                                            // upgrade
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n",                   // twice
		"HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n",                                       // signed
		"HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456\r\n\r\n",                         // too long
		"HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\n",                   // obs-fold
		"HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\n",                                          // bare LF
		"HTTP/1.1 200 OK\r\nX-Bad : v\r\nContent-Length: 2\r\n\r\n",                           // space before colon
		"HTTP/1.1 200 OK\r\nX-Utf8: caf\xc3\xa9\r\nContent-Length: 2\r\n\r\n",                 // beyond ASCII
		"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",                              // body on 304
		"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n",                                        // status
		"HTTP/1.1 200OK\r\nContent-Length: 2\r\n\r\n",                                         // reason glued
		"http/1.1 200 OK\r\nContent-Length: 2\r\n\r\n",                                        // case
		"HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 2\r\n\r\n",                             // no colon
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: identity\r\n\r\n",         // both
		"HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\n",                                       // out of range
	} {
		_, parsed := parseHead([]byte(head))
		require.False(t, parsed, "%q", head)
	}
}

// FuzzParseHead holds parseHead to http.ReadResponse: whatever it parses,
// net/http parses the same way, body included.
func FuzzParseHead(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=1\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n",
		"HTTP/1.1 404 Not Found\r\ntransfer-encoding: Chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n",
		"HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 200 \r\nContent-Length: 3\r\n\r\nabc",
		"HTTP/1.1 210 \r\nContent-Length: 0\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		h, ok := parseHead(in)
		if !ok {
			return
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(in)), &http.Request{Method: http.MethodGet})
		require.NoError(t, err, "%q", in)
		require.Equal(t, resp.StatusCode, h.code)
		require.Equal(t, resp.Status, h.status)
		require.Equal(t, resp.Close, h.close)
		require.Equal(t, resp.ContentLength, h.length, "%q", in)
		require.Equal(t, resp.TransferEncoding != nil, h.chunked, "%q", in)
		want, wantErr := io.ReadAll(resp.Body)
		got, gotErr := readWireAnswer(t, in)
		require.Equal(t, wantErr == nil, gotErr == nil, "%q: net/http %v, here %v", in, wantErr, gotErr)
		require.Equal(t, string(want), string(got), "%q", in)
	})
}

// readWireAnswer reads the answer in with readAnswer and returns its body.
func readWireAnswer(t *testing.T, in []byte) ([]byte, error) {
	tr := newDirectTransport(&http.Transport{})
	defer tr.CloseIdleConnections()
	client, server := net.Pipe()
	defer server.Close()
	h := &hold{t: tr, c: &directConn{conn: client}, addr: "pipe", keep: true}
	w := &wireRequest{ctx: context.Background(), target: &wireTarget{origin: "http://pipe"}, method: http.MethodGet, path: "/"}
	resp, err := w.readAnswer(bufio.NewReader(bytes.NewReader(in)), h)
	require.NoError(t, err, "%q", in)
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// TestWireAnswers reads answers of every kind from a scripted server
// through the client, fast path and net/http's alike.
func TestWireAnswers(t *testing.T) {
	t.Parallel()
	answers := map[string]string{
		"/plain":    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"one\"}",
		"/chunked":  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n6\r\n\"two\"}\r\n0\r\n\r\n",
		"/early":    "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"a\":\"three\"}",
		"/empty":    "HTTP/1.1 204 No Content\r\n\r\n",
		"/notfound": "HTTP/1.1 404 Not Found\r\nContent-Length: 27\r\n\r\n{\"message\":\"no such thing\"}",
		"/close":    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 12\r\n\r\n{\"a\":\"four\"}",
		"/short":    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":",
	}
	u, conns := scriptedServer(t, func(_ int, c net.Conn, r *bufio.Reader) {
		for {
			req, ok := readRequest(r)
			if !ok {
				return
			}
			a := answers[req.URL.Path[len("/api"):]]
			if _, err := io.WriteString(c, a); err != nil || strings.Contains(a, "close") || strings.HasSuffix(req.URL.Path, "/short") {
				return
			}
		}
	})
	c := wireClient(t, u+"/api", nil)
	type answer struct{ A string }
	get := func(path string) (*answer, error) {
		return call[answer](t.Context(), c, request{method: http.MethodGet, path: path})
	}
	for path, want := range map[string]string{"/plain": "one", "/chunked": "two", "/early": "three"} {
		got, err := get(path)
		require.NoError(t, err, path)
		require.Equal(t, want, got.A, path)
	}
	require.NoError(t, exec(t.Context(), c, request{method: http.MethodPost, path: "/empty"}))
	_, err := get("/notfound")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	require.Equal(t, "no such thing", apiErr.Response.Message)
	require.Equal(t, int64(1), conns.Load(), "every answer so far left the connection reusable")

	got, err := get("/close")
	require.NoError(t, err)
	require.Equal(t, "four", got.A)
	_, err = get("/plain")
	require.NoError(t, err)
	require.Equal(t, int64(2), conns.Load(), "the server's close is honoured")

	_, err = get("/short")
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	require.ErrorContains(t, err, "GET /short: read answer")
	_, err = get("/plain")
	require.NoError(t, err)
	require.Equal(t, int64(3), conns.Load(), "a connection that failed mid-body is not reused")
}

// TestWireAnswerSplitAcrossReads: a head that is not all in the first read
// goes to net/http, which reads the rest.
func TestWireAnswerSplitAcrossReads(t *testing.T) {
	t.Parallel()
	const answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	for name, src := range map[string]io.Reader{
		"whole":         strings.NewReader(answer),
		"byte for byte": iotest.OneByteReader(strings.NewReader(answer)),
	} {
		tr, _ := testTransport(t)
		client, server := net.Pipe()
		t.Cleanup(func() { _ = server.Close() })
		c := &directConn{conn: client}
		h := &hold{t: tr, c: c, addr: "pipe", keep: true}
		w := &wireRequest{ctx: t.Context(), target: &wireTarget{origin: "http://pipe"}, method: http.MethodGet, path: "/x"}
		resp, err := w.readAnswer(bufio.NewReader(src), h)
		require.NoError(t, err, name)
		require.Equal(t, http.StatusOK, resp.StatusCode, name)
		b, _, err := readBody(resp)
		require.NoError(t, err, name)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, "ok", string(b), name)
		tr.mu.Lock()
		require.Len(t, tr.idle["pipe"], 1, "%s: read to its end, the connection is pooled", name)
		tr.mu.Unlock()
	}
}

// TestWireBodyClosedEarly: a body closed before its end closes the
// connection; reads after Close fail.
func TestWireBodyClosedEarly(t *testing.T) {
	t.Parallel()
	tr, _ := testTransport(t)
	client, server := net.Pipe()
	t.Cleanup(func() { _ = server.Close() })
	h := &hold{t: tr, c: &directConn{conn: client}, addr: "pipe", keep: true}
	w := &wireRequest{ctx: context.Background(), target: &wireTarget{origin: "http://pipe"}, method: http.MethodGet, path: "/x"}
	resp, err := w.readAnswer(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")), h)
	require.NoError(t, err)
	buf := make([]byte, 2)
	n, err := resp.Body.Read(buf)
	require.NoError(t, err)
	require.Equal(t, "he", string(buf[:n]))
	require.NoError(t, resp.Body.Close())
	_, err = resp.Body.Read(buf)
	require.ErrorIs(t, err, http.ErrBodyReadAfterClose)
	tr.mu.Lock()
	require.Empty(t, tr.idle["pipe"])
	tr.mu.Unlock()
	_, err = client.Write([]byte("x"))
	require.ErrorIs(t, err, io.ErrClosedPipe, "the connection was closed")
}

// TestWireTimeouts: the client's own bound ends a request whose caller set
// none, reports context.DeadlineExceeded, and is not retried once it has
// passed, on a reused connection too; a chunked answer cut off by it says so
// as well.
func TestWireTimeouts(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	u, conns := scriptedServer(t, func(_ int, c net.Conn, r *bufio.Reader) {
		for {
			req, ok := readRequest(r)
			if !ok {
				return
			}
			switch req.URL.Path {
			case "/api/ok":
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
				continue
			case "/api/stalled-body":
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"a\":")
			}
			<-stop // no answer, or no rest of it, until the test ends
			return
		}
	})
	t.Cleanup(func() { close(stop) })
	c := wireClient(t, u+"/api", nil)
	get := func(path string, bound time.Duration) error {
		c.timeout = bound
		_, err := call[map[string]any](context.Background(), c, request{method: http.MethodGet, path: path})
		return err
	}
	// Each timed request goes on a connection made beforehand under a
	// generous bound, so that only the wait for the answer meets the short one.
	require.NoError(t, get("/ok", time.Minute))
	err := get("/silent", 50*time.Millisecond) // a GET on a reused connection: replayable, but its bound has passed
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	require.Equal(t, "read", op.Op, "%v", err)
	require.Equal(t, int64(1), conns.Load(), "not sent again on a new connection")

	require.NoError(t, get("/ok", time.Minute))
	err = get("/stalled-body", 50*time.Millisecond)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "read answer")
}

// TestReadUnsized reads bodies of unknown length of every size around the
// buffer's steps, in pieces of any size, and passes on a failure.
func TestReadUnsized(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1, 4095, 4096, 4097, 8193, maxPooledBody, maxPooledBody + 1, 200_000} {
		want := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		for name, r := range map[string]io.Reader{
			"whole":    bytes.NewReader(want),
			"one byte": iotest.OneByteReader(bytes.NewReader(want)),
			"halves":   iotest.HalfReader(bytes.NewReader(want)),
		} {
			got, pooled, err := readUnsized(r)
			require.NoError(t, err, "%d %s", size, name)
			require.Equal(t, want, got, "%d %s", size, name)
			require.Equal(t, cap(got) <= maxPooledBody, pooled != nil, "%d %s: pooled only up to the bound", size, name)
		}
	}
	boom := errors.New("boom")
	_, pooled, err := readUnsized(io.MultiReader(strings.NewReader("part"), iotest.ErrReader(boom)))
	require.ErrorIs(t, err, boom)
	require.Nil(t, pooled)
}

// TestDirectWithoutWire: a client whose requests net/http must render
// (here a configured Accept header) still goes on direct connections, and
// reports their failures as the wire path does.
func TestDirectWithoutWire(t *testing.T) {
	t.Parallel()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	h := settings.NewHttpSettings("http://" + addr + "/api")
	h.Headers["Accept"] = "text/html"
	c, err := NewAPIClientWithConfig(Config{HTTP: h})
	require.NoError(t, err)
	require.Nil(t, c.wire)
	require.NotNil(t, c.direct)
	_, err = c.Tasks().Poll(t.Context(), "t", PollOptions{})
	require.ErrorContains(t, err, `conductor: GET /tasks/poll/t: Get "http://`+addr+`/api/tasks/poll/t`)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	require.Equal(t, "dial", op.Op)
}
