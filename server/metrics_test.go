package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// scrape reads GET /metrics and parses it as Prometheus does.
func scrape(t *testing.T, s *Server) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(strings.TrimSuffix(s.URL(), "/api") + "/metrics") //nolint:noctx // test helper on loopback
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	p := expfmt.NewTextParser(pmodel.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	return mfs
}

// series returns the metric of family name whose labels include want, or nil.
func series(mfs map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	mf := mfs[name]
	if mf == nil {
		return nil
	}
next:
	for _, m := range mf.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		return m
	}
	return nil
}

func requireCounter(t *testing.T, mfs map[string]*dto.MetricFamily, name string, labels map[string]string, want float64) {
	t.Helper()
	m := series(mfs, name, labels)
	require.NotNil(t, m, "no series %s%v", name, labels)
	require.Equal(t, want, m.GetCounter().GetValue(), "%s%v", name, labels)
}

func requireHistogramCount(t *testing.T, mfs map[string]*dto.MetricFamily, name string, labels map[string]string, want uint64) {
	t.Helper()
	m := series(mfs, name, labels)
	require.NotNil(t, m, "no series %s%v", name, labels)
	require.Equal(t, want, m.GetHistogram().GetSampleCount(), "%s%v", name, labels)
}

// TestMetricsAfterWorkflows drives workflows through the HTTP API and
// checks what /metrics says about them.
func TestMetricsAfterWorkflows(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	require.NoError(t, s.Start(t.Context()))
	c := apiClient(t, s.URL())
	ctx := t.Context()

	require.NoError(t, c.Metadata().RegisterTaskDefs(ctx, model.TaskDef{Name: "m_a"}, model.TaskDef{Name: "m_b"}))
	require.NoError(t, c.Metadata().RegisterWorkflowDef(ctx, &model.WorkflowDef{Name: "m_wf", Version: 1, SchemaVersion: 2,
		Tasks: []model.WorkflowTask{
			{Name: "m_a", TaskReferenceName: "a", Type: "SIMPLE"},
			{Name: "m_b", TaskReferenceName: "b", Type: "SIMPLE"},
		}}, false))

	// One workflow completes task a and leaves task b queued; another is
	// terminated.
	id1, err := c.Workflows().StartByName(ctx, "m_wf", nil, client.StartOptions{})
	require.NoError(t, err)
	id2, err := c.Workflows().StartByName(ctx, "m_wf", nil, client.StartOptions{})
	require.NoError(t, err)
	require.NoError(t, c.Workflows().Terminate(ctx, id2, "metrics test"))
	task, err := c.Tasks().Poll(ctx, "m_a", client.PollOptions{WorkerID: "w"})
	require.NoError(t, err)
	require.NotNil(t, task)
	require.Equal(t, id1, task.WorkflowInstanceId)
	_, err = c.Tasks().Update(ctx, &model.TaskResult{WorkflowInstanceId: id1, TaskId: task.TaskId, Status: model.CompletedTask})
	require.NoError(t, err)
	empty, err := c.Tasks().Poll(ctx, "m_a", client.PollOptions{WorkerID: "w"})
	require.NoError(t, err)
	require.Nil(t, empty)
	_, err = c.Workflows().Get(ctx, id1, true)
	require.NoError(t, err)
	_, err = c.Workflows().Get(ctx, "no-such-workflow", false)
	require.ErrorIs(t, err, client.ErrNotFound)

	mfs := scrape(t, s)
	requireCounter(t, mfs, "baton_workflows_started_total", map[string]string{"workflowName": "m_wf"}, 2)
	requireCounter(t, mfs, "baton_workflows_finished_total", map[string]string{"workflowName": "m_wf", "status": "TERMINATED"}, 1)
	require.Nil(t, series(mfs, "baton_workflows_finished_total", map[string]string{"status": "COMPLETED"}), "workflow 1 still runs")

	depth := series(mfs, "baton_task_queue_depth", map[string]string{"taskType": "m_b", "domain": ""})
	require.NotNil(t, depth)
	require.Equal(t, 1.0, depth.GetGauge().GetValue(), "task b of workflow 1 waits")
	require.NotNil(t, series(mfs, "baton_task_queue_oldest_age_seconds", map[string]string{"taskType": "m_b"}))
	depthA := series(mfs, "baton_task_queue_depth", map[string]string{"taskType": "m_a"})
	require.NotNil(t, depthA)
	require.Equal(t, 0.0, depthA.GetGauge().GetValue(), "task a was polled, workflow 2's cancelled")

	requireHistogramCount(t, mfs, "baton_task_poll_duration_seconds", map[string]string{"result": "task"}, 1)
	requireHistogramCount(t, mfs, "baton_task_poll_duration_seconds", map[string]string{"result": "empty"}, 1)
	requireHistogramCount(t, mfs, "baton_task_update_duration_seconds", map[string]string{"status": "COMPLETED"}, 1)
	requireHistogramCount(t, mfs, "baton_task_queue_wait_seconds", map[string]string{"taskType": "m_a"}, 1)
	requireHistogramCount(t, mfs, "baton_task_execution_duration_seconds", map[string]string{"taskType": "m_a", "status": "COMPLETED"}, 1)

	commits := series(mfs, "baton_sqlite_commit_duration_seconds", nil)
	require.NotNil(t, commits)
	require.Positive(t, commits.GetHistogram().GetSampleCount())
	batch := series(mfs, "baton_sqlite_commit_batch_size", nil)
	require.GreaterOrEqual(t, batch.GetHistogram().GetSampleSum(), float64(commits.GetHistogram().GetSampleCount()),
		"every commit holds at least one write")

	requireCounter(t, mfs, "baton_http_requests_total",
		map[string]string{"route": "POST /api/workflow/{name}", "class": "2xx", "code": "200"}, 2)
	requireCounter(t, mfs, "baton_http_requests_total",
		map[string]string{"route": "GET /api/tasks/poll/{tasktype}", "code": "204"}, 1)
	requireCounter(t, mfs, "baton_http_requests_total",
		map[string]string{"route": "GET /api/workflow/{workflowId}", "class": "4xx", "code": "404"}, 1)
	requireHistogramCount(t, mfs, "baton_http_request_duration_seconds",
		map[string]string{"route": "DELETE /api/workflow/{workflowId}"}, 1)
	require.Contains(t, mfs, "go_goroutines")

	problems, err := testutil.GatherAndLint(s.Metrics())
	require.NoError(t, err)
	for _, p := range problems {
		// Labels keep Conductor's camelCase names (taskType, workflowName),
		// as the workers' metrics do, so that the two join in PromQL.
		if !strings.Contains(p.Text, "camelCase") {
			t.Errorf("promlint: %s: %s", p.Metric, p.Text)
		}
	}
}

