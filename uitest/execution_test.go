package uitest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// showcase runs every shape the diagram draws: a fork, a switch, a loop,
// a sub-workflow, then waits at a WAIT task before a worker task.
func showcase(t *testing.T, b *bundle) string {
	t.Helper()
	b.registerTasks(t, "ship")
	b.register(t, model.NewWorkflowDef("child", inline("child_step", "1")))
	one := 1
	b.register(t, &model.WorkflowDef{Name: "showcase", Version: 1, SchemaVersion: 2, Restartable: true, Tasks: []model.WorkflowTask{
		{Name: "fork", TaskReferenceName: "fork", Type: model.TaskTypeForkJoin,
			ForkTasks: [][]model.WorkflowTask{{inline("left", "'l'")}, {inline("right", "'r'")}}},
		{Name: "join", TaskReferenceName: "join", Type: model.TaskTypeJoin, JoinOn: []string{"left", "right"}},
		{Name: "route", TaskReferenceName: "route", Type: model.TaskTypeSwitch, EvaluatorType: "value-param", Expression: "route",
			InputParameters: map[string]any{"route": "${workflow.input.route}"},
			DecisionCases:   map[string][]model.WorkflowTask{"fast": {inline("fast", "1")}, "slow": {inline("slow", "2")}},
			DefaultCase:     []model.WorkflowTask{inline("fallback", "0")}},
		{Name: "loop", TaskReferenceName: "loop", Type: model.TaskTypeDoWhile, LoopCondition: "$.loop['iteration'] < 3",
			LoopOver: []model.WorkflowTask{inline("step", "1")}},
		{Name: "child", TaskReferenceName: "child", Type: model.TaskTypeSubWorkflow,
			SubWorkflowParam: &model.SubWorkflowParams{Name: "child", Version: &one}},
		{Name: "approve", TaskReferenceName: "approve", Type: model.TaskTypeWait},
		simple("ship"),
	}})
	id := b.start(t, "showcase", map[string]any{"route": "fast", "note": "<b>not bold</b>"}, "showcase-1")
	b.awaitTask(t, id, "approve", model.TaskInProgress)
	return id
}

func TestExecutionScreen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := showcase(t, b)

	b.open(t, "/executions/"+id, "svg.diagram")
	d := "svg.diagram "
	// Fork branches side by side, both run.
	require.Equal(t, 1, b.count(t, d+`g.node.st-completed[data-ref="left"]`))
	require.Equal(t, 1, b.count(t, d+`g.node.st-completed[data-ref="right"]`))
	// The switch's taken case is marked, the others dimmed and not run.
	require.Equal(t, "fast", b.text(t, d+"text.case.taken"))
	require.Equal(t, 1, b.count(t, d+`g.node.st-completed[data-ref="fast"]`))
	require.Equal(t, 1, b.count(t, d+`.dim g.node.st-none[data-ref="slow"]`))
	// The loop shows its last iteration, with links to the others.
	require.Equal(t, 1, b.count(t, d+`g.node.st-completed[data-ref="step__3"]`))
	require.Equal(t, 2, b.count(t, d+"text.nav a"))
	// The sub-workflow is linked; the WAIT task waits; ship is not scheduled.
	require.Equal(t, 1, b.count(t, d+"a.extralink"))
	require.Equal(t, 1, b.count(t, d+`g.node.st-in_progress[data-ref="approve"]`))
	require.Equal(t, 1, b.count(t, d+`g.node.st-none[data-ref="ship"]`))
	// Input shown as text, not markup.
	require.Contains(t, b.text(t, "#wf-input"), "<b>not bold</b>")
	require.Equal(t, 0, b.count(t, "#wf-input b"))
	require.Greater(t, b.count(t, "#task-list tbody tr"), 8)
	require.Greater(t, b.count(t, "svg.gantt rect.bar"), 8)

	// An earlier iteration of the loop.
	b.click(t, d+`text.nav a`, d+`g.node[data-ref="step__1"]`)

	// The task panel of the WAIT task, from the diagram.
	b.click(t, d+`a.nodelink[data-ref="approve"]`, "#act-complete")
	require.Contains(t, b.text(t, "#task h2"), "approve")
	require.Equal(t, "0", b.text(t, "#panel-retry"))
	eval[int](t, b, `window.scrollTo(0, 0); 0`)
	screenshot(t, b.ctx, "execution")

	// The timeline.
	b.run(t, chromedp.ScrollIntoView(chromedp.CSS("#timeline")))
	screenshot(t, b.ctx, "execution-timeline")
	b.run(t, chromedp.ScrollIntoView(chromedp.CSS("#main")))

	// The sub-workflow's page, and back through its parent link.
	b.click(t, d+"a.extralink", "#parent")
	require.Contains(t, b.text(t, "h1"), "child")
	b.click(t, "#parent", "svg.diagram")

	// Complete the WAIT task with output from the panel.
	b.click(t, d+`a.nodelink[data-ref="approve"]`, "#act-complete")
	b.setValue(t, "#finish-output", `{"approvedBy": "ada"}`)
	b.confirmAction(t, "#act-complete", "#notice")
	require.Equal(t, "Task completed.", b.text(t, "#notice"))
	require.Contains(t, b.text(t, "#panel-output"), "ada")
	require.Equal(t, 1, b.count(t, d+`g.node.st-scheduled[data-ref="ship"]`))

	// The page refreshes itself while the workflow runs: a worker finishes
	// ship and the page turns COMPLETED without a reload.
	ctx := context.Background()
	task, err := b.client().Tasks().Poll(ctx, "ship", client.PollOptions{WorkerID: "shipper-1"})
	require.NoError(t, err)
	res := model.NewTaskResultFromTask(task)
	res.Status, res.OutputData = model.CompletedTask, map[string]any{"tracking": "T-1"}
	_, err = b.client().Tasks().Update(ctx, res)
	require.NoError(t, err)
	b.run(t, chromedp.WaitVisible(chromedp.CSS("#wf-status .st-completed")))
	require.Equal(t, 1, b.count(t, d+`g.node.st-completed[data-ref="ship"]`))
}

