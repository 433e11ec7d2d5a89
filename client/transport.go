package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// directTransport sends plain-HTTP requests that need no proxy over
// keep-alive connections that the calling goroutine writes and reads itself,
// with net/http's own wire code (Request.Write, http.ReadResponse). Every
// other request (https, a proxy, a protocol upgrade) goes to next.
//
// Why: net/http.Transport runs two goroutines per connection and hands each
// request and answer between them and the caller; on the project's 2-core
// machines that is half the client's CPU per request (docs/benchmarks.md:
// 28 µs against 15 µs here, 2.5 KiB answers, 32 concurrent callers), and a
// worker makes one request per task.
//
// What net/http's pool does in the background is done on use: a connection
// idle for more than idleTimeout is closed instead of reused, and one idle
// for more than probeAfter is first checked for a close from the server, so
// a request is seldom written to a dead connection. An exchange that fails
// on a reused connection before any byte of the answer came is retried once
// on a new connection when net/http would retry it too (the request can be
// replayed and is idempotent).
type directTransport struct {
	next        *http.Transport
	dial        func(ctx context.Context, network, addr string) (net.Conn, error)
	maxIdle     int           // idle connections kept per host
	idleTimeout time.Duration // an idle connection older than this is closed
	probeAfter  time.Duration // an idle connection older than this is probed first
	now         func() time.Time

	mu   sync.Mutex
	idle map[string][]*directConn // per host:port, most recently used last

	direct atomic.Int64 // exchanges done here, for tests
}

func newDirectTransport(next *http.Transport) *directTransport {
	return &directTransport{
		next:        next,
		dial:        next.DialContext,
		maxIdle:     next.MaxIdleConnsPerHost,
		idleTimeout: next.IdleConnTimeout,
		probeAfter:  time.Second,
		now:         time.Now,
		idle:        map[string][]*directConn{},
	}
}

// directConn is one keep-alive connection.
type directConn struct {
	conn     net.Conn
	in       *countingReader
	r        *bufio.Reader
	w        *bufio.Writer
	idleFrom time.Time
	reused   bool
}

// RoundTrip implements http.RoundTripper.
func (t *directTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.handles(req) {
		return t.next.RoundTrip(req)
	}
	return t.roundTrip(req)
}

