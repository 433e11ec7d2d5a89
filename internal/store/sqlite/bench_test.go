package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

// benchStores are the configurations the benchmarks compare: file and
// memory, each with group commit (the default MaxBatch) and without it
// (MaxBatch 1).
func benchStores() []struct {
	name string
	cfg  func(b *testing.B) sqlite.Config
} {
	file := func(sync sqlite.SyncMode, maxBatch int) func(b *testing.B) sqlite.Config {
		return func(b *testing.B) sqlite.Config {
			return sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db"), Sync: sync, MaxBatch: maxBatch}
		}
	}
	mem := func(maxBatch int) func(b *testing.B) sqlite.Config {
		return func(*testing.B) sqlite.Config { return sqlite.Config{Path: sqlite.MemoryPath, MaxBatch: maxBatch} }
	}
	return []struct {
		name string
		cfg  func(b *testing.B) sqlite.Config
	}{
		{"file-full/grouped", file(sqlite.SyncFull, 0)},
		{"file-full/ungrouped", file(sqlite.SyncFull, 1)},
		{"file-normal/grouped", file(sqlite.SyncNormal, 0)},
		{"file-normal/ungrouped", file(sqlite.SyncNormal, 1)},
		{"memory/grouped", mem(0)},
		{"memory/ungrouped", mem(1)},
	}
}

func openBench(b *testing.B, cfg sqlite.Config) *sqlite.Store {
	b.Helper()
	st, err := sqlite.Open(context.Background(), cfg)
	require.NoError(b, err)
	b.Cleanup(func() { _ = st.Close() })
	return st
}

// benchBatch is what the engine writes when a task completes and the next
// is scheduled: the workflow row and one task row.
func benchBatch(n int64) *store.Batch {
	id := fmt.Sprintf("wf-%d", n)
	return &store.Batch{
		Workflows: []*model.Workflow{{
			WorkflowId: id, WorkflowName: "bench", WorkflowVersion: 1, Status: model.WorkflowRunning,
			CreateTime: n, UpdateTime: n, CorrelationId: "c",
			Input: map[string]any{"a": "b", "n": 1.0},
			WorkflowDefinition: model.NewWorkflowDef("bench",
				model.WorkflowTask{Name: "task_1", TaskReferenceName: "t1"},
				model.WorkflowTask{Name: "task_2", TaskReferenceName: "t2"},
				model.WorkflowTask{Name: "task_3", TaskReferenceName: "t3"}),
		}},
		Tasks: []*model.WorkerTask{{
			TaskId: id + "-t1", WorkflowInstanceId: id, TaskType: "task_1", TaskDefName: "task_1",
			ReferenceTaskName: "t1", Seq: 1, Status: model.TaskScheduled, ScheduledTime: n,
			InputData:    map[string]any{"a": "b"},
			WorkflowTask: &model.WorkflowTask{Name: "task_1", TaskReferenceName: "t1"},
		}},
	}
}

// BenchmarkApplyParallel measures Apply throughput with many concurrent
// callers (16 goroutines on each GOMAXPROCS), as under server load;
// writes/commit is the mean group size.
func BenchmarkApplyParallel(b *testing.B) {
	for _, bs := range benchStores() {
		b.Run(bs.name, func(b *testing.B) {
			st := openBench(b, bs.cfg(b))
			var seq atomic.Int64
			before := st.Stats()
			b.SetParallelism(16)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					if err := st.Apply(ctx, benchBatch(seq.Add(1))); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			after := st.Stats()
			if c := after.Commits - before.Commits; c > 0 {
				b.ReportMetric(float64(after.Writes-before.Writes)/float64(c), "writes/commit")
			}
		})
	}
}

// BenchmarkApplySerial measures the latency of one Apply with no
// concurrency: here group commit cannot help.
func BenchmarkApplySerial(b *testing.B) {
	for _, bs := range benchStores() {
		if bs.name[len(bs.name)-len("ungrouped"):] == "ungrouped" {
			continue // identical to grouped without concurrency
		}
		b.Run(bs.name, func(b *testing.B) {
			st := openBench(b, bs.cfg(b))
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if err := st.Apply(ctx, benchBatch(int64(i))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReads measures the engine's and API's common reads on a store of
// 2,000 workflows, in parallel.
func BenchmarkReads(b *testing.B) {
	const n = 2000
	for _, name := range []string{"file", "memory"} {
		cfg := func(b *testing.B) sqlite.Config { return sqlite.Config{Path: sqlite.MemoryPath} }
		if name == "file" {
			cfg = func(b *testing.B) sqlite.Config {
				return sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db"), Sync: sqlite.SyncNormal}
			}
		}
		b.Run(name, func(b *testing.B) {
			st := openBench(b, cfg(b))
			ctx := context.Background()
			for i := range int64(n) {
				require.NoError(b, st.Apply(ctx, benchBatch(i)))
			}
			reads := map[string]func(i int64) error{
				"GetWorkflow": func(i int64) error {
					_, err := st.GetWorkflow(ctx, fmt.Sprintf("wf-%d", i%n))
					return err
				},
				"GetWorkflowTasks": func(i int64) error {
					_, err := st.GetWorkflowTasks(ctx, fmt.Sprintf("wf-%d", i%n))
					return err
				},
				"SearchWorkflowsPage": func(int64) error {
					_, _, err := st.SearchWorkflows(ctx, store.WorkflowQuery{
						WorkflowTypes: []string{"bench"}, Statuses: []model.WorkflowStatus{model.WorkflowRunning}, Limit: 20,
					})
					return err
				},
			}
			for _, rn := range []string{"GetWorkflow", "GetWorkflowTasks", "SearchWorkflowsPage"} {
				read := reads[rn]
				b.Run(rn, func(b *testing.B) {
					var seq atomic.Int64
					b.ReportAllocs()
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := read(seq.Add(1)); err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
			}
		})
	}
}
