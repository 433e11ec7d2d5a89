package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// gated is a worker function that holds each task until the gate lets it go.
func gated(g *gate) model.WorkerTaskFunction {
	return func(task *model.WorkerTask) (any, error) {
		g.started <- task
		<-g.release
		return map[string]any{"taskId": task.TaskId}, nil
	}
}

// waitFinal waits until n results with a final status have been
// acknowledged to the worker for tasks of taskType.
func (e *env) waitFinal(n int) {
	e.t.Helper()
	e.proxy.waitFor(e.t, fmt.Sprintf("%d final results acknowledged", n), func() bool {
		got := 0
		for _, r := range e.proxy.results {
			if r.outcome == "acked" && r.status.IsTerminal() {
				got++
			}
		}
		return got >= n
	})
}

// TestPollsAskOnlyForFreeSlots fills a worker's slots in steps against the
// real server. The proxy checks every poll against the slots the worker
// holds (see faultProxy); the test adds that the check had teeth: polls
// came while some slots were busy and asked for exactly the rest.
func TestPollsAskOnlyForFreeSlots(t *testing.T) {
	t.Parallel()
	for _, disableV2 := range []bool{false, true} {
		t.Run(fmt.Sprintf("disableUpdateV2=%v", disableV2), func(t *testing.T) {
			t.Parallel()
			const slots, total = 4, 10
			e := newEnv(t, server.Config{})
			e.chain("slots_flow", []model.TaskDef{taskDef("slots", nil)}, "slots")
			g := newGate(total)
			host := e.newHost()
			e.startWorker(host, worker.WorkerConfig{TaskName: "slots", Concurrency: slots, DisableUpdateV2: disableV2, Func: gated(g)})

			for range 2 {
				e.start("slots_flow", nil, nil)
			}
			g.await(t, 2)
			for range total - 2 {
				e.start("slots_flow", nil, nil)
			}
			g.await(t, 2) // full now
			for started := slots; started < total; started++ {
				g.let(1)
				g.await(t, 1)
			}
			g.let(slots)
			e.waitFinal(total)

			e.proxy.locked(func() {
				tight := 0
				for _, p := range e.proxy.polls {
					if p.held > 0 && p.count+p.held == slots {
						tight++
					}
				}
				require.NotZero(t, tight, "some poll came while slots were busy and asked for all the free ones: %+v", e.proxy.polls)
			})
		})
	}
}

// TestNoPollsWhileFullOrPaused holds every slot of a worker with tasks
// waiting on the server, then pauses it with its slots free, and counts its
// polls meanwhile. The window is measured in polls of a canary worker on
// the same host and cadence: a worker that polled while full or paused
// would have polled as often as the canary did.
func TestNoPollsWhileFullOrPaused(t *testing.T) {
	t.Parallel()
	const slots, waiting, window = 3, 2, 5
	e := newEnv(t, server.Config{})
	e.chain("full_flow", []model.TaskDef{taskDef("full", nil)}, "full")
	g := newGate(slots + waiting)
	host := e.newHost()
	e.startWorker(host, worker.WorkerConfig{TaskName: "full", Concurrency: slots, PollTimeout: 20 * time.Millisecond, Func: gated(g)})
	e.startWorker(host, worker.WorkerConfig{TaskName: "canary", PollTimeout: 20 * time.Millisecond,
		Func: func(*model.WorkerTask) (any, error) { return nil, nil }})

	quiet := func(why string) {
		t.Helper()
		before, canary := e.proxy.pollsOf("full"), e.proxy.pollsOf("canary")
		e.proxy.waitFor(t, "the canary to poll", func() bool { return e.proxy.pollsOfLocked("canary") >= canary+window })
		require.Equal(t, before, e.proxy.pollsOf("full"), "no poll while %s", why)
		require.Equal(t, waiting, e.queueSize("full", ""), "tasks still wait on the server while %s", why)
	}

	for range slots + waiting {
		e.start("full_flow", nil, nil)
	}
	g.await(t, slots)
	quiet("every slot is busy")

	require.NoError(t, host.Pause("full"))
	g.let(slots)
	e.waitFinal(slots)
	quiet("paused with free slots")

	require.NoError(t, host.Resume("full"))
	g.await(t, waiting)
	g.let(waiting)
	e.waitFinal(slots + waiting)
	e.proxy.locked(func() {
		for _, r := range e.proxy.results {
			if r.outcome == "acked" && r.kind == "update-v2" && r.next != "" {
				require.Fail(t, "a task reached the worker through update-v2", "task %s: results sent while paused must not fetch tasks", r.next)
			}
		}
	})
}
