package engine

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestActiveDomain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		polled  map[string]time.Duration // domain → how long ago a worker polled it
		domains string
		want    string
	}{
		{"single", nil, "d1", "d1"},
		{"none active: last", nil, "d1,d2", "d2"},
		{"none active: last is NO_DOMAIN", nil, "d1,NO_DOMAIN", ""},
		{"NO_DOMAIN any case", nil, "d1,no_domain", ""},
		{"first active wins", map[string]time.Duration{"d2": time.Second, "d3": time.Second}, "d1,d2,d3", "d2"},
		{"stale poll does not count", map[string]time.Duration{"d1": 10 * time.Second}, "d1,d2", "d2"},
		{"just inside the window", map[string]time.Duration{"d1": 9999 * time.Millisecond}, "d1,d2", "d1"},
		{"spaces are trimmed", map[string]time.Duration{"d2": 0}, "d1, d2 ,d3", "d2"},
		{"active NO_DOMAIN entry is skipped", map[string]time.Duration{"": 0}, "NO_DOMAIN,d1", "d1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.advance(time.Minute)
			for d, ago := range tc.polled {
				h.e.polls.record(queueKey{"task", d}, "w", h.clock.Now().Add(-ago))
			}
			require.Equal(t, tc.want, h.e.activeDomain("task", strings.Split(tc.domains, ",")))
		})
	}
}

func TestPollValidationAndPollData(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.e.Poll(h.ctx, "", PollRequest{})
	requireViolations(t, err, ve("batchPoll.arg0", "TaskType cannot be null or empty."))
	_, err = h.e.Poll(h.ctx, "t", PollRequest{Timeout: 5001 * time.Millisecond})
	require.EqualError(t, err, "Long Poll Timeout value cannot be more than 5 seconds")
	require.Equal(t, KindInvalid, KindOf(err))

	got, err := h.e.Poll(h.ctx, "t", PollRequest{WorkerID: "w1", Count: -7})
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got)
	h.advance(time.Second)
	_, err = h.e.Poll(h.ctx, "t", PollRequest{WorkerID: "w2", Domain: "d"})
	require.NoError(t, err)
	pd, err := h.e.PollData(h.ctx, "t")
	require.NoError(t, err)
	require.Equal(t, []model.PollData{
		{QueueName: "t", WorkerId: "w1", LastPollTime: t0.UnixMilli()},
		{QueueName: "t", Domain: "d", WorkerId: "w2", LastPollTime: t0.UnixMilli() + 1000},
	}, pd)
	all, err := h.e.AllPollData(h.ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	_, err = h.e.PollData(h.ctx, "")
	require.Equal(t, KindInvalid, KindOf(err))
}

func TestPollOrderPriorityThenTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "job"))
	start := func(prio int) string {
		id, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "wf", Priority: intp(prio)})
		require.NoError(t, err)
		h.advance(time.Millisecond)
		return id
	}
	low1, high, low2, mid := start(0), start(90), start(0), start(50)
	var order []string
	for range 4 {
		order = append(order, h.mustPoll("job").WorkflowInstanceId)
	}
	require.Equal(t, []string{high, mid, low1, low2}, order)
	size, err := h.e.QueueSize(h.ctx, "job", "")
	require.NoError(t, err)
	require.Zero(t, size)
}

func TestBatchPollHandsOutEachTaskOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "job"))
	for range 5 {
		h.start("wf", nil)
	}
	size, _ := h.e.QueueSize(h.ctx, "job", "")
	require.Equal(t, 5, size)
	sizes, _ := h.e.QueueSizes(h.ctx)
	require.Equal(t, map[string]int{"job": 5}, sizes)
	got, err := h.e.Poll(h.ctx, "job", PollRequest{Count: 3, WorkerID: "w"})
	require.NoError(t, err)
	require.Len(t, got, 3)
	rest, err := h.e.Poll(h.ctx, "job", PollRequest{Count: 10, WorkerID: "w"})
	require.NoError(t, err)
	require.Len(t, rest, 2)
	seen := map[string]bool{}
	for _, task := range append(got, rest...) {
		require.False(t, seen[task.TaskId])
		seen[task.TaskId] = true
		require.Equal(t, model.TaskInProgress, task.Status)
		require.Equal(t, 1, task.PollCount)
	}
}

