package uitest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func TestExecutionsScreen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.registerTasks(t, "pack")
	b.register(t, model.NewWorkflowDef("orders", simple("pack")))
	b.register(t, model.NewWorkflowDef("refunds", simple("pack")))
	done := b.start(t, "orders", map[string]any{"order": 1}, "order-1")
	b.start(t, "orders", map[string]any{"order": 2}, "order-2")
	stopped := b.start(t, "refunds", map[string]any{"order": 3}, "order-<3>") // escaped, not markup
	ctx := context.Background()
	task, err := b.client().Tasks().Poll(ctx, "pack", client.PollOptions{WorkerID: "packer-1"})
	require.NoError(t, err)
	require.Equal(t, done, task.WorkflowInstanceId)
	res := model.NewTaskResultFromTask(task)
	res.Status = model.CompletedTask
	_, err = b.client().Tasks().Update(ctx, res)
	require.NoError(t, err)
	b.await(t, done, model.WorkflowCompleted)
	require.NoError(t, b.client().Workflows().Terminate(ctx, stopped, "no stock"))

	b.open(t, "/", "#results tbody tr")
	require.Equal(t, 3, b.count(t, "#results tbody tr"))
	require.Contains(t, b.text(t, `#counts [data-status="RUNNING"]`), "1")
	require.Contains(t, b.text(t, `#counts [data-status="COMPLETED"]`), "1")
	require.Contains(t, b.text(t, `#counts [data-status="TERMINATED"]`), "1")
	require.Contains(t, b.text(t, "#results"), "order-<3>")
	screenshot(t, b.ctx, "executions")

	// Filter by workflow name, then by status through the counts.
	b.setValue(t, "#f-name", "orders")
	b.click(t, "#f-search", "#total")
	require.Equal(t, 2, b.count(t, "#results tbody tr"))
	b.click(t, `#counts [data-status="COMPLETED"]`, ".count.on")
	require.Equal(t, 1, b.count(t, "#results tbody tr"))
	require.Contains(t, b.text(t, "#results tbody"), done)

	// Correlation id, free text, sorting.
	b.open(t, "/executions?correlationId=order-2", "#results")
	require.Equal(t, 1, b.count(t, "#results tbody tr"))
	b.open(t, "/executions?q="+stopped, "#results")
	require.Equal(t, 1, b.count(t, "#results tbody tr"))
	b.open(t, "/executions", "#sort-start")
	require.Contains(t, b.text(t, "#sort-start"), "▼", "newest first by default")
	b.click(t, "#sort-start", "#sort-start")
	require.Contains(t, b.text(t, "#sort-start"), "▲")
	require.Equal(t, 3, b.count(t, "#results tbody tr"))

	// A time range that excludes everything, and a bad one.
	b.open(t, "/executions?to=2001-01-01T00:00", "#total")
	require.Equal(t, 0, b.count(t, "#results tbody tr"))
	b.open(t, "/executions?from=yesterday", "#problem")
	require.Contains(t, b.text(t, "#problem"), "not a date and time")
}

func TestQueuesScreen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.registerTasks(t, "pack", "label")
	b.register(t, model.NewWorkflowDef("orders", simple("pack")))
	for range 3 {
		b.start(t, "orders", nil, "")
	}
	ctx := context.Background()
	_, err := b.client().Tasks().Poll(ctx, "pack", client.PollOptions{WorkerID: "packer-7"})
	require.NoError(t, err)
	_, err = b.client().Tasks().Poll(ctx, "label", client.PollOptions{WorkerID: "labeller-2", Domain: "eu"})
	require.NoError(t, err)

	b.open(t, "/queues", "#queue-list")
	require.Contains(t, b.text(t, `#queue-list tr[data-queue="pack"]`), "2") // three queued, one handed out
	require.Contains(t, b.text(t, `#queue-list tr[data-queue="pack"]`), "packer-7")
	require.Contains(t, b.text(t, `#worker-list tr[data-worker="labeller-2"]`), "eu:label")
	screenshot(t, b.ctx, "queues")
}
