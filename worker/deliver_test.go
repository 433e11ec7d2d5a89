package worker

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// TestEveryResultDeliveredExactlyOnce runs many tasks against a server that
// fails updates at random (5xx, 429, connection resets; seeded), fails
// polls in bursts and sometimes holds them. Every delivery of every task
// must get exactly one result, and no poll may ask for more than the free
// slots (both checked by the fake as requests arrive).
func TestEveryResultDeliveredExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, v2 := range []bool{true, false} {
		name := "update-v2"
		if !v2 {
			name = "update"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := setup(t)
			var mu sync.Mutex
			rnd := rand.New(rand.NewPCG(3, 14))
			holding, slow := make(chan struct{}), make(chan struct{})
			go func() { // a slow poll: answered only after the worker moved on
				select {
				case <-holding:
					close(slow)
				case <-t.Context().Done():
				}
			}()
			env.fake.capacity["t"] = 4
			env.fake.fault = func(r faultReq) fault {
				mu.Lock()
				defer mu.Unlock()
				switch r.kind {
				case "poll":
					switch {
					case r.n <= 3: // a burst of 5xx at start
						return fault{status: http.StatusBadGateway}
					case r.n == 4:
						return fault{status: http.StatusTooManyRequests}
					case r.n == 6:
						close(holding)
						return fault{hold: slow}
					case r.n%4 == 0:
						return fault{status: http.StatusInternalServerError}
					}
				case "update", "update-v2":
					switch p := rnd.IntN(100); {
					case p < 20:
						return fault{status: http.StatusServiceUnavailable}
					case p < 30:
						return fault{status: http.StatusTooManyRequests}
					case p < 40:
						return fault{reset: true}
					}
				}
				return fault{}
			}
			ids := env.fake.enqueue("t", "", 120, nil)
			env.start(t, WorkerConfig{TaskName: "t", Func: completed, Concurrency: 4, DisableUpdateV2: !v2})
			env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
			require.NoError(t, env.shutdown(t, 5*time.Second))

			env.fake.checkExactlyOnce(t)
			for _, id := range ids {
				require.Equal(t, model.TaskCompleted, env.fake.status(id))
			}
			require.Zero(t, env.counterValue(t, "task_result_dropped_total", "taskType", "t", "reason", "rejected"))
			require.Positive(t, env.counterValue(t, "task_update_error_total", "taskType", "t", "exception", "server_error"))
			require.Positive(t, env.counterValue(t, "task_poll_error_total", "taskType", "t", "exception", "server_error"))
		})
	}
}

func TestUpdateV2FallsBackWhenServerLacksIt(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			env := setup(t)
			env.fake.v2Status = status
			ids := env.fake.enqueue("t", "", 5, nil)
			env.start(t, WorkerConfig{TaskName: "t", Func: completed})
			env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
			require.Equal(t, 1, env.fake.requestCount("v2-attempt"), "update-v2 is tried once per host")
			env.fake.checkExactlyOnce(t)
			require.Len(t, env.logs.lines("has no POST /api/tasks/update-v2"), 1)
		})
	}
}

func TestUpdateV2RunsNextTaskInFreedSlot(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.fake.capacity["t"] = 1
	ids := env.fake.enqueue("t", "", 5, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, PollTimeout: time.Second})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })

	env.fake.mu.Lock()
	defer env.fake.mu.Unlock()
	fetched := 0
	for _, p := range env.fake.polls {
		fetched += p.got
	}
	require.Equal(t, 1, fetched, "one poll; every other task came with the previous result")
	for i, u := range env.fake.updates {
		require.True(t, u.v2)
		if i < 4 {
			require.Equal(t, ids[i+1], u.next)
		}
	}
}

func TestUnauthorizedThenTokenRefresh(t *testing.T) {
	t.Parallel()
	fake := newFakeConductor(t)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	api := fake.newClient(tr, settings.NewAuthenticationSettings("key", "secret"))
	env := setup(t, func(c *HostConfig) { c.Client = api })
	env.fake = fake
	fake.set(func(f *fakeConductor) { f.token = "issued-elsewhere" }) // the first token the client gets is refused once
	ids := fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed})
	fake.waitFor(func() bool { return fake.allDoneLocked(ids) })

	fake.set(func(f *fakeConductor) { f.token = "rotated" }) // the server drops the client's token
	ids = append(ids, fake.enqueue("t", "", 2, nil)...)
	fake.waitFor(func() bool { return fake.allDoneLocked(ids) })
	fake.checkExactlyOnce(t)
	require.GreaterOrEqual(t, fake.requestCount("token"), 2)
}

