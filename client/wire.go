package client

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The client's own requests on direct connections skip net/http's request
// and answer types: a request is rendered from parts checked when the client
// was made, and an ordinary answer's head (HTTP/1.1, a status, a
// Content-Length or chunked transfer coding) is parsed in place. Everything
// else (a close-delimited body, an interim answer, HTTP/1.0, a head split
// across reads, anything net/http would read differently or reject) is read
// by http.ReadResponse from the same bytes. Why: building an
// http.Request, writing it and parsing the answer with net/http is a fifth
// of a worker's CPU per task (docs/benchmarks.md).

// wireTarget is what every request of one client shares on the wire.
type wireTarget struct {
	addr   string // host:port to dial
	origin string // "http://" and the host, for errors
	prefix string // the base URL's escaped path, before each request's path
	// head is the Host and User-Agent lines and the configured headers,
	// rendered once.
	head []byte
	// replayable: the configured headers carry an idempotency key, which
	// lets net/http send any request again after its connection failed.
	replayable bool
}

// newWireTarget prepares requests to base for direct connections, or
// returns nil when they must go through net/http: not plain HTTP, a proxy,
// or a host or header that net/http would rewrite on the way.
func newWireTarget(t *directTransport, base string, headers http.Header) *wireTarget {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		!plainASCII(u.Host) || strings.Contains(u.Host, "%") {
		return nil
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base, nil)
	if err != nil || !t.handles(req) {
		return nil
	}
	w := &wireTarget{addr: hostPort(req), origin: "http://" + req.Host, prefix: u.EscapedPath()}
	// A base path net/http would escape again (a space, say) is declined:
	// net/http then re-escapes each request's whole path, and the two ways
	// would differ on an escaped slash in a path segment.
	if !uriSafe(w.prefix) || base != "http://"+u.Host+w.prefix {
		return nil
	}
	head := []byte("Host: " + req.Host + "\r\n")
	for k, vs := range headers {
		switch textproto.CanonicalMIMEHeaderKey(k) {
		case "Host", "Content-Length", "Transfer-Encoding", "Trailer", "Connection", "Upgrade", "Expect",
			"Content-Type", "Accept", "X-Authorization", "Te":
			return nil // set per request, or changes how the exchange goes
		case "Idempotency-Key", "X-Idempotency-Key":
			w.replayable = true
		}
		if !validFieldName(k) {
			return nil
		}
		for _, v := range vs {
			v = textproto.TrimString(v)
			if !validFieldValue(v) {
				return nil
			}
			head = append(append(append(append(head, k...), ": "...), v...), "\r\n"...)
		}
	}
	w.head = head
	return w
}

// wireRequest is one request rendered from its target's parts. It holds
// room for its exchange's hold on the connection and for its answer, so
// that one allocation serves the whole exchange.
type wireRequest struct {
	ctx         context.Context
	until       time.Time // the request's bound, set on the connection
	target      *wireTarget
	method      string
	path        string // escaped, after the target's prefix
	query       string // encoded, without "?"
	contentType string
	accept      string
	token       string
	body        []byte

	h      hold
	answer wireAnswer
}

// request returns r as a wireRequest, or false when some part of it must go
// through net/http.
func (w *wireTarget) request(ctx context.Context, until time.Time, r request, body []byte, contentType, tok string) (*wireRequest, bool) {
	switch r.method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
	default:
		return nil, false
	}
	query := ""
	if len(r.query) > 0 {
		query = r.query.Encode()
	}
	accept := cmpOr(r.accept, "application/json")
	if !uriSafe(r.path) || !uriSafe(query) ||
		!validFieldValue(tok) || !validFieldValue(accept) || !validFieldValue(contentType) {
		return nil, false
	}
	return &wireRequest{ctx: ctx, until: until, target: w, method: r.method, path: r.path, query: query,
		contentType: contentType, accept: accept, token: tok, body: body}, true
}

func (r *wireRequest) context() context.Context { return r.ctx }

func (r *wireRequest) deadline() time.Time { return r.until }

// url is the request's URL, for errors and http.ReadResponse.
func (r *wireRequest) url() string { return r.target.origin + r.uri() }

// uri is the request target.
func (r *wireRequest) uri() string {
	u := r.target.prefix + r.path
	if u == "" {
		u = "/"
	}
	if r.query != "" {
		u += "?" + r.query
	}
	return u
}

func (r *wireRequest) hold() *hold { return &r.h }

func (r *wireRequest) closeAfter() bool { return false }

// replayable is net/http's rule: an idempotent method or an idempotency
// key. The body is a byte slice, always there to send again.
func (r *wireRequest) replayable() bool {
	return r.method == http.MethodGet || r.target.replayable
}

