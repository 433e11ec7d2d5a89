package engine

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

// BenchmarkThreeTaskWorkflow measures one workflow of three SIMPLE tasks
// end to end through the engine: start, then poll and complete each task.
// "mem" isolates the engine (MemStore); "sqlite" adds the real store on
// :memory:. The parallel variants run many workflows at once, where the
// store's group commit and the per-workflow locks matter.
func BenchmarkThreeTaskWorkflow(b *testing.B) {
	stores := map[string]func(b *testing.B) store.Store{
		"mem": func(*testing.B) store.Store { return enginetest.NewMemStore() },
		"sqlite": func(b *testing.B) store.Store {
			s, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, name := range []string{"mem", "sqlite"} {
		b.Run(name, func(b *testing.B) {
			e, ctx := benchEngine(b, stores[name](b))
			b.ReportAllocs()
			for b.Loop() {
				runThreeTasks(b, e, ctx, "worker")
			}
		})
		b.Run(name+"/parallel", func(b *testing.B) {
			e, ctx := benchEngine(b, stores[name](b))
			var n atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				worker := fmt.Sprint("w", n.Add(1))
				for pb.Next() {
					runThreeTasks(b, e, ctx, worker)
				}
			})
		})
	}
}

func benchEngine(b *testing.B, st store.Store) (*Engine, context.Context) {
	b.Helper()
	ctx := context.Background()
	e, err := New(Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = e.Stop(ctx)
		_ = st.Close()
	})
	if err := e.RegisterWorkflowDef(ctx, simpleWorkflow("bench", "t1", "t2", "t3"), true); err != nil {
		b.Fatal(err)
	}
	return e, ctx
}

// runThreeTasks starts a workflow and works its three tasks. Under
// RunParallel another goroutine may take "our" task: any task of the right
// type will do, every workflow still completes.
func runThreeTasks(b *testing.B, e *Engine, ctx context.Context, worker string) {
	if _, err := e.StartWorkflow(ctx, &model.StartWorkflowRequest{Name: "bench", Input: map[string]any{"n": 1}}); err != nil {
		b.Fatal(err)
	}
	for _, typ := range []string{"t1", "t2", "t3"} {
		for {
			got, err := e.Poll(ctx, typ, PollRequest{WorkerID: worker, Count: 1, Timeout: time.Second})
			if err != nil {
				b.Fatal(err)
			}
			if len(got) == 0 {
				continue // ours was taken by another goroutine; another will come
			}
			t := got[0]
			if err := e.UpdateTask(ctx, &model.TaskResult{WorkflowInstanceId: t.WorkflowInstanceId, TaskId: t.TaskId,
				Status: model.CompletedTask, OutputData: map[string]any{"ok": true}}); err != nil {
				b.Fatal(err)
			}
			break
		}
	}
}
