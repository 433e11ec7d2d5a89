package uitest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestDefinitionsScreen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.registerTasks(t, "pack", "ship")
	b.register(t, &model.WorkflowDef{Name: "orders", Version: 1, SchemaVersion: 2, Description: "pack and ship", Tasks: []model.WorkflowTask{
		simple("pack"),
		{Name: "route", TaskReferenceName: "route", Type: model.TaskTypeSwitch, EvaluatorType: "value-param", Expression: "kind",
			InputParameters: map[string]any{"kind": "${workflow.input.kind}"},
			DecisionCases:   map[string][]model.WorkflowTask{"express": {simple("ship")}}},
		{Name: "fan", TaskReferenceName: "fan", Type: model.TaskTypeForkJoinDynamic,
			InputParameters: map[string]any{"forkTaskName": "pack", "forkTaskInputs": "${workflow.input.items}"}},
		{Name: "fan_join", TaskReferenceName: "fan_join", Type: model.TaskTypeJoin},
	}})

	b.open(t, "/definitions", `a[data-def="orders"]`)
	require.Contains(t, b.text(t, "#workflow-defs"), "pack and ship")
	require.Contains(t, b.text(t, "#task-defs"), "ship")
	screenshot(t, b.ctx, "definitions")

	// A definition: its diagram before it runs, its JSON, its editor.
	b.click(t, `a[data-def="orders"]`, "svg.diagram")
	require.Equal(t, 1, b.count(t, `svg.diagram g.node.st-none[data-ref="pack"]`))
	require.Equal(t, 2, b.count(t, "svg.diagram text.case"))
	require.Contains(t, b.text(t, "#def-json"), `"name": "orders"`)
	screenshot(t, b.ctx, "definition")

	// A broken edit is refused with the server's validation errors beside
	// the text; the text is kept.
	b.setValue(t, "#def-text", `{"name": "orders", "version": 2, "tasks": [{"name": "x", "type": "SIMPLE"}]}`)
	b.click(t, "#def-save", "#problem")
	require.Contains(t, b.text(t, "#problem"), "taskReferenceName")
	kept, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#def-text")))
	require.NoError(t, err)
	require.Contains(t, kept, `"version": 2`)
	screenshot(t, b.ctx, "definition-invalid")

	b.setValue(t, "#def-text", `not json`)
	b.click(t, "#def-save", "#problem")
	require.Contains(t, b.text(t, "#problem"), "400")

	// A good one is saved as version 2.
	b.setValue(t, "#def-text",
		`{"name": "orders", "version": 2, "schemaVersion": 2, "tasks": [{"name": "pack", "taskReferenceName": "pack", "type": "SIMPLE"}]}`)
	b.click(t, "#def-save", "#notice")
	require.Contains(t, b.text(t, "h1"), "v2")
	def, err := b.client().Metadata().GetWorkflowDef(context.Background(), "orders", 2)
	require.NoError(t, err)
	require.Len(t, def.Tasks, 1)

	// A new task definition, pasted.
	b.open(t, "/definitions", "#new-task")
	b.click(t, "#new-task", "#def-text")
	b.setValue(t, "#def-text", `{"name": "label", "retryCount": 5, "timeoutSeconds": 60, "responseTimeoutSeconds": 30}`)
	b.click(t, "#def-save", "#notice")
	td, err := b.client().Metadata().GetTaskDef(context.Background(), "label")
	require.NoError(t, err)
	require.Equal(t, 5, td.RetryCount)

	// A new workflow definition.
	b.open(t, "/definitions", "#new-workflow")
	b.click(t, "#new-workflow", "#def-text")
	b.click(t, "#def-save", "#notice")
	require.Contains(t, b.text(t, "h1"), "my_workflow")
}