// writeTo writes what http.Request.Write would for the same request.
func (r *wireRequest) writeTo(w *bufio.Writer) error {
	_, _ = w.WriteString(r.method)
	_ = w.WriteByte(' ')
	if r.target.prefix == "" && r.path == "" {
		_ = w.WriteByte('/')
	}
	_, _ = w.WriteString(r.target.prefix)
	_, _ = w.WriteString(r.path)
	if r.query != "" {
		_ = w.WriteByte('?')
		_, _ = w.WriteString(r.query)
	}
	_, _ = w.WriteString(" HTTP/1.1\r\n")
	_, _ = w.Write(r.target.head)
	if r.contentType != "" {
		writeField(w, "Content-Type: ", r.contentType)
	}
	writeField(w, "Accept: ", r.accept)
	if r.token != "" {
		writeField(w, "X-Authorization: ", r.token)
	}
	// net/http sends a zero length for the methods that carry a body.
	if len(r.body) > 0 || r.method == http.MethodPost || r.method == http.MethodPut || r.method == http.MethodPatch {
		var n [20]byte
		_, _ = w.WriteString("Content-Length: ")
		_, _ = w.Write(strconv.AppendInt(n[:0], int64(len(r.body)), 10))
		_, _ = w.WriteString("\r\n")
	}
	_, _ = w.WriteString("\r\n")
	_, err := w.Write(r.body)
	return err
}

func writeField(w *bufio.Writer, name, value string) {
	_, _ = w.WriteString(name)
	_, _ = w.WriteString(value)
	_, _ = w.WriteString("\r\n")
}

