package worker

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// parkedHook reports each time a poller parks, with its reason.
func parkedHook(ch chan string) func(*HostConfig) {
	return func(c *HostConfig) {
		c.hooks.parked = func(_, reason string) { ch <- reason }
	}
}

func waitParked(t *testing.T, ch chan string, want string) {
	t.Helper()
	watchdog := time.NewTimer(10 * time.Second)
	defer watchdog.Stop()
	for {
		select {
		case got := <-ch:
			if got == want {
				return
			}
		case <-watchdog.C:
			t.Fatalf("poller did not park (%s) within 10s", want)
		}
	}
}

func (w *worker) wakeCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.wakeups
}

func TestPollAsksOnlyForFreeSlotsAndNeverWhileFull(t *testing.T) {
	t.Parallel()
	parked := make(chan string, 100)
	env := setup(t, parkedHook(parked))
	env.fake.capacity["t"] = 3 // the fake fails the test if a poll asks for more than the free slots
	g := newGate(20)
	ids := env.fake.enqueue("t", "", 10, nil)
	w := env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 3})

	g.waitStarted(t, 3)
	waitParked(t, parked, "full")
	polls, wakes := env.fake.pollCount(), w.wakeCount()

	// A full worker's poller waits on a channel only: nothing wakes it and
	// it sends nothing until a slot frees.
	require.Zero(t, wakes)
	require.Equal(t, polls, env.fake.pollCount())

	g.release <- struct{}{}
	g.waitStarted(t, 1)
	for range 9 {
		g.release <- struct{}{}
	}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	env.fake.checkExactlyOnce(t)
	require.Positive(t, env.counterValue(t, "task_execution_queue_full_total", "taskType", "t"))
}

func TestPausedWorkerSendsNoPolls(t *testing.T) {
	t.Parallel()
	parked := make(chan string, 100)
	env := setup(t, parkedHook(parked))
	g := newGate(10)
	w := env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 2, PollTimeout: -1})

	first := env.fake.enqueue("t", "", 1, nil)
	g.waitStarted(t, 1)
	require.NoError(t, env.host.Pause("t"))
	require.True(t, env.host.IsPaused("t"))
	waitParked(t, parked, "paused")
	polls, wakes := env.fake.pollCount(), w.wakeCount()

	// Work that arrives or finishes while paused does not wake the poller.
	later := env.fake.enqueue("t", "", 2, nil)
	g.release <- struct{}{}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(first) })
	require.Equal(t, polls, env.fake.pollCount())
	require.Equal(t, wakes, w.wakeCount())
	require.Equal(t, model.TaskScheduled, env.fake.status(later[0]))

	require.NoError(t, env.host.Resume("t"))
	g.waitStarted(t, 2)
	g.release <- struct{}{}
	g.release <- struct{}{}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(later) })
	require.Positive(t, env.counterValue(t, "task_paused_total", "taskType", "t"))
}

func TestStartPausedWaitsForResume(t *testing.T) {
	t.Parallel()
	parked := make(chan string, 10)
	env := setup(t, parkedHook(parked))
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, Paused: true})
	waitParked(t, parked, "paused")
	require.Zero(t, env.fake.pollCount())
	require.NoError(t, env.host.Resume("t"))
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
}

func TestBatchSizeZeroStopsPolling(t *testing.T) {
	t.Parallel()
	parked := make(chan string, 10)
	env := setup(t, parkedHook(parked))
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, PollTimeout: -1})
	require.NoError(t, env.host.SetBatchSize("t", 0))
	waitParked(t, parked, "full")
	polls := env.fake.pollCount()
	ids := env.fake.enqueue("t", "", 3, nil)
	require.Equal(t, polls, env.fake.pollCount())
	require.NoError(t, env.host.SetBatchSize("t", 3))
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
}

func TestIdlePollingBacksOffUpToPollInterval(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	env := setup(t, withClock(clk))
	env.fake.atOnce = true // a server that answers empty polls at once
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, PollInterval: 10 * time.Millisecond, PollTimeout: time.Second})

	var waits []time.Duration
	for range 6 {
		left := clk.waitTimers(t, 1)
		waits = append(waits, left[0])
		clk.Advance(left[0])
	}
	ms := time.Millisecond
	require.Equal(t, []time.Duration{1 * ms, 2 * ms, 4 * ms, 8 * ms, 10 * ms, 10 * ms}, waits)

	env.fake.mu.Lock()
	defer env.fake.mu.Unlock()
	for _, p := range env.fake.polls {
		require.Equal(t, 1, p.count, "an idle worker long-polls for one task")
		require.Equal(t, "1000", p.timeout)
	}
}

