package batontest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestScheduleOnTheFakeClock: a schedule saved through the client starts
// its workflow each time the test advances the clock past a due time, and
// nothing in between.
func TestScheduleOnTheFakeClock(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t, batontest.WithFakeClock())
	api := srv.Client()
	ctx := t.Context()
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef("nightly_report",
		model.WorkflowTask{Name: "wait", TaskReferenceName: "wait", Type: model.TaskTypeWait}), false))
	now := srv.Clock().Now()
	// Two runs a day, at 02:00 and 14:00 in Paris.
	_, err := api.Scheduler().SaveSchedule(ctx, &model.WorkflowSchedule{Name: "twice_daily", CronExpression: "0 0 2,14 * * ?",
		ZoneId: "Europe/Paris", StartWorkflowRequest: &model.StartWorkflowRequest{Name: "nightly_report"}})
	require.NoError(t, err)
	next, err := api.Scheduler().GetNextFewSchedules(ctx, "0 0 2,14 * * ?", now, time.Time{}, 5)
	require.NoError(t, err)
	require.Len(t, next, 5)

	count := func() int64 {
		res, err := api.Scheduler().SearchScheduleExecutions(ctx, client.ScheduleExecutionSearch{ScheduleNames: []string{"twice_daily"}})
		require.NoError(t, err)
		return res.TotalHits
	}
	srv.Clock().Advance(48 * time.Hour)
	require.EqualValues(t, 4, count(), "Advance stops at each due time on its way")
	srv.Clock().Advance(12 * time.Hour)
	require.EqualValues(t, 5, count())
	require.NoError(t, api.Scheduler().PauseSchedule(ctx, "twice_daily", "holiday"))
	srv.Clock().Advance(72 * time.Hour)
	require.EqualValues(t, 5, count(), "a paused schedule starts nothing")

	runs, err := api.Scheduler().SearchScheduleExecutions(ctx, client.ScheduleExecutionSearch{ScheduleNames: []string{"twice_daily"}})
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, r := range runs.Results {
		at := time.UnixMilli(r.ScheduledTime).In(paris)
		require.Contains(t, []int{2, 14}, at.Hour(), "run at %s", at)
		require.Equal(t, model.ScheduleExecutionExecuted, r.State)
	}
	wfs, err := api.Workflows().Search(ctx, client.SearchOptions{Query: "workflowType = 'nightly_report'"})
	require.NoError(t, err)
	require.EqualValues(t, 5, wfs.TotalHits)
}