// A long poll is answered by the enqueue itself, and a stopping engine
// releases it.
func TestLongPollWokenByEnqueue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "job"))
	done := make(chan []*model.WorkerTask)
	go func() {
		got, err := h.e.Poll(h.ctx, "job", PollRequest{Timeout: 5 * time.Second, WorkerID: "w"})
		require.NoError(t, err)
		done <- got
	}()
	id := h.start("wf", nil)
	got := <-done
	require.Len(t, got, 1, "the poll returns the task without the clock moving")
	require.Equal(t, id, got[0].WorkflowInstanceId)

	// Nothing queued: the timeout (on the engine's clock) ends the wait.
	base := h.clock.Pending()
	go func() {
		got, err := h.e.Poll(h.ctx, "job", PollRequest{Timeout: 2 * time.Second, WorkerID: "w"})
		require.NoError(t, err)
		done <- got
	}()
	waitForTimers(t, h, base+1)
	h.clock.Advance(2 * time.Second)
	require.Empty(t, <-done)

	// A cancelled context ends it too.
	ctx, cancel := context.WithCancel(h.ctx)
	go func() {
		got, err := h.e.Poll(ctx, "job", PollRequest{Timeout: 5 * time.Second})
		require.NoError(t, err)
		done <- got
	}()
	cancel()
	require.Empty(t, <-done)
}

// waitForTimers waits until n callbacks are registered on the fake clock
// (a goroutine has reached its wait), yielding meanwhile; the deadline is
// only a safety net.
func waitForTimers(t *testing.T, h *harness, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.clock.Pending() < n {
		require.True(t, time.Now().Before(deadline), "timed out waiting for %d clock callbacks", n)
		waitABit()
	}
}

func TestStopReleasesLongPolls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	done := make(chan error)
	base := h.clock.Pending()
	go func() {
		got, err := h.e.Poll(h.ctx, "job", PollRequest{Timeout: 5 * time.Second})
		if err == nil && len(got) != 0 {
			err = context.Canceled
		}
		done <- err
	}()
	waitForTimers(t, h, base+1)
	require.NoError(t, h.e.Stop(h.ctx))
	require.NoError(t, <-done)
	require.NoError(t, h.e.Stop(h.ctx), "Stop is idempotent")
	require.Error(t, h.e.Start(h.ctx), "a stopped engine does not start again")
}

func TestConcurrencyLimitReleasesNextTaskAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "limited", ConcurrentExecLimit: intp(2)})
	h.workflowDef(simpleWorkflow("wf", "limited"))
	for range 3 {
		h.start("wf", nil)
	}
	got, err := h.e.Poll(h.ctx, "limited", PollRequest{Count: 5})
	require.NoError(t, err)
	require.Len(t, got, 2, "only two may run at once")
	require.Nil(t, h.poll("limited"))
	size, _ := h.e.QueueSize(h.ctx, "limited", "")
	require.Equal(t, 1, size, "the third waits in the queue")

	// A waiting long poll gets the third task as soon as a slot frees.
	done := make(chan []*model.WorkerTask)
	base := h.clock.Pending()
	go func() {
		got, err := h.e.Poll(h.ctx, "limited", PollRequest{Timeout: 5 * time.Second})
		require.NoError(t, err)
		done <- got
	}()
	waitForTimers(t, h, base+1)
	h.complete(got[0], nil)
	third := <-done
	require.Len(t, third, 1)
	require.Nil(t, h.poll("limited"))
	require.Equal(t, 2, h.e.limits.running("limited"))
}

func TestRateLimitPerFrequency(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "rated", RateLimitPerFrequency: 2, RateLimitFrequencyInSeconds: 10})
	h.workflowDef(simpleWorkflow("wf", "rated"))
	for range 5 {
		h.start("wf", nil)
	}
	got, err := h.e.Poll(h.ctx, "rated", PollRequest{Count: 5})
	require.NoError(t, err)
	require.Len(t, got, 2, "two deliveries per 10 s")
	h.advance(9 * time.Second)
	require.Nil(t, h.poll("rated"))
	h.advance(time.Second)
	got, err = h.e.Poll(h.ctx, "rated", PollRequest{Count: 5})
	require.NoError(t, err)
	require.Len(t, got, 2, "the window reopened")
}

