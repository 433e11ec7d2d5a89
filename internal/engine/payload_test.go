package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/script"
	"github.com/batonhq/baton/model"
)

func TestJSONSizeIsCloseToTheEncoding(t *testing.T) {
	t.Parallel()
	values := []any{
		nil, "abc", true, 1.5, 42.0, -7.0,
		map[string]any{"a": []any{1.0, "two", nil, map[string]any{"b": false}}},
		[]any{},
		map[string]any{},
	}
	for _, v := range values {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		got := jsonSize(v, 1<<20)
		// The walk counts a separator per element, one more than JSON
		// writes: never more than a few bytes apart.
		require.InDelta(t, len(b), got, 4, "%s", b)
	}
	// Past the limit the walk stops early.
	big := make([]any, 1000)
	for i := range big {
		big[i] = strings.Repeat("x", 100)
	}
	require.Greater(t, jsonSize(big, 1000), 1000)
	require.Less(t, jsonSize(big, 1000), 1200)
}

func TestDefinitionLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) {
		c.MaxWorkflowTasks = 5
		c.MaxForkWidth = 2
		c.MaxLoopIterationsKept = 5
	})
	fork := func(width, depth int) model.WorkflowTask {
		wt := model.WorkflowTask{Name: "f", TaskReferenceName: "f", Type: model.TaskTypeForkJoin}
		for i := range width {
			var branch []model.WorkflowTask
			for j := range depth {
				branch = append(branch, simple(fmt.Sprintf("b%d_%d", i, j)))
			}
			wt.ForkTasks = append(wt.ForkTasks, branch)
		}
		return wt
	}
	join := model.WorkflowTask{Name: "j", TaskReferenceName: "j", Type: model.TaskTypeJoin}
	loop := func(keep any) model.WorkflowTask {
		return model.WorkflowTask{Name: "l", TaskReferenceName: "l", Type: model.TaskTypeDoWhile, LoopCondition: "false",
			InputParameters: map[string]any{"keepLastN": keep}, LoopOver: []model.WorkflowTask{simple("s")}}
	}
	cases := []struct {
		name string
		def  *model.WorkflowDef
		msg  string // "" when the definition is accepted
	}{
		{"five tasks", simpleWorkflow("ok5", "a", "b", "c", "d", "e"), ""},
		{"six tasks", simpleWorkflow("six", "a", "b", "c", "d", "e", "f"), "WorkflowDef six has 6 tasks, more than the 5 this server allows (MaxWorkflowTasks, flag --max-workflow-tasks)"},
		{"nested tasks count", sysDef("nested", fork(2, 3), join), "has 8 tasks, more than the 5"},
		{"fork of two", sysDef("fork2", fork(2, 1), join), ""},
		{"fork of three", sysDef("fork3", fork(3, 1), join), "FORK_JOIN f has 3 branches, more than the 2 this server allows (MaxForkWidth, flag --max-fork-width)"},
		{"keepLastN at the limit", sysDef("keep5", loop(5.0)), ""},
		{"keepLastN over the limit", sysDef("keep6", loop(6.0)), "DO_WHILE l keepLastN 6 is more than the 5 iterations this server keeps (MaxLoopIterationsKept, flag --max-loop-iterations-kept)"},
	}
	for _, c := range cases {
		err := h.e.RegisterWorkflowDef(h.ctx, c.def, true)
		if c.msg == "" {
			require.NoError(t, err, c.name)
			continue
		}
		require.Error(t, err, c.name)
		require.Equal(t, KindInvalid, KindOf(err), c.name)
		var e *Error
		require.ErrorAs(t, err, &e)
		var msgs []string
		for _, v := range e.ValidationErrors {
			msgs = append(msgs, v.Message)
		}
		require.Contains(t, strings.Join(msgs, "\n"), c.msg, c.name)
		_, err = h.e.GetWorkflowDef(h.ctx, c.def.Name, 0)
		require.Equal(t, KindNotFound, KindOf(err), "%s: a refused definition is not stored", c.name)
	}

	// A definition in the start request is held to the same limits.
	_, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "inline", WorkflowDef: simpleWorkflow("inline", "a", "b", "c", "d", "e", "f")})
	require.Equal(t, KindInvalid, KindOf(err))
	require.ErrorContains(t, err, "Validation failed")
}

func TestDynamicForkWidthLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxForkWidth = 2 })
	d := sysDef("dyn",
		model.WorkflowTask{Name: "df", TaskReferenceName: "df", Type: model.TaskTypeForkJoinDynamic,
			InputParameters: map[string]any{"forkTaskName": "w", "forkTaskInputs": "${workflow.input.items}"}},
		model.WorkflowTask{Name: "j", TaskReferenceName: "j", Type: model.TaskTypeJoin})
	h.workflowDef(d)

	ok := h.start("dyn", map[string]any{"items": []any{map[string]any{}, map[string]any{}}})
	require.Equal(t, model.WorkflowRunning, h.workflow(ok).Status)

	wide := h.start("dyn", map[string]any{"items": []any{map[string]any{}, map[string]any{}, map[string]any{}}})
	wf := h.workflow(wide)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	require.Contains(t, wf.ReasonForIncompletion, "Dynamic fork df has 3 branches, more than the 2 this server allows (MaxForkWidth, flag --max-fork-width)")
}

