package engine

import (
	"context"
	"testing"

	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

// BenchmarkEventToWorkflow measures one message end to end on SQLite
// (:memory:): a workflow whose EVENT task publishes it, then the drain
// that runs the handler's start_workflow and acknowledges it.
func BenchmarkEventToWorkflow(b *testing.B) {
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	if err != nil {
		b.Fatal(err)
	}
	e, ctx := benchEngine(b, st)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(e.RegisterWorkflowDef(ctx, &model.WorkflowDef{Name: "pub", Version: 1, SchemaVersion: 2, Tasks: []model.WorkflowTask{{
		Name: "ev", TaskReferenceName: "ev", Type: model.TaskTypeEvent, Sink: "conductor:q",
		InputParameters: map[string]any{"k": "${workflow.input.k}"}}}}, true))
	must(e.RegisterWorkflowDef(ctx, &model.WorkflowDef{Name: "target", Version: 1, SchemaVersion: 2, Tasks: []model.WorkflowTask{{
		Name: "wait", TaskReferenceName: "wait", Type: model.TaskTypeWait}}}, true))
	must(e.AddEventHandler(ctx, &model.EventHandler{Name: "h", Event: "conductor:pub:q", Active: true, Condition: "$.k == 1",
		Actions: []model.EventAction{{Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{
			Name: "target", Input: map[string]any{"k": "${k}"}}}}}))
	b.ReportAllocs()
	for b.Loop() {
		_, err := e.StartWorkflow(ctx, &model.StartWorkflowRequest{Name: "pub", Input: map[string]any{"k": 1}})
		must(err)
		e.RunDueTimers()
	}
	b.StopTimer()
	if n := len(e.EventQueueSizes()); n != 0 {
		b.Fatalf("%d queues still hold messages", n)
	}
}