// roundTrip sends a request handles has accepted.
func (t *directTransport) roundTrip(req *http.Request) (*http.Response, error) {
	addr := hostPort(req)
	for attempt := 0; ; attempt++ {
		c, err := t.get(req.Context(), addr)
		if err != nil {
			return nil, err
		}
		resp, err := t.exchange(c, addr, req)
		if err == nil {
			t.direct.Add(1)
			return resp, nil
		}
		var unanswered errUnanswered
		if attempt > 0 || !c.reused || !errors.As(err, &unanswered) || !replayable(req) || req.Context().Err() != nil {
			return nil, err
		}
		if req.GetBody != nil {
			if req.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

// handles reports whether req can go on a direct connection.
func (t *directTransport) handles(req *http.Request) bool {
	if req.URL.Scheme != "http" || req.URL.Host == "" || req.Header.Get("Upgrade") != "" {
		return false
	}
	if t.next.Proxy != nil {
		if p, err := t.next.Proxy(req); err != nil || p != nil {
			return false
		}
	}
	return true
}

// hostPort is where req goes, with the default port.
func hostPort(req *http.Request) string {
	if req.URL.Port() != "" {
		return req.URL.Host
	}
	return net.JoinHostPort(req.URL.Hostname(), "80")
}

// replayable is net/http's rule for sending a request again after its
// connection failed: an idempotent method, or a key saying so, and a body
// that can be had again.
func replayable(req *http.Request) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false
	}
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, key := req.Header["Idempotency-Key"]
	_, xkey := req.Header["X-Idempotency-Key"]
	return key || xkey
}

// errUnanswered is a failure before any byte of the answer arrived.
type errUnanswered struct{ err error }

func (e errUnanswered) Error() string { return e.err.Error() }
func (e errUnanswered) Unwrap() error { return e.err }

// exchange writes req on c and reads the answer's head. The connection
// follows the answer's body: it goes back to the pool once the body is read
// to its end and closed, and is closed otherwise.
func (t *directTransport) exchange(c *directConn, addr string, req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// A cancelled or expired context unblocks the reads and writes; the
	// connection is not reused after that.
	stop := context.AfterFunc(ctx, func() { _ = c.conn.SetDeadline(time.Unix(1, 0)) })
	fail := func(err error) (*http.Response, error) {
		stop()
		_ = c.conn.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (%w)", context.Cause(ctx), err)
		}
		return nil, err
	}
	if err := req.Write(c.w); err != nil {
		return fail(errUnanswered{err})
	}
	if err := c.w.Flush(); err != nil {
		return fail(errUnanswered{err})
	}
	var resp *http.Response
	for {
		var err error
		before := c.in.n
		if resp, err = http.ReadResponse(c.r, req); err != nil {
			if c.in.n == before {
				err = errUnanswered{err}
			}
			return fail(err)
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		// 1xx interim answers (103 Early Hints) come before the real one.
		_ = resp.Body.Close()
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		_ = resp.Body.Close()
		return fail(errors.New("server switched protocols without being asked"))
	}
	keep := !resp.Close && !req.Close
	if resp.Body == http.NoBody {
		stopped := stop()
		t.release(c, addr, keep && stopped)
		return resp, nil
	}
	resp.Body = &directBody{body: resp.Body, ctx: ctx, done: func(eof bool) {
		stopped := stop()
		t.release(c, addr, eof && keep && stopped)
	}}
	return resp, nil
}

// countingReader counts the bytes read from a connection, to tell a
// connection that failed before answering from one that failed mid-answer.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// get returns an idle connection to addr that still looks open, or a new one.
func (t *directTransport) get(ctx context.Context, addr string) (*directConn, error) {
	now := t.now()
	for {
		c := t.popIdle(addr)
		if c == nil {
			break
		}
		idleFor := now.Sub(c.idleFrom)
		if idleFor > t.idleTimeout || c.r.Buffered() > 0 || (idleFor > t.probeAfter && !c.open()) {
			_ = c.conn.Close()
			continue
		}
		c.reused = true
		return c, nil
	}
	conn, err := t.dial(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	in := &countingReader{r: conn}
	return &directConn{conn: conn, in: in, r: bufio.NewReaderSize(in, 4<<10), w: bufio.NewWriterSize(conn, 4<<10)}, nil
}

func (t *directTransport) popIdle(addr string) *directConn {
	t.mu.Lock()
	defer t.mu.Unlock()
	cs := t.idle[addr]
	if len(cs) == 0 {
		return nil
	}
	c := cs[len(cs)-1]
	cs[len(cs)-1] = nil
	t.idle[addr] = cs[:len(cs)-1]
	return c
}

// release puts c back in the pool, or closes it.
func (t *directTransport) release(c *directConn, addr string, keep bool) {
	if keep {
		c.idleFrom = t.now()
		t.mu.Lock()
		if cs := t.idle[addr]; len(cs) < t.maxIdle {
			t.idle[addr] = append(cs, c)
			t.mu.Unlock()
			return
		}
		t.mu.Unlock()
	}
	_ = c.conn.Close()
}

// open reports whether the server has not closed c while it was idle, nor
// sent anything unasked.
func (c *directConn) open() bool { return !closedByPeer(c.conn) }

// CloseIdleConnections closes the idle connections, here and in next
// (http.Client.CloseIdleConnections calls it).
func (t *directTransport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = map[string][]*directConn{}
	t.mu.Unlock()
	for _, cs := range idle {
		for _, c := range cs {
			_ = c.conn.Close()
		}
	}
	t.next.CloseIdleConnections()
}

// directBody reports, once, whether its body was read to the end before it
// was closed.
type directBody struct {
	body io.ReadCloser
	ctx  context.Context
	eof  bool
	once sync.Once
	done func(eof bool)
}

func (b *directBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if errors.Is(err, io.EOF) {
		b.eof = true
		b.finish()
	} else if err != nil {
		b.finish()
		if b.ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", context.Cause(b.ctx), err)
		}
	}
	return n, err
}

// Close closes the connection first when the body was not read to its end:
// net/http's body would otherwise try to drain it from the network.
func (b *directBody) Close() error {
	b.finish()
	_ = b.body.Close()
	return nil
}

func (b *directBody) finish() {
	b.once.Do(func() { b.done(b.eof) })
}