// TestMetricsCardinality: requests for made-up paths and polls for
// made-up task types add no series per name.
func TestMetricsCardinality(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	require.NoError(t, s.Start(t.Context()))
	base := strings.TrimSuffix(s.URL(), "/api")
	c := apiClient(t, s.URL())
	for i := range 1000 {
		code, _ := get(t, fmt.Sprintf("%s/api/bogus/%d?x=%d", base, i, i))
		require.Equal(t, http.StatusNotFound, code)
		code, _ = get(t, fmt.Sprintf("%s/api/workflow/nope-%d", base, i))
		require.Equal(t, http.StatusNotFound, code)
		if i%10 == 0 {
			_, err := c.Tasks().Poll(t.Context(), fmt.Sprintf("bogus_%d", i), client.PollOptions{})
			require.NoError(t, err)
		}
	}
	n, err := testutil.GatherAndCount(s.Metrics(), "baton_http_requests_total")
	require.NoError(t, err)
	require.Equal(t, 3, n, "unmatched 404, GET /api/workflow/{workflowId} 404, GET /api/tasks/poll/{tasktype} 204")
	n, err = testutil.GatherAndCount(s.Metrics(), "baton_http_request_duration_seconds")
	require.NoError(t, err)
	require.Equal(t, 3, n)
	n, err = testutil.GatherAndCount(s.Metrics(), "baton_task_queue_depth")
	require.NoError(t, err)
	require.Zero(t, n, "polls for task types nothing scheduled create no queue series")
	mfs := scrape(t, s)
	requireCounter(t, mfs, "baton_http_requests_total", map[string]string{"route": "unmatched", "code": "404"}, 1000)
}

// TestMetricsDisabled: with DisableMetrics there is no /metrics and no
// registry.
func TestMetricsDisabled(t *testing.T) {
	t.Parallel()
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB, DisableMetrics: true})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Stop(context.Background())) })
	require.NoError(t, s.Start(t.Context()))
	require.Nil(t, s.Metrics())
	code, body := get(t, strings.TrimSuffix(s.URL(), "/api")+"/metrics")
	require.Equal(t, http.StatusNotFound, code, body)
	code, _ = get(t, strings.TrimSuffix(s.URL(), "/api")+"/health")
	require.Equal(t, http.StatusOK, code)
}
