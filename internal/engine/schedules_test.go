package engine

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// scheduledWorkflow registers "sched_wf", one WAIT task, so the workflows a
// schedule starts stay RUNNING and can be counted.
func scheduledWorkflow(h *harness) {
	h.workflowDef(&model.WorkflowDef{Name: "sched_wf", Version: 1, SchemaVersion: 2, Tasks: []model.WorkflowTask{
		{Name: "wait", TaskReferenceName: "wait", Type: model.TaskTypeWait},
	}})
}

func everySecond(name string) *model.WorkflowSchedule {
	return &model.WorkflowSchedule{Name: name, CronExpression: "* * * * * ?",
		StartWorkflowRequest: &model.StartWorkflowRequest{Name: "sched_wf", Input: map[string]any{"k": "v"}}}
}

// started returns the workflows of sched_wf by their _scheduledTime input,
// oldest first.
func started(h *harness) []*model.Workflow {
	h.t.Helper()
	wfs, _, err := h.e.st.SearchWorkflows(h.ctx, store.WorkflowQuery{WorkflowTypes: []string{"sched_wf"},
		Sort: []store.SortField{{Field: "startTime"}}})
	require.NoError(h.t, err)
	return wfs
}

func runs(h *harness, name string) []*model.WorkflowScheduleExecution {
	h.t.Helper()
	res, err := h.e.SearchScheduleExecutions(h.ctx, "scheduleName IN ("+name+")", "*", 0, 100, []string{"scheduledTime:ASC"})
	require.NoError(h.t, err)
	return res.Results
}

func TestScheduleStartsWorkflowsOnTheClock(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	scheduledWorkflow(h)
	saved, err := h.e.SaveSchedule(h.ctx, everySecond("s"))
	require.NoError(t, err)
	require.Equal(t, "UTC", saved.ZoneId)
	require.Equal(t, t0.UnixMilli(), *saved.CreateTime)
	require.Equal(t, []model.CronSchedule{}, saved.CronSchedules)

	require.Empty(t, started(h), "nothing is due before the first second")
	for range 3 {
		h.advance(time.Second)
	}
	wfs := started(h)
	require.Len(t, wfs, 3)
	for i, wf := range wfs {
		due := t0.Add(time.Duration(i+1) * time.Second).UnixMilli()
		require.Equal(t, ScheduledWorkflowID(saved, due), wf.WorkflowId)
		require.Equal(t, "s", wf.Input["_startedByScheduler"])
		require.EqualValues(t, due, wf.Input["_scheduledTime"])
		require.Equal(t, "* * * * * ? UTC", wf.Input["_schedulerCron"])
		require.Equal(t, "v", wf.Input["k"])
	}
	rs := runs(h, "s")
	require.Len(t, rs, 3)
	for i, r := range rs {
		require.Equal(t, model.ScheduleExecutionExecuted, r.State)
		require.Equal(t, wfs[i].WorkflowId, r.WorkflowId)
		require.Equal(t, "sched_wf", r.WorkflowName)
	}
}

func TestSchedulePauseResumeDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	scheduledWorkflow(h)
	_, err := h.e.SaveSchedule(h.ctx, everySecond("s"))
	require.NoError(t, err)
	h.advance(time.Second)
	require.NoError(t, h.e.PauseSchedule(h.ctx, "s", "maintenance"))
	got, err := h.e.GetSchedule(h.ctx, "s")
	require.NoError(t, err)
	require.True(t, got.Paused)
	require.Equal(t, "maintenance", got.PausedReason)
	h.advance(5 * time.Second)
	require.Len(t, started(h), 1, "a paused schedule starts nothing")

	require.NoError(t, h.e.ResumeSchedule(h.ctx, "s"))
	require.Equal(t, KindNotFound, KindOf(h.e.ResumeSchedule(h.ctx, "s")), "Conductor answers 404 to resuming a running schedule")
	h.advance(time.Second)
	require.Len(t, started(h), 2, "runs missed while paused are not started")

	require.NoError(t, h.e.DeleteSchedule(h.ctx, "s"))
	require.NoError(t, h.e.DeleteSchedule(h.ctx, "s"), "deleting an unknown schedule is not an error")
	h.advance(3 * time.Second)
	require.Len(t, started(h), 2)
	_, err = h.e.GetSchedule(h.ctx, "s")
	require.Equal(t, KindNotFound, KindOf(err))
	require.Equal(t, KindNotFound, KindOf(h.e.PauseSchedule(h.ctx, "s", "")))
	require.Len(t, runs(h, "s"), 2, "executions outlive their schedule")
}

