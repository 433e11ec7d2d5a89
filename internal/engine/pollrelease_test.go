package engine

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// onHandOut is an Observer that runs f at the moment a poll hands a task out
// (committed, not yet answered).
type onHandOut struct {
	nopObserver
	f atomic.Pointer[func()]
}

func (o *onHandOut) TaskStarted(string, time.Duration) {
	if f := o.f.Load(); f != nil {
		(*f)()
	}
}

func TestReleasePollsEndsWaitingPollsAndTakesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "job"))

	// A waiting poll ends at the release, without the clock moving.
	done := make(chan []*model.WorkerTask)
	base := h.clock.Pending()
	go func() {
		got, err := h.e.Poll(h.ctx, "job", PollRequest{Timeout: 5 * time.Second, PollerID: "host-1"})
		require.NoError(t, err)
		done <- got
	}()
	waitForTimers(t, h, base+1)
	h.e.ReleasePolls("host-1")
	require.Empty(t, <-done)

	// A poll of the released poller that arrives later takes nothing, even
	// with a task queued; another poller gets it.
	id := h.start("wf", nil)
	got, err := h.e.Poll(h.ctx, "job", PollRequest{Timeout: 5 * time.Second, PollerID: "host-1"})
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = h.e.Poll(h.ctx, "job", PollRequest{PollerID: "host-2"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, id, got[0].WorkflowInstanceId)

	// A poll whose context has ended takes nothing either.
	id = h.start("wf", nil)
	ctx, cancel := context.WithCancel(h.ctx)
	cancel()
	got, err = h.e.Poll(ctx, "job", PollRequest{Timeout: 5 * time.Second})
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, id, h.mustPoll("job").WorkflowInstanceId)

	h.e.ReleasePolls("") // no id: nothing to do
}

// TestPollAbandonedAtHandOut: the worker goes away (its connection closes,
// or it releases its polls) at the very moment its poll takes a task. The
// task goes back to the queue, and the next poll gets it at once.
func TestPollAbandonedAtHandOut(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"connection closed", "polls released"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			obs := &onHandOut{}
			h := newHarness(t, func(c *Config) { c.Observer = obs })
			h.workflowDef(simpleWorkflow("wf", "job"))
			ctx, cancel := context.WithCancel(h.ctx)
			defer cancel()
			f := func() {
				if how == "connection closed" {
					cancel()
				} else {
					h.e.ReleasePolls("host-1")
				}
			}
			obs.f.Store(&f)

			done := make(chan []*model.WorkerTask)
			base := h.clock.Pending()
			go func() {
				got, err := h.e.Poll(ctx, "job", PollRequest{Timeout: 5 * time.Second, WorkerID: "w1", PollerID: "host-1"})
				require.NoError(t, err)
				done <- got
			}()
			waitForTimers(t, h, base+1) // the poll waits
			id := h.start("wf", nil)    // wakes it; it takes the task, and the worker goes
			require.Empty(t, <-done, "the abandoned poll answers no task")
			obs.f.Store(nil)

			x := h.workflow(id)
			require.Equal(t, model.TaskScheduled, x.Tasks[0].Status, "the task is queued again")
			next := h.mustPoll("job")
			require.Equal(t, x.Tasks[0].TaskId, next.TaskId, "the next poll gets it, without waiting for a timeout")
			require.Equal(t, 2, next.PollCount)
			h.complete(next, map[string]any{"ok": true})
			require.Equal(t, model.WorkflowCompleted, h.workflow(id).Status)
		})
	}
}

// TestReleasedPollersAreBounded: a client releasing made-up ids cannot grow
// the server's memory without bound; the oldest ids are forgotten first.
func TestReleasedPollersAreBounded(t *testing.T) {
	t.Parallel()
	r := newPollReleases()
	for i := range maxReleasedPollers + 10 {
		r.release(fmt.Sprintf("id-%d", i))
	}
	require.Len(t, r.released, maxReleasedPollers)
	require.Len(t, r.order, maxReleasedPollers)
	ch, done := r.watch("id-0")
	require.False(t, isClosed(ch), "the oldest id is forgotten")
	done()
	ch, done = r.watch(fmt.Sprintf("id-%d", maxReleasedPollers+9))
	require.True(t, isClosed(ch), "the newest is remembered")
	done()
	require.Empty(t, r.waiting, "a poll that returns leaves nothing behind")

	// Two polls of one id wait on one entry; the release ends both.
	a, doneA := r.watch("host")
	b, doneB := r.watch("host")
	r.release("host")
	require.True(t, isClosed(a) && isClosed(b))
	doneA()
	doneB()
	require.Empty(t, r.waiting)
}
