package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var searchTests = []suiteTest{
	{"Search/Workflows", testSearchWorkflows},
	{"Search/Tasks", testSearchTasks},
	{"Search/Invalid", testSearchInvalid},
}

func ms(n int64) time.Time { return time.UnixMilli(n) }

// manyIDs returns 2,000 ids that match nothing, then ids: a long list,
// which a store should not turn into one SQL parameter per value.
func manyIDs(ids ...string) []string {
	out := make([]string, 0, 2000+len(ids))
	for i := range 2000 {
		out = append(out, fmt.Sprint("none-", i))
	}
	return append(out, ids...)
}

func manyOf[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// seedWorkflows writes six workflows:
//
//	id  type ver status      corr create update prio  input/output
//	w1  A    1   RUNNING     c1   100    500    0     input k=alpha
//	w2  A    2   COMPLETED   c2   200    400    5     input k=beta
//	w3  B    1   FAILED      c1   300    300    1     output r=alpha-out
//	w4  B    1   RUNNING     c3   300    200    0
//	w5  A    1   PAUSED      -    500    100    9
//	w6  C    3   TERMINATED  c4   600    600    0
func seedWorkflows(t *testing.T, s store.Store) {
	t.Helper()
	rows := []struct {
		id, typ string
		ver     int
		status  model.WorkflowStatus
		corr    string
		create  int64
		update  int64
		prio    int
		in, out map[string]any
	}{
		{"w1", "A", 1, model.WorkflowRunning, "c1", 100, 500, 0, map[string]any{"k": "alpha"}, nil},
		{"w2", "A", 2, model.WorkflowCompleted, "c2", 200, 400, 5, map[string]any{"k": "beta"}, nil},
		{"w3", "B", 1, model.WorkflowFailed, "c1", 300, 300, 1, nil, map[string]any{"r": "alpha-out"}},
		{"w4", "B", 1, model.WorkflowRunning, "c3", 300, 200, 0, nil, nil},
		{"w5", "A", 1, model.WorkflowPaused, "", 500, 100, 9, nil, nil},
		{"w6", "C", 3, model.WorkflowTerminated, "c4", 600, 600, 0, nil, nil},
	}
	var b store.Batch
	for _, r := range rows {
		w := &model.Workflow{
			WorkflowId: r.id, WorkflowName: r.typ, WorkflowVersion: r.ver, Status: r.status,
			CorrelationId: r.corr, CreateTime: r.create, StartTime: r.create, UpdateTime: r.update,
			Priority: r.prio, Input: r.in, Output: r.out,
			WorkflowDefinition: &model.WorkflowDef{Name: r.typ, Version: r.ver},
		}
		switch r.id {
		case "w4", "w6":
			w.ParentWorkflowId = "w1" // sub-workflows, for TopLevelOnly
		case "w2":
			w.WorkflowDefinition.Metadata = map[string]any{"agent_sdk": "x"} // classifier "agent"
		case "w3":
			w.WorkflowDefinition.Metadata = map[string]any{"classifier": "custom", "agent_sdk": "x"}
		case "w5":
			w.WorkflowDefinition.Metadata = map[string]any{"classifier": " ", "agentDef": nil} // "workflow"
		}
		b.Workflows = append(b.Workflows, w)
	}
	apply(t, s, &b)
}

func testSearchWorkflows(t *testing.T, s store.Store) {
	seedWorkflows(t, s)
	all := []string{"w6", "w5", "w3", "w4", "w2", "w1"} // startTime desc, ties by id
	cases := []struct {
		name  string
		q     store.WorkflowQuery
		want  []string
		total int64
	}{
		{"everything", store.WorkflowQuery{}, all, 6},
		{"free text star", store.WorkflowQuery{FreeText: "*"}, all, 6},
		{"type", store.WorkflowQuery{WorkflowTypes: []string{"A"}}, []string{"w5", "w2", "w1"}, 3},
		{"types and status", store.WorkflowQuery{WorkflowTypes: []string{"A", "B"}, Statuses: []model.WorkflowStatus{model.WorkflowRunning}}, []string{"w4", "w1"}, 2},
		{"version", store.WorkflowQuery{Versions: []int{1}}, []string{"w5", "w3", "w4", "w1"}, 4},
		{"correlation id", store.WorkflowQuery{CorrelationIDs: []string{"c1"}}, []string{"w3", "w1"}, 2},
		{"workflow ids", store.WorkflowQuery{WorkflowIDs: []string{"w2", "w6", "w9"}}, []string{"w6", "w2"}, 2},
		{"thousands of workflow ids", store.WorkflowQuery{WorkflowIDs: manyIDs("w2", "w6")}, []string{"w6", "w2"}, 2},
		{"thousands of statuses and versions", store.WorkflowQuery{
			Statuses: manyOf(model.WorkflowFailed, 2000), Versions: manyOf(1, 40000),
		}, []string{"w3"}, 1},
		{"started between, inclusive", store.WorkflowQuery{StartedAfter: ms(200), StartedBefore: ms(300)}, []string{"w3", "w4", "w2"}, 3},
		{"updated after", store.WorkflowQuery{UpdatedAfter: ms(400)}, []string{"w6", "w2", "w1"}, 3},
		{"updated before", store.WorkflowQuery{UpdatedBefore: ms(200)}, []string{"w5", "w4"}, 2},
		{"free text in input or output", store.WorkflowQuery{FreeText: "alpha"}, []string{"w3", "w1"}, 2},
		{"free text in id", store.WorkflowQuery{FreeText: "w5"}, []string{"w5"}, 1},
		{"free text in correlation id", store.WorkflowQuery{FreeText: "c4"}, []string{"w6"}, 1},
		{"sort by priority desc", store.WorkflowQuery{Sort: []store.SortField{{Field: "priority", Desc: true}}}, []string{"w5", "w2", "w3", "w1", "w4", "w6"}, 6},
		{"sort by type then start", store.WorkflowQuery{Sort: []store.SortField{{Field: "workflowType"}, {Field: "startTime"}}}, []string{"w1", "w2", "w5", "w3", "w4", "w6"}, 6},
		{"sort by update time", store.WorkflowQuery{Sort: []store.SortField{{Field: "updateTime"}}}, []string{"w5", "w4", "w3", "w2", "w1", "w6"}, 6},
		{"sort by id desc", store.WorkflowQuery{Sort: []store.SortField{{Field: "workflowId", Desc: true}}}, []string{"w6", "w5", "w4", "w3", "w2", "w1"}, 6},
		{"page", store.WorkflowQuery{Offset: 2, Limit: 2}, []string{"w3", "w4"}, 6},
		{"last page", store.WorkflowQuery{Offset: 4, Limit: 10}, []string{"w2", "w1"}, 6},
		{"past the end", store.WorkflowQuery{Offset: 6, Limit: 2}, []string{}, 6},
		{"page of a filter", store.WorkflowQuery{WorkflowTypes: []string{"A"}, Offset: 1, Limit: 1}, []string{"w2"}, 3},
		{"top level only", store.WorkflowQuery{TopLevelOnly: true}, []string{"w5", "w3", "w2", "w1"}, 4},
		{"top level only, page", store.WorkflowQuery{TopLevelOnly: true, Offset: 1, Limit: 2}, []string{"w3", "w2"}, 4},
		{"classifier workflow", store.WorkflowQuery{Classifiers: []string{"workflow"}}, []string{"w6", "w5", "w4", "w1"}, 4},
		{"classifiers agent and custom", store.WorkflowQuery{Classifiers: []string{"agent", "custom"}}, []string{"w3", "w2"}, 2},
		{"classifier nobody has", store.WorkflowQuery{Classifiers: []string{"Workflow"}}, []string{}, 0},
		{"no match", store.WorkflowQuery{WorkflowTypes: []string{"Z"}}, []string{}, 0},
		{"hostile type", store.WorkflowQuery{WorkflowTypes: []string{"A' OR '1'='1"}}, []string{}, 0},
		{"hostile free text", store.WorkflowQuery{FreeText: "%' OR 1=1 --"}, []string{}, 0},
		{"like wildcard is literal", store.WorkflowQuery{FreeText: "_"}, []string{}, 0},
	}
	for _, tc := range cases {
		got, total, err := s.SearchWorkflows(context.Background(), tc.q)
		require.NoError(t, err, tc.name)
		require.NotNil(t, got, tc.name)
		require.Equal(t, tc.want, workflowIDs(got), tc.name)
		require.Equal(t, tc.total, total, tc.name)
	}

	// Search returns whole workflows, as GetWorkflow does.
	got, _, err := s.SearchWorkflows(context.Background(), store.WorkflowQuery{WorkflowIDs: []string{"w1"}})
	require.NoError(t, err)
	one, err := s.GetWorkflow(context.Background(), "w1")
	require.NoError(t, err)
	require.Equal(t, []*model.Workflow{one}, got)
}

// seedTasks writes five tasks:
//
//	id  wf  type def    status       domain wtype sched  data
//	t1  w1  T1   T1     SCHEDULED    -      A     100    input q=needle
//	t2  w1  T2   T2     IN_PROGRESS  d1     A     200
//	t3  w2  T1   T1     COMPLETED    -      A     300    output o=needle2
//	t4  w3  T3   T3def  FAILED       d1     B     300
//	t5  w3  T1   T1     SCHEDULED    d2     B     500
func seedTasks(t *testing.T, s store.Store) {
	t.Helper()
	rows := []struct {
		id, wf, typ, def string
		status           model.TaskStatus
		domain, wtype    string
		sched            int64
		in, out          map[string]any
	}{
		{"t1", "w1", "T1", "T1", model.TaskScheduled, "", "A", 100, map[string]any{"q": "needle"}, nil},
		{"t2", "w1", "T2", "T2", model.TaskInProgress, "d1", "A", 200, nil, nil},
		{"t3", "w2", "T1", "T1", model.TaskCompleted, "", "A", 300, nil, map[string]any{"o": "needle2"}},
		{"t4", "w3", "T3", "T3def", model.TaskFailed, "d1", "B", 300, nil, nil},
		{"t5", "w3", "T1", "T1", model.TaskScheduled, "d2", "B", 500, nil, nil},
	}
	var b store.Batch
	for i, r := range rows {
		b.Tasks = append(b.Tasks, &model.WorkerTask{
			TaskId: r.id, WorkflowInstanceId: r.wf, TaskType: r.typ, TaskDefName: r.def, Status: r.status,
			Domain: r.domain, WorkflowType: r.wtype, ScheduledTime: r.sched, Seq: i + 1,
			ReferenceTaskName: "ref_" + r.id, InputData: r.in, OutputData: r.out,
		})
	}
	apply(t, s, &b)
}

func testSearchTasks(t *testing.T, s store.Store) {
	seedTasks(t, s)
	all := []string{"t5", "t3", "t4", "t2", "t1"}
	cases := []struct {
		name  string
		q     store.TaskQuery
		want  []string
		total int64
	}{
		{"everything", store.TaskQuery{}, all, 5},
		{"free text star", store.TaskQuery{FreeText: "*"}, all, 5},
		{"type", store.TaskQuery{TaskTypes: []string{"T1"}}, []string{"t5", "t3", "t1"}, 3},
		{"definition name", store.TaskQuery{TaskDefNames: []string{"T3def"}}, []string{"t4"}, 1},
		{"status", store.TaskQuery{Statuses: []model.TaskStatus{model.TaskScheduled}}, []string{"t5", "t1"}, 2},
		{"workflow", store.TaskQuery{WorkflowIDs: []string{"w1"}}, []string{"t2", "t1"}, 2},
		{"workflow type", store.TaskQuery{WorkflowTypes: []string{"B"}}, []string{"t5", "t4"}, 2},
		{"domain", store.TaskQuery{Domains: []string{"d1"}}, []string{"t4", "t2"}, 2},
		{"several filters", store.TaskQuery{TaskTypes: []string{"T1"}, Domains: []string{"d2", "d1"}}, []string{"t5"}, 1},
		{"scheduled between, inclusive", store.TaskQuery{ScheduledAfter: ms(200), ScheduledBefore: ms(300)}, []string{"t3", "t4", "t2"}, 3},
		{"free text in data", store.TaskQuery{FreeText: "needle"}, []string{"t3", "t1"}, 2},
		{"free text in id", store.TaskQuery{FreeText: "t4"}, []string{"t4"}, 1},
		{"free text in workflow id", store.TaskQuery{FreeText: "w2"}, []string{"t3"}, 1},
		{"sort by id", store.TaskQuery{Sort: []store.SortField{{Field: "taskId"}}}, []string{"t1", "t2", "t3", "t4", "t5"}, 5},
		{"sort by type desc then scheduled", store.TaskQuery{Sort: []store.SortField{{Field: "taskType", Desc: true}, {Field: "scheduledTime"}}}, []string{"t4", "t2", "t1", "t3", "t5"}, 5},
		{"sort by status", store.TaskQuery{Sort: []store.SortField{{Field: "status"}}}, []string{"t3", "t4", "t2", "t1", "t5"}, 5},
		{"page", store.TaskQuery{Offset: 1, Limit: 3}, []string{"t3", "t4", "t2"}, 5},
		{"past the end", store.TaskQuery{Offset: 9, Limit: 3}, []string{}, 5},
		{"hostile", store.TaskQuery{TaskTypes: []string{"T1' OR '1'='1"}, FreeText: "'"}, []string{}, 0},
	}
	for _, tc := range cases {
		got, total, err := s.SearchTasks(context.Background(), tc.q)
		require.NoError(t, err, tc.name)
		require.NotNil(t, got, tc.name)
		require.Equal(t, tc.want, taskIDs(got), tc.name)
		require.Equal(t, tc.total, total, tc.name)
	}
	got, _, err := s.SearchTasks(context.Background(), store.TaskQuery{TaskTypes: []string{"T2"}})
	require.NoError(t, err)
	one, err := s.GetTask(context.Background(), "t2")
	require.NoError(t, err)
	require.Equal(t, []*model.WorkerTask{one}, got)
}

func testSearchInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	seedWorkflows(t, s)
	seedTasks(t, s)
	for name, q := range map[string]store.WorkflowQuery{
		"unknown sort":     {Sort: []store.SortField{{Field: "nope"}}},
		"injected sort":    {Sort: []store.SortField{{Field: "startTime; DROP TABLE workflows"}}},
		"task-only sort":   {Sort: []store.SortField{{Field: "taskId"}}},
		"negative offset":  {Offset: -1},
		"negative limit":   {Limit: -5},
		"empty sort field": {Sort: []store.SortField{{}}},
	} {
		_, _, err := s.SearchWorkflows(ctx, q)
		require.ErrorIs(t, err, store.ErrInvalid, name)
	}
	for name, q := range map[string]store.TaskQuery{
		"unknown sort":    {Sort: []store.SortField{{Field: "scheduledTime DESC, (SELECT 1)"}}},
		"negative offset": {Offset: -1},
	} {
		_, _, err := s.SearchTasks(ctx, q)
		require.ErrorIs(t, err, store.ErrInvalid, name)
	}
	_, total, err := s.SearchWorkflows(ctx, store.WorkflowQuery{})
	require.NoError(t, err)
	require.Equal(t, int64(6), total, "nothing was dropped")
}