func TestExecutionActions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.registerTasks(t, "after")
	b.register(t, model.NewWorkflowDef("gate", model.WorkflowTask{Name: "gate", TaskReferenceName: "gate", Type: model.TaskTypeWait},
		simple("after"), simple("last")))
	id := b.start(t, "gate", nil, "")
	b.awaitTask(t, id, "gate", model.TaskInProgress)
	page := "/executions/" + id

	b.open(t, page, "#act-pause")
	b.confirmAction(t, "#act-pause", "#notice")
	require.Equal(t, "Paused.", b.text(t, "#notice"))
	require.Contains(t, b.text(t, "#wf-status"), "PAUSED")
	b.confirmAction(t, "#act-resume", "#notice")
	require.Equal(t, "Resumed.", b.text(t, "#notice"))

	// Skip: refused for a task that has run, done for one that has not.
	b.setValue(t, "#skip-ref", "gate")
	b.confirmAction(t, "#act-skip", "#problem")
	require.Contains(t, b.text(t, "#problem"), "has already been processed")
	b.setValue(t, "#skip-ref", "last")
	b.confirmAction(t, "#act-skip", "#notice")
	require.Equal(t, "Task skipped.", b.text(t, "#notice"))

	// Fail the WAIT task from its panel: the workflow fails.
	b.click(t, `a[data-task="gate"]`, "#act-fail")
	b.setValue(t, "#fail-reason", "rejected by ops")
	b.confirmAction(t, "#act-fail", "#notice")
	require.Equal(t, "Task failed.", b.text(t, "#notice"))
	require.Contains(t, b.text(t, "#wf-status"), "FAILED")

	// Retry brings it back; terminate ends it with a reason.
	b.confirmAction(t, "#act-retry", "#notice")
	require.Equal(t, "Retried from the failed task.", b.text(t, "#notice"))
	b.setValue(t, "#terminate-reason", "closing <now>")
	b.confirmAction(t, "#act-terminate", "#notice")
	require.Equal(t, "Terminated.", b.text(t, "#notice"))
	require.Contains(t, b.text(t, ".facts .reason"), "closing <now>")

	// Restart and rerun run it again.
	b.confirmAction(t, "#act-restart", "#notice")
	require.Equal(t, "Restarted.", b.text(t, "#notice"))
	b.awaitTask(t, id, "gate", model.TaskInProgress)
	require.NoError(t, b.client().Workflows().Terminate(context.Background(), id, "again"))
	b.open(t, page, "#act-rerun")
	b.confirmAction(t, "#act-rerun", "#notice")
	require.Equal(t, "Rerun started.", b.text(t, "#notice"))

	// Cancelling the dialog sends nothing.
	b.run(t, chromedp.Click(chromedp.CSS("#act-pause")), chromedp.WaitVisible(chromedp.CSS("#confirm-cancel")),
		chromedp.Click(chromedp.CSS("#confirm-cancel")), chromedp.WaitNotVisible(chromedp.CSS("#confirm")))
	wf, err := b.client().Workflows().Get(context.Background(), id, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowRunning, wf.Status)

	// A refusal shows the server's message: retry a completed workflow.
	b.register(t, model.NewWorkflowDef("quick", inline("only", "1")))
	done := b.start(t, "quick", nil, "")
	b.await(t, done, model.WorkflowCompleted)
	apiErr := b.client().Workflows().Retry(context.Background(), done, false)
	require.Error(t, apiErr)
	var ae *client.APIError
	require.ErrorAs(t, apiErr, &ae)
	b.open(t, "/executions/"+done, "#act-retry")
	b.confirmAction(t, "#act-retry", "#problem")
	require.NotEmpty(t, ae.Response.Message)
	require.Contains(t, b.text(t, "#problem"), ae.Response.Message)
	screenshot(t, b.ctx, "refused")
}
