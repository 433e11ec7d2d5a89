package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// The load of TestSIGKILLUnderLoad: workflows of one or two tasks of one
// type, whose tasks time out quickly so that tasks held by a dead worker
// come back after the restart.
const (
	durTask            = "durable_task"
	durOneWf, durTwoWf = "durable_one", "durable_two"
	durResponseTimeout = 2 // seconds; tasks IN_PROGRESS at the kill come back after this
	durStarters        = 2
	durWorkers         = 4
	// The kill comes once this many starts and this many task updates have
	// been acknowledged (2 × 150 = 300 acknowledged writes at least).
	durMinAcks = 150
)

// TestSIGKILLUnderLoad proves the durability promise of `baton server`:
// killed with SIGKILL while clients start workflows and complete tasks, it
// restarts on the same file with every write it acknowledged — every
// started workflow, every task handed out by a poll, every task result —
// and loses no task: every workflow still runs to completion, its queued
// tasks delivered again at once and those held by the dead workers after
// their response timeout.
func TestSIGKILLUnderLoad(t *testing.T) {
	t.Parallel()
	bin := buildBaton(t)
	db := filepath.Join(t.TempDir(), "baton.db")
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	first := startChild(t, bin, db)
	api := first.apiClient(t)
	registerDurableDefs(ctx, t, api)
	led := newLedger()
	runLoadAndKill(ctx, t, first, api, led)
	t.Logf("acknowledged before SIGKILL: %d workflow starts, %d task updates", len(led.started), len(led.updated))

	second := startChild(t, bin, db)
	api = second.apiClient(t)
	late := checkAcknowledged(ctx, t, api, led)
	delivered, retries := driveToCompletion(ctx, t, api, led)
	t.Logf("after the restart: %d tasks delivered (%d of them retries of timed-out tasks); %d updates acknowledged after their task timed out",
		delivered, retries, late)
	second.stop(t)
}

// registerDurableDefs registers the task type and both workflows. The task
// is retried at once after a timeout, often enough for any test run.
func registerDurableDefs(ctx context.Context, t *testing.T, api *client.APIClient) {
	t.Helper()
	td := model.NewTaskDef(durTask)
	td.ResponseTimeoutSeconds = durResponseTimeout
	td.RetryCount = 10
	td.RetryDelaySeconds = 0
	require.NoError(t, api.Metadata().RegisterTaskDefs(ctx, *td))
	task := func(ref string) model.WorkflowTask {
		return model.WorkflowTask{Name: durTask, TaskReferenceName: ref, Type: model.TaskTypeSimple,
			InputParameters: map[string]any{"key": "${workflow.input.key}"}}
	}
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef(durOneWf, task("t1")), false))
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef(durTwoWf, task("t1"), task("t2")), false))
}

// ledger records every write the server acknowledged.
type ledger struct {
	mu      sync.Mutex
	started map[string]startedWorkflow // by workflow id
	updated map[string]ackedUpdate     // by task id
	polled  map[string]string          // worker id by task id: a poll marks a task IN_PROGRESS
}

type startedWorkflow struct{ name, key string }

type ackedUpdate struct {
	workflowID string
	output     map[string]any
	ackedAt    int64 // Unix ms when the acknowledgement arrived
}

func newLedger() *ledger {
	return &ledger{started: map[string]startedWorkflow{}, updated: map[string]ackedUpdate{}, polled: map[string]string{}}
}

func (l *ledger) addPolled(tasks []model.WorkerTask, workerID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range tasks {
		l.polled[tasks[i].TaskId] = workerID
	}
}

// addStart and addUpdate record an acknowledgement and report whether both
// kinds have now reached durMinAcks.
func (l *ledger) addStart(id string, w startedWorkflow) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.started[id] = w
	return len(l.started) >= durMinAcks && len(l.updated) >= durMinAcks
}

func (l *ledger) addUpdate(taskID string, u ackedUpdate) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.updated[taskID] = u
	return len(l.started) >= durMinAcks && len(l.updated) >= durMinAcks
}

