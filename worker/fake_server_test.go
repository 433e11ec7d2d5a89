package worker

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// fakeConductor is an in-memory Conductor task API: queues per task type
// and domain, batch polls that honour count and timeout and wake as soon as
// a task is queued, POST /api/tasks and /api/tasks/update-v2, and fault
// injection. It checks the worker's promises as they happen (one result per
// delivery of a task, polls no larger than the free slots) and records the
// rest for the tests.
type fakeConductor struct {
	tb  testing.TB
	srv *httptest.Server
	api *client.APIClient

	mu       sync.Mutex
	seq      int
	tasks    map[string]*fakeTask
	queues   map[string][]string // queue key → task ids, oldest first
	out      map[string]int      // queue key → tasks polled and not yet reported
	arrived  chan struct{}       // closed when a task is queued
	changed  chan struct{}       // closed at the next recorded event
	closing  chan struct{}
	polls    []pollRecord
	updates  []updateRecord
	problems []string

	// Knobs, set before the worker starts.
	capacity map[string]int // queue key → worker batch size, checked at every poll
	v2Status int            // 0: update-v2 works; 404 or 405: the server lacks it
	fault    func(req faultReq) fault
	atOnce   bool   // answer polls at once, ignoring timeout (an old or busy server)
	overSend int    // tasks added to every poll answer beyond count (a broken server)
	token    string // when set, requests must carry it in X-Authorization
	tokens   int    // tokens issued
	requests map[string]int
	finished int           // tasks that reached a terminal status
	target   int           // close allFinished once finished reaches it
	allDone  chan struct{} // see target
}

type fakeTask struct {
	task      model.WorkerTask
	execution int // deliveries so far; the current one is the last
	reported  map[int]int
}

type pollRecord struct {
	taskType, domain, workerID string
	count, out, got            int
	timeout                    string
}

type updateRecord struct {
	result    model.TaskResult
	v2        bool
	execution int
	next      string // task id update-v2 handed back
}

// faultReq describes a request about to be served: kind is "poll",
// "update", "update-v2" or "token"; n counts requests of that kind from 1.
type faultReq struct {
	kind   string
	n      int
	taskID string
	lease  bool
}

// fault is what to do instead of serving a request.
type fault struct {
	status int           // answer with this status and a Conductor error body
	reset  bool          // close the connection without an answer
	hold   chan struct{} // answer only once this is closed (a slow server); unapplied if the client hangs up first
}

func newFakeConductor(tb testing.TB) *fakeConductor {
	f := &fakeConductor{
		tb: tb, tasks: map[string]*fakeTask{}, queues: map[string][]string{}, out: map[string]int{},
		arrived: make(chan struct{}), closing: make(chan struct{}), capacity: map[string]int{}, requests: map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tasks/poll/batch/{type}", f.handlePoll)
	mux.HandleFunc("POST /api/tasks", func(w http.ResponseWriter, r *http.Request) { f.handleUpdate(w, r, false) })
	mux.HandleFunc("POST /api/tasks/update-v2", func(w http.ResponseWriter, r *http.Request) { f.handleUpdate(w, r, true) })
	mux.HandleFunc("POST /api/token", f.handleToken)
	f.srv = httptest.NewServer(mux)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	f.api = f.newClient(tr, nil)
	tb.Cleanup(func() {
		close(f.closing)
		f.srv.Close()
		tr.CloseIdleConnections()
		f.mu.Lock()
		defer f.mu.Unlock()
		require.Empty(tb, f.problems, "the fake server saw broken promises")
	})
	return f
}

func (f *fakeConductor) newClient(tr *http.Transport, auth *settings.AuthenticationSettings) *client.APIClient {
	c, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(f.srv.URL + "/api"), Auth: auth, HTTPClient: &http.Client{Transport: tr},
	})
	require.NoError(f.tb, err)
	return c
}

func queueKey(taskType, domain string) string {
	if domain == "" {
		return taskType
	}
	return domain + ":" + taskType
}

// enqueue queues n tasks and returns their ids; edit, if not nil, adjusts
// each task first.
func (f *fakeConductor) enqueue(taskType, domain string, n int, edit func(*model.WorkerTask)) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]string, 0, n)
	for range n {
		f.seq++
		t := model.WorkerTask{
			TaskType: taskType, TaskDefName: taskType, ReferenceTaskName: taskType + "_ref", Domain: domain,
			TaskId: fmt.Sprintf("task-%d", f.seq), WorkflowInstanceId: fmt.Sprintf("wf-%d", f.seq),
			Status: model.TaskScheduled, InputData: map[string]any{"n": f.seq},
		}
		if edit != nil {
			edit(&t)
		}
		f.tasks[t.TaskId] = &fakeTask{task: t, reported: map[int]int{}}
		f.queues[queueKey(taskType, domain)] = append(f.queues[queueKey(taskType, domain)], t.TaskId)
		ids = append(ids, t.TaskId)
	}
	f.wakeLocked()
	return ids
}

