package engine

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// reopen stops h's engine and starts a new one over the same store and
// clock, as a server restart would.
func reopen(t *testing.T, h *harness) *harness {
	t.Helper()
	require.NoError(t, h.e.Stop(h.ctx))
	var n atomic.Int64
	e, err := New(Config{Store: h.st, Clock: h.clock, IDs: func() string { return fmt.Sprintf("re-%d", n.Add(1)) }})
	require.NoError(t, err)
	require.NoError(t, e.Start(h.ctx))
	t.Cleanup(func() { require.NoError(t, e.Stop(context.Background())) })
	return &harness{t: t, e: e, clock: h.clock, st: h.st, ctx: h.ctx}
}

func TestStartRebuildsQueuesAndTimers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "slow", RetryCount: 0, ResponseTimeoutSeconds: 30})
	h.taskDef(&model.TaskDef{Name: "limited", ConcurrentExecLimit: intp(1)})
	h.workflowDef(simpleWorkflow("ready", "job"))
	h.workflowDef(simpleWorkflow("delayed", "later"))
	h.workflowDef(simpleWorkflow("running", "slow"))
	h.workflowDef(simpleWorkflow("limits", "limited"))
	readyID := h.start("ready", nil)
	wd := simpleWorkflow("delayed", "later")
	wd.Tasks[0].StartDelay = 20
	delayedID, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "delayed", WorkflowDef: wd})
	require.NoError(t, err)
	runningID := h.start("running", nil)
	h.mustPoll("slow")
	h.start("limits", nil)
	h.start("limits", nil)
	h.mustPoll("limited")
	h.advance(5 * time.Second)

	h2 := reopen(t, h)
	require.Equal(t, readyID, h2.mustPoll("job").WorkflowInstanceId, "queued tasks survive a restart")
	require.Nil(t, h2.poll("later"), "a start delay keeps counting")
	require.Nil(t, h2.poll("limited"), "the running task still holds the only slot")
	h2.advance(15 * time.Second)
	require.Equal(t, delayedID, h2.mustPoll("later").WorkflowInstanceId)
	h2.advance(10 * time.Second)
	require.Equal(t, model.WorkflowTimedOut, h2.workflow(runningID).Status, "the response timeout was re-armed")
}

func TestStartRepairsAWorkflowWithNothingPending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a", "b"))
	id := h.start("wf", nil)
	task := h.mustPoll("a")
	// Simulate a crash between completing a and scheduling b: write the
	// completed task behind the engine's back.
	stored, err := h.st.GetTask(h.ctx, task.TaskId)
	require.NoError(t, err)
	stored.Status = model.TaskCompleted
	require.NoError(t, h.st.Apply(h.ctx, &store.Batch{Tasks: []*model.WorkerTask{stored}}))

	h2 := reopen(t, h)
	h2.e.timers.runDue()
	require.Equal(t, []string{"a:COMPLETED", "b:SCHEDULED"}, h2.statuses(id))
}

func TestFailedStoreWriteChangesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a", "b"))
	id := h.start("wf", nil)
	task := h.mustPoll("a")
	boom := errors.New("disk full")
	h.st.FailApply = func(*store.Batch) error { return boom }
	err := h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId, Status: model.CompletedTask})
	require.ErrorIs(t, err, boom)
	require.Equal(t, KindInternal, KindOf(err))
	_, err = h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "wf"})
	require.ErrorIs(t, err, boom)

	h.st.FailApply = nil
	require.Equal(t, []string{"a:IN_PROGRESS"}, h.statuses(id), "memory was reloaded from the store")
	require.Nil(t, h.poll("b"))
	h.complete(task, nil)
	require.Equal(t, []string{"a:COMPLETED", "b:SCHEDULED"}, h.statuses(id))
	found, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 10})
	require.NoError(t, err)
	require.EqualValues(t, 1, found.TotalHits, "the failed start left nothing")
}

func TestFailedPollWriteKeepsTheTaskQueued(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	h.start("wf", nil)
	h.st.FailApply = func(*store.Batch) error { return errors.New("locked") }
	require.Nil(t, h.poll("a"))
	h.st.FailApply = nil
	task := h.mustPoll("a")
	require.Equal(t, 1, task.PollCount)
}
