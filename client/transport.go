package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// directTransport sends plain-HTTP requests that need no proxy over
// keep-alive connections that the calling goroutine writes and reads itself:
// an *http.Request with net/http's own wire code (Request.Write,
// http.ReadResponse), APIClient's own requests as wire.go renders them.
// Every other request (https, a proxy, a protocol upgrade) goes to next.
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
	deadline time.Time // last set on conn

	// The watch on the context of the connection's exchanges: its end
	// interrupts a running exchange. A context without a deadline (a
	// worker's, a server's lifetime) usually comes back for the next
	// exchange, so its watch stays registered while the connection is idle,
	// and an exchange on the same context registers nothing.
	mu          sync.Mutex
	watchDone   <-chan struct{} // the watched context's Done
	unwatch     func() bool
	keepWatch   bool // the watched context has no deadline
	busy        bool // an exchange is running
	interrupted bool // the watched context ended during the exchange
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
	return t.send(hostPort(req), netRequest{req})
}

// outgoing is a request on its way to a direct connection: an
// *http.Request (netRequest), or one APIClient rendered itself (wire.go).
type outgoing interface {
	context() context.Context
	// writeTo writes the whole request, body included, to w.
	writeTo(w *bufio.Writer) error
	// readAnswer reads the final answer's head from r and gives it a body
	// that reads from r and lets h go once it is read to its end, closed or
	// failed. An answer that asks to close the connection clears h.keep.
	readAnswer(r *bufio.Reader, h *hold) (*http.Response, error)
	// replayable reports whether the request may be sent again after its
	// connection failed unanswered, and rewinds its body if it has one.
	replayable() bool
	// closeAfter reports whether the request asked for the connection to be
	// closed after the answer.
	closeAfter() bool
	// hold returns room for the answer's hold on its connection.
	hold() *hold
	// deadline bounds the whole exchange besides the context; zero for none.
	deadline() time.Time
}

// send makes the exchange on a pooled or new connection to addr, and once
// more on a new connection when a reused one failed unanswered and the
// request allows it.
func (t *directTransport) send(addr string, o outgoing) (*http.Response, error) {
	ctx := o.context()
	for attempt := 0; ; attempt++ {
		c, err := t.get(ctx, addr, o.deadline())
		if err != nil {
			return nil, err
		}
		resp, err := t.exchange(c, addr, o)
		if err == nil {
			t.direct.Add(1)
			return resp, nil
		}
		var unanswered errUnanswered
		if attempt > 0 || !c.reused || !errors.As(err, &unanswered) || ctx.Err() != nil ||
			passed(o.deadline()) || !o.replayable() {
			return nil, err
		}
	}
}

// netRequest is an *http.Request, written and read with net/http's own code.
type netRequest struct{ req *http.Request }

func (n netRequest) context() context.Context { return n.req.Context() }

func (n netRequest) writeTo(w *bufio.Writer) error { return n.req.Write(w) }

func (n netRequest) closeAfter() bool { return n.req.Close }

func (n netRequest) hold() *hold { return new(hold) }

// deadline is none: an *http.Request carries its bound in its context.
func (n netRequest) deadline() time.Time { return time.Time{} }

func (n netRequest) readAnswer(r *bufio.Reader, h *hold) (*http.Response, error) {
	resp, err := readFinalResponse(r, n.req)
	if err != nil {
		return nil, err
	}
	h.keep = h.keep && !resp.Close
	wrapBody(resp, n.req.Context(), time.Time{}, h)
	return resp, nil
}

func (n netRequest) replayable() bool {
	if !replayable(n.req) {
		return false
	}
	if n.req.GetBody != nil {
		body, err := n.req.GetBody()
		if err != nil {
			return false
		}
		n.req.Body = body
	}
	return true
}

