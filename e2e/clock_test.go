package e2e

import (
	"slices"
	"sync"
	"time"
)

// offsetClock is a server.Clock that runs with the wall clock and can be
// moved ahead: Now is the wall time plus an offset, and timers fire when
// that time reaches their deadline, by the wall clock or by Advance. The
// worker keeps the wall clock (its clock is not injectable from outside
// its package), so long polls and lease extensions run as in production
// while the test jumps the server past a deadline without sleeping.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
	timers map[*offsetTimer]struct{}
}

type offsetTimer struct {
	at   time.Time
	f    func()
	wall *time.Timer
	done bool
}

func newOffsetClock() *offsetClock { return &offsetClock{timers: map[*offsetTimer]struct{}{}} }

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &offsetTimer{at: time.Now().Add(c.offset + d), f: f}
	c.timers[t] = struct{}{}
	t.wall = time.AfterFunc(d, func() { c.fire(t) }) // fire waits for c.mu: t.wall is set by then
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if t.done {
			return false
		}
		c.retireLocked(t)
		return true
	}
}

func (c *offsetClock) fire(t *offsetTimer) {
	c.mu.Lock()
	if t.done {
		c.mu.Unlock()
		return
	}
	c.retireLocked(t)
	c.mu.Unlock()
	t.f()
}

func (c *offsetClock) retireLocked(t *offsetTimer) {
	t.done = true
	t.wall.Stop()
	delete(c.timers, t)
}

// AdvanceTo moves the clock ahead to at (never back) and runs every timer
// due by then, on the calling goroutine.
func (c *offsetClock) AdvanceTo(at time.Time) {
	c.mu.Lock()
	if d := at.Sub(time.Now().Add(c.offset)); d > 0 {
		c.offset += d
	}
	now := time.Now().Add(c.offset)
	var due []*offsetTimer
	for t := range c.timers {
		if !t.at.After(now) {
			due = append(due, t)
		}
	}
	slices.SortFunc(due, func(a, b *offsetTimer) int { return a.at.Compare(b.at) })
	for _, t := range due {
		c.retireLocked(t)
	}
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}
