package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var scheduleTests = []suiteTest{
	{"ScheduleCRUD", testScheduleCRUD},
	{"ScheduleInvalid", testScheduleInvalid},
	{"ScheduleRun", testScheduleRun},
	{"SearchScheduleExecutions", testSearchScheduleExecutions},
}

func schedule(name, wf string) *model.WorkflowSchedule {
	return &model.WorkflowSchedule{Name: name, CronExpression: "0 0 * * * ?", ZoneId: "UTC",
		StartWorkflowRequest: &model.StartWorkflowRequest{Name: wf, Input: map[string]any{"n": 1.0}},
		CronSchedules:        []model.CronSchedule{}}
}

func testScheduleCRUD(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetSchedule(ctx, "a")
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.DeleteSchedule(ctx, "a"), store.ErrNotFound)
	require.NoError(t, s.PutSchedule(ctx, store.ScheduleRecord{Schedule: schedule("b", "wf2"), NextRunTime: 20}))
	require.NoError(t, s.PutSchedule(ctx, store.ScheduleRecord{Schedule: schedule("a", "wf1"), NextRunTime: 10}))
	got, err := s.GetSchedule(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, schedule("a", "wf1"), got.Schedule)
	require.EqualValues(t, 10, got.NextRunTime)

	replaced := schedule("a", "wf2")
	replaced.Paused = true
	require.NoError(t, s.PutSchedule(ctx, store.ScheduleRecord{Schedule: replaced}))
	all, err := s.ListSchedules(ctx, "")
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Equal(t, "a", all[0].Schedule.Name)
	require.True(t, all[0].Schedule.Paused)
	require.Zero(t, all[0].NextRunTime)
	of, err := s.ListSchedules(ctx, "wf2")
	require.NoError(t, err)
	require.Len(t, of, 2)
	none, err := s.ListSchedules(ctx, "wf1")
	require.NoError(t, err)
	require.NotNil(t, none)
	require.Empty(t, none)

	require.NoError(t, s.DeleteSchedule(ctx, "a"))
	_, err = s.GetSchedule(ctx, "a")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testScheduleInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, rec := range []store.ScheduleRecord{
		{},
		{Schedule: schedule("", "wf")},
		{Schedule: &model.WorkflowSchedule{Name: "x"}},
		{Schedule: schedule("x", "")},
		{Schedule: schedule("x", "wf"), NextRunTime: -1},
	} {
		require.ErrorIs(t, s.PutSchedule(ctx, rec), store.ErrInvalid)
	}
	require.ErrorIs(t, s.RecordScheduleRun(ctx, store.ScheduleRun{}), store.ErrInvalid)
	require.ErrorIs(t, s.RecordScheduleRun(ctx, store.ScheduleRun{Execution: &model.WorkflowScheduleExecution{ExecutionId: "x"}}), store.ErrInvalid)
	all, err := s.ListSchedules(ctx, "")
	require.NoError(t, err)
	require.Empty(t, all)
}

func execution(id, sched string, due int64, state model.ScheduleExecutionState) *model.WorkflowScheduleExecution {
	return &model.WorkflowScheduleExecution{ExecutionId: id, ScheduleName: sched, ScheduledTime: due,
		ExecutionTime: due + 5, WorkflowName: "wf", WorkflowId: "wf-" + id, State: state, ZoneId: "UTC"}
}

func testScheduleRun(t *testing.T, s store.Store) {
	ctx := context.Background()
	require.NoError(t, s.PutSchedule(ctx, store.ScheduleRecord{Schedule: schedule("a", "wf"), NextRunTime: 1000}))
	// A run that is not the due one (the schedule was saved again) records
	// the execution but leaves the next run time alone.
	require.NoError(t, s.RecordScheduleRun(ctx, store.ScheduleRun{Execution: execution("e0", "a", 500, model.ScheduleExecutionExecuted), NextRunTime: 9999}))
	got, err := s.GetSchedule(ctx, "a")
	require.NoError(t, err)
	require.EqualValues(t, 1000, got.NextRunTime)

	require.NoError(t, s.RecordScheduleRun(ctx, store.ScheduleRun{Execution: execution("e1", "a", 1000, model.ScheduleExecutionExecuted), NextRunTime: 2000}))
	got, err = s.GetSchedule(ctx, "a")
	require.NoError(t, err)
	require.EqualValues(t, 2000, got.NextRunTime)
	// The same run recorded again replaces its execution.
	require.NoError(t, s.RecordScheduleRun(ctx, store.ScheduleRun{Execution: execution("e1", "a", 1000, model.ScheduleExecutionExecuted), NextRunTime: 2000}))
	// A run of a deleted schedule is still recorded.
	require.NoError(t, s.RecordScheduleRun(ctx, store.ScheduleRun{Execution: execution("e2", "gone", 1000, model.ScheduleExecutionFailed)}))
	res, total, err := s.SearchScheduleExecutions(ctx, store.ScheduleExecutionQuery{})
	require.NoError(t, err)
	require.EqualValues(t, 3, total)
	require.Len(t, res, 3)
}

func testSearchScheduleExecutions(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, x := range []*model.WorkflowScheduleExecution{
		execution("e1", "a", 1000, model.ScheduleExecutionExecuted),
		execution("e2", "a", 2000, model.ScheduleExecutionFailed),
		execution("e3", "b", 3000, model.ScheduleExecutionExecuted),
	} {
		require.NoError(t, s.RecordScheduleRun(ctx, store.ScheduleRun{Execution: x}))
	}
	ids := func(q store.ScheduleExecutionQuery) ([]string, int64) {
		res, total, err := s.SearchScheduleExecutions(ctx, q)
		require.NoError(t, err)
		var out []string
		for _, x := range res {
			out = append(out, x.ExecutionId)
		}
		return out, total
	}
	got, total := ids(store.ScheduleExecutionQuery{})
	require.Equal(t, []string{"e3", "e2", "e1"}, got, "newest due first")
	require.EqualValues(t, 3, total)
	got, _ = ids(store.ScheduleExecutionQuery{ScheduleNames: []string{"a"}, Sort: []store.SortField{{Field: "scheduledTime"}}})
	require.Equal(t, []string{"e1", "e2"}, got)
	got, _ = ids(store.ScheduleExecutionQuery{States: []model.ScheduleExecutionState{model.ScheduleExecutionFailed}})
	require.Equal(t, []string{"e2"}, got)
	got, _ = ids(store.ScheduleExecutionQuery{ExecutionIDs: []string{"e3"}})
	require.Equal(t, []string{"e3"}, got)
	got, _ = ids(store.ScheduleExecutionQuery{ScheduledAfter: ms(1500), ScheduledBefore: ms(2500)})
	require.Equal(t, []string{"e2"}, got)
	got, total = ids(store.ScheduleExecutionQuery{Offset: 1, Limit: 1})
	require.Equal(t, []string{"e2"}, got)
	require.EqualValues(t, 3, total)
	got, _ = ids(store.ScheduleExecutionQuery{FreeText: "wf-e1"})
	require.Equal(t, []string{"e1"}, got)
	_, _, err := s.SearchScheduleExecutions(ctx, store.ScheduleExecutionQuery{Sort: []store.SortField{{Field: "json"}}})
	require.ErrorIs(t, err, store.ErrInvalid)
	_, _, err = s.SearchScheduleExecutions(ctx, store.ScheduleExecutionQuery{Offset: -1})
	require.True(t, errors.Is(err, store.ErrInvalid))
}
