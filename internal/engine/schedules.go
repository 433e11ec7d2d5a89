package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Workflow schedules: Conductor's scheduler module (SchedulerService). A
// schedule's next due time is kept in the store; a timer on the engine's
// clock fires it, starts its workflow, and records the run and the next due
// time in one transaction. The workflow's id is derived from the schedule
// and the due time, so a run repeated after a crash between the start and
// the record finds the workflow it already started instead of starting a
// second one.

// scheduleRetry is how long a run that failed on a server fault (the store)
// waits before it is tried again.
const scheduleRetry = time.Second

func scheduleKey(name string) string { return "sch:" + name }

func scheduleLockKey(name string) string { return "schedule:" + name }

// SaveSchedule creates or replaces a schedule (POST /api/scheduler/schedules)
// and returns it as stored. Unlike Conductor, which saves a schedule whose
// cron expression it cannot parse (it then never runs) and answers 500 for
// a missing name or workflow name, Baton answers 400 for each, and for a
// start request that every run would have refused (an invalid inline
// workflowDef, a priority outside 0 to 99).
func (e *Engine) SaveSchedule(ctx context.Context, s *model.WorkflowSchedule) (*model.WorkflowSchedule, error) {
	if s == nil {
		return nil, badRequest("the schedule is missing")
	}
	spec, err := validateSchedule(s)
	if err != nil {
		return nil, err
	}
	// The request every run starts: refused now, as a start would refuse
	// it, rather than failing at every run.
	if s.StartWorkflowRequest.WorkflowDef != nil {
		normalizeWorkflowDef(s.StartWorkflowRequest.WorkflowDef)
	}
	if err := e.validateStartRequest(s.StartWorkflowRequest); err != nil {
		return nil, err
	}
	unlock := e.locks.lock(scheduleLockKey(s.Name))
	defer unlock()
	return e.saveScheduleLocked(ctx, s, spec)
}

func (e *Engine) saveScheduleLocked(ctx context.Context, s *model.WorkflowSchedule, spec *cronSpec) (*model.WorkflowSchedule, error) {
	now := e.clock.Now()
	out := *s
	req := *s.StartWorkflowRequest
	if req.Input == nil {
		req.Input = map[string]any{}
	}
	if req.TaskToDomain == nil {
		req.TaskToDomain = map[string]string{}
	}
	if req.Priority == nil {
		req.Priority = new(int)
	}
	out.StartWorkflowRequest = &req
	out.ZoneId = spec.zone
	out.CronSchedules = []model.CronSchedule{}
	ms := now.UnixMilli()
	empty := ""
	old, err := e.st.GetSchedule(ctx, s.Name)
	switch {
	case err == nil:
		out.CreateTime, out.CreatedBy = old.Schedule.CreateTime, old.Schedule.CreatedBy
	case errors.Is(err, store.ErrNotFound):
		out.CreateTime, out.CreatedBy = &ms, &empty
	default:
		return nil, internalf(err, "read schedule %s", s.Name)
	}
	out.UpdatedTime, out.UpdatedBy = &ms, &empty
	var next int64
	if t, ok := nextRun(&out, spec, now, now); ok {
		next = t.UnixMilli()
	}
	if err := e.st.PutSchedule(ctx, store.ScheduleRecord{Schedule: &out, NextRunTime: next}); err != nil {
		return nil, internalf(err, "save schedule %s", s.Name)
	}
	e.armSchedule(&out, next)
	return &out, nil
}

// validateSchedule checks what a schedule must have and parses its cron
// expression.
func validateSchedule(s *model.WorkflowSchedule) (*cronSpec, error) {
	switch {
	case s.Name == "":
		return nil, badRequest("name is required")
	case len(s.Name) > MaxScheduleNameLen:
		return nil, badRequest("name is longer than %d characters", MaxScheduleNameLen)
	case s.StartWorkflowRequest == nil:
		return nil, badRequest("startWorkflowRequest is required")
	case s.StartWorkflowRequest.Name == "":
		return nil, badRequest("startWorkflowRequest.name is required")
	case len(s.CronSchedules) > 0:
		return nil, badRequest("cronSchedules is not supported; use cronExpression and zoneId")
	}
	if err := checkBounds(s.ScheduleStartTime, s.ScheduleEndTime); err != nil {
		return nil, err
	}
	return parseCron(s.CronExpression, s.ZoneId)
}