func TestUpdateV2HandsOutTheNextTask(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "job"))
	h.start("wf", nil)
	second := h.start("wf", nil)
	first := h.mustPoll("job")
	next, err := h.e.UpdateTaskV2(h.ctx, &model.TaskResult{WorkflowInstanceId: first.WorkflowInstanceId, TaskId: first.TaskId,
		Status: model.InProgressTask, CallbackAfterSeconds: 60})
	require.NoError(t, err)
	require.Nil(t, next, "an update that does not end the task hands out nothing")
	next, err = h.e.UpdateTaskV2(h.ctx, &model.TaskResult{WorkflowInstanceId: first.WorkflowInstanceId, TaskId: first.TaskId,
		Status: model.CompletedTask, WorkerId: "w9"})
	require.NoError(t, err)
	require.NotNil(t, next)
	require.Equal(t, second, next.WorkflowInstanceId)
	require.Equal(t, "w9", next.WorkerId)
	require.Equal(t, model.TaskInProgress, next.Status)
}

func TestRequeuePendingRedeliversInProgressTasks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "job"))
	h.start("wf", nil)
	task := h.mustPoll("job")
	require.Nil(t, h.poll("job"))
	n, err := h.e.RequeuePending(h.ctx, "job")
	require.NoError(t, err)
	require.Equal(t, 1, n)
	again := h.mustPoll("job")
	require.Equal(t, task.TaskId, again.TaskId)
	require.Equal(t, 2, again.PollCount)
	_, err = h.e.RequeuePending(h.ctx, "")
	require.Equal(t, KindInvalid, KindOf(err))
}

// Many pollers and updaters at once: every task is delivered exactly once
// and every workflow completes. Pollers long-poll (the fake clock never
// ends their wait), so they are woken only by enqueues and by Stop.
func TestConcurrentPollersDeliverEachTaskOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxCachedWorkflows = 64 })
	h.workflowDef(simpleWorkflow("wf", "a", "b", "c"))
	const workflows, pollers = 60, 9
	var mu sync.Mutex
	delivered := map[string]int{}
	var wg sync.WaitGroup
	for p := range pollers {
		taskType := []string{"a", "b", "c"}[p%3]
		wg.Go(func() {
			for !h.e.stoppingNow() {
				got, err := h.e.Poll(h.ctx, taskType, PollRequest{Count: 1 + p%3, WorkerID: "w", Timeout: 5 * time.Second})
				require.NoError(t, err)
				for _, task := range got {
					mu.Lock()
					delivered[task.TaskId]++
					mu.Unlock()
					require.NoError(t, h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: task.WorkflowInstanceId,
						TaskId: task.TaskId, Status: model.CompletedTask, OutputData: map[string]any{"by": p}}))
				}
			}
		})
	}
	ids := make([]string, workflows)
	var starters sync.WaitGroup
	for i := range workflows {
		starters.Go(func() { ids[i] = h.start("wf", map[string]any{"i": i}) })
	}
	starters.Wait()
	for _, id := range ids {
		waitStatus(t, h, id, model.WorkflowCompleted)
	}
	require.NoError(t, h.e.Stop(h.ctx))
	wg.Wait()
	require.Len(t, delivered, workflows*3)
	for id, n := range delivered {
		require.Equal(t, 1, n, "task %s delivered %d times", id, n)
	}
	sizes, _ := h.e.QueueSizes(h.ctx)
	for q, n := range sizes {
		require.Zero(t, n, "queue %s", q)
	}
	for _, def := range []string{"a", "b", "c"} {
		require.Zero(t, h.e.limits.running(def), "no task is left counted as running")
	}
}

// waitStatus waits, woken by the workflow's commits, until it has status.
func waitStatus(t *testing.T, h *harness, id string, status model.WorkflowStatus) {
	t.Helper()
	changed, unwatch := h.e.watch.add(id)
	defer unwatch()
	timeout := time.NewTimer(20 * time.Second) // a safety net, not a wait for progress
	defer timeout.Stop()
	for {
		if got := h.workflow(id).Status; got == status {
			return
		}
		select {
		case <-changed:
		case <-timeout.C:
			t.Fatalf("workflow %s never reached %s; it is %s", id, status, h.workflow(id).Status)
		}
	}
}

// waitABit yields to other goroutines.
func waitABit() { runtime.Gosched() }
