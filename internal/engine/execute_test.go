package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// execute runs ExecuteWorkflow in a goroutine and returns its answer channel.
func execute(h *harness, req *model.StartWorkflowRequest, opts ExecuteOptions) <-chan *model.SignalResponse {
	out := make(chan *model.SignalResponse, 1)
	go func() {
		resp, err := h.e.ExecuteWorkflow(h.ctx, req, opts)
		require.NoError(h.t, err)
		out <- resp
	}()
	return out
}

func TestExecuteWorkflowWaitsForCompletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a", "b"))
	resp := execute(h, &model.StartWorkflowRequest{Name: "wf", CorrelationId: "c", Input: map[string]any{"k": 1.0}},
		ExecuteOptions{RequestID: "req-1"})
	h.complete(pollUntil(t, h, "a"), map[string]any{"x": 1.0})
	h.complete(pollUntil(t, h, "b"), map[string]any{"y": 2.0})
	r := <-resp
	require.Equal(t, model.ReturnTargetWorkflow, r.ResponseType)
	require.Equal(t, "req-1", r.RequestId)
	require.Equal(t, model.WorkflowCompleted, r.TargetWorkflowStatus)
	require.Equal(t, string(model.WorkflowCompleted), r.Status)
	require.Equal(t, r.TargetWorkflowId, r.WorkflowId)
	require.Equal(t, "c", r.CorrelationId)
	require.Equal(t, map[string]any{"y": 2.0}, r.Output)
	require.Len(t, r.Tasks, 2)
	require.False(t, r.SignalTimeout)
}

func TestExecuteWorkflowStopsAtTaskRef(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a", "b"))
	resp := execute(h, &model.StartWorkflowRequest{Name: "wf"},
		ExecuteOptions{WaitUntilTaskRef: []string{"x, a"}, ReturnStrategy: model.ReturnBlockingTask})
	h.complete(pollUntil(t, h, "a"), map[string]any{"x": 1.0})
	r := <-resp
	require.Equal(t, model.ReturnBlockingTask, r.ResponseType)
	require.Equal(t, model.WorkflowRunning, r.TargetWorkflowStatus)
	require.Equal(t, "a", r.ReferenceTaskName)
	require.Equal(t, string(model.TaskCompleted), r.Status)
	require.Equal(t, map[string]any{"x": 1.0}, r.Output)
	require.Equal(t, "worker", r.CreatedBy)
}

func TestExecuteWorkflowTimesOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	base := h.clock.Pending()
	resp := execute(h, &model.StartWorkflowRequest{Name: "wf"}, ExecuteOptions{WaitFor: 3 * time.Second})
	waitForTimers(t, h, base+1)
	h.clock.Advance(3 * time.Second)
	r := <-resp
	require.True(t, r.SignalTimeout)
	require.Equal(t, model.WorkflowRunning, r.TargetWorkflowStatus)
	require.Len(t, r.Tasks, 1)

	// A blocking-task strategy with nothing blocking answers nil.
	base = h.clock.Pending()
	resp = execute(h, &model.StartWorkflowRequest{Name: "wf"}, ExecuteOptions{ReturnStrategy: model.ReturnBlockingTaskInput})
	waitForTimers(t, h, base+1)
	h.clock.Advance(10 * time.Second)
	require.Nil(t, <-resp)
}

func TestExecuteWorkflowStartError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.e.ExecuteWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "ghost"}, ExecuteOptions{})
	require.EqualError(t, err, "No such workflow defined. name=ghost, version=null")
	require.Empty(t, h.e.watch.m, "the watch is released")
}

// pollUntil polls until a task of the type is handed out (the workflow may
// be started by another goroutine).
func pollUntil(t *testing.T, h *harness, taskType string) *model.WorkerTask {
	t.Helper()
	got, err := h.e.Poll(h.ctx, taskType, PollRequest{WorkerID: "worker", Timeout: 5 * time.Second})
	require.NoError(t, err)
	require.Len(t, got, 1)
	return got[0]
}