// maxScheduleTime is the last millisecond of the year 9999: later times
// are refused, so that every run time is a valid epoch millisecond.
const maxScheduleTime = 253402300799999

// checkBounds refuses start and end times outside 1970 to 9999.
func checkBounds(start, end *int64) error {
	for _, v := range []*int64{start, end} {
		if v != nil && (*v < 0 || *v > maxScheduleTime) {
			return badRequest("scheduleStartTime and scheduleEndTime must be epoch milliseconds from 0 to %d (the end of 9999), got %d", int64(maxScheduleTime), *v)
		}
	}
	return nil
}

// nextRun is when s is next due after a run due at last, at now
// (SchedulerService.computeNextScheduleForSingleCron). A catch-up schedule
// follows on from last, so every missed run is started; others from now.
// Unlike Conductor, a catch-up schedule also keeps to its start and end
// times.
func nextRun(s *model.WorkflowSchedule, spec *cronSpec, now, last time.Time) (time.Time, bool) {
	from := last
	if !s.RunCatchupScheduleInstances && now.After(last) {
		from = now
	}
	if s.ScheduleStartTime != nil {
		// Conductor goes back 500 ms so that a start time on a run is kept.
		if start := time.UnixMilli(*s.ScheduleStartTime - 500); from.Before(start) {
			from = start
		}
	}
	t, ok := spec.next(from)
	if !ok || t.UnixMilli() > maxScheduleTime || t.Year() > 9999 {
		return time.Time{}, false
	}
	if s.ScheduleEndTime != nil && t.After(time.UnixMilli(*s.ScheduleEndTime)) {
		return time.Time{}, false
	}
	return t, true
}

// armSchedule sets the schedule's timer, or cancels it when it is paused or
// has no further run.
func (e *Engine) armSchedule(s *model.WorkflowSchedule, next int64) {
	key := scheduleKey(s.Name)
	if s.Paused || next == 0 || e.schedulerPaused.Load() {
		e.timers.cancel(key)
		return
	}
	name := s.Name
	e.timers.schedule(key, time.UnixMilli(next), func() { e.runSchedule(name) })
}

// rebuildSchedules arms every schedule at Start. Runs that came due while
// the server was down fire at once.
func (e *Engine) rebuildSchedules(ctx context.Context) error {
	recs, err := e.st.ListSchedules(ctx, "")
	if err != nil {
		return internalf(err, "engine start: read schedules")
	}
	for _, r := range recs {
		e.armSchedule(r.Schedule, r.NextRunTime)
	}
	return nil
}

