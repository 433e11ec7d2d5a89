package worker

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// leaseUpdates counts the lease extensions the fake has received. Called
// with the fake's lock held.
func (f *fakeConductor) leaseUpdatesLocked() int {
	n := 0
	for _, u := range f.updates {
		if u.result.ExtendLease {
			n++
		}
	}
	return n
}

func TestLeaseExtendedWhileHandlerRuns(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	env := setup(t, withClock(clk))
	g := newGate(1)
	ids := env.fake.enqueue("t", "", 1, func(t *model.WorkerTask) { t.ResponseTimeoutSeconds = 10 })
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler})
	task := g.waitStarted(t, 1)[0]

	// One timer, for the first event: the extension at 8 s (the expiry is
	// at 10 s).
	clk.waitPending(t, 8*time.Second)
	clk.Advance(8 * time.Second)
	env.fake.waitFor(func() bool { return env.fake.leaseUpdatesLocked() == 1 })
	// After the server took it, the lease runs 10 s from now: next extension
	// at +8 s.
	clk.waitPending(t, 8*time.Second)
	clk.Advance(8 * time.Second)
	env.fake.waitFor(func() bool { return env.fake.leaseUpdatesLocked() == 2 })
	clk.waitPending(t, 8*time.Second)
	require.NoError(t, task.Context().Err(), "an extended lease keeps the task context alive past 10 s")

	g.release <- struct{}{}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.NoError(t, env.shutdown(t, 5*time.Second))
	env.fake.mu.Lock()
	for _, u := range env.fake.updates {
		if u.result.ExtendLease {
			require.Equal(t, ids[0], u.result.TaskId)
			require.Equal(t, model.InProgressTask, u.result.Status)
		}
	}
	env.fake.mu.Unlock()
	require.Equal(t, 2.0, env.counterValue(t, "task_lease_extend_total", "taskType", "t"))
}

func TestLeaseExtensionRetriesPassingErrors(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	env := setup(t, withClock(clk), withRand(0.5), func(c *HostConfig) {
		c.RetryMin, c.RetryMax = 100*time.Millisecond, time.Second
	})
	env.fake.fault = func(r faultReq) fault {
		if r.lease && r.n == 1 {
			return fault{status: http.StatusServiceUnavailable}
		}
		return fault{}
	}
	g := newGate(1)
	env.fake.enqueue("t", "", 1, func(t *model.WorkerTask) { t.ResponseTimeoutSeconds = 10 })
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, DisableUpdateV2: true})
	g.waitStarted(t, 1)
	clk.waitPending(t, 8*time.Second)
	clk.Advance(8 * time.Second)
	// The failed extension is tried again after 75 ms, before the expiry
	// 2 s away.
	clk.waitPending(t, 75*time.Millisecond)
	clk.Advance(75 * time.Millisecond)
	env.fake.waitFor(func() bool { return env.fake.leaseUpdatesLocked() == 1 })
	g.release <- struct{}{}
}

func TestLeaseLostCancelsTaskContext(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		disable  bool
		fault    func(faultReq) fault
		advances []time.Duration
	}{
		{"server forgot the task", false, func(r faultReq) fault {
			if r.lease {
				return fault{status: http.StatusNotFound}
			}
			return fault{}
		}, []time.Duration{8 * time.Second}},
		{"lease expired without extension", true, nil, []time.Duration{10 * time.Second}},
		{"extensions kept failing", false, func(r faultReq) fault {
			if r.lease {
				return fault{status: http.StatusBadGateway}
			}
			return fault{}
		}, []time.Duration{8 * time.Second, 2 * time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock()
			env := setup(t, withClock(clk), withRand(0.5), func(c *HostConfig) {
				c.RetryMin, c.RetryMax = time.Second, 5*time.Second
			})
			env.fake.fault = tc.fault
			g := newGate(1)
			ids := env.fake.enqueue("t", "", 1, func(t *model.WorkerTask) { t.ResponseTimeoutSeconds = 10 })
			env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, DisableLeaseExtension: tc.disable, DisableUpdateV2: true})
			task := g.waitStarted(t, 1)[0]
			for _, d := range tc.advances {
				clk.waitTimers(t, 1)
				clk.Advance(d)
			}
			<-task.Context().Done()
			require.ErrorIs(t, context.Cause(task.Context()), ErrLeaseLost)
			env.fake.waitFor(func() bool { return len(env.fake.resultsForLocked(ids[0])) == 1 })
			got := env.fake.resultsFor(ids[0])[0].result
			require.Equal(t, model.FailedTask, got.Status)
			require.Equal(t, ErrLeaseLost.Error(), got.ReasonForIncompletion)
		})
	}
}

