package sdkcheck_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// exchange is one request that went through a recorder, with its answer.
type exchange struct {
	Method string
	Path   string // below the API root, e.g. /tasks/update-v2
	Query  url.Values
	Body   []byte
	Status int
	Answer []byte
	Start  time.Time
	End    time.Time
}

// result decodes the request body as a task result.
func (x exchange) result() model.TaskResult {
	var r model.TaskResult
	_ = json.Unmarshal(x.Body, &r)
	return r
}

// tasks decodes the answer as a list of tasks (batch poll) or one task
// (update-v2), whichever it is; an empty answer gives none.
func (x exchange) tasks() []model.WorkerTask {
	b := bytes.TrimSpace(x.Answer)
	if x.Status != http.StatusOK || len(b) == 0 {
		return nil
	}
	if b[0] == '[' {
		var ts []model.WorkerTask
		_ = json.Unmarshal(b, &ts)
		return ts
	}
	var t model.WorkerTask
	if json.Unmarshal(b, &t) != nil || t.TaskId == "" {
		return nil
	}
	return []model.WorkerTask{t}
}

// recorder is a reverse proxy on 127.0.0.1:0 in front of the server that
// records every exchange, so a test can see what the SDK sent and what the
// real server answered.
type recorder struct {
	URL    string // API root through the proxy
	prefix string // the API root's path, cut from recorded paths

	mu      sync.Mutex
	calls   []exchange
	pending int           // requests received and not yet recorded
	changed chan struct{} // closed and replaced on every new exchange
}

// newRecorder starts a recording proxy for the test's server.
func (e *env) newRecorder() *recorder {
	e.t.Helper()
	target, err := url.Parse(e.base)
	require.NoError(e.t, err)
	rec := &recorder{prefix: strings.TrimRight(target.Path, "/"), changed: make(chan struct{})}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: target.Scheme, Host: target.Host})
		},
		Transport: e.transport(),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.pending++
		rec.mu.Unlock()
		x := exchange{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, rec.prefix), Query: r.URL.Query(), Start: time.Now()}
		x.Body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(x.Body))
		cw := &captureWriter{ResponseWriter: w, status: http.StatusOK}
		proxy.ServeHTTP(cw, r)
		x.Status, x.Answer, x.End = cw.status, cw.body.Bytes(), time.Now()
		rec.add(x)
	}))
	e.t.Cleanup(srv.Close)
	rec.URL = srv.URL + rec.prefix
	return rec
}

func (r *recorder) add(x exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, x)
	r.pending--
	close(r.changed)
	r.changed = make(chan struct{})
}

// settled reports whether every request received so far has been recorded.
func (r *recorder) settled() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pending == 0
}

// find returns the recorded exchanges that match.
func (r *recorder) find(match func(exchange) bool) []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []exchange
	for _, x := range r.calls {
		if match(x) {
			out = append(out, x)
		}
	}
	return out
}

// await blocks until ok holds on the exchanges recorded so far, or the
// test's deadline passes.
func (e *env) awaitCalls(r *recorder, what string, ok func([]exchange) bool) []exchange {
	e.t.Helper()
	for {
		r.mu.Lock()
		calls := append([]exchange(nil), r.calls...)
		changed := r.changed
		r.mu.Unlock()
		if ok(calls) {
			return calls
		}
		select {
		case <-e.ctx.Done():
			e.t.Fatalf("recorded requests: %s: not seen before the test's deadline (%d requests recorded)", what, len(calls))
		case <-changed:
		}
	}
}

// Matchers for the requests the worker makes.

func batchPollOf(taskType string) func(exchange) bool {
	return func(x exchange) bool { return x.Method == http.MethodGet && x.Path == "/tasks/poll/batch/"+taskType }
}

func isUpdateV2(x exchange) bool { return x.Method == http.MethodPost && x.Path == "/tasks/update-v2" }

func isUpdate(x exchange) bool { return x.Method == http.MethodPost && x.Path == "/tasks" }

// forTask narrows a matcher of result updates to one task id.
func forTask(id string, match func(exchange) bool) func(exchange) bool {
	return func(x exchange) bool { return match(x) && x.result().TaskId == id }
}

type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(p []byte) (int, error) {
	c.body.Write(p)
	return c.ResponseWriter.Write(p)
}
