package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// faultProxy sits between a WorkerHost and a Baton server: an
// httputil.ReverseProxy on a loopback port that records every poll and
// result, injects faults (answers of its own, connection resets, delays,
// answers lost after the server acted) and checks, as each poll arrives,
// that the worker asks for no more tasks than it has free slots.
//
// It knows which tasks the worker holds from the answers it passes on: a
// task handed out by a poll or an update-v2 answer is held until an answer
// acknowledging its result (not a lease extension) reaches the worker. The
// worker frees a slot only after reading that answer, so the proxy never
// counts more held tasks than the worker does, and a poll with count plus
// held above the batch size is a broken promise, never a race.
type faultProxy struct {
	tb  testing.TB
	srv *httptest.Server
	tr  *http.Transport
	rp  *httputil.ReverseProxy

	mu         sync.Mutex
	target     *url.URL
	rnd        *rand.Rand
	fault      func(req proxyReq, rnd *rand.Rand) action
	capacity   map[slot]int       // a worker's batch size
	held       map[holding]string // tasks delivered and not yet acknowledged → queue key
	heldBy     map[slot]int       // tasks held
	requests   map[string]int     // kind → requests seen
	polls      []pollRec
	results    []resultRec
	deliveries map[string]int // task id → times the worker received it
	acks       map[string]int // task id → results acknowledged to the worker
	applied    map[string]int // task id → results the server answered 2xx (acknowledged or lost)
	extends    map[string]int // task id → lease extensions the server answered 2xx
	problems   []string
	changed    chan struct{} // closed at the next recorded event
}

// slot names the slots of one worker: its worker id and queue key.
type slot struct{ worker, key string }

// holding is a task a worker holds.
type holding struct{ worker, taskID string }

// proxyReq is a request about to be forwarded.
type proxyReq struct {
	kind   string            // "poll", "update", "update-v2" or "other"
	n      int               // requests of this kind so far, this one included
	key    string            // a poll's queue key: taskType or domain:taskType
	worker string            // a poll's workerid
	count  int               // tasks a poll asks for
	result *model.TaskResult // an update's body
}

// action is what the proxy does with a request instead of, or besides,
// forwarding it. The zero action forwards.
type action struct {
	status int             // answer this status without forwarding
	body   string          // body of that answer; defaults to a Conductor ErrorResponse
	reset  bool            // close the connection without forwarding or answering
	delay  time.Duration   // wait this long, then forward
	hold   <-chan struct{} // wait until closed, then forward
	lose   bool            // forward, then close the connection: the server acted, the worker never hears
}

type pollRec struct {
	key, worker string
	count, held int
	got         int // tasks the worker received; -1 when it received none because of a fault or error
}

type resultRec struct {
	taskID   string
	kind     string // "update" or "update-v2"
	status   model.TaskResultStatus
	extend   bool
	callback int64
	outcome  string // "acked", "fault", "lost" or "status <code>"
	next     string // the task an update-v2 answer handed the worker
}

// newProxy starts a proxy to the Baton API at apiURL (".../api") and closes
// it when the test ends, failing the test if it saw a broken promise.
func newProxy(tb testing.TB, apiURL string, seed uint64) *faultProxy {
	p := &faultProxy{
		tb:       tb,
		tr:       &http.Transport{MaxIdleConnsPerHost: 64},
		rnd:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		capacity: map[slot]int{}, held: map[holding]string{}, heldBy: map[slot]int{},
		requests: map[string]int{}, deliveries: map[string]int{}, acks: map[string]int{},
		applied: map[string]int{}, extends: map[string]int{},
	}
	p.setTarget(apiURL)
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			p.mu.Lock()
			t := p.target
			p.mu.Unlock()
			pr.SetURL(t)
		},
		Transport: p.tr,
		ErrorLog:  log.New(io.Discard, "", 0), // a stopped server shows as 502, on purpose in some tests
	}
	p.srv = httptest.NewServer(p)
	tb.Cleanup(func() {
		p.srv.Close()
		p.tr.CloseIdleConnections()
		p.mu.Lock()
		defer p.mu.Unlock()
		require.Empty(tb, p.problems, "the proxy saw broken promises")
	})
	return p
}

// setTarget points the proxy at the Baton API at apiURL, e.g. a restarted
// server.
func (p *faultProxy) setTarget(apiURL string) {
	u, err := url.Parse(strings.TrimSuffix(apiURL, "/api"))
	require.NoError(p.tb, err)
	p.mu.Lock()
	p.target = u
	p.mu.Unlock()
}