func TestLongPollHeldByServerRepollsAtOnce(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, PollTimeout: 20 * time.Millisecond, PollInterval: time.Hour})
	// With an hour of idle back-off, a second poll can only come from the
	// immediate re-poll after a poll the server held for its timeout.
	env.fake.waitFor(func() bool { return len(env.fake.polls) >= 3 })
}

func TestLoweredBatchSizeTakesEffect(t *testing.T) {
	t.Parallel()
	parked := make(chan string, 100)
	env := setup(t, parkedHook(parked))
	env.fake.capacity["t"] = 2
	g := newGate(10)
	ids := env.fake.enqueue("t", "", 4, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 2})
	g.waitStarted(t, 2)
	waitParked(t, parked, "full")
	require.NoError(t, env.host.SetBatchSize("t", 1))
	env.fake.set(func(f *fakeConductor) { f.capacity["t"] = 1 })

	// The first result frees a slot the worker no longer has: it goes to
	// POST /api/tasks, which brings no new task.
	g.release <- struct{}{}
	env.fake.waitFor(func() bool { return len(env.fake.updates) == 1 })
	env.fake.mu.Lock()
	require.False(t, env.fake.updates[0].v2)
	env.fake.mu.Unlock()

	for range 3 {
		g.release <- struct{}{}
	}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
}

func TestBurstIsFetchedWithOnePollForFreeSlots(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.fake.capacity["t"] = 8
	g := newGate(20)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 8, PollTimeout: time.Second, DisableUpdateV2: true})
	// The idle long poll asks for one task; the poll after it asks for all
	// free slots with a short wait.
	ids := env.fake.enqueue("t", "", 8, nil)
	g.waitStarted(t, 8)
	env.fake.mu.Lock()
	require.GreaterOrEqual(t, len(env.fake.polls), 2)
	require.Equal(t, pollRecord{taskType: "t", workerID: model.Hostname(), count: 1, got: 1, timeout: "1000"}, env.fake.polls[0])
	require.Equal(t, pollRecord{taskType: "t", workerID: model.Hostname(), count: 7, out: 1, got: 7, timeout: "100"}, env.fake.polls[1])
	env.fake.mu.Unlock()
	for range 8 {
		g.release <- struct{}{}
	}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
}

func TestPollErrorsBackOffExponentiallyWithJitter(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	env := setup(t, withClock(clk), withRand(0.5), func(c *HostConfig) {
		c.RetryMin, c.RetryMax = 100*time.Millisecond, time.Second
	})
	env.fake.fault = func(r faultReq) fault {
		switch {
		case r.kind == "poll" && r.n <= 3:
			return fault{status: http.StatusServiceUnavailable}
		case r.kind == "poll" && r.n <= 5:
			// Two resets: Go's transport retries a GET once by itself
			// when a reused connection breaks.
			return fault{reset: true}
		case r.kind == "poll" && r.n <= 7:
			return fault{status: http.StatusUnauthorized}
		}
		return fault{}
	}
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed})

	var waits []time.Duration
	for range 6 {
		left := clk.waitTimers(t, 1)
		waits = append(waits, left[0])
		clk.Advance(left[0])
	}
	ms := time.Millisecond
	// min·2^(n-1) capped at max, less half of it times rand (0.5).
	require.Equal(t, []time.Duration{75 * ms, 150 * ms, 300 * ms, 600 * ms, 750 * ms, 750 * ms}, waits)
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.Equal(t, 3.0, env.counterValue(t, "task_poll_error_total", "taskType", "t", "exception", "server_error"))
	require.Equal(t, 2.0, env.counterValue(t, "task_poll_error_total", "taskType", "t", "exception", "unauthorized"))
	require.InDelta(t, 1.5, env.counterValue(t, "task_poll_error_total", "taskType", "t", "exception", "network"), 0.5)
	require.NotEmpty(t, env.logs.lines("poll failed; backing off"))
}