// readFinalResponse reads answers with http.ReadResponse until one that is
// not a 1xx interim answer (103 Early Hints come before the real one).
func readFinalResponse(r *bufio.Reader, req *http.Request) (*http.Response, error) {
	for {
		resp, err := http.ReadResponse(r, req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusSwitchingProtocols {
			_ = resp.Body.Close()
			return nil, errors.New("server switched protocols without being asked")
		}
		if resp.StatusCode >= 200 {
			return resp, nil
		}
		_ = resp.Body.Close()
	}
}

// wrapBody makes resp's body let h go once it is read to its end or
// closed; a body-less answer lets it go at once. until is the exchange's
// deadline, if it has one besides ctx.
func wrapBody(resp *http.Response, ctx context.Context, until time.Time, h *hold) {
	if resp.Body == http.NoBody {
		h.done(true)
		return
	}
	resp.Body = &directBody{body: resp.Body, ctx: ctx, until: until, h: h}
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

// exchange writes o on c and reads the answer's head. The connection
// follows the answer's body: it goes back to the pool once the body is read
// to its end and closed, and is closed otherwise.
func (t *directTransport) exchange(c *directConn, addr string, o outgoing) (*http.Response, error) {
	ctx, deadline := o.context(), o.deadline()
	if !deadline.Equal(c.deadline) {
		_ = c.conn.SetDeadline(deadline)
		c.deadline = deadline
	}
	// A cancelled or expired context unblocks the reads and writes; the
	// connection is not reused after that.
	c.begin(ctx)
	fail := func(err error) (*http.Response, error) {
		c.end()
		c.close()
		return nil, exchangeError(ctx, deadline, err)
	}
	if err := o.writeTo(c.w); err != nil {
		return fail(errUnanswered{err})
	}
	if err := c.w.Flush(); err != nil {
		return fail(errUnanswered{err})
	}
	before := c.in.n
	h := o.hold()
	*h = hold{t: t, c: c, addr: addr, keep: !o.closeAfter()}
	resp, err := o.readAnswer(c.r, h)
	if err != nil {
		if c.in.n == before {
			err = errUnanswered{err}
		}
		return fail(err)
	}
	return resp, nil
}

// exchangeError is err, with what caused it when the context ended or the
// deadline passed.
func exchangeError(ctx context.Context, deadline time.Time, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%w (%w)", context.Cause(ctx), err)
	case passed(deadline) && isTimeout(err):
		return fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
	}
	return err
}

// passed reports whether deadline is set and has passed.
func passed(deadline time.Time) bool {
	return !deadline.IsZero() && !time.Now().Before(deadline)
}

// isTimeout reports whether err is a deadline that passed: the
// connection's, or the dial's.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// hold is an answer's hold on its connection.
type hold struct {
	t    *directTransport
	c    *directConn
	addr string
	keep bool // neither side asked to close the connection
}

// done lets the connection go: back to the pool when the answer was read to
// its end (eof), the connection may be kept and the context did not strike;
// closed otherwise.
func (h *hold) done(eof bool) {
	interrupted := h.c.end()
	h.t.release(h.c, h.addr, eof && h.keep && !interrupted)
}

// begin marks an exchange on ctx as running, watching ctx's end.
func (c *directConn) begin(ctx context.Context) {
	done := ctx.Done()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy, c.interrupted = true, false
	if done == c.watchDone && done != nil {
		return
	}
	c.unwatchLocked()
	if done != nil {
		_, hasDeadline := ctx.Deadline()
		c.watchDone, c.keepWatch = done, !hasDeadline
		c.unwatch = context.AfterFunc(ctx, func() { c.interrupt(done) })
	}
}

// end marks the exchange as over and reports whether its context
// interrupted it. A watch on a context with a deadline is dropped: that
// context is the one request's.
func (c *directConn) end() (interrupted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy = false
	if !c.keepWatch {
		c.unwatchLocked()
	}
	return c.interrupted
}

// interrupt is the watch's callback for the context whose Done is done.
func (c *directConn) interrupt(done <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchDone != done {
		return // a stale watch, replaced since
	}
	c.watchDone, c.unwatch = nil, nil
	if c.busy {
		c.interrupted = true
		_ = c.conn.SetDeadline(time.Unix(1, 0))
	}
}

func (c *directConn) unwatchLocked() {
	if c.unwatch != nil {
		c.unwatch()
	}
	c.watchDone, c.unwatch, c.keepWatch = nil, nil, false
}

// close closes the connection and drops its watch.
func (c *directConn) close() {
	c.mu.Lock()
	c.unwatchLocked()
	c.mu.Unlock()
	_ = c.conn.Close()
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

// get returns an idle connection to addr that still looks open, or a new
// one, dialled within deadline when it is set.
func (t *directTransport) get(ctx context.Context, addr string, deadline time.Time) (*directConn, error) {
	now := t.now()
	for {
		c := t.popIdle(addr)
		if c == nil {
			break
		}
		idleFor := now.Sub(c.idleFrom)
		if idleFor > t.idleTimeout || c.r.Buffered() > 0 || (idleFor > t.probeAfter && !c.open()) {
			c.close()
			continue
		}
		c.reused = true
		return c, nil
	}
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	conn, err := t.dial(ctx, "tcp", addr)
	if err != nil {
		return nil, exchangeError(ctx, deadline, err)
	}
	rd, wr := newRawIO(conn)
	in := &countingReader{r: rd}
	return &directConn{conn: conn, in: in, r: bufio.NewReaderSize(in, 4<<10), w: bufio.NewWriterSize(wr, 4<<10)}, nil
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
	c.close()
}

// open reports whether the server has not closed c while it was idle, nor
// sent anything unasked. The last exchange's deadline, long past perhaps,
// is cleared first: the check would fail on it.
func (c *directConn) open() bool {
	if !c.deadline.IsZero() {
		if c.conn.SetDeadline(time.Time{}) != nil {
			return false
		}
		c.deadline = time.Time{}
	}
	return !closedByPeer(c.conn)
}

// CloseIdleConnections closes the idle connections, here and in next
// (http.Client.CloseIdleConnections calls it).
func (t *directTransport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = map[string][]*directConn{}
	t.mu.Unlock()
	for _, cs := range idle {
		for _, c := range cs {
			c.close()
		}
	}
	t.next.CloseIdleConnections()
}

// directBody reports, once, whether its body was read to the end before it
// was closed.
type directBody struct {
	body  io.ReadCloser
	ctx   context.Context
	until time.Time
	eof   bool
	once  sync.Once
	h     *hold
}

func (b *directBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if errors.Is(err, io.EOF) {
		b.eof = true
		b.finish()
	} else if err != nil {
		b.finish()
		err = exchangeError(b.ctx, b.until, err)
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
	b.once.Do(func() { b.h.done(b.eof) })
}
