package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/batonhq/baton/model"
)

// maxErrorBody bounds how much of an error answer is kept.
const maxErrorBody = 4 << 10

// request is one call to the API.
type request struct {
	method string
	path   string // below the base URL, starting with "/", segments already escaped
	query  url.Values
	body   any    // encoded as JSON unless it is a rawBody
	accept string // defaults to application/json
	// wait is how long the server may hold the request on purpose (long
	// poll, synchronous execution); it is added to the request timeout.
	wait time.Duration
	// pollerID is sent as the Baton-Poller-Id header when set.
	pollerID string
	// replayable says that the server may get the request twice: net/http
	// then sends it again when a kept-alive connection fails before any
	// answer came, as it does for a GET.
	replayable bool
}

// rawBody is sent as it is, with the given content type.
type rawBody struct {
	contentType string
	data        []byte
}

// response is a 2xx answer, body read in full.
type response struct {
	status int
	body   []byte
	pooled *[]byte // body's buffer, when it came from bodyPool
}

// recycle gives the body's buffer back for another answer. Only callers that
// keep nothing of the body may call it: the task decoder copies what it
// keeps.
func (r *response) recycle() {
	if r.pooled != nil {
		*r.pooled = r.body[:0]
		bodyPool.Put(r.pooled)
		r.pooled, r.body = nil, nil
	}
}

// empty reports whether the server answered without a body (204, or an
// empty 200 as Conductor gives for void handlers).
func (r *response) empty() bool {
	return r.status == http.StatusNoContent || len(bytes.TrimSpace(r.body)) == 0
}

// do sends r and returns the 2xx answer or an error: an *APIError for any
// other status, a wrapped transport error otherwise. With authentication a
// 401/403 answer drops the token and the request is sent once more with a
// fresh one.
func (c *APIClient) do(ctx context.Context, r request) (*response, error) {
	if c.err != nil {
		return nil, c.err
	}
	var payload []byte
	contentType := ""
	switch b := r.body.(type) {
	case nil:
	case rawBody:
		payload, contentType = b.data, b.contentType
	default:
		var err error
		if payload, err = json.Marshal(b); err != nil {
			return nil, fmt.Errorf("conductor: %s %s: encode body: %w", r.method, r.path, err)
		}
		contentType = "application/json"
	}
	// Each request is bounded by the client's timeout and the long-poll
	// wait, or by the caller's sooner deadline (then its context is used as
	// it is: a worker bounds every result update itself). The answer is
	// read in full before the context ends.
	if d, ok := ctx.Deadline(); !ok || time.Until(d) > c.timeout+r.wait {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout+r.wait)
		defer cancel()
	}
	for attempt := 0; ; attempt++ {
		tok := ""
		if c.tokens != nil {
			var err error
			if tok, err = c.tokens.token(ctx); err != nil {
				return nil, err
			}
		}
		resp, err := c.send(ctx, r, payload, contentType, tok)
		if err != nil {
			return nil, err
		}
		if tok != "" && attempt == 0 && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			drain(resp)
			c.tokens.invalidate(tok)
			continue
		}
		return c.read(resp, r)
	}
}

// send makes one exchange through Config.HTTPClient, which follows
// redirects by keepTokenOnHost's rules.
func (c *APIClient) send(ctx context.Context, r request, payload []byte, contentType, tok string) (*http.Response, error) {
	req, err := c.newRequest(ctx, r, payload, contentType, tok)
	if err != nil {
		return nil, err
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("conductor: %s %s: %w", r.method, r.path, err)
	}
	return resp, nil
}

func (c *APIClient) newRequest(ctx context.Context, r request, payload []byte, contentType, tok string) (*http.Request, error) {
	u := c.baseURL + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("conductor: %s %s: %w", r.method, r.path, err)
	}
	for k, v := range c.headers {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", cmpOr(r.accept, "application/json"))
	if tok != "" {
		req.Header.Set("X-Authorization", tok)
	}
	if r.pollerID != "" {
		req.Header.Set(headerPollerID, r.pollerID)
	}
	if r.replayable {
		req.Header["Idempotency-Key"] = nil // marks the request for net/http; not sent
	}
	return req, nil
}

func (c *APIClient) read(resp *http.Response, r request) (*response, error) {
	defer resp.Body.Close()
	c.learnCapabilities(resp.Header)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		drain(resp)
		e := &APIError{Method: r.method, Path: r.path, StatusCode: resp.StatusCode, Body: b, base: c.baseURL}
		if json.Unmarshal(b, &e.Response) != nil {
			e.Response = model.ErrorResponse{}
		}
		return nil, e
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		drain(resp)
		return nil, errHTMLAnswer(c.baseURL, r, resp.StatusCode)
	}
	b, pooled, err := readBody(resp)
	if err != nil {
		return nil, fmt.Errorf("conductor: %s %s: read answer: %w", r.method, r.path, err)
	}
	return &response{status: resp.StatusCode, body: b, pooled: pooled}, nil
}

// bodyPool holds answer buffers up to maxPooledBody, for the answers that are
// recycled: a polled task is read, decoded and dropped once per task.
var bodyPool sync.Pool

