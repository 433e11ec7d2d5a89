package sdkcheck_test

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// TestWorkerLongPoll: an idle worker keeps a long poll open at the server
// (each empty poll is held there for about its timeout), so a task started
// while it is idle is picked up long before the worker's poll interval.
func TestWorkerLongPoll(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()
	def := taskDef(e.name("longpoll"))
	wf := e.oneTaskWorkflow(def)

	const pollInterval = 10 * time.Second // what a worker without long polls would wait between polls
	picked := make(chan time.Time, 1)
	host := e.newHost(e.newAPI(rec.URL), worker.HostConfig{})
	require.NoError(t, host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name, PollInterval: pollInterval, PollTimeout: time.Second,
		Func: func(*model.WorkerTask) (any, error) {
			picked <- time.Now()
			return map[string]any{"ok": true}, nil
		},
	}))

	// Idle: wait until the server has held and answered three empty polls.
	calls := e.awaitCalls(rec, "three empty long polls", func(xs []exchange) bool {
		n := 0
		for _, x := range xs {
			if batchPollOf(def.Name)(x) && x.Status == 200 && len(x.tasks()) == 0 {
				n++
			}
		}
		return n >= 3
	})
	for _, x := range calls {
		if !batchPollOf(def.Name)(x) || len(x.tasks()) > 0 {
			continue
		}
		require.Equal(t, "1000", x.Query.Get("timeout"), "an idle worker sends its long-poll timeout")
		require.Equal(t, "1", x.Query.Get("count"), "an idle worker asks for one task")
		held := x.End.Sub(x.Start)
		require.GreaterOrEqual(t, held, 750*time.Millisecond, "the server holds an empty long poll about its timeout; it answered after %v", held)
	}

	started := time.Now()
	id := e.start(wf, map[string]any{"k": "v"}, "")
	var latency time.Duration
	select {
	case at := <-picked:
		latency = at.Sub(started)
	case <-e.ctx.Done():
		t.Fatal("the task was never picked up")
	}
	t.Logf("task started while the worker was idle reached the handler after %v (poll interval %v, long-poll timeout 1s)", latency, pollInterval)
	require.Less(t, latency, pollInterval/2, "an idle worker picks a new task up long before its poll interval")
	w := e.awaitStatus(id, model.WorkflowCompleted)
	require.Equal(t, map[string]any{"ok": true}, w.Output["out"])
}

// TestWorkerBatchPoll: with eight tasks queued and four slots, the worker
// fills its slots with batch polls (count > 1, several tasks in one answer)
// and never runs more than four at once; update-v2 answers bring the next
// tasks as slots free up, and all eight complete.
func TestWorkerBatchPoll(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()
	def := taskDef(e.name("batch"))
	wf := e.oneTaskWorkflow(def)

	const slots, total = 4, 8
	var running, peak atomic.Int32
	gate := make(chan struct{})
	var gateOnce sync.Once
	release := func() { gateOnce.Do(func() { close(gate) }) }
	t.Cleanup(release)
	host := e.newHost(e.newAPI(rec.URL), worker.HostConfig{})
	require.NoError(t, host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name, Concurrency: slots, Paused: true,
		Func: func(task *model.WorkerTask) (any, error) {
			n := running.Add(1)
			defer running.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			<-gate
			return map[string]any{"i": task.InputData["in"].(map[string]any)["i"]}, nil
		},
	}))

	ids := make([]string, total)
	for i := range ids {
		ids[i] = e.start(wf, map[string]any{"i": i}, "")
	}
	// All queued before the worker polls: the first answers can carry several.
	e.awaitQueued(def.Name, total)
	require.NoError(t, host.Resume(def.Name))

	// Four slots fill up and stay full while the handlers are held.
	e.eventually("four handlers running", 20*time.Second, func() (bool, string) {
		return running.Load() == slots, fmt.Sprintf("%d running", running.Load())
	})
	polls := rec.find(func(x exchange) bool { return batchPollOf(def.Name)(x) && len(x.tasks()) > 0 })
	multi := 0
	for _, x := range polls {
		count, _ := strconv.Atoi(x.Query.Get("count"))
		require.LessOrEqual(t, len(x.tasks()), count, "the server sent no more than asked for")
		if count > 1 && len(x.tasks()) > 1 {
			multi++
		}
	}
	require.Positive(t, multi, "a batch poll with count > 1 brought several tasks; polls: %s", pollSummary(polls))
	queued, err := e.api.Tasks().QueueSize(e.ctx, def.Name, "")
	require.NoError(t, err)
	require.Equal(t, total-slots, queued, "the worker took only as many tasks as it has slots")

	release()
	for i, id := range ids {
		w := e.awaitStatus(id, model.WorkflowCompleted)
		require.Equal(t, map[string]any{"i": float64(i)}, w.Output["out"])
	}
	require.Equal(t, int32(slots), peak.Load(), "never more than %d handlers at once", slots)
	chained := rec.find(func(x exchange) bool { return isUpdateV2(x) && len(x.tasks()) > 0 })
	t.Logf("polls that brought tasks: %s; update-v2 answers that brought the next task: %d", pollSummary(polls), len(chained))
}

