package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// Bad input gets an error that says what is wrong and changes nothing;
// nothing panics.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))

	// A huge batch size allocates nothing up front and hands out what there is.
	h.start("wf", nil)
	got, err := h.e.Poll(h.ctx, "a", PollRequest{Count: 1 << 30})
	require.NoError(t, err)
	require.Len(t, got, 1)

	// Odd task type names are just names.
	for _, typ := range []string{"../../etc/passwd", "a:b", "日本語", strings.Repeat("x", 10000), "' OR 1=1 --"} {
		got, err := h.e.Poll(h.ctx, typ, PollRequest{Domain: typ})
		require.NoError(t, err)
		require.Empty(t, got)
		size, err := h.e.QueueSize(h.ctx, typ, typ)
		require.NoError(t, err)
		require.Zero(t, size)
	}

	// Injection-looking values in searches are literal values.
	res, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 10, Query: "workflowType = 'x' OR '1'='1'"})
	require.NoError(t, err)
	require.Zero(t, res.TotalHits)

	// Operations on a workflow that is not there, or with no id.
	for name, call := range map[string]func() error{
		"terminate": func() error { return h.e.Terminate(h.ctx, "ghost", "") },
		"pause":     func() error { return h.e.Pause(h.ctx, "ghost") },
		"resume":    func() error { return h.e.Resume(h.ctx, "ghost") },
		"restart":   func() error { return h.e.Restart(h.ctx, "ghost", false) },
		"retry":     func() error { return h.e.Retry(h.ctx, "ghost", false) },
		"rerun":     func() error { _, err := h.e.Rerun(h.ctx, "ghost", &model.RerunWorkflowRequest{}); return err },
		"skip":      func() error { return h.e.SkipTask(h.ctx, "ghost", "a", nil) },
		"remove":    func() error { return h.e.Remove(h.ctx, "ghost", false) },
		"get":       func() error { _, err := h.e.GetWorkflow(h.ctx, "ghost", true); return err },
	} {
		err := call()
		require.EqualError(t, err, "No such workflow found by id: ghost", name)
		require.Equal(t, KindNotFound, KindOf(err), name)
	}
	for name, call := range map[string]func() error{
		"terminate": func() error { return h.e.Terminate(h.ctx, "", "") },
		"pause":     func() error { return h.e.Pause(h.ctx, "") },
		"resume":    func() error { return h.e.Resume(h.ctx, "") },
		"restart":   func() error { return h.e.Restart(h.ctx, "", false) },
		"retry":     func() error { return h.e.Retry(h.ctx, "", false) },
		"rerun":     func() error { _, err := h.e.Rerun(h.ctx, "", &model.RerunWorkflowRequest{}); return err },
		"rerun nil": func() error { _, err := h.e.Rerun(h.ctx, "x", nil); return err },
		"skip":      func() error { return h.e.SkipTask(h.ctx, "", "", nil) },
		"log":       func() error { _, err := h.e.TaskLogs(h.ctx, ""); return err },
		"get task":  func() error { _, err := h.e.GetTask(h.ctx, ""); return err },
		"by corr":   func() error { _, err := h.e.ByCorrelationID(h.ctx, "", "c", true, true); return err },
		"def":       func() error { _, err := h.e.GetWorkflowDef(h.ctx, "", 0); return err },
		"del def":   func() error { return h.e.DeleteWorkflowDef(h.ctx, "", 1) },
	} {
		require.Equal(t, KindInvalid, KindOf(call()), name)
	}
	id, err := h.e.UpdateTaskByRefName(h.ctx, "ghost", "a", model.CompletedTask, nil, "")
	require.NoError(t, err)
	require.Empty(t, id, "an unknown workflow has no pending task, as in Conductor")
	_, err = h.e.UpdateTaskByRefName(h.ctx, "ghost", "a", "DONE", nil, "")
	require.Equal(t, KindInvalid, KindOf(err))
	_, err = h.e.Rerun(h.ctx, h.start("wf", nil), &model.RerunWorkflowRequest{ReRunFromTaskId: "nope"})
	require.Equal(t, KindConflict, KindOf(err), "a running workflow cannot be rerun")
}

// An expression that only turns out malformed at run time (its nested
// part supplies a bad name) fails the workflow with a reason naming it,
// instead of passing null as Conductor does.
func TestMalformedExpressionFailsTheWorkflow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := simpleWorkflow("wf", "a")
	d.Tasks[0].InputParameters = map[string]any{"k": "${workflow.input.${workflow.input.key}}"}
	id, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "wf", WorkflowDef: d,
		Input: map[string]any{"key": "a b"}})
	require.NoError(t, err)
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	require.Contains(t, wf.ReasonForIncompletion, `input "k": invalid expression`)
	require.Empty(t, wf.Tasks)

	// Caught when the definition is checked, when it can be.
	d.Tasks[0].InputParameters = map[string]any{"k": "${workflow.input.a[?(@.x ==)]}"}
	_, err = h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "wf", WorkflowDef: d})
	requireViolations(t, err, ve("startWorkflow.arg0.workflowDef", "key: k input parameter value: workflow.input.a[?(@.x ==)] is not valid"))
}

func TestRerunFromUnknownTask(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	h.complete(h.mustPoll("a"), nil)
	_, err := h.e.Rerun(h.ctx, id, &model.RerunWorkflowRequest{ReRunFromTaskId: "nope"})
	require.EqualError(t, err, "Task nope not found")
	require.Equal(t, KindInvalid, KindOf(err))
	require.Equal(t, model.WorkflowCompleted, h.workflow(id).Status, "nothing changed")
	got, err := h.e.Rerun(h.ctx, id, &model.RerunWorkflowRequest{WorkflowInput: map[string]any{"n": 2.0}, CorrelationId: "new"})
	require.NoError(t, err)
	require.Equal(t, id, got)
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowRunning, wf.Status)
	require.Equal(t, map[string]any{"n": 2.0}, wf.Input)
	require.Equal(t, "new", wf.CorrelationId)
	require.Equal(t, []string{"a:SCHEDULED"}, h.statuses(id))
}

// Absurd durations neither overflow into the past nor panic.
func TestHugeDurationsDoNotOverflow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a", ResponseTimeoutSeconds: 1 << 62, RetryCount: 0})
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	task := h.mustPoll("a")
	when, ok := h.e.timers.deadline("wf:" + id)
	require.True(t, ok)
	require.True(t, when.After(h.clock.Now().AddDate(1000, 0, 0)), "a huge response timeout is far away, not in the past")
	h.advance(time.Hour)
	require.Equal(t, []string{"a:IN_PROGRESS"}, h.statuses(id))

	require.NoError(t, h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId,
		Status: model.InProgressTask, CallbackAfterSeconds: 1 << 62}))
	require.Nil(t, h.poll("a"), "the callback is far away")
	h.advance(24 * time.Hour)
	require.Equal(t, []string{"a:SCHEDULED"}, h.statuses(id))
}