// runSchedule is a schedule's timer: if the schedule is due, it starts the
// workflow, records the run and arms the next one
// (SchedulerService.handleSchedules).
func (e *Engine) runSchedule(name string) {
	if e.stoppingNow() || e.schedulerPaused.Load() {
		return
	}
	ctx := e.bg
	unlock := e.locks.lock(scheduleLockKey(name))
	defer unlock()
	rec, err := e.st.GetSchedule(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return
	}
	if err != nil {
		e.retrySchedule(name, err)
		return
	}
	s := rec.Schedule
	if s.Paused || rec.NextRunTime == 0 {
		return
	}
	now := e.clock.Now()
	due := time.UnixMilli(rec.NextRunTime)
	if due.After(now) {
		e.armSchedule(s, rec.NextRunTime)
		return
	}
	spec, err := parseCron(s.CronExpression, s.ZoneId)
	if err != nil { // saved by an older version with other rules: never runs
		e.log.Error("schedule cannot run", "schedule", name, "error", err)
		return
	}
	created := int64(0)
	if s.CreateTime != nil {
		created = *s.CreateTime
	}
	id := scheduleRunID("workflow", name, created, rec.NextRunTime)
	x := &model.WorkflowScheduleExecution{
		ExecutionId:          scheduleRunID("execution", name, created, rec.NextRunTime),
		ScheduleName:         name,
		ScheduledTime:        rec.NextRunTime,
		ExecutionTime:        now.UnixMilli(),
		WorkflowName:         s.StartWorkflowRequest.Name,
		StartWorkflowRequest: s.StartWorkflowRequest,
		State:                model.ScheduleExecutionExecuted,
		ZoneId:               spec.zone,
	}
	wf, err := e.startWith(ctx, scheduledRequest(s, x, spec), id, startOpts{idempotent: true})
	switch {
	case err == nil:
		x.WorkflowId = wf.WorkflowId
	case KindOf(err) == KindInternal || KindOf(err) == KindUnavailable || e.stoppingNow():
		e.retrySchedule(name, err)
		return
	default:
		// The request cannot start (no such workflow, bad input): the run
		// is recorded as FAILED with the reason, as Conductor records it.
		x.State = model.ScheduleExecutionFailed
		x.Reason = truncate(err.Error(), 999)
	}
	var next int64
	if t, ok := nextRun(s, spec, now, due); ok {
		next = t.UnixMilli()
	}
	if err := e.st.RecordScheduleRun(ctx, store.ScheduleRun{Execution: x, NextRunTime: next}); err != nil {
		e.retrySchedule(name, err)
		return
	}
	e.armSchedule(s, next)
}

func (e *Engine) retrySchedule(name string, err error) {
	if e.stoppingNow() {
		return
	}
	e.log.Error("schedule run failed; trying again", "schedule", name, "error", err)
	e.timers.schedule(scheduleKey(name), e.clock.Now().Add(scheduleRetry), func() { e.runSchedule(name) })
}

// scheduledRequest is the request a run starts: the schedule's, with the
// run's details added to the input (SchedulerService.swrFrom).
func scheduledRequest(s *model.WorkflowSchedule, x *model.WorkflowScheduleExecution, spec *cronSpec) *model.StartWorkflowRequest {
	src := s.StartWorkflowRequest
	req := *src
	req.Input = copyMap(src.Input)
	if req.Input == nil {
		req.Input = map[string]any{}
	}
	if s.CreatedBy != nil {
		req.CreatedBy = *s.CreatedBy
	}
	req.Input["_startedByScheduler"] = s.Name
	req.Input["_scheduledTime"] = x.ScheduledTime
	req.Input["_executedTime"] = x.ExecutionTime
	req.Input["_executionId"] = x.ExecutionId
	req.Input["_schedulerCron"] = s.CronExpression + " " + spec.zone
	return &req
}

// scheduleRunID is the id of a schedule's run due at due (kind
// "execution"), or of the workflow it starts (kind "workflow"): the same
// inputs give the same id, so a run repeated after a crash is recognised.
// The schedule's creation time is in it so that a schedule deleted and
// created again starts afresh.
func scheduleRunID(kind, name string, created, due int64) string {
	h := sha256.Sum256([]byte(kind + "\x00" + name + "\x00" + strconv.FormatInt(created, 10) + "\x00" + strconv.FormatInt(due, 10)))
	h[6] = h[6]&0x0f | 0x50 // a name-based UUID (version 5 layout)
	h[8] = h[8]&0x3f | 0x80
	b := hex.EncodeToString(h[:16])
	return b[0:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:32]
}

// GetSchedule returns a schedule or a 404 (SchedulerService.getSchedule).
func (e *Engine) GetSchedule(ctx context.Context, name string) (*model.WorkflowSchedule, error) {
	rec, err := e.st.GetSchedule(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Schedule '%s' not found", name)
	}
	if err != nil {
		return nil, internalf(err, "read schedule %s", name)
	}
	return rec.Schedule, nil
}

// ListSchedules returns every schedule, or those of one workflow.
func (e *Engine) ListSchedules(ctx context.Context, workflowName string) ([]*model.WorkflowSchedule, error) {
	recs, err := e.st.ListSchedules(ctx, workflowName)
	if err != nil {
		return nil, internalf(err, "list schedules")
	}
	out := make([]*model.WorkflowSchedule, len(recs))
	for i, r := range recs {
		out[i] = r.Schedule
	}
	return out, nil
}

