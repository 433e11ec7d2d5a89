package engine

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

func TestRestartFinishesAWait(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(sysDef("wait", model.WorkflowTask{Name: "w", TaskReferenceName: "w", Type: model.TaskTypeWait,
		InputParameters: map[string]any{"duration": "30s"}}))
	id := h.start("wait", nil)
	h.advance(10 * time.Second)

	h2 := reopen(t, h)
	h2.advance(19 * time.Second)
	require.Equal(t, []string{"w:IN_PROGRESS"}, h2.statuses(id))
	h2.advance(time.Second)
	require.Equal(t, model.WorkflowCompleted, h2.workflow(id).Status, "the WAIT's timer was rebuilt")
}

func TestRestartFollowsASubWorkflow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("child", "c1"))
	h.workflowDef(sysDef("parent", model.WorkflowTask{Name: "sub", TaskReferenceName: "sub", Type: model.TaskTypeSubWorkflow,
		SubWorkflowParam: &model.SubWorkflowParams{Name: "child"}}))
	first := h.start("parent", nil)
	second := h.start("parent", nil)
	h.e.RunDueTimers()
	childOf := func(h *harness, id string) string { return h.workflow(id).TaskByRefName("sub").SubWorkflowId }

	// The first child ends while the server is down before its parent hears
	// of it: written behind the engine's back.
	require.NoError(t, h.e.Stop(h.ctx))
	child := childOf(h, first)
	wf, err := h.st.GetWorkflow(h.ctx, child)
	require.NoError(t, err)
	tasks, err := h.st.GetWorkflowTasks(h.ctx, child)
	require.NoError(t, err)
	wf.Status, wf.Output = model.WorkflowCompleted, map[string]any{"done": true}
	tasks[0].Status = model.TaskCompleted
	require.NoError(t, h.st.Apply(h.ctx, &store.Batch{Workflows: []*model.Workflow{wf}, Tasks: tasks}))

	h2 := reopen(t, h)
	h2.e.RunDueTimers()
	got := h2.workflow(first)
	require.Equal(t, model.WorkflowCompleted, got.Status, "the SUB_WORKFLOW task looked at its child again")
	require.Equal(t, true, got.Output["done"])

	// The second child finishes after the restart, through the new engine.
	h2.complete(h2.mustPoll("c1"), nil)
	h2.e.RunDueTimers()
	require.Equal(t, model.WorkflowCompleted, h2.workflow(childOf(h2, second)).Status)
	require.Equal(t, model.WorkflowCompleted, h2.workflow(second).Status)
}

func TestRestartMakesAnInFlightHTTPCallAgain(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			close(started)
			<-r.Context().Done() // the first call hangs until the engine stops
			return
		}
		_, _ = io.WriteString(w, `{"second": true}`)
	}))
	t.Cleanup(srv.Close)
	h := newHarness(t)
	h.workflowDef(sysDef("call", model.WorkflowTask{Name: "call", TaskReferenceName: "call", Type: model.TaskTypeHTTP,
		InputParameters: map[string]any{"http_request": map[string]any{"uri": srv.URL, "method": "GET", "readTimeOut": 60000}}}))
	id := h.start("call", nil)
	go h.e.RunDueTimers()
	<-started
	require.Equal(t, []string{"call:SCHEDULED"}, h.statuses(id), "in flight, recorded as started")

	h2 := reopen(t, h) // stopping cancels the hanging call without recording it
	h2.e.RunDueTimers()
	wf := h2.workflow(id)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.EqualValues(t, 2, calls.Load())
	resp := wf.TaskByRefName("call").OutputData["response"].(map[string]any)
	require.Equal(t, map[string]any{"second": true}, resp["body"])
}
