package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// oneWorkflow makes the calls the hooks get for one workflow of one worker
// task over HTTP: start, poll, update.
func oneWorkflow(m *Metrics) {
	m.Request("POST /api/workflow/{name}", 200, time.Millisecond)
	m.WorkflowStarted("wf")
	m.Commit(1, time.Millisecond)
	m.Request("GET /api/tasks/poll/{tasktype}", 200, time.Millisecond)
	m.Polled(time.Millisecond, 1)
	m.TaskStarted("t", time.Millisecond)
	m.Commit(1, time.Millisecond)
	m.Request("POST /api/tasks", 200, time.Millisecond)
	m.Updated(time.Millisecond, model.CompletedTask, false)
	m.TaskFinished("t", model.TaskCompleted, time.Millisecond)
	m.WorkflowFinished("wf", model.WorkflowCompleted)
	m.Commit(1, time.Millisecond)
}

func TestHooks(t *testing.T) {
	t.Parallel()
	m := New(func() []engine.QueueStat {
		return []engine.QueueStat{{TaskType: "t", Depth: 3, OldestAge: 2 * time.Second}}
	})
	oneWorkflow(m)
	oneWorkflow(m)
	require.Equal(t, 2.0, testutil.ToFloat64(m.wfStarted.WithLabelValues("wf")))
	require.Equal(t, 2.0, testutil.ToFloat64(m.wfFinished.WithLabelValues("wf", "COMPLETED")))
	require.Equal(t, 2.0, testutil.ToFloat64(m.httpRequests.WithLabelValues("POST /api/tasks", "2xx", "200")))
	m.Request("", 404, time.Millisecond)
	require.Equal(t, 1.0, testutil.ToFloat64(m.httpRequests.WithLabelValues("unmatched", "4xx", "404")))
	m.Updated(time.Millisecond, "", true)
	n, err := testutil.GatherAndCount(m.Gatherer(), "baton_task_update_duration_seconds")
	require.NoError(t, err)
	require.Equal(t, 2, n, "COMPLETED and error")
	n, err = testutil.GatherAndCount(m.Gatherer(), "baton_task_queue_depth", "baton_task_queue_oldest_age_seconds")
	require.NoError(t, err)
	require.Equal(t, 2, n)
}

// BenchmarkHooks is the metrics' cost per workflow of one worker task
// (three requests, three commits), the hot path's share.
func BenchmarkHooks(b *testing.B) {
	m := New(nil)
	b.ReportAllocs()
	for b.Loop() {
		oneWorkflow(m)
	}
}

func BenchmarkHooksParallel(b *testing.B) {
	m := New(nil)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			oneWorkflow(m)
		}
	})
}
