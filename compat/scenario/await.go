package scenario

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// awaitInterval is how often an awaited call is repeated. Small, so a measured delay is close
// to the server's, and cheap: each repeat is one local HTTP call.
const awaitInterval = 100 * time.Millisecond

// Await repeats a call, unrecorded, until cond holds, then records that last exchange with the
// condition as its await label. If the condition does not hold within the target's AwaitTimeout,
// the last exchange is recorded and the scenario aborts.
func (s *S) Await(cond string, r Req, ok func(*Resp) bool) *Resp {
	deadline := time.Now().Add(s.tgt.AwaitTimeout)
	// A read can catch the server between two writes of one change (Conductor stores a retried
	// task's new row before it marks the old one), so a repeatable GET must satisfy the condition
	// twice in a row before its state is recorded.
	stable := r.Method == http.MethodGet && !strings.HasPrefix(r.Path, "/tasks/poll")
	for {
		resp, err := s.send(r)
		if err == nil && ok(resp) && stable {
			time.Sleep(150 * time.Millisecond)
			resp, err = s.send(r)
		}
		if err == nil && ok(resp) {
			s.record(r, resp, cond, nil)
			return resp
		}
		if time.Now().After(deadline) || s.ctx.Err() != nil {
			s.record(r, resp, cond, err)
			s.abort("await %q on %s %s: not reached within %s", cond, r.Method, r.Path, s.tgt.AwaitTimeout)
		}
		select {
		case <-s.ctx.Done():
		case <-time.After(awaitInterval):
		}
	}
}

// Never repeats an unrecorded call for d and records the last exchange; it aborts if cond ever
// holds. It is for "nothing happens during d" (no task becomes pollable before its callback).
func (s *S) Never(cond string, d time.Duration, r Req, bad func(*Resp) bool) *Resp {
	end := time.Now().Add(d)
	for {
		resp, err := s.send(r)
		if err != nil {
			s.record(r, nil, "", err)
			s.abort("%s %s: %v", r.Method, r.Path, err)
		}
		if bad(resp) {
			s.record(r, resp, "never: "+cond, nil)
			s.abort("%q happened within %s", cond, d)
		}
		if time.Now().After(end) {
			s.record(r, resp, "never: "+cond, nil)
			return resp
		}
		time.Sleep(awaitInterval)
	}
}

// num reads a JSON number field as float64 (0 when absent).
func num(m M, key string) float64 {
	switch v := m[key].(type) {
	case json.Number:
		f, _ := v.Float64()
		return f
	case float64:
		return v
	}
	return 0
}

// DelayClass classifies a measured delay against the expected one, coarsely, so that the trace
// holds behaviour ("the retry waited its delay") rather than a number that varies run to run:
// "≈Ns" (from N s − 300 ms up to N s + 5 s:
// the upper slack absorbs a loaded machine, while a server that waits a default 60 s, or not at
// all, still shows), "early" or "late".
func DelayClass(measured time.Duration, expectedSeconds float64) string {
	exp := time.Duration(expectedSeconds * float64(time.Second))
	switch {
	case measured < exp-300*time.Millisecond:
		return fmt.Sprintf("early (<%gs)", expectedSeconds)
	case measured <= exp+5*time.Second:
		return fmt.Sprintf("≈%gs", math.Round(expectedSeconds*10)/10)
	default:
		return fmt.Sprintf("late (>%gs)", expectedSeconds+5)
	}
}

// jsonEq compares two values by their JSON encoding.
func jsonEq(a, b any) bool {
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}

// SweepAfter waits until d has passed since `since`, then records PUT /workflow/decide/{id}.
//
// Conductor finds timeouts only when it decides a workflow. Its sweeper is meant to re-decide a
// running workflow on the cadence of workflowOffsetTimeout, but with the SQLite queue a workflow
// the sweeper has popped once comes back only through processAllUnacks, which runs every 60 s and
// waits 60 s past the message's due time: timeouts surface 1 to 2 minutes late. Conductor's own
// specs call sweep()/decide() by hand at this point; the scenarios do the same over HTTP. A server
// that finds timeouts on its own (Baton's timers) answers the decide with 200 all the same.
func (s *S) SweepAfter(id string, since time.Time, d time.Duration) {
	if wait := time.Until(since.Add(d)); wait > 0 {
		select {
		case <-s.ctx.Done():
		case <-time.After(wait):
		}
	}
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/decide/{workflowId}", Args: []string{id}, Label: "decide (the spec's sweep)"})
}
