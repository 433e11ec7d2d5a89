package engine

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	cases := []struct {
		q    string
		want []condition
		err  string
	}{
		{"", nil, ""},
		{"workflowType = 'x'", []condition{{"workflowType", "=", []string{"x"}}}, ""},
		{`status IN (RUNNING, FAILED) AND correlationId="c 1"`, []condition{
			{"status", "IN", []string{"RUNNING", "FAILED"}}, {"correlationId", "=", []string{"c 1"}}}, ""},
		{"status IN (RUNNING)", []condition{{"status", "=", []string{"RUNNING"}}}, ""},
		{"startTime > 5 AND startTime<9", []condition{{"startTime", ">", []string{"5"}}, {"startTime", "<", []string{"9"}}}, ""},
		{"what is this", nil, "Incorrectly formatted query string: what is this"},
		{"x = 1 AND y", nil, "Incorrectly formatted query string: y"},
	}
	for _, tc := range cases {
		got, err := parseQuery(tc.q)
		if tc.err != "" {
			require.EqualError(t, err, tc.err, tc.q)
			require.Equal(t, KindInvalid, KindOf(err))
			continue
		}
		require.NoError(t, err, tc.q)
		require.Equal(t, tc.want, got, tc.q)
	}
}

func TestSearchWorkflows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("alpha", "a"))
	h.workflowDef(simpleWorkflow("beta", "b"))
	var ids []string
	for i, name := range []string{"alpha", "beta", "alpha"} {
		id, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: name, CorrelationId: []string{"c1", "c2", "c1"}[i]})
		require.NoError(t, err)
		ids = append(ids, id)
		h.advance(time.Second)
	}
	require.NoError(t, h.e.Terminate(h.ctx, ids[2], "stop"))

	search := func(q string, sort ...string) []string {
		t.Helper()
		res, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 10, Query: q, Sort: sort, FreeText: "*"})
		require.NoError(t, err)
		var out []string
		for _, w := range res.Results {
			out = append(out, w.WorkflowId)
		}
		return out
	}
	require.Equal(t, []string{ids[2], ids[1], ids[0]}, search(""))
	require.Equal(t, []string{ids[0], ids[2]}, search("workflowType = 'alpha'", "startTime:ASC"))
	require.Equal(t, []string{ids[1], ids[0]}, search("status IN (RUNNING)"))
	require.Equal(t, []string{ids[2]}, search("correlationId = c1 AND status = TERMINATED"))
	start := t0.UnixMilli()
	require.Equal(t, []string{ids[2], ids[1]}, search("startTime > "+itoa(start)))
	require.Equal(t, []string{ids[0]}, search("startTime < "+itoa(start+1000)))
	require.Equal(t, []string{ids[1]}, search("workflowId IN ("+ids[1]+")"))
	require.Equal(t, []string{ids[0], ids[1], ids[2]}, search("", "badfield:ASC", "startTime:asc", "nocolon"))
	require.Equal(t, []string{ids[0], ids[2], ids[1]}, search("unknownField = 3", "workflowType:ASC", "startTime:ASC"), "unknown fields are ignored, as Conductor does")

	for q, msg := range map[string]string{
		"status = DONE":      `query: "DONE" is not a workflow status; use RUNNING, COMPLETED, FAILED, TIMED_OUT, TERMINATED or PAUSED`,
		"startTime > soon":   `query field startTime needs a time in epoch milliseconds, got "soon"`,
		"endTime > 5":        `query field endTime is not supported yet; use workflowType, workflowId, correlationId, status, startTime, updateTime, classifier or parentWorkflowId=""`,
		"startTime IN (1,2)": "query field startTime cannot be used with IN",
	} {
		_, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 10, Query: q})
		require.EqualError(t, err, msg, q)
		require.Equal(t, KindInvalid, KindOf(err), q)
	}
	_, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 5001})
	requireViolations(t, err, ve("searchWorkflows.arg1", "Cannot return more than 5000 workflows. Please use pagination."))
	_, err = h.e.SearchWorkflows(h.ctx, SearchRequest{Start: -1, Size: 1})
	require.Equal(t, KindInvalid, KindOf(err))

	res, err := h.e.SearchWorkflows(h.ctx, SearchRequest{Size: 0})
	require.NoError(t, err)
	require.EqualValues(t, 3, res.TotalHits)
	require.Empty(t, res.Results, "size 0 counts without returning rows")
	res, err = h.e.SearchWorkflows(h.ctx, SearchRequest{Start: 1, Size: 1})
	require.NoError(t, err)
	require.Len(t, res.Results, 1)
	require.Equal(t, ids[1], res.Results[0].WorkflowId)

	tasks, err := h.e.SearchTasks(h.ctx, SearchRequest{Size: 10, Query: "taskType = b AND status = SCHEDULED"})
	require.NoError(t, err)
	require.EqualValues(t, 1, tasks.TotalHits)
	require.Equal(t, ids[1], tasks.Results[0].WorkflowInstanceId)
	_, err = h.e.SearchTasks(h.ctx, SearchRequest{Size: 10, Query: "status = NOPE"})
	require.Equal(t, KindInvalid, KindOf(err))
	tasks, err = h.e.SearchTasks(h.ctx, SearchRequest{Size: 10, Query: "taskType = b AND unknownField = 3"})
	require.NoError(t, err, "unknown fields are ignored, as Conductor does")
	require.EqualValues(t, 1, tasks.TotalHits)
	for _, q := range []string{"startTime > 5", "correlationId = c1", "endTime < 5", "taskId = x"} {
		_, err = h.e.SearchTasks(h.ctx, SearchRequest{Size: 10, Query: q})
		require.ErrorContains(t, err, "is not supported yet", q)
		require.Equal(t, KindInvalid, KindOf(err), q)
	}
}

func TestRunningAndCorrelated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("flow", "a"))
	v2 := simpleWorkflow("flow", "a")
	v2.Version = 2
	h.workflowDef(v2)
	one, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "flow", Version: intp(1), CorrelationId: "c"})
	require.NoError(t, err)
	h.advance(time.Second)
	two, err := h.e.StartWorkflow(h.ctx, &model.StartWorkflowRequest{Name: "flow", CorrelationId: "c"})
	require.NoError(t, err)
	h.advance(time.Second)
	paused := h.start("flow", nil)
	require.NoError(t, h.e.Pause(h.ctx, paused))
	require.NoError(t, h.e.Terminate(h.ctx, one, ""))

	ids, err := h.e.Running(h.ctx, "flow", 1, 0, 0)
	require.NoError(t, err)
	require.Equal(t, []string{two, paused}, ids, "running and paused, every version")
	ids, err = h.e.Running(h.ctx, "flow", 1, t0.UnixMilli(), t0.UnixMilli()+5000)
	require.NoError(t, err)
	require.Equal(t, []string{one}, ids, "with a time range: that version, any status")
	_, err = h.e.Running(h.ctx, "", 1, 0, 0)
	require.Equal(t, KindInvalid, KindOf(err))

	open, err := h.e.ByCorrelationID(h.ctx, "flow", "c", false, false)
	require.NoError(t, err)
	require.Len(t, open, 1)
	require.Equal(t, two, open[0].WorkflowId)
	require.Empty(t, open[0].Tasks)
	all, err := h.e.ByCorrelationID(h.ctx, "flow", "c", true, true)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Len(t, all[0].Tasks, 1)
	none, err := h.e.ByCorrelationID(h.ctx, "flow", "zzz", true, false)
	require.NoError(t, err)
	require.NotNil(t, none)
	require.Empty(t, none)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