// DeleteSchedule removes a schedule; an unknown one is not an error, as in
// Conductor. Its executions stay searchable.
func (e *Engine) DeleteSchedule(ctx context.Context, name string) error {
	unlock := e.locks.lock(scheduleLockKey(name))
	defer unlock()
	err := e.st.DeleteSchedule(ctx, name)
	e.timers.cancel(scheduleKey(name))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return internalf(err, "delete schedule %s", name)
	}
	return nil
}

// PauseSchedule stops a schedule's runs until it is resumed.
func (e *Engine) PauseSchedule(ctx context.Context, name, reason string) error {
	unlock := e.locks.lock(scheduleLockKey(name))
	defer unlock()
	rec, err := e.st.GetSchedule(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("Schedule '%s' not found", name)
	}
	if err != nil {
		return internalf(err, "read schedule %s", name)
	}
	s := rec.Schedule
	ms := e.clock.Now().UnixMilli()
	empty := ""
	s.Paused, s.PausedReason, s.UpdatedTime, s.UpdatedBy = true, reason, &ms, &empty
	if err := e.st.PutSchedule(ctx, store.ScheduleRecord{Schedule: s, NextRunTime: rec.NextRunTime}); err != nil {
		return internalf(err, "pause schedule %s", name)
	}
	e.timers.cancel(scheduleKey(name))
	return nil
}

// ResumeSchedule resumes a paused schedule from now: runs missed while it
// was paused are not started. A schedule that is not paused is a 404, as
// in Conductor (SchedulerService.resumeSchedule).
func (e *Engine) ResumeSchedule(ctx context.Context, name string) error {
	unlock := e.locks.lock(scheduleLockKey(name))
	defer unlock()
	rec, err := e.st.GetSchedule(ctx, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !rec.Schedule.Paused) {
		return notFound("Schedule '%s' not found", name)
	}
	if err != nil {
		return internalf(err, "read schedule %s", name)
	}
	s := rec.Schedule
	s.Paused, s.PausedReason = false, ""
	spec, err := parseCron(s.CronExpression, s.ZoneId)
	if err != nil {
		return err
	}
	_, err = e.saveScheduleLocked(ctx, s, spec)
	return err
}

// PauseScheduler stops (true) or restarts (false) every schedule's runs on
// this server, without changing the schedules (GET /api/scheduler/admin/pause
// and resume). Runs that came due meanwhile fire on restart, as they do
// after downtime.
func (e *Engine) PauseScheduler(ctx context.Context, pause bool) error {
	e.schedulerPaused.Store(pause)
	if pause {
		return nil
	}
	return e.rebuildSchedules(ctx)
}

// maxNextSchedules is the most run times NextSchedules returns, as
// Conductor's getListOfNextSchedules.
const maxNextSchedules = 5

// NextSchedules returns up to limit (at most 5) next run times of a cron
// expression in UTC, from now or from scheduleStartTime, until
// scheduleEndTime (GET /api/scheduler/nextFewSchedules).
func (e *Engine) NextSchedules(_ context.Context, expr string, start, end *int64, limit int) ([]int64, error) {
	if err := checkBounds(start, end); err != nil {
		return nil, err
	}
	spec, err := parseCron(expr, "")
	if err != nil {
		return nil, err
	}
	s := &model.WorkflowSchedule{ScheduleStartTime: start, ScheduleEndTime: end}
	out := []int64{}
	now := e.clock.Now()
	last := now
	for range min(maxNextSchedules, limit) {
		t, ok := nextRun(s, spec, now, last)
		if !ok {
			break
		}
		out = append(out, t.UnixMilli())
		last, now = now, t
	}
	return out, nil
}

// ScheduledWorkflowID returns the id of the workflow that the run of s due
// at due (epoch ms) starts, for tests and tools that check runs.
func ScheduledWorkflowID(s *model.WorkflowSchedule, due int64) string {
	var created int64
	if s.CreateTime != nil {
		created = *s.CreateTime
	}
	return scheduleRunID("workflow", s.Name, created, due)
}