// client returns an API client that talks to the server through the proxy,
// with a transport of its own closed when the test ends.
func (p *faultProxy) client(tb testing.TB) *client.APIClient {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	tb.Cleanup(tr.CloseIdleConnections)
	c, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(p.srv.URL + "/api"), HTTPClient: &http.Client{Transport: tr},
	})
	require.NoError(tb, err)
	return c
}

// setFault installs f, called under the proxy's lock for every request.
func (p *faultProxy) setFault(f func(req proxyReq, rnd *rand.Rand) action) {
	p.mu.Lock()
	p.fault = f
	p.mu.Unlock()
}

// expectCapacity makes every poll of key by worker check count + held <= n.
func (p *faultProxy) expectCapacity(worker, key string, n int) {
	p.mu.Lock()
	p.capacity[slot{worker, key}] = n
	p.mu.Unlock()
}

func queueKey(taskType, domain string) string {
	if domain == "" {
		return taskType
	}
	return domain + ":" + taskType
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := classify(r)
	if err != nil {
		p.problem("unreadable request %s %s: %v", r.Method, r.URL, err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.requests[req.kind]++
	req.n = p.requests[req.kind]
	pollIdx := -1
	if req.kind == "poll" {
		s := slot{req.worker, req.key}
		held := p.heldBy[s]
		if c := p.capacity[s]; c > 0 && req.count+held > c {
			p.problems = append(p.problems, fmt.Sprintf("poll of %s by %s asked for %d tasks while holding %d of %d slots", req.key, req.worker, req.count, held, c))
		}
		if req.count < 1 {
			p.problems = append(p.problems, fmt.Sprintf("poll of %s asked for %d tasks", req.key, req.count))
		}
		pollIdx = len(p.polls)
		p.polls = append(p.polls, pollRec{key: req.key, worker: req.worker, count: req.count, held: held, got: -1})
	}
	var act action
	if p.fault != nil {
		act = p.fault(req, p.rnd)
	}
	p.notifyLocked()
	p.mu.Unlock()

	if !p.wait(r, act) {
		p.recordResult(req, "fault", "")
		return
	}
	switch {
	case act.reset:
		p.recordResult(req, "fault", "")
		hijackAndClose(w)
		return
	case act.status != 0:
		p.recordResult(req, "fault", "")
		body := act.body
		if body == "" {
			b, _ := json.Marshal(model.ErrorResponse{Status: act.status, Message: "injected by the test proxy"})
			body = string(b)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(act.status)
		_, _ = io.WriteString(w, body)
		return
	}

	// Forward into a buffer, account for the answer, then pass it on: the
	// bookkeeping is done before the worker can read the answer.
	rec := httptest.NewRecorder()
	p.rp.ServeHTTP(rec, r)
	p.account(req, pollIdx, rec, act.lose)
	if act.lose {
		hijackAndClose(w)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// wait applies an action's delay or hold; false means the worker gave up.
func (p *faultProxy) wait(r *http.Request, act action) bool {
	if act.delay > 0 {
		t := time.NewTimer(act.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	if act.hold != nil {
		select {
		case <-act.hold:
		case <-r.Context().Done():
			return false
		}
	}
	return true
}

// classify reads what the proxy needs from a request, leaving its body
// readable for forwarding.
func classify(r *http.Request) (proxyReq, error) {
	req := proxyReq{kind: "other"}
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/tasks/poll/batch/"):
		req.kind = "poll"
		q := r.URL.Query()
		req.key = queueKey(strings.TrimPrefix(r.URL.Path, "/api/tasks/poll/batch/"), q.Get("domain"))
		req.worker = q.Get("workerid")
		req.count = 1
		if v := q.Get("count"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return req, fmt.Errorf("count %q: %w", v, err)
			}
			req.count = n
		}
	case r.Method == http.MethodPost && (r.URL.Path == "/api/tasks" || r.URL.Path == "/api/tasks/update-v2"):
		req.kind = "update"
		if r.URL.Path == "/api/tasks/update-v2" {
			req.kind = "update-v2"
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return req, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		req.result = &model.TaskResult{}
		if err := json.Unmarshal(b, req.result); err != nil {
			return req, fmt.Errorf("task result: %w", err)
		}
	}
	return req, nil
}

func hijackAndClose(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}
