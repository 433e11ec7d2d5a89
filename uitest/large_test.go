package uitest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/model"
)

// openTimed opens path and reports how long Chromium took to the load
// event, and to the first frame painted after it, and how long of that the
// server took to answer (request start to the last byte).
func openTimed(t *testing.T, b *bundle, path string) (load, render, server time.Duration, bytes int) {
	t.Helper()
	start := time.Now()
	b.run(t, chromedp.Navigate(b.base+path)) // returns at the load event
	load = time.Since(start)
	eval[bool](t, b, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise)
	render = time.Since(start)
	bytes = eval[int](t, b, `document.documentElement.outerHTML.length`)
	ms := eval[float64](t, b, `(e => e.responseEnd - e.requestStart)(performance.getEntriesByType("navigation")[0])`)
	return load, render, time.Duration(ms * float64(time.Millisecond)), bytes
}

// TestLargeExecutions opens the page of a DO_WHILE of 1,000 iterations and
// of a dynamic fork of 500 branches: both render collapsed, and the time
// each takes to open is printed (a figure, not an assertion).
func TestLargeExecutions(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.registerTasks(t, "step", "work")

	b.register(t, model.NewWorkflowDef("loop1000", model.WorkflowTask{Name: "loop", TaskReferenceName: "loop",
		Type: model.TaskTypeDoWhile, LoopCondition: "$.loop['iteration'] < 1000", LoopOver: []model.WorkflowTask{simple("step")}}))
	require.NoError(t, b.srv.StartWorker("step", func(*model.WorkerTask) (any, error) { return map[string]any{"ok": true}, nil }))
	loopID := b.start(t, "loop1000", nil, "")
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	wf, err := b.srv.Await(wctx, loopID, batontest.Want{Status: model.WorkflowCompleted})
	require.NoError(t, err)
	require.Len(t, wf.Tasks, 1001)

	items := make([]any, 500)
	for i := range items {
		items[i] = map[string]any{"i": i}
	}
	b.register(t, model.NewWorkflowDef("fork500",
		model.WorkflowTask{Name: "fan", TaskReferenceName: "fan", Type: model.TaskTypeForkJoinDynamic,
			InputParameters: map[string]any{"forkTaskName": "work", "forkTaskInputs": "${workflow.input.items}"}},
		model.WorkflowTask{Name: "fan_join", TaskReferenceName: "fan_join", Type: model.TaskTypeJoin}))
	forkID := b.start(t, "fork500", map[string]any{"items": items}, "")
	b.awaitTask(t, forkID, "fan", model.TaskCompleted)

	// Warm up the browser and the server's caches once, then measure.
	b.open(t, "/executions", "#results")
	for _, c := range []struct{ name, path string }{
		{"DO_WHILE of 1,000 iterations", "/executions/" + loopID},
		{"dynamic fork of 500 branches", "/executions/" + forkID},
		{"dynamic fork of 500 branches, expanded", "/executions/" + forkID + "?expand=fan"},
	} {
		load, render, server, size := openTimed(t, b, c.path)
		msg := fmt.Sprintf("ui page: %s: load event %v, rendered %v (server %v), %d KiB of HTML", c.name,
			load.Round(time.Millisecond), render.Round(time.Millisecond), server.Round(time.Millisecond), size/1024)
		t.Log(msg)
		fmt.Println("BENCH", msg)
		// Collapsed: a few dozen boxes, not thousands.
		if c.path != "/executions/"+forkID+"?expand=fan" {
			require.Less(t, b.count(t, "svg.diagram g.node"), 30, c.name)
		}
		require.LessOrEqual(t, b.count(t, "#task-list tbody tr"), 100, c.name)
	}
	b.open(t, "/executions/"+forkID, "svg.diagram")
	screenshot(t, b.ctx, "dynamic-fork-500")

	// The fork expands on request, and collapses again.
	b.click(t, `svg.diagram a.nodelink[data-ref="fan#more"]`, "svg.diagram")
	require.GreaterOrEqual(t, b.count(t, "svg.diagram g.node"), 500)
	start := time.Now()
	b.click(t, "svg.diagram text.nav a", "svg.diagram")
	t.Logf("collapse again: %v", time.Since(start).Round(time.Millisecond))
	require.Less(t, b.count(t, "svg.diagram g.node"), 30)

	b.open(t, "/executions/"+loopID, "svg.diagram")
	require.Contains(t, b.text(t, "svg.diagram text.nav"), "1000 / 1000")
	b.click(t, `svg.diagram text.nav a`, `svg.diagram g.node[data-ref="step__1"]`) // « first
	b.click(t, "#tasks-next", "#task-list")
	require.Contains(t, b.text(t, "#tasks h2"), "101–200 of 1001")
	b.open(t, "/executions/"+loopID, "svg.diagram")
	screenshot(t, b.ctx, "do-while-1000")
}