func TestLoopKeepsAtMostTheLimitOfIterations(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxLoopIterationsKept = 2 })
	d := sysDef("loop", model.WorkflowTask{Name: "l", TaskReferenceName: "l", Type: model.TaskTypeDoWhile,
		LoopCondition: "$.l['iteration'] < 5", LoopOver: []model.WorkflowTask{
			{Name: "s", TaskReferenceName: "s", Type: model.TaskTypeInline,
				InputParameters: map[string]any{"evaluatorType": "javascript", "expression": "1"}}}})
	h.workflowDef(d)
	wf := h.workflow(h.start("loop", nil))
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	var refs []string
	for _, t := range wf.Tasks {
		refs = append(refs, t.ReferenceTaskName)
	}
	require.Equal(t, []string{"l", "s__4", "s__5"}, refs)
	loop := wf.TaskByRefName("l")
	require.Equal(t, 5, loop.Iteration)
	for _, k := range []string{"1", "2", "3"} {
		require.NotContains(t, loop.OutputData, k)
	}
	require.Contains(t, loop.OutputData, "5")
}

func TestPayloadLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxWorkflowInputSize = 100; c.MaxTaskOutputSize = 100 })
	h.workflowDef(simpleWorkflow("p", "a"))

	_, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "p", Input: map[string]any{"x": strings.Repeat("y", 200)}})
	require.Equal(t, KindInvalid, KindOf(err))
	require.ErrorContains(t, err, "Workflow input is more than 100 bytes of JSON, the limit of this server (MaxWorkflowInputSize, flag --max-workflow-input-size)")

	// Within the limit, and a task output over it: the task fails for good.
	id := h.start("p", map[string]any{"x": "small"})
	h.complete(h.mustPoll("a"), map[string]any{"blob": strings.Repeat("z", 200)})
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	a := wf.TaskByRefName("a")
	require.Equal(t, model.TaskFailedWithTerminalError, a.Status)
	require.Equal(t, "Task output is more than 100 bytes of JSON, the limit of this server (MaxTaskOutputSize, flag --max-task-output-size)", a.ReasonForIncompletion)
	require.Empty(t, a.OutputData)

	// A worker task whose resolved input is over its limit fails before a
	// worker sees it.
	h3 := newHarness(t, func(c *Config) { c.MaxTaskInputSize = 100 })
	d := simpleWorkflow("in", "a")
	d.Tasks[0].InputParameters = map[string]any{"x": "${workflow.input.big}"}
	h3.workflowDef(d)
	id = h3.start("in", map[string]any{"big": strings.Repeat("q", 200)})
	wf = h3.workflow(id)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	a = wf.TaskByRefName("a")
	require.Equal(t, model.TaskFailedWithTerminalError, a.Status)
	require.Equal(t, "Task input is more than 100 bytes of JSON, the limit of this server (MaxTaskInputSize, flag --max-task-input-size)", a.ReasonForIncompletion)
	require.Nil(t, h3.poll("a"), "never handed to a worker")
	id = h3.start("in", map[string]any{"big": "small"})
	h3.complete(h3.mustPoll("a"), nil)
	require.Equal(t, model.WorkflowCompleted, h3.workflow(id).Status)

	// An output within the limit completes it.
	id = h.start("p", nil)
	h.complete(h.mustPoll("a"), map[string]any{"ok": true})
	require.Equal(t, model.WorkflowCompleted, h.workflow(id).Status)
}

// TestHostileScriptsFailTheirTask: scripts written to exhaust the server
// fail their task with a reason that names the limit, and the workflow
// with it. Not parallel: the heap guard measures the process's heap, which
// other tests' allocations would move.
func TestHostileScriptsFailTheirTask(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Script = script.Config{Timeout: 200 * time.Millisecond, MaxHeapGrowth: 64 << 20}
	})
	cases := []struct{ name, expr, reason string }{
		{"endless", "while (true) {}", "Script not evaluated within 200ms, interrupted."},
		{"recursion", "function f() { return f() + 1 } f()", "Maximum call stack size exceeded"},
		{"repeat", "'x'.repeat(2 ** 40)", "it asked for a string longer than 16777216 characters"},
		{"fill", "new Array(2 ** 31).fill(0)", "it called an Array method on more than 1048576 elements"},
	}
	for _, c := range cases {
		h.workflowDef(sysDef(c.name, model.WorkflowTask{Name: c.name, TaskReferenceName: "s", Type: model.TaskTypeInline,
			InputParameters: map[string]any{"evaluatorType": "javascript", "expression": c.expr}}))
		wf := h.workflow(h.start(c.name, nil))
		require.Equal(t, model.WorkflowFailed, wf.Status, c.name)
		require.Contains(t, wf.TaskByRefName("s").ReasonForIncompletion, c.reason, c.name)
	}

	// Scripts that grow their values step by step meet the heap guard; the
	// time limit is long enough that it is the guard that stops them.
	h2 := newHarness(t, func(c *Config) {
		c.Script = script.Config{Timeout: 30 * time.Second, MaxHeapGrowth: 64 << 20}
	})
	for name, expr := range map[string]string{
		"doubling": "var s = 'x'; while (true) { s += s }",
		"push":     "var a = []; while (true) { a.push({i: a.length}) }",
	} {
		h2.workflowDef(sysDef(name, model.WorkflowTask{Name: name, TaskReferenceName: "s", Type: model.TaskTypeInline,
			InputParameters: map[string]any{"evaluatorType": "javascript", "expression": expr}}))
		wf := h2.workflow(h2.start(name, nil))
		require.Equal(t, model.WorkflowFailed, wf.Status, name)
		require.Contains(t, wf.TaskByRefName("s").ReasonForIncompletion, "it grew the heap by more than 64 MiB", name)
	}
}