const maxPooledBody = 64 << 10

// maxSizedBody bounds the buffer allocated up front from an answer's
// Content-Length, so a hostile length cannot make the client allocate it.
const maxSizedBody = 1 << 20

// readBody reads an answer into one buffer of its announced length: a
// polled task is several KiB, which io.ReadAll would reach by doubling from
// 512 bytes (benchmarks.md: five allocations and copies per task). Buffers
// up to maxPooledBody come from bodyPool; pooled says which.
func readBody(resp *http.Response) (b []byte, pooled *[]byte, err error) {
	n := resp.ContentLength
	if n < 0 {
		return readUnsized(resp.Body)
	}
	if n == 0 || n > maxSizedBody {
		b, err = io.ReadAll(resp.Body)
		return b, nil, err
	}
	if n <= maxPooledBody {
		if pooled, _ = bodyPool.Get().(*[]byte); pooled == nil {
			pooled = new([]byte)
		}
		if int64(cap(*pooled)) >= n {
			b = (*pooled)[:n]
		}
	}
	if b == nil {
		b = make([]byte, n)
	}
	if _, err := io.ReadFull(resp.Body, b); err != nil {
		return nil, nil, err
	}
	return b, pooled, nil
}

// readUnsized reads an answer of unknown length (a chunked one, as
// Conductor sends) into a buffer from bodyPool, doubled as needed; one that
// grew past maxPooledBody is not pooled.
func readUnsized(r io.Reader) (b []byte, pooled *[]byte, err error) {
	if pooled, _ = bodyPool.Get().(*[]byte); pooled == nil {
		pooled = new([]byte)
	}
	b = (*pooled)[:0]
	if cap(b) == 0 {
		b = make([]byte, 0, 4<<10)
	}
	for {
		if len(b) == cap(b) {
			b = slices.Grow(b, cap(b))
		}
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if cap(b) > maxPooledBody {
		return b, nil, nil
	}
	return b, pooled, nil
}

// drain reads what is left of a body so the connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// decode unmarshals a JSON answer into v; an empty answer leaves v as it is
// and reports false.
func decode(resp *response, r request, v any) (bool, error) {
	if resp.empty() {
		return false, nil
	}
	if err := json.Unmarshal(resp.body, v); err != nil {
		return false, fmt.Errorf("conductor: %s %s: malformed answer: %w", r.method, r.path, err)
	}
	return true, nil
}

// call sends r and decodes the JSON answer, which must not be empty.
func call[T any](ctx context.Context, c *APIClient, r request) (*T, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	var v T
	ok, err := decode(resp, r, &v)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("conductor: %s %s: empty answer (status %d), want JSON", r.method, r.path, resp.status)
	}
	return &v, nil
}

// list sends r and decodes a JSON array answer. An empty answer is an empty
// list: Conductor gives 204 for some empty lists, [] for others.
func list[T any](ctx context.Context, c *APIClient, r request) ([]T, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	v := []T{}
	if _, err := decode(resp, r, &v); err != nil {
		return nil, err
	}
	if v == nil { // the server sent null
		v = []T{}
	}
	return v, nil
}

// exec sends r and ignores the answer's body (void handlers: 200 empty or 204).
func exec(ctx context.Context, c *APIClient, r request) error {
	_, err := c.do(ctx, r)
	return err
}

// textID sends r and returns the text/plain id it answers with. An empty
// answer is an error: the caller needs the id.
func textID(ctx context.Context, c *APIClient, r request) (string, error) {
	r.accept = "text/plain, application/json"
	resp, err := c.do(ctx, r)
	if err != nil {
		return "", err
	}
	id := text(resp)
	if id == "" {
		return "", fmt.Errorf("conductor: %s %s: empty answer (status %d), want an id", r.method, r.path, resp.status)
	}
	return id, nil
}

// text returns a text/plain answer such as a workflow id, trimmed. A JSON
// string answer is unquoted, for servers that send ids as JSON.
func text(resp *response) string {
	s := strings.TrimFunc(string(resp.body), unicode.IsSpace)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		var u string
		if json.Unmarshal([]byte(s), &u) == nil {
			return u
		}
	}
	return s
}

// segment checks a caller's value for one path segment and escapes it, so
// that no value (slashes, "..", "?", unicode) can change which resource the
// request addresses.
func segment(op, what, v string) (string, error) {
	switch v {
	case "":
		return "", errRequired(op, what)
	case ".", "..":
		return "", fmt.Errorf("conductor: %s: %s %q is not a usable name", op, what, v)
	}
	return url.PathEscape(v), nil
}

// segments is segment for several values, given as op, then (what, value)
// pairs; it returns the escaped values in order.
func segments(op string, pairs ...string) ([]string, error) {
	out := make([]string, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		s, err := segment(op, pairs[i], pairs[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func setIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

func containsFold(s, sub string) bool { return strings.Contains(strings.ToLower(s), sub) }

// errRequired reports a missing argument before any request is made.
func errRequired(op, what string) error {
	return fmt.Errorf("conductor: %s: %s is required", op, what)
}
