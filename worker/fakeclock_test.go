package worker

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when a test calls Advance; tests read
// the pending timers to check back-off sequences.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	pending map[*fakeTimer]struct{}
	changed chan struct{} // closed at the next timer change
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), pending: map[*fakeTimer]struct{}{}}
}

type fakeTimer struct {
	c    *fakeClock
	when time.Time
	ch   chan time.Time // NewTimer
	f    func()         // AfterFunc
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) timer {
	t := &fakeTimer{c: c, ch: make(chan time.Time, 1)}
	c.schedule(t, d)
	return t
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) timer {
	t := &fakeTimer{c: c, f: f}
	c.schedule(t, d)
	return t
}

func (c *fakeClock) schedule(t *fakeTimer, d time.Duration) {
	c.mu.Lock()
	t.when = c.now.Add(d)
	c.pending[t] = struct{}{}
	c.notifyLocked()
	c.mu.Unlock()
	if d <= 0 {
		c.Advance(0)
	}
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	_, active := t.c.pending[t]
	delete(t.c.pending, t)
	t.c.notifyLocked()
	return active
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	active := t.Stop()
	t.c.schedule(t, d)
	return active
}

func (c *fakeClock) notifyLocked() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// Advance moves time forward by d and fires the timers that come due, in
// order of their due time.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	for t := range c.pending {
		if !t.when.After(c.now) {
			due = append(due, t)
			delete(c.pending, t)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].when.Before(due[j].when) })
	now := c.now
	c.notifyLocked()
	c.mu.Unlock()
	for _, t := range due {
		if t.f != nil {
			go t.f()
			continue
		}
		select {
		case t.ch <- now:
		default:
		}
	}
}

// waitTimers blocks until at least n timers are pending and returns their
// remaining durations, shortest first.
func (c *fakeClock) waitTimers(tb testing.TB, n int) []time.Duration {
	tb.Helper()
	return c.waitUntil(tb, fmt.Sprintf("%d pending timers", n), func(left []time.Duration) bool { return len(left) >= n })
}

// waitPending blocks until the pending timers have exactly the remaining
// durations want, shortest first: a timer re-armed after an answer from
// the server is checked once the answer has been handled.
func (c *fakeClock) waitPending(tb testing.TB, want ...time.Duration) {
	tb.Helper()
	c.waitUntil(tb, fmt.Sprintf("pending timers %v", want), func(left []time.Duration) bool { return slices.Equal(left, want) })
}

// waitUntil blocks until done holds for the pending timers' remaining
// durations, shortest first, and returns them; it fails the test after a
// 10 s watchdog.
func (c *fakeClock) waitUntil(tb testing.TB, what string, done func(left []time.Duration) bool) []time.Duration {
	tb.Helper()
	watchdog := time.NewTimer(10 * time.Second)
	defer watchdog.Stop()
	for {
		c.mu.Lock()
		left := make([]time.Duration, 0, len(c.pending))
		for t := range c.pending {
			left = append(left, t.when.Sub(c.now))
		}
		sort.Slice(left, func(i, j int) bool { return left[i] < left[j] })
		if done(left) {
			c.mu.Unlock()
			return left
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-watchdog.C:
			tb.Fatalf("fake clock: waited 10s for %s; have %v", what, left)
		}
	}
}