func (f *fakeConductor) wakeLocked() {
	close(f.arrived)
	f.arrived = make(chan struct{})
	f.notifyLocked()
}

func (f *fakeConductor) notifyLocked() {
	if f.changed != nil {
		close(f.changed)
		f.changed = nil
	}
}

// popLocked takes up to n tasks off a queue and delivers them.
func (f *fakeConductor) popLocked(key, workerID string, n int) []model.WorkerTask {
	q := f.queues[key]
	n = min(n, len(q))
	got := make([]model.WorkerTask, 0, n)
	for _, id := range q[:n] {
		ft := f.tasks[id]
		ft.execution++
		ft.task.Status = model.TaskInProgress
		ft.task.PollCount++
		ft.task.WorkerId = workerID
		got = append(got, ft.task)
	}
	f.queues[key] = q[n:]
	f.out[key] += n
	return got
}

func (f *fakeConductor) handlePoll(w http.ResponseWriter, r *http.Request) {
	taskType, q := r.PathValue("type"), r.URL.Query()
	count, timeout := 1, 100
	if v := q.Get("count"); v != "" {
		count, _ = strconv.Atoi(v)
	}
	if v := q.Get("timeout"); v != "" {
		timeout, _ = strconv.Atoi(v)
	}
	if timeout > 5000 {
		writeError(w, http.StatusBadRequest, "Long Poll Timeout value cannot be more than 5 seconds")
		return
	}
	if !f.authorized(w, r) || f.injectFault(w, r, faultReq{kind: "poll"}) {
		return
	}
	key := queueKey(taskType, q.Get("domain"))
	f.mu.Lock()
	if f.atOnce {
		timeout = 0
	}
	rec := pollRecord{taskType: taskType, domain: q.Get("domain"), workerID: q.Get("workerid"),
		count: count, out: f.out[key], timeout: q.Get("timeout")}
	if c := f.capacity[key]; c > 0 && count+f.out[key] > c && f.overSend == 0 {
		f.problems = append(f.problems, fmt.Sprintf("poll asked for %d tasks with %d of %d slots taken", count, f.out[key], c))
	}
	if count < 1 {
		f.problems = append(f.problems, fmt.Sprintf("poll asked for %d tasks", count))
	}
	f.mu.Unlock()

	deadline := time.NewTimer(time.Duration(timeout) * time.Millisecond)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		got := f.popLocked(key, rec.workerID, count+f.overSend)
		wake := f.arrived
		if len(got) > 0 || timeout <= 0 {
			rec.got = len(got)
			f.polls = append(f.polls, rec)
			f.notifyLocked()
			f.mu.Unlock()
			writeJSON(w, got)
			return
		}
		f.mu.Unlock()
		select {
		case <-wake:
		case <-deadline.C:
			timeout = 0
		case <-r.Context().Done():
			return
		case <-f.closing:
			timeout = 0
		}
	}
}

