package worker

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// TestHostRidesThroughServerOutage: the server goes away for 30 s (every
// request's connection is closed unanswered) just as the worker finishes
// its tasks. The worker keeps the results it cannot deliver, retries them
// with its back-off (the production bounds, 100 ms to 10 s) on the fake
// clock, and delivers each exactly once when the server is back; nothing is
// dropped, and polling resumes.
func TestHostRidesThroughServerOutage(t *testing.T) {
	t.Parallel()
	const outage = 30 * time.Second
	clk := newFakeClock()
	env := setup(t, withClock(clk), withRand(0.5), func(c *HostConfig) {
		c.RetryMin, c.RetryMax = 100*time.Millisecond, 10*time.Second
	})
	const n = 4
	ids := env.fake.enqueue("t", "", n, func(t *model.WorkerTask) { t.ResponseTimeoutSeconds = 120 })
	g := newGate(n)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: n})
	g.waitStarted(t, n)

	downUntil := clk.Now().Add(outage)
	env.fake.set(func(f *fakeConductor) {
		f.fault = func(faultReq) fault {
			if clk.Now().Before(downUntil) {
				return fault{reset: true}
			}
			return fault{}
		}
	})
	for range n {
		g.release <- struct{}{}
	}
	// Every result has been tried and refused before time moves.
	env.fake.waitFor(func() bool { return env.fake.requests["update"]+env.fake.requests["update-v2"] >= n })

	// Move the clock to each retry in turn until every result is in. Only
	// back-off waits (at most RetryMax) are skipped: the lease timers, 96 s
	// out, are never reached.
	for steps := 0; ; steps++ {
		env.fake.mu.Lock()
		done := env.fake.allDoneLocked(ids)
		env.fake.mu.Unlock()
		if done {
			break
		}
		require.Less(t, steps, 10000, "results still undelivered at %v after the outage began", clk.Now().Sub(downUntil.Add(-outage)))
		left := clk.waitUntil(t, "a back-off wait", func(left []time.Duration) bool {
			return len(left) > 0 && left[0] <= 10*time.Second
		})
		clk.Advance(left[0])
	}
	require.False(t, clk.Now().Before(downUntil), "a result got through during the outage")
	env.fake.checkExactlyOnce(t)
	tries := env.fake.requestCount("update") + env.fake.requestCount("update-v2")
	require.Greater(t, tries, 3*n, "each result was tried again and again through the outage")
	for _, id := range ids {
		require.Equal(t, model.TaskCompleted, env.fake.status(id))
	}
	for _, reason := range []string{"lease_expired", "shutdown", "rejected", "uncertain"} {
		require.Zero(t, env.counterValue(t, "task_result_dropped_total", "taskType", "t", "reason", reason), reason)
	}

	// Polling resumed: a task queued now is run.
	more := env.fake.enqueue("t", "", 1, nil)
	g.waitStarted(t, 1)
	g.release <- struct{}{}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(more) })
}
