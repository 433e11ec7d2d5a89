package server_test

import (
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// sample returns the series of name with label taskType=tt.
func sample(t *testing.T, mfs []*dto.MetricFamily, name, tt string) *dto.Metric {
	t.Helper()
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "taskType" && l.GetValue() == tt {
					return m
				}
			}
		}
	}
	t.Fatalf("no series %s{taskType=%q}", name, tt)
	return nil
}

// TestMetricsTimes moves a fake clock: the oldest task's age, its queue
// wait and its run time are the clock's, to the second.
func TestMetricsTimes(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t, batontest.WithFakeClock())
	c, ctx := srv.Client(), t.Context()
	require.NoError(t, c.Metadata().RegisterTaskDefs(ctx, model.TaskDef{Name: "mt_a", ResponseTimeoutSeconds: 3600}))
	require.NoError(t, c.Metadata().RegisterWorkflowDef(ctx, &model.WorkflowDef{Name: "mt_wf", Version: 1, SchemaVersion: 2,
		Tasks: []model.WorkflowTask{{Name: "mt_a", TaskReferenceName: "a", Type: "SIMPLE"}}}, false))
	id, err := c.Workflows().StartByName(ctx, "mt_wf", nil, client.StartOptions{})
	require.NoError(t, err)

	srv.Clock().Advance(90 * time.Second)
	mfs, err := srv.Server().Metrics().Gather()
	require.NoError(t, err)
	require.Equal(t, 90.0, sample(t, mfs, "baton_task_queue_oldest_age_seconds", "mt_a").GetGauge().GetValue())
	require.Equal(t, 1.0, sample(t, mfs, "baton_task_queue_depth", "mt_a").GetGauge().GetValue())

	task, err := c.Tasks().Poll(ctx, "mt_a", client.PollOptions{WorkerID: "w"})
	require.NoError(t, err)
	require.NotNil(t, task)
	srv.Clock().Advance(30 * time.Second)
	_, err = c.Tasks().Update(ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId, Status: model.CompletedTask})
	require.NoError(t, err)

	mfs, err = srv.Server().Metrics().Gather()
	require.NoError(t, err)
	require.Equal(t, 0.0, sample(t, mfs, "baton_task_queue_oldest_age_seconds", "mt_a").GetGauge().GetValue())
	wait := sample(t, mfs, "baton_task_queue_wait_seconds", "mt_a").GetHistogram()
	require.Equal(t, uint64(1), wait.GetSampleCount())
	require.Equal(t, 90.0, wait.GetSampleSum())
	run := sample(t, mfs, "baton_task_execution_duration_seconds", "mt_a").GetHistogram()
	require.Equal(t, uint64(1), run.GetSampleCount())
	require.Equal(t, 30.0, run.GetSampleSum())
	var finished float64
	for _, mf := range mfs {
		if mf.GetName() == "baton_workflows_finished_total" {
			for _, m := range mf.GetMetric() {
				finished += m.GetCounter().GetValue()
				for _, l := range m.GetLabel() {
					if l.GetName() == "status" {
						require.Equal(t, "COMPLETED", l.GetValue())
					}
				}
			}
		}
	}
	require.Equal(t, 1.0, finished, "the workflow completed once")
}
