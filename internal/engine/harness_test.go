package engine

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 is the fake clock's starting time in every test.
var t0 = time.UnixMilli(1_700_000_000_000)

// harness is an engine over a MemStore and a fake clock, started, with
// ids "id-1", "id-2", ... in creation order.
type harness struct {
	t     testing.TB
	e     *Engine
	clock *enginetest.Clock
	st    *enginetest.MemStore // nil when the harness runs on another store
	ctx   context.Context
	// lastStarted is the workflow the latest golden startAnother step started.
	lastStarted string
}

func newHarness(t testing.TB, tweak ...func(*Config)) *harness {
	t.Helper()
	return newHarnessOn(t, enginetest.NewMemStore(), tweak...)
}

// newHarnessOn is newHarness over a given store.
func newHarnessOn(t testing.TB, st store.Store, tweak ...func(*Config)) *harness {
	t.Helper()
	clock := enginetest.NewClock(t0)
	var n atomic.Int64
	cfg := Config{Store: st, Clock: clock, ServerID: "baton", IDs: func() string { return fmt.Sprintf("id-%d", n.Add(1)) }}
	for _, f := range tweak {
		f(&cfg)
	}
	e, err := New(cfg)
	require.NoError(t, err)
	require.NoError(t, e.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, e.Stop(context.Background())) })
	mem, _ := st.(*enginetest.MemStore)
	return &harness{t: t, e: e, clock: clock, st: mem, ctx: context.Background()}
}

// advance moves the fake clock and waits until every timer that fell due
// has run.
func (h *harness) advance(d time.Duration) {
	h.clock.Advance(d)
	h.e.RunDueTimers()
}

func (h *harness) taskDef(d *model.TaskDef) {
	h.t.Helper()
	require.NoError(h.t, h.e.RegisterTaskDefs(h.ctx, []model.TaskDef{*d}))
}

func (h *harness) workflowDef(d *model.WorkflowDef) {
	h.t.Helper()
	require.NoError(h.t, h.e.RegisterWorkflowDef(h.ctx, d, true))
}

func (h *harness) start(name string, input map[string]any) string {
	h.t.Helper()
	id, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: name, Input: input})
	require.NoError(h.t, err)
	return id
}

// poll polls one task without waiting; nil when none is handed out.
func (h *harness) poll(taskType string) *model.WorkerTask {
	h.t.Helper()
	got, err := h.e.Poll(h.ctx, taskType, PollRequest{WorkerID: "worker", Count: 1})
	require.NoError(h.t, err)
	if len(got) == 0 {
		return nil
	}
	return got[0]
}

func (h *harness) mustPoll(taskType string) *model.WorkerTask {
	h.t.Helper()
	t := h.poll(taskType)
	require.NotNil(h.t, t, "expected a %s task to poll", taskType)
	return t
}

func (h *harness) update(t *model.WorkerTask, status model.TaskResultStatus, output map[string]any) {
	h.t.Helper()
	require.NoError(h.t, h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: t.WorkflowInstanceId,
		TaskId: t.TaskId, Status: status, OutputData: output, WorkerId: "worker"}))
}

func (h *harness) complete(t *model.WorkerTask, output map[string]any) {
	h.t.Helper()
	h.update(t, model.CompletedTask, output)
}

func (h *harness) fail(t *model.WorkerTask, reason string) {
	h.t.Helper()
	require.NoError(h.t, h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: t.WorkflowInstanceId,
		TaskId: t.TaskId, Status: model.FailedTask, ReasonForIncompletion: reason}))
}

func (h *harness) workflow(id string) *model.Workflow {
	h.t.Helper()
	wf, err := h.e.GetWorkflow(h.ctx, id, true)
	require.NoError(h.t, err)
	return wf
}

// statuses lists "ref:STATUS" for each task of a workflow.
func (h *harness) statuses(id string) []string {
	h.t.Helper()
	var out []string
	for _, t := range h.workflow(id).Tasks {
		out = append(out, t.ReferenceTaskName+":"+string(t.Status))
	}
	return out
}

// simpleWorkflow defines a workflow of SIMPLE tasks named after refs:
// task "t1" has reference "t1".
func simpleWorkflow(name string, refs ...string) *model.WorkflowDef {
	d := model.NewWorkflowDef(name)
	for _, r := range refs {
		d.Tasks = append(d.Tasks, model.WorkflowTask{Name: r, TaskReferenceName: r, Type: model.TaskTypeSimple})
	}
	return d
}

func TestHappyPathThreeTasks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a", "b", "c"))
	id := h.start("wf", map[string]any{"x": 1.0})
	for _, ref := range []string{"a", "b", "c"} {
		require.Nil(t, h.poll("nope"))
		task := h.mustPoll(ref)
		require.Equal(t, model.TaskInProgress, task.Status)
		h.complete(task, map[string]any{"from": ref})
	}
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Equal(t, map[string]any{"from": "c"}, wf.Output)
	require.Equal(t, []string{"a:COMPLETED", "b:COMPLETED", "c:COMPLETED"}, h.statuses(id))
}
