package batontest

import (
	"sort"
	"sync"
	"time"
)

// Clock is a fake clock for a test server: time stands still until Advance
// moves it. Every delay the server keeps is measured on it — retry delays,
// callbackAfterSeconds, WAIT durations, task response, poll and execution
// timeouts, workflow timeouts, long polls and synchronous executions — so a
// test moves a day forward in microseconds. It satisfies server.Clock.
//
// Get one with WithFakeClock (then Server.Clock), or NewClock and pass it as
// server.Config.Clock to NewServerWithConfig. A Clock serves one server.
type Clock struct {
	advance sync.Mutex // one Advance at a time

	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*clockTimer
	settle func() // runs the server's due timers; nil when not attached
}

type clockTimer struct {
	when time.Time
	seq  int
	f    func()
	dead bool
}

// NewClock returns a clock that reads start until it is advanced.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// attach has Advance wait for the server after each step.
func (c *Clock) attach(settle func()) {
	c.mu.Lock()
	c.settle = settle
	c.mu.Unlock()
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc calls f once the clock has been advanced by d: on the goroutine
// calling Advance, or at once on this one if d <= 0. stop cancels the call
// and reports whether it did.
func (c *Clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	if d <= 0 {
		f()
		return func() bool { return false }
	}
	c.mu.Lock()
	c.seq++
	t := &clockTimer{when: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if t.dead {
			return false
		}
		t.dead = true
		return true
	}
}

// Advance moves the clock forward by d, one deadline at a time: it sets the
// clock to the earliest deadline due within d, fires what is due then and
// lets the server finish the work that starts (decisions, system tasks,
// tasks made pollable, timeouts), then goes on to the next deadline, and so
// on. When Advance returns, the clock reads the old time plus d and
// everything due by then has happened on the server. A timer the work sets
// along the way fires in the same Advance if it falls due within d, at its
// own time: a 60 s retry delay then a 1 h WAIT both pass in Advance(2*time.Hour).
//
// What workers do is theirs: a task that became pollable is handed to a
// worker's waiting poll at once, and the test waits for the result with
// Server.Await.
func (c *Clock) Advance(d time.Duration) {
	if c == nil {
		panic("batontest: Advance on a server with the wall clock; start it with batontest.WithFakeClock()")
	}
	c.advance.Lock()
	defer c.advance.Unlock()
	c.mu.Lock()
	target := c.now.Add(d)
	c.mu.Unlock()
	for {
		due := c.nextDue(target)
		if len(due) == 0 {
			break
		}
		for _, t := range due {
			t.f()
		}
		c.runSettle()
	}
	c.mu.Lock()
	if c.now.Before(target) {
		c.now = target
	}
	c.mu.Unlock()
	c.runSettle()
}

// nextDue moves the clock to the earliest live deadline at or before target
// and takes every timer due then, in deadline and creation order.
func (c *Clock) nextDue(target time.Time) []*clockTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	live := c.timers[:0]
	var first *clockTimer
	for _, t := range c.timers {
		if t.dead {
			continue
		}
		live = append(live, t)
		if !t.when.After(target) && (first == nil || t.when.Before(first.when)) {
			first = t
		}
	}
	clear(c.timers[len(live):])
	c.timers = live
	if first == nil {
		return nil
	}
	if first.when.After(c.now) {
		c.now = first.when
	}
	var due []*clockTimer
	keep := c.timers[:0]
	for _, t := range c.timers {
		if t.when.After(c.now) {
			keep = append(keep, t)
			continue
		}
		t.dead = true
		due = append(due, t)
	}
	clear(c.timers[len(keep):])
	c.timers = keep
	sort.Slice(due, func(i, j int) bool {
		if !due[i].when.Equal(due[j].when) {
			return due[i].when.Before(due[j].when)
		}
		return due[i].seq < due[j].seq
	})
	return due
}

func (c *Clock) runSettle() {
	c.mu.Lock()
	settle := c.settle
	c.mu.Unlock()
	if settle != nil {
		settle()
	}
}

// Pending returns how many timers wait for the clock, and the earliest
// one's distance from now (0 when none waits). A test that expected the
// server to be waiting on a delay can check it is.
func (c *Clock) Pending() (n int, next time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first time.Time
	for _, t := range c.timers {
		if t.dead {
			continue
		}
		n++
		if first.IsZero() || t.when.Before(first) {
			first = t.when
		}
	}
	if n == 0 {
		return 0, 0
	}
	return n, first.Sub(c.now)
}