// TestWorkerUpdateV2Chaining: with many tasks queued, every result goes to
// POST /tasks/update-v2 and the real server's answers hand the next task to
// the freed slot, so most tasks arrive without a poll; every task completes
// exactly once.
func TestWorkerUpdateV2Chaining(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()
	def := taskDef(e.name("chain"))
	wf := e.oneTaskWorkflow(def)

	const total = 20
	var mu sync.Mutex
	runs := map[string]int{}
	host := e.newHost(e.newAPI(rec.URL), worker.HostConfig{})
	require.NoError(t, host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: def.Name, Concurrency: 2, Paused: true,
		Func: func(task *model.WorkerTask) (any, error) {
			mu.Lock()
			runs[task.TaskId]++
			mu.Unlock()
			return map[string]any{"seen": task.InputData["in"]}, nil
		},
	}))
	ids := make([]string, total)
	for i := range ids {
		ids[i] = e.start(wf, map[string]any{"i": i}, "")
	}
	e.awaitQueued(def.Name, total)
	require.NoError(t, host.Resume(def.Name))
	for i, id := range ids {
		w := e.awaitStatus(id, model.WorkflowCompleted)
		require.Equal(t, map[string]any{"seen": map[string]any{"i": float64(i)}}, w.Output["out"])
	}

	// A 5xx answer would be retried: count the accepted results.
	accepted := func(x exchange) bool { return x.Status == 200 || x.Status == 204 }
	v2 := rec.find(func(x exchange) bool { return isUpdateV2(x) && accepted(x) })
	require.Len(t, v2, total, "every result went to update-v2")
	require.Empty(t, rec.find(func(x exchange) bool { return isUpdate(x) && accepted(x) }), "no result needed the plain update")
	byPoll, byV2 := map[string]bool{}, map[string]bool{}
	for _, x := range rec.find(batchPollOf(def.Name)) {
		for _, task := range x.tasks() {
			byPoll[task.TaskId] = true
		}
	}
	for _, x := range v2 {
		require.Equal(t, model.CompletedTask, x.result().Status)
		for _, task := range x.tasks() {
			byV2[task.TaskId] = true
		}
	}
	t.Logf("%d tasks came with an update-v2 answer, %d with a poll", len(byV2), len(byPoll))
	require.NotEmpty(t, byV2, "the real server chained tasks through update-v2 answers")
	require.Len(t, runs, total, "every task ran")
	for id, n := range runs {
		require.Equal(t, 1, n, "task %s ran once", id)
		require.True(t, byPoll[id] != byV2[id], "task %s arrived exactly once, by poll or by update-v2", id)
	}
}

func pollSummary(xs []exchange) string {
	s := ""
	for _, x := range xs {
		s += fmt.Sprintf(" count=%s→%d", x.Query.Get("count"), len(x.tasks()))
	}
	return s
}