// TestResultRetriedUntilLeaseExpires: a server that fails every update gets
// the result until the task's lease has certainly expired, then the result
// is dropped, counted and logged.
func TestResultRetriedUntilLeaseExpires(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	env := setup(t, withClock(clk), withRand(0.5), func(c *HostConfig) {
		c.RetryMin, c.RetryMax = 100*time.Millisecond, time.Second
	})
	env.fake.fault = func(r faultReq) fault {
		if r.kind == "update" {
			return fault{status: http.StatusInternalServerError}
		}
		return fault{}
	}
	ids := env.fake.enqueue("t", "", 1, func(t *model.WorkerTask) { t.ResponseTimeoutSeconds = 2 })
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, DisableUpdateV2: true})

	// Waits of 75, 150, 300, 600 and 750 ms (1875 ms); the next, 750 ms more,
	// would end past the 2 s lease, so the sixth failure drops the result.
	for attempt := 1; attempt <= 5; attempt++ {
		env.fake.waitFor(func() bool { return env.fake.requests["update"] >= attempt })
		clk.Advance(clk.waitTimers(t, 1)[0])
	}
	env.fake.waitFor(func() bool { return env.fake.requests["update"] >= 6 })
	_ = env.shutdown(t, 5*time.Second)
	require.Equal(t, 6, env.fake.requestCount("update"))
	require.Equal(t, 1.0, env.counterValue(t, "task_result_dropped_total", "taskType", "t", "reason", "lease_expired"))
	require.Len(t, env.logs.lines("task result dropped", ids[0], "lease_expired"), 1)
}

// TestResultsSkipUpdateV2WhenTheQueueIsDry: once update-v2 came back without
// a task, results go to POST /api/tasks (Conductor holds an update-v2 answer
// 100 ms when its queue is empty) until a poll brings tasks again.
func TestResultsSkipUpdateV2WhenTheQueueIsDry(t *testing.T) {
	t.Parallel()
	env := setup(t)
	ids := env.fake.enqueue("t", "", 2, nil)
	firstRunning, secondRunning, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	thirdPoll := make(chan struct{})
	env.fake.fault = func(r faultReq) fault {
		if r.kind == "poll" && r.n == 3 { // polled for the slot the first task freed
			close(thirdPoll)
		}
		return fault{}
	}
	env.start(t, WorkerConfig{TaskName: "t", Concurrency: 2, Func: func(task *model.WorkerTask) (any, error) {
		switch task.TaskId {
		case ids[0]:
			close(firstRunning)
			<-secondRunning // both tasks out: the queue is empty when this result goes
		case ids[1]:
			close(secondRunning)
			<-release
		}
		return map[string]any{}, nil
	}})
	<-firstRunning
	<-thirdPoll
	close(release)
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })

	env.fake.mu.Lock()
	defer env.fake.mu.Unlock()
	require.Len(t, env.fake.updates, 2)
	byTask := map[string]bool{}
	for _, u := range env.fake.updates {
		byTask[u.result.TaskId] = u.v2
		require.Empty(t, u.next)
	}
	require.Equal(t, map[string]bool{ids[0]: true, ids[1]: false}, byTask,
		"the first result found the queue empty; the second went to POST /api/tasks")
}

// TestRequestTimeoutBoundsResultUpdates: a RequestTimeout shorter than the
// client's own bound ends an update the server holds, and the result is
// sent again.
func TestRequestTimeoutBoundsResultUpdates(t *testing.T) {
	t.Parallel()
	env := setup(t, func(c *HostConfig) { c.RequestTimeout = 250 * time.Millisecond })

	never := make(chan struct{})
	env.fake.fault = func(r faultReq) fault {
		if (r.kind == "update" || r.kind == "update-v2") && r.n == 1 {
			return fault{hold: never} // until the worker hangs up
		}
		return fault{}
	}
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.NoError(t, env.shutdown(t, 5*time.Second))
	require.Equal(t, model.TaskCompleted, env.fake.status(ids[0]))
	require.GreaterOrEqual(t, env.fake.requestCount("update")+env.fake.requestCount("update-v2"), 2)
}
