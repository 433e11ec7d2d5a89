package server

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// BenchmarkWorkflowOverHTTP runs one workflow of one SIMPLE task through
// the HTTP API per iteration — start, poll, complete — with the metrics on
// and off, to measure what the metrics cost on the hot path.
func BenchmarkWorkflowOverHTTP(b *testing.B) {
	for _, tc := range []struct {
		name string
		off  bool
	}{{"metrics=on", false}, {"metrics=off", true}} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB, DisableMetrics: tc.off})
			require.NoError(b, err)
			b.Cleanup(func() { require.NoError(b, s.Stop(context.Background())) })
			require.NoError(b, s.Start(b.Context()))
			c := apiClient(b, s.URL())
			ctx := b.Context()
			require.NoError(b, c.Metadata().RegisterTaskDefs(ctx, model.TaskDef{Name: "bench_t"}))
			require.NoError(b, c.Metadata().RegisterWorkflowDef(ctx, &model.WorkflowDef{Name: "bench_wf", Version: 1, SchemaVersion: 2,
				Tasks: []model.WorkflowTask{{Name: "bench_t", TaskReferenceName: "t", Type: "SIMPLE"}}}, false))
			b.ReportAllocs()
			for b.Loop() {
				id, err := c.Workflows().StartByName(ctx, "bench_wf", nil, client.StartOptions{})
				if err != nil {
					b.Fatal(err)
				}
				task, err := c.Tasks().Poll(ctx, "bench_t", client.PollOptions{WorkerID: "bench"})
				if err != nil || task == nil {
					b.Fatal(task, err)
				}
				if _, err := c.Tasks().Update(ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId,
					Status: model.CompletedTask}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
