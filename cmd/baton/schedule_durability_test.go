package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestSIGKILLDuringSchedule kills `baton server` with SIGKILL three times
// while a schedule fires every second, restarting it on the same file each
// time, and checks that the schedule started exactly the workflows it owed:
// one for each second from its start time to its end time (it catches up
// on the runs missed while the server was down), none twice, none missing.
// A kill may land between a run's workflow start and its record; the run
// repeated after the restart must find that workflow, not start another.
func TestSIGKILLDuringSchedule(t *testing.T) {
	t.Parallel()
	const wfName, schedName, runs = "sched_durable", "every_second", 8
	bin := buildBaton(t)
	db := filepath.Join(t.TempDir(), "baton.db")
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()

	srv := startChild(t, bin, db)
	api := srv.apiClient(t)
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef(wfName,
		model.WorkflowTask{Name: "wait", TaskReferenceName: "wait", Type: model.TaskTypeWait}), false))
	start := time.Now().Truncate(time.Second).Add(2 * time.Second)
	end := start.Add((runs - 1) * time.Second)
	startMs, endMs := start.UnixMilli(), end.UnixMilli()
	_, err := api.Scheduler().SaveSchedule(ctx, &model.WorkflowSchedule{Name: schedName, CronExpression: "* * * * * ?",
		RunCatchupScheduleInstances: true, ScheduleStartTime: &startMs, ScheduleEndTime: &endMs,
		StartWorkflowRequest: &model.StartWorkflowRequest{Name: wfName}})
	require.NoError(t, err)

	seen := 0
	for kill := range 3 {
		seen = awaitRuns(ctx, t, api, schedName, seen+1)
		srv.kill(t)
		t.Logf("SIGKILL %d after %d recorded runs", kill+1, seen)
		srv = startChild(t, bin, db)
		api = srv.apiClient(t)
	}
	awaitRuns(ctx, t, api, schedName, runs)

	res, err := api.Scheduler().SearchScheduleExecutions(ctx, client.ScheduleExecutionSearch{
		ScheduleNames: []string{schedName}, Sort: []string{"scheduledTime:ASC"}, Size: 1000})
	require.NoError(t, err)
	var due []int64
	var fromRuns []string
	for _, x := range res.Results {
		require.Equal(t, model.ScheduleExecutionExecuted, x.State, "run due at %d: %s", x.ScheduledTime, x.Reason)
		due = append(due, (x.ScheduledTime-startMs)/1000)
		fromRuns = append(fromRuns, x.WorkflowId)
	}
	require.Equal(t, []int64{0, 1, 2, 3, 4, 5, 6, 7}, due, "one run for each second, none twice, none missing")

	wfs, err := api.Workflows().Search(ctx, client.SearchOptions{Query: fmt.Sprintf("workflowType = '%s'", wfName), Size: 1000})
	require.NoError(t, err)
	var started []string
	for _, w := range wfs.Results {
		started = append(started, w.WorkflowId)
	}
	slices.Sort(started)
	slices.Sort(fromRuns)
	require.Equal(t, fromRuns, started, "exactly the workflows of the recorded runs were started")
	srv.stop(t)
}

// awaitRuns polls the server until the schedule has at least n recorded
// runs, and returns how many it has.
func awaitRuns(ctx context.Context, t *testing.T, api *client.APIClient, name string, n int) int {
	t.Helper()
	for {
		res, err := api.Scheduler().SearchScheduleExecutions(ctx, client.ScheduleExecutionSearch{ScheduleNames: []string{name}, Size: 1})
		require.NoError(t, err)
		if int(res.TotalHits) >= n {
			return int(res.TotalHits)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the schedule recorded %d runs, want %d", res.TotalHits, n)
		case <-time.After(20 * time.Millisecond): // polls the API; the schedule runs in the server
		}
	}
}