// readAnswer parses an ordinary answer's head in place (parseHead) and
// leaves everything else to http.ReadResponse.
func (r *wireRequest) readAnswer(br *bufio.Reader, h *hold) (*http.Response, error) {
	if _, err := br.Peek(1); err != nil {
		return nil, err
	}
	buffered, _ := br.Peek(br.Buffered())
	head, ok := parseHead(buffered)
	if !ok {
		req, err := http.NewRequestWithContext(r.ctx, r.method, r.url(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := readFinalResponse(br, req)
		if err != nil {
			return nil, err
		}
		h.keep = h.keep && !resp.Close
		wrapBody(resp, r.ctx, r.until, h)
		return resp, nil
	}
	_, _ = br.Discard(head.size)
	h.keep = h.keep && !head.close
	a := &r.answer
	*a = wireAnswer{body: wireBody{r: br, left: head.length, ctx: r.ctx, until: r.until, h: h}}
	a.resp = http.Response{
		Status: head.status, StatusCode: head.code, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		ContentLength: head.length, Close: head.close, Body: &a.body,
	}
	if head.chunked {
		// net/http's own chunked decoding, reading from the connection's
		// buffer.
		a.body.chunks = httputil.NewChunkedReader(br)
		a.resp.TransferEncoding = []string{"chunked"}
	} else if head.length == 0 {
		a.body.finish(true)
	}
	return &a.resp, nil
}

// wireAnswer is an answer and its body in one allocation.
type wireAnswer struct {
	resp http.Response
	body wireBody
}

// wireBody reads an answer's body of known length from its connection.
// It is read by one goroutine, the client's.
type wireBody struct {
	r        *bufio.Reader
	left     int64     // with a length
	chunks   io.Reader // chunked: the decoding reader; left is unused
	ctx      context.Context
	until    time.Time
	h        *hold
	finished bool
	eof      bool
}

func (b *wireBody) Read(p []byte) (int, error) {
	if b.finished {
		if b.eof {
			return 0, io.EOF
		}
		return 0, http.ErrBodyReadAfterClose
	}
	if b.chunks != nil {
		return b.readChunks(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left == 0 {
		b.finish(true)
		return n, nil
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		b.finish(false)
		return n, exchangeError(b.ctx, b.until, err)
	}
	return n, nil
}

// readChunks reads a chunked body; after the last chunk it reads the
// trailer section, as net/http does, so the connection is ready for the
// next answer.
func (b *wireBody) readChunks(p []byte) (int, error) {
	n, err := b.chunks.Read(p)
	switch {
	case errors.Is(err, io.EOF):
		if err := skipTrailer(b.r); err != nil {
			b.finish(false)
			return n, exchangeError(b.ctx, b.until, err)
		}
		b.finish(true)
		return n, io.EOF
	case err != nil:
		b.finish(false)
		return n, exchangeError(b.ctx, b.until, err)
	}
	return n, nil
}

// skipTrailer reads the trailer section after a chunked body's last chunk
// as net/http does: the blank line that usually ends it at once, or header
// fields (kept from the client, which has no use for them) up to a blank
// line that must already be in the buffer.
func skipTrailer(r *bufio.Reader) error {
	buf, err := r.Peek(2)
	switch {
	case bytes.Equal(buf, []byte("\r\n")):
		_, _ = r.Discard(2)
		return nil
	case len(buf) < 2:
		return io.ErrUnexpectedEOF
	case err != nil:
		return err
	}
	for size := 4; ; size++ { // a bounded trailer: its end is within the buffer
		buf, err := r.Peek(size)
		if bytes.HasSuffix(buf, []byte("\r\n\r\n")) {
			break
		}
		if err != nil {
			return errors.New("http: suspiciously long trailer after chunked body")
		}
	}
	if _, err := textproto.NewReader(r).ReadMIMEHeader(); err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// Close lets the connection go: back to the pool when the body was read to
// its end, closed otherwise.
func (b *wireBody) Close() error {
	if !b.finished {
		b.finish(b.chunks == nil && b.left == 0)
	}
	return nil
}

func (b *wireBody) finish(eof bool) {
	b.finished, b.eof = true, eof
	b.h.done(eof)
}

// wireHead is an answer's head as parseHead reads it.
type wireHead struct {
	size    int // bytes, with the blank line that ends it
	code    int
	status  string
	length  int64 // -1 when chunked
	chunked bool
	close   bool
}

// parseHead parses an ordinary answer's head at the start of buf: the
// status line "HTTP/1.1 ddd reason", header lines of a token, a colon and a
// value of visible characters, spaces and tabs, each ending in CRLF, and
// either exactly one Content-Length (none for 204 and 304) or one
// "Transfer-Encoding: chunked" without a length. It reports false for
// anything else, and for a head not all in buf, which http.ReadResponse
// then reads.
func parseHead(buf []byte) (wireHead, bool) {
	end := bytes.Index(buf, []byte("\r\n\r\n"))
	if end < 0 {
		return wireHead{}, false
	}
	h := wireHead{size: end + 4, length: -1}
	lines := buf[:end+2]
	line, lines, _ := bytes.Cut(lines, []byte("\r\n"))
	const proto = "HTTP/1.1 "
	if len(line) < len(proto)+3 || string(line[:len(proto)]) != proto {
		return wireHead{}, false
	}
	code := line[len(proto) : len(proto)+3]
	reason := line[len(proto)+3:]
	if code[0] < '2' || code[0] > '5' || !allDigits(code) || (len(reason) > 0 && (reason[0] != ' ' || !validFieldValue(string(reason)))) {
		return wireHead{}, false
	}
	h.code = int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
	h.status = statusText(h.code, line[len(proto):])
	for len(lines) > 0 {
		line, lines, _ = bytes.Cut(lines, []byte("\r\n"))
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !validFieldName(string(name)) {
			return wireHead{}, false
		}
		value = bytes.Trim(value, " \t")
		if !validFieldValue(string(value)) {
			return wireHead{}, false
		}
		switch {
		case equalFold(name, "content-length"):
			if h.length >= 0 || len(value) == 0 || len(value) > 15 || !allDigits(value) {
				return wireHead{}, false
			}
			h.length, _ = strconv.ParseInt(string(value), 10, 64)
		case equalFold(name, "transfer-encoding"):
			if h.chunked || !equalFold(value, "chunked") {
				return wireHead{}, false
			}
			h.chunked = true
		case equalFold(name, "connection"):
			for tok := range strings.SplitSeq(string(value), ",") {
				if strings.EqualFold(textproto.TrimString(tok), "close") {
					h.close = true
				}
			}
		}
	}
	if h.code == http.StatusNoContent || h.code == http.StatusNotModified {
		if h.length > 0 || h.chunked {
			return wireHead{}, false
		}
		h.length = 0
	}
	if h.chunked {
		return h, h.length < 0
	}
	return h, h.length >= 0
}

// statusText is the status line after the protocol, as http.Response.Status
// has it: known statuses share a string.
func statusText(code int, s []byte) string {
	if t := http.StatusText(code); t != "" && len(s) == 4+len(t) && string(s[4:]) == t {
		return commonStatus[code]
	}
	return string(s)
}

var commonStatus = func() map[int]string {
	m := map[int]string{}
	for code := 200; code < 600; code++ {
		if t := http.StatusText(code); t != "" {
			m[code] = strconv.Itoa(code) + " " + t
		}
	}
	return m
}()

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// equalFold is strings.EqualFold for an ASCII lower-case want.
func equalFold(b []byte, want string) bool {
	if len(b) != len(want) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			return false
		}
	}
	return true
}

// validFieldName reports whether s is an HTTP token.
func validFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validFieldValue reports whether s is visible ASCII, spaces and tabs only:
// stricter than HTTP, which also allows bytes above 0x7f that net/http
// handles in ways this file does not copy.
func validFieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c > '~' {
			return false
		}
	}
	return true
}

// uriSafe reports whether s holds only characters a request target keeps
// as they are, and well-formed percent escapes: url.Parse and RequestURI
// give s back unchanged.
func uriSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0:
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