func TestSchedulerPausedOnThisServer(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	scheduledWorkflow(h)
	_, err := h.e.SaveSchedule(h.ctx, everySecond("s"))
	require.NoError(t, err)
	require.NoError(t, h.e.PauseScheduler(h.ctx, true))
	h.advance(3 * time.Second)
	require.Empty(t, started(h))
	require.NoError(t, h.e.PauseScheduler(h.ctx, false))
	h.e.RunDueTimers()
	require.Len(t, started(h), 1, "the overdue run fires once on resume; the rest follow from now")
}

func TestScheduleStartAndEndTimes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	scheduledWorkflow(h)
	s := everySecond("bounded")
	start, end := t0.Add(3*time.Second).UnixMilli(), t0.Add(5*time.Second).UnixMilli()
	s.ScheduleStartTime, s.ScheduleEndTime = &start, &end
	_, err := h.e.SaveSchedule(h.ctx, s)
	require.NoError(t, err)
	for range 8 {
		h.advance(time.Second)
	}
	var due []int64
	for _, r := range runs(h, "bounded") {
		due = append(due, r.ScheduledTime-t0.UnixMilli())
	}
	require.Equal(t, []int64{3000, 4000, 5000}, due)
}

func TestScheduleOfUnknownWorkflowRecordsFailedRuns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.e.SaveSchedule(h.ctx, &model.WorkflowSchedule{Name: "ghost", CronExpression: "* * * * * *",
		StartWorkflowRequest: &model.StartWorkflowRequest{Name: "no_such_wf"}})
	require.NoError(t, err, "Conductor saves a schedule of an unknown workflow and fails its runs")
	h.advance(time.Second)
	h.advance(time.Second)
	rs := runs(h, "ghost")
	require.Len(t, rs, 2)
	for _, r := range rs {
		require.Equal(t, model.ScheduleExecutionFailed, r.State)
		require.Equal(t, "No such workflow defined. name=no_such_wf, version=null", r.Reason)
		require.Empty(t, r.WorkflowId)
	}
}

// restart stops h's engine and starts a new one on the same store with the
// clock moved on by down.
func restart(t *testing.T, h *harness, down time.Duration) *harness {
	t.Helper()
	require.NoError(t, h.e.Stop(context.Background()))
	clock := enginetest.NewClock(h.clock.Now().Add(down))
	e, err := New(Config{Store: h.st, Clock: clock, ServerID: "baton"})
	require.NoError(t, err)
	require.NoError(t, e.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, e.Stop(context.Background())) })
	h2 := &harness{t: t, e: e, clock: clock, st: h.st, ctx: context.Background()}
	e.RunDueTimers()
	return h2
}

func TestScheduleAfterDowntime(t *testing.T) {
	t.Parallel()
	for _, catchup := range []bool{false, true} {
		t.Run(fmt.Sprint("catchup=", catchup), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			scheduledWorkflow(h)
			s := everySecond("s")
			s.RunCatchupScheduleInstances = catchup
			_, err := h.e.SaveSchedule(h.ctx, s)
			require.NoError(t, err)
			h.advance(time.Second) // run 1
			// Down from t0+1s to t0+11s: runs due at 2..11 s were missed.
			h2 := restart(t, h, 10*time.Second)
			var due []int64
			for _, r := range runs(h2, "s") {
				due = append(due, (r.ScheduledTime-t0.UnixMilli())/1000)
			}
			if catchup {
				require.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, due, "every missed run is started")
			} else {
				require.Equal(t, []int64{1, 2}, due, "only the overdue run is started")
			}
			n := len(due)
			h2.advance(time.Second)
			require.Len(t, runs(h2, "s"), n+1, "the schedule goes on from now")
			require.Len(t, started(h2), n+1)
		})
	}
}

