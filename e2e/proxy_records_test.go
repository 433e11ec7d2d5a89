package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/batonhq/baton/model"
)

// The proxy's records: what it saw, what each worker holds, and waiting on
// and reading them.

// account records a forwarded request's answer. lost answers never reach
// the worker, so they change nothing the worker holds.
func (p *faultProxy) account(req proxyReq, pollIdx int, rec *httptest.ResponseRecorder, lost bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.notifyLocked()
	ok := rec.Code >= 200 && rec.Code < 300
	switch req.kind {
	case "poll":
		if !ok || lost {
			return
		}
		var tasks []model.WorkerTask
		if err := json.Unmarshal(rec.Body.Bytes(), &tasks); err != nil {
			p.problems = append(p.problems, fmt.Sprintf("poll answer is not a task list: %v", err))
			return
		}
		if len(tasks) > req.count {
			p.problems = append(p.problems, fmt.Sprintf("server answered a poll for %d with %d tasks", req.count, len(tasks)))
		}
		p.polls[pollIdx].got = len(tasks)
		for i := range tasks {
			p.deliverLocked(req.worker, &tasks[i])
		}
	case "update", "update-v2":
		r := req.result
		outcome := "acked"
		switch {
		case !ok:
			outcome = "status " + strconv.Itoa(rec.Code)
		case lost:
			outcome = "lost"
		}
		rr := resultRec{taskID: r.TaskId, kind: req.kind, status: r.Status, extend: r.ExtendLease, callback: r.CallbackAfterSeconds, outcome: outcome}
		if ok && r.ExtendLease {
			p.extends[r.TaskId]++
		}
		if ok && !r.ExtendLease {
			p.applied[r.TaskId]++
		}
		var next *model.WorkerTask
		if ok && req.kind == "update-v2" && len(bytes.TrimSpace(rec.Body.Bytes())) > 0 {
			next = &model.WorkerTask{}
			if err := json.Unmarshal(rec.Body.Bytes(), next); err != nil {
				p.problems = append(p.problems, fmt.Sprintf("update-v2 answer is not a task: %v", err))
				next = nil
			} else {
				rr.next = next.TaskId // handed out by the server, even if the answer is lost
			}
		}
		if ok && !lost && !r.ExtendLease {
			p.ackLocked(r.WorkerId, r.TaskId)
			if next != nil {
				p.deliverLocked(r.WorkerId, next)
			}
		}
		p.results = append(p.results, rr)
	}
}

func (p *faultProxy) deliverLocked(worker string, t *model.WorkerTask) {
	h := holding{worker, t.TaskId}
	if _, dup := p.held[h]; dup {
		p.problems = append(p.problems, fmt.Sprintf("task %s handed to %s, which still holds it", t.TaskId, worker))
		return
	}
	key := queueKey(t.TaskType, t.Domain)
	p.held[h] = key
	p.heldBy[slot{worker, key}]++
	p.deliveries[t.TaskId]++
}

func (p *faultProxy) ackLocked(worker, taskID string) {
	h := holding{worker, taskID}
	key, ok := p.held[h]
	if !ok {
		p.problems = append(p.problems, fmt.Sprintf("result for task %s acknowledged to %s, which did not hold it", taskID, worker))
		return
	}
	delete(p.held, h)
	p.heldBy[slot{worker, key}]--
	p.acks[taskID]++
}

func (p *faultProxy) recordResult(req proxyReq, outcome, next string) {
	if req.result == nil {
		return
	}
	r := req.result
	p.mu.Lock()
	defer p.mu.Unlock()
	p.results = append(p.results, resultRec{taskID: r.TaskId, kind: req.kind, status: r.Status, extend: r.ExtendLease,
		callback: r.CallbackAfterSeconds, outcome: outcome, next: next})
	p.notifyLocked()
}

func (p *faultProxy) problem(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

func (p *faultProxy) notifyLocked() {
	if p.changed != nil {
		close(p.changed)
		p.changed = nil
	}
}

// waitFor blocks until cond, called with the proxy's lock held, holds; it
// is evaluated again at every recorded event. It fails the test after 20 s.
func (p *faultProxy) waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	watchdog := time.NewTimer(20 * time.Second)
	defer watchdog.Stop()
	for {
		p.mu.Lock()
		if cond() {
			p.mu.Unlock()
			return
		}
		if p.changed == nil {
			p.changed = make(chan struct{})
		}
		ch := p.changed
		p.mu.Unlock()
		select {
		case <-ch:
		case <-watchdog.C:
			p.mu.Lock()
			defer p.mu.Unlock()
			tb.Fatalf("proxy: still waiting after 20s for %s; requests %v, held %v", what, p.requests, p.heldBy)
		}
	}
}

// locked runs f with the proxy's lock held, to read its records.
func (p *faultProxy) locked(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f()
}

// pollsOf returns how many polls of key arrived.
func (p *faultProxy) pollsOf(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pollsOfLocked(key)
}

func (p *faultProxy) pollsOfLocked(key string) int {
	n := 0
	for _, r := range p.polls {
		if r.key == key {
			n++
		}
	}
	return n
}