// resultFor is the COMPLETED result a worker sends for t: its output names
// the task and the worker, so the stored output can be checked field by
// field.
func resultFor(t *model.WorkerTask, workerID string) *model.TaskResult {
	r := model.NewTaskResultFromTask(t)
	r.WorkerId = workerID
	r.Status = model.CompletedTask
	r.OutputData = map[string]any{"taskId": t.TaskId, "ref": t.ReferenceTaskName, "worker": workerID, "key": t.InputData["key"]}
	return r
}

// runLoadAndKill starts workflows and completes tasks from several
// goroutines, recording every acknowledgement, and SIGKILLs the server
// once durMinAcks of each kind have come back, with calls still in flight.
// Calls fail after the kill; any failure before it fails the test.
func runLoadAndKill(ctx context.Context, t *testing.T, srv *childServer, api *client.APIClient, led *ledger) {
	t.Helper()
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var killed atomic.Bool
	enough := make(chan struct{})
	var enoughOnce sync.Once
	acked := func(done bool) {
		if done {
			enoughOnce.Do(func() { close(enough) })
		}
	}
	failed := make(chan error, durStarters+durWorkers)
	fail := func(err error) {
		if !killed.Load() && loadCtx.Err() == nil {
			failed <- err // buffered: one per goroutine at most
		}
	}

	var wg sync.WaitGroup
	for s := range durStarters {
		wg.Go(func() {
			for n := 0; loadCtx.Err() == nil; n++ {
				w := startedWorkflow{name: durOneWf, key: fmt.Sprintf("s%d-%d", s, n)}
				if n%2 == 1 {
					w.name = durTwoWf
				}
				id, err := api.Workflows().StartByName(loadCtx, w.name, map[string]any{"key": w.key}, client.StartOptions{})
				if err != nil {
					fail(fmt.Errorf("start %s: %w", w.key, err))
					return
				}
				acked(led.addStart(id, w))
			}
		})
	}
	for w := range durWorkers {
		wg.Go(func() {
			workerID := fmt.Sprintf("worker-%d", w)
			for loadCtx.Err() == nil {
				tasks, err := api.Tasks().BatchPoll(loadCtx, durTask, client.BatchPollOptions{Count: 4, Timeout: 100 * time.Millisecond, WorkerID: workerID})
				if err != nil {
					fail(fmt.Errorf("poll: %w", err))
					return
				}
				led.addPolled(tasks, workerID)
				for i := range tasks {
					r := resultFor(&tasks[i], workerID)
					ack, err := api.Tasks().Update(loadCtx, r)
					if err != nil {
						fail(fmt.Errorf("update task %s: %w", r.TaskId, err))
						return
					}
					if ack != r.TaskId {
						fail(fmt.Errorf("update task %s acknowledged as %q", r.TaskId, ack))
						return
					}
					acked(led.addUpdate(r.TaskId, ackedUpdate{workflowID: r.WorkflowInstanceId, output: r.OutputData, ackedAt: time.Now().UnixMilli()}))
				}
			}
		})
	}

	select {
	case <-enough:
	case err := <-failed:
		stopLoad()
		wg.Wait()
		t.Fatalf("a call failed before the kill: %v\nserver stderr:\n%s", err, srv.stderr)
	case <-ctx.Done():
		stopLoad()
		wg.Wait()
		t.Fatalf("the load did not reach %d acknowledged starts and updates: %v", durMinAcks, ctx.Err())
	}
	killed.Store(true)
	srv.kill(t) // the load is still running: its calls in flight now fail
	wg.Wait()
	select {
	case err := <-failed:
		t.Fatalf("a call failed before the kill: %v", err)
	default:
	}
}