func TestNoLeaseTimersWithoutResponseTimeout(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	env := setup(t, withClock(clk))
	g := newGate(1)
	env.fake.enqueue("t", "", 1, func(t *model.WorkerTask) { t.ResponseTimeoutSeconds = 0 })
	w := env.start(t, WorkerConfig{TaskName: "t", Func: g.handler})
	g.waitStarted(t, 1)
	w.mu.Lock()
	for e := range w.execs {
		require.Zero(t, e.leaseIndex)
	}
	require.Zero(t, w.leases.Len())
	require.Nil(t, w.leases.timer)
	w.mu.Unlock()
	g.release <- struct{}{}
}

func TestLeaseDurationOfMalformedTasks(t *testing.T) {
	t.Parallel()
	for _, s := range []int64{-1, 0, 1 << 40, 1 << 62} {
		require.Zero(t, leaseDuration(&model.WorkerTask{ResponseTimeoutSeconds: s}), s)
	}
	require.Equal(t, time.Hour, leaseDuration(&model.WorkerTask{ResponseTimeoutSeconds: 3600}))
}

// TestLeaseQueueServesEveryTask: tasks with different response timeouts
// share the worker's one lease timer, each extended on its own schedule,
// and the timer stops once no task holds a lease.
func TestLeaseQueueServesEveryTask(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	env := setup(t, withClock(clk))
	g := newGate(3)
	timeouts := map[string]int64{}
	for _, s := range []int64{10, 5, 20} {
		id := env.fake.enqueue("t", "", 1, func(t *model.WorkerTask) { t.ResponseTimeoutSeconds = s })[0]
		timeouts[id] = s
	}
	env.fake.capacity["t"] = 3
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 3})
	g.waitStarted(t, 3)

	clk.waitPending(t, 4*time.Second) // the 5 s task's extension
	clk.Advance(4 * time.Second)
	env.fake.waitFor(func() bool { return env.fake.leaseUpdatesLocked() == 1 })
	clk.waitPending(t, 4*time.Second) // the 10 s task at 8 s, the 5 s task again at 4 s from now
	clk.Advance(4 * time.Second)
	env.fake.waitFor(func() bool { return env.fake.leaseUpdatesLocked() == 3 })
	clk.waitPending(t, 4*time.Second) // the 5 s task again
	clk.Advance(4 * time.Second)
	env.fake.waitFor(func() bool { return env.fake.leaseUpdatesLocked() == 4 })
	clk.waitPending(t, 4*time.Second) // at 16 s: the 20 s task, the 10 s task again, the 5 s task again
	clk.Advance(4 * time.Second)
	env.fake.waitFor(func() bool { return env.fake.leaseUpdatesLocked() == 7 })

	extended := map[string]int{}
	env.fake.mu.Lock()
	for _, u := range env.fake.updates {
		if u.result.ExtendLease {
			extended[u.result.TaskId]++
		}
	}
	env.fake.mu.Unlock()
	for id, s := range timeouts {
		want := map[int64]int{5: 4, 10: 2, 20: 1}[s]
		require.Equal(t, want, extended[id], "task with a %d s timeout", s)
	}

	for range 3 {
		g.release <- struct{}{}
	}
	env.fake.waitFor(func() bool { return env.fake.finished == 3 })
	clk.waitPending(t) // no lease left, no timer
}