func (f *fakeConductor) handleUpdate(w http.ResponseWriter, r *http.Request, v2 bool) {
	if v2 {
		f.countRequest("v2-attempt")
		f.mu.Lock()
		status := f.v2Status
		f.mu.Unlock()
		if status != 0 {
			writeError(w, status, "No static resource api/tasks/update-v2.")
			return
		}
	}
	var res model.TaskResult
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		writeError(w, http.StatusBadRequest, "malformed TaskResult: "+err.Error())
		return
	}
	kind := "update"
	if v2 {
		kind = "update-v2"
	}
	if !f.authorized(w, r) || f.injectFault(w, r, faultReq{kind: kind, taskID: res.TaskId, lease: res.ExtendLease}) {
		return
	}
	if res.TaskId == "" || res.WorkflowInstanceId == "" {
		writeError(w, http.StatusBadRequest, "Validation failed, check below errors for detail.")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ft := f.tasks[res.TaskId]
	if ft == nil {
		writeError(w, http.StatusNotFound, "No such task found by id: "+res.TaskId)
		return
	}
	rec := updateRecord{result: res, v2: v2, execution: ft.execution}
	defer func() { f.updates = append(f.updates, rec); f.notifyLocked() }()
	if res.ExtendLease {
		writeText(w, res.TaskId)
		return
	}
	key := queueKey(ft.task.TaskType, ft.task.Domain)
	if ft.task.Status != model.TaskInProgress {
		f.problems = append(f.problems, fmt.Sprintf("result for %s (%s) while it is %s", res.TaskId, res.Status, ft.task.Status))
	} else {
		ft.reported[ft.execution]++
		f.out[key]--
	}
	switch res.Status {
	case model.InProgressTask:
		ft.task.Status = model.TaskScheduled
		f.queues[key] = append(f.queues[key], ft.task.TaskId)
		f.wakeLocked()
	default:
		ft.task.Status = res.Status.TaskStatus()
		if f.finished++; f.finished == f.target && f.allDone != nil {
			close(f.allDone)
		}
	}
	ft.task.OutputData, ft.task.ReasonForIncompletion = res.OutputData, res.ReasonForIncompletion
	if !v2 {
		writeText(w, res.TaskId)
		return
	}
	if !res.Status.IsTerminal() {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	next := f.popLocked(key, res.WorkerId, 1)
	if len(next) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rec.next = next[0].TaskId
	writeJSON(w, next[0])
}

func (f *fakeConductor) handleToken(w http.ResponseWriter, r *http.Request) {
	if f.injectFault(w, r, faultReq{kind: "token"}) {
		return
	}
	f.mu.Lock()
	f.tokens++
	f.token = fmt.Sprintf("token-%d", f.tokens)
	tok := f.token
	f.mu.Unlock()
	writeJSON(w, map[string]string{"token": tok})
}

func (f *fakeConductor) authorized(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	want := f.token
	f.mu.Unlock()
	if want != "" && r.Header.Get("X-Authorization") != want {
		writeError(w, http.StatusUnauthorized, "Token expired")
		return false
	}
	return true
}

func (f *fakeConductor) injectFault(w http.ResponseWriter, r *http.Request, req faultReq) bool {
	req.n = f.countRequest(req.kind)
	f.mu.Lock()
	fn := f.fault
	f.mu.Unlock()
	if fn == nil {
		return false
	}
	ft := fn(req)
	switch {
	case ft.hold != nil:
		select {
		case <-ft.hold:
		case <-r.Context().Done():
			return true // the client hung up: nothing is applied
		case <-f.closing:
		}
		return false
	case ft.reset:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return true
	case ft.status != 0:
		writeError(w, ft.status, "injected fault")
		return true
	}
	return false
}

// set changes the fake's knobs while the worker may be running.
func (f *fakeConductor) set(change func(f *fakeConductor)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

func (f *fakeConductor) requestCount(kind string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[kind]
}

func (f *fakeConductor) countRequest(kind string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[kind]++
	f.notifyLocked()
	return f.requests[kind]
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeText(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(s))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(model.ErrorResponse{Status: status, Message: msg, Retryable: false})
}

// waitFor blocks until cond holds (checked under the fake's lock at every
// recorded event) and fails the test after a 10 s watchdog.
func (f *fakeConductor) waitFor(cond func() bool) {
	f.tb.Helper()
	watchdog := time.NewTimer(10 * time.Second)
	defer watchdog.Stop()
	for {
		f.mu.Lock()
		if cond() {
			f.mu.Unlock()
			return
		}
		if f.changed == nil {
			f.changed = make(chan struct{})
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-watchdog.C:
			f.mu.Lock()
			defer f.mu.Unlock()
			f.tb.Fatalf("fake conductor: condition not met after 10s; polls=%d updates=%d", len(f.polls), len(f.updates))
		}
	}
}

// status returns a task's status on the server.
func (f *fakeConductor) status(id string) model.TaskStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tasks[id].task.Status
}

// finalResults returns, for each task, the results it received that were
// not lease extensions.
func (f *fakeConductor) resultsFor(id string) []updateRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []updateRecord
	for _, u := range f.updates {
		if u.result.TaskId == id && !u.result.ExtendLease {
			out = append(out, u)
		}
	}
	return out
}

// allDone reports whether every given task reached a terminal status.
// Called with f.mu held.
func (f *fakeConductor) allDoneLocked(ids []string) bool {
	for _, id := range ids {
		if !f.tasks[id].task.Status.IsTerminal() {
			return false
		}
	}
	return true
}

func (f *fakeConductor) pollCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.polls)
}

// checkExactlyOnce fails unless every delivery of every task got exactly
// one result.
func (f *fakeConductor) checkExactlyOnce(tb testing.TB) {
	tb.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, ft := range f.tasks {
		for e := 1; e <= ft.execution; e++ {
			require.Equalf(tb, 1, ft.reported[e], "task %s delivery %d: results received", id, e)
		}
	}
}

func (f *fakeConductor) resultsForLocked(id string) []updateRecord {
	var out []updateRecord
	for _, u := range f.updates {
		if u.result.TaskId == id && !u.result.ExtendLease {
			out = append(out, u)
		}
	}
	return out
}