// checkAcknowledged checks, before anything else touches the restarted
// server, that every acknowledged start, poll and update is there. It returns
// how many acknowledged updates came after the server had timed their task
// out (it then ignores the update and says OK, as Conductor does).
func checkAcknowledged(ctx context.Context, t *testing.T, api *client.APIClient, led *ledger) (late int) {
	t.Helper()
	for id, want := range led.started {
		wf, err := api.Workflows().Get(ctx, id, false)
		require.NoError(t, err, "acknowledged workflow %s (%s) is lost", id, want.key)
		require.Equal(t, want.name, wf.WorkflowName, "workflow %s", id)
		require.Equal(t, want.key, wf.Input["key"], "input of workflow %s", id)
	}
	for id, worker := range led.polled {
		if _, ok := led.updated[id]; ok {
			continue // checked below
		}
		task, err := api.Tasks().Get(ctx, id)
		require.NoError(t, err, "task %s, handed to %s, is lost", id, worker)
		switch task.Status {
		case model.TaskInProgress:
			require.Equal(t, worker, task.WorkerId, "task %s", id)
			require.Positive(t, task.PollCount, "task %s", id)
		case model.TaskTimedOut, model.TaskCompleted: // timed out since, or its update was in flight
		default:
			t.Fatalf("task %s, handed to %s before the kill, is %s after it: the poll's acknowledgement was lost", id, worker, task.Status)
		}
	}
	for id, want := range led.updated {
		task, err := api.Tasks().Get(ctx, id)
		require.NoError(t, err, "task %s, whose update was acknowledged, is lost", id)
		require.Equal(t, want.workflowID, task.WorkflowInstanceId, "task %s", id)
		if task.Status == model.TaskTimedOut && task.EndTime <= want.ackedAt {
			late++ // timed out before the update arrived: the update was rightly ignored
			continue
		}
		require.Equal(t, model.TaskCompleted, task.Status, "task %s: its COMPLETED update was acknowledged", id)
		require.Equal(t, want.output, task.OutputData, "output of task %s", id)
	}
	return late
}

// driveToCompletion polls and completes tasks on the restarted server
// until every workflow — those acknowledged and any whose start was in
// flight at the kill — has completed. It returns how many tasks it was
// given, and how many of those were retries of timed-out tasks.
func driveToCompletion(ctx context.Context, t *testing.T, api *client.APIClient, led *ledger) (delivered, retries int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second) // about 2 s are needed: one response timeout
	defer cancel()
	pending := make(map[string]bool, len(led.started))
	for id := range led.started {
		pending[id] = true
	}
	running := int64(-1) // workflows RUNNING in all, acknowledged or not; -1 until searched
	for {
		tasks, err := api.Tasks().BatchPoll(ctx, durTask, client.BatchPollOptions{Count: 20, Timeout: time.Second, WorkerID: "after-restart"})
		if ctx.Err() != nil {
			t.Fatalf("%d acknowledged workflows (%d in all) still running after the restart, and no task of theirs to poll: lost from the queues? (%v)",
				len(pending), running, ctx.Err())
		}
		require.NoError(t, err, "poll after the restart")
		for i := range tasks {
			_, done := led.updated[tasks[i].TaskId]
			require.False(t, done, "task %s, completed before the kill, was delivered again", tasks[i].TaskId)
			if tasks[i].RetriedTaskId != "" {
				retries++
			}
			_, err := api.Tasks().Update(ctx, resultFor(&tasks[i], "after-restart"))
			require.NoError(t, err)
		}
		delivered += len(tasks)
		if len(tasks) > 0 {
			continue
		}
		for id := range pending {
			st, err := api.Workflows().Status(ctx, id, false, false)
			require.NoError(t, err)
			switch {
			case st.Status == model.WorkflowCompleted:
				delete(pending, id)
			case st.Status.IsTerminal():
				t.Fatalf("workflow %s ended %s after the restart", id, st.Status)
			}
		}
		res, err := api.Workflows().Search(ctx, client.SearchOptions{Size: 1, Query: "status IN (RUNNING)"})
		require.NoError(t, err)
		running = res.TotalHits
		if len(pending) == 0 && running == 0 {
			return delivered, retries
		}
	}
}