// A crash between starting a run's workflow and recording the run leaves
// the schedule due at the same time; the run after the restart finds the
// workflow it started and records it instead of starting another.
func TestScheduleRunRepeatedAfterCrashStartsNoSecondWorkflow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	scheduledWorkflow(h)
	saved, err := h.e.SaveSchedule(h.ctx, everySecond("s"))
	require.NoError(t, err)
	due := t0.Add(time.Second).UnixMilli()
	// What the crashed server did: the workflow of the run due at t0+1s
	// was started, the run not recorded.
	id := ScheduledWorkflowID(saved, due)
	_, err = h.e.startWith(h.ctx, &model.StartWorkflowRequest{Name: "sched_wf"}, id, startOpts{})
	require.NoError(t, err)
	h.advance(time.Second)
	wfs := started(h)
	require.Len(t, wfs, 1)
	rs := runs(h, "s")
	require.Len(t, rs, 1)
	require.Equal(t, id, rs[0].WorkflowId)
	require.Equal(t, model.ScheduleExecutionExecuted, rs[0].State)
}

func TestSaveScheduleRejectsBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	req := &model.StartWorkflowRequest{Name: "sched_wf"}
	neg, huge := int64(-1), int64(math.MaxInt64)
	for _, tc := range []struct {
		name string
		s    *model.WorkflowSchedule
		msg  string
	}{
		{"nil", nil, "missing"},
		{"no name", &model.WorkflowSchedule{CronExpression: "* * * * * *", StartWorkflowRequest: req}, "name is required"},
		{"long name", &model.WorkflowSchedule{Name: strings.Repeat("n", 600), CronExpression: "* * * * * *", StartWorkflowRequest: req}, "longer than"},
		{"no request", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *"}, "startWorkflowRequest is required"},
		{"no workflow name", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *", StartWorkflowRequest: &model.StartWorkflowRequest{}}, "startWorkflowRequest.name"},
		{"no cron", &model.WorkflowSchedule{Name: "s", StartWorkflowRequest: req}, "cronExpression is required"},
		{"bad cron", &model.WorkflowSchedule{Name: "s", CronExpression: "bad", StartWorkflowRequest: req}, "Invalid cron expression"},
		{"five fields", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * *", StartWorkflowRequest: req}, "Invalid cron expression"},
		{"out of range", &model.WorkflowSchedule{Name: "s", CronExpression: "60 * * * * *", StartWorkflowRequest: req}, "Invalid cron expression"},
		{"every", &model.WorkflowSchedule{Name: "s", CronExpression: "@every 5s", StartWorkflowRequest: req}, "not one of @yearly"},
		{"triggered", &model.WorkflowSchedule{Name: "s", CronExpression: "@triggered", StartWorkflowRequest: req}, "not one of @yearly"},
		{"zone prefix", &model.WorkflowSchedule{Name: "s", CronExpression: "TZ=UTC * * * * * *", StartWorkflowRequest: req}, "set zoneId"},
		{"huge cron", &model.WorkflowSchedule{Name: "s", CronExpression: strings.Repeat("1,", 5000) + "1 * * * * *", StartWorkflowRequest: req}, "longer than"},
		{"bad zone", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *", ZoneId: "Mars/Base", StartWorkflowRequest: req}, "Unknown time-zone ID: Mars/Base"},
		{"path zone", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *", ZoneId: "../../etc/passwd", StartWorkflowRequest: req}, "Unknown time-zone ID"},
		{"local zone", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *", ZoneId: "Local", StartWorkflowRequest: req}, "Unknown time-zone ID"},
		{"cron list", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *", StartWorkflowRequest: req, CronSchedules: []model.CronSchedule{{CronExpression: "* * * * * *"}}}, "cronSchedules"},
		{"negative start", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *", StartWorkflowRequest: req, ScheduleStartTime: &neg}, "epoch milliseconds"},
		{"end after 9999", &model.WorkflowSchedule{Name: "s", CronExpression: "* * * * * *", StartWorkflowRequest: req, ScheduleEndTime: &huge}, "end of 9999"},
	} {
		_, err := h.e.SaveSchedule(h.ctx, tc.s)
		require.Equal(t, KindInvalid, KindOf(err), tc.name)
		require.Contains(t, err.Error(), tc.msg, tc.name)
	}
	all, err := h.e.ListSchedules(h.ctx, "")
	require.NoError(t, err)
	require.Empty(t, all, "nothing bad was saved")
}

func TestNextSchedules(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // t0 = 2023-11-14T22:13:20Z, a Tuesday
	ms := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return tm.UnixMilli()
	}
	for _, tc := range []struct {
		expr string
		want []string
	}{
		{"0 0 12 * * ?", []string{"2023-11-15T12:00:00Z", "2023-11-16T12:00:00Z"}},
		{"0 0 0 L * ?", []string{"2023-11-30T00:00:00Z", "2023-12-31T00:00:00Z"}},
		{"0 0 0 L-2 * ?", []string{"2023-11-28T00:00:00Z", "2023-12-29T00:00:00Z"}},
		{"0 0 0 15W * ?", []string{"2023-11-15T00:00:00Z", "2023-12-15T00:00:00Z"}},
		{"0 0 0 LW * ?", []string{"2023-11-30T00:00:00Z", "2023-12-29T00:00:00Z"}},
		{"0 0 0 ? * FRI#2", []string{"2023-12-08T00:00:00Z", "2024-01-12T00:00:00Z"}},
		{"0 30 9 ? JAN,MAR MON-FRI", []string{"2024-01-01T09:30:00Z", "2024-01-02T09:30:00Z"}},
		{"0 0/20 * * * *", []string{"2023-11-14T22:20:00Z", "2023-11-14T22:40:00Z"}},
		{"0 0 0 1 * MON", []string{"2024-01-01T00:00:00Z", "2024-04-01T00:00:00Z"}},
		{"@monthly", []string{"2023-12-01T00:00:00Z", "2024-01-01T00:00:00Z"}},
	} {
		got, err := h.e.NextSchedules(h.ctx, tc.expr, nil, nil, 2)
		require.NoError(t, err, tc.expr)
		want := make([]int64, len(tc.want))
		for i, s := range tc.want {
			want[i] = ms(s)
		}
		require.Equal(t, want, got, tc.expr)
	}
	got, err := h.e.NextSchedules(h.ctx, "0 0 0 31 2 ?", nil, nil, 5)
	require.NoError(t, err)
	require.Equal(t, []int64{}, got, "30 February never comes")
	got, err = h.e.NextSchedules(h.ctx, "0 0 * * * ?", nil, nil, 50)
	require.NoError(t, err)
	require.Len(t, got, 5, "at most 5, as Conductor")
	got, err = h.e.NextSchedules(h.ctx, "0 0 * * * ?", nil, nil, -3)
	require.NoError(t, err)
	require.Empty(t, got)
	start, end := ms("2024-01-01T10:00:00Z"), ms("2024-01-01T12:00:00Z")
	got, err = h.e.NextSchedules(h.ctx, "0 0 * * * ?", &start, &end, 5)
	require.NoError(t, err)
	require.Equal(t, []int64{start, ms("2024-01-01T11:00:00Z"), end}, got)
	_, err = h.e.NextSchedules(h.ctx, "0 0 * * *", nil, nil, 5)
	require.Equal(t, KindInvalid, KindOf(err))
	for _, bad := range []int64{-1, math.MaxInt64, math.MinInt64, maxScheduleTime + 1} {
		_, err = h.e.NextSchedules(h.ctx, "* * * * * *", &bad, nil, 5)
		require.Equal(t, KindInvalid, KindOf(err), "start %d", bad)
		_, err = h.e.NextSchedules(h.ctx, "* * * * * *", nil, &bad, 5)
		require.Equal(t, KindInvalid, KindOf(err), "end %d", bad)
	}
	last := int64(maxScheduleTime - 1500)
	got, err = h.e.NextSchedules(h.ctx, "* * * * * *", &last, nil, 5)
	require.NoError(t, err)
	require.Len(t, got, 2, "no run after the year 9999")
}

func TestScheduleZone(t *testing.T) {
	t.Parallel()
	spec, err := parseCron("0 0 9 * * MON-FRI", "America/New_York")
	require.NoError(t, err)
	next, ok := spec.next(t0) // Tuesday 17:13 in New York
	require.True(t, ok)
	require.Equal(t, "2023-11-15T14:00:00Z", next.UTC().Format(time.RFC3339))
	// Across the spring change: 9:00 EDT is 13:00 UTC.
	next, ok = spec.next(time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC))
	require.True(t, ok)
	require.Equal(t, "2024-03-11T13:00:00Z", next.UTC().Format(time.RFC3339))
}

func TestSearchScheduleExecutionsRejectsBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		query string
		start int
		sort  []string
	}{
		{query: "scheduledTime>soon"},
		{query: strings.Repeat("x", 5000)},
		{start: -1},
		{sort: []string{"nope:ASC"}},
	} {
		_, err := h.e.SearchScheduleExecutions(h.ctx, tc.query, "*", tc.start, 10, tc.sort)
		require.Equal(t, KindInvalid, KindOf(err), "%+v", tc)
	}
}
