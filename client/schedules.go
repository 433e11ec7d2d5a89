package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/batonhq/baton/model"
)

// SchedulerClient calls /api/scheduler: workflow schedules, started on a
// cron expression by Conductor's scheduler module (3.32 and later, when the
// server enables it) and by Baton's server. Get one with
// APIClient.Scheduler. Names follow Orkes' Go SDK SchedulerClient.
type SchedulerClient struct{ c *APIClient }

// Scheduler returns the client for /api/scheduler.
func (c *APIClient) Scheduler() *SchedulerClient { return &SchedulerClient{c: c} }

// SaveSchedule creates a schedule, or replaces the one with its name
// (POST /api/scheduler/schedules), and returns it as the server stored it.
func (s *SchedulerClient) SaveSchedule(ctx context.Context, sch *model.WorkflowSchedule) (*model.WorkflowSchedule, error) {
	const op = "save schedule"
	switch {
	case sch == nil || sch.Name == "":
		return nil, errRequired(op, "a named schedule")
	case sch.StartWorkflowRequest == nil || sch.StartWorkflowRequest.Name == "":
		return nil, errRequired(op, "startWorkflowRequest.name")
	case strings.TrimSpace(sch.CronExpression) == "" && len(sch.CronSchedules) == 0:
		return nil, errRequired(op, "a cron expression")
	}
	return call[model.WorkflowSchedule](ctx, s.c, request{method: http.MethodPost, path: "/scheduler/schedules", body: sch})
}

// GetSchedule returns the schedule called name; an unknown one is
// ErrNotFound.
func (s *SchedulerClient) GetSchedule(ctx context.Context, name string) (*model.WorkflowSchedule, error) {
	n, err := segment("get schedule", "schedule name", name)
	if err != nil {
		return nil, err
	}
	return call[model.WorkflowSchedule](ctx, s.c, request{method: http.MethodGet, path: "/scheduler/schedules/" + n})
}

// GetAllSchedules returns every schedule, or those that start workflowName
// when it is not empty.
func (s *SchedulerClient) GetAllSchedules(ctx context.Context, workflowName string) ([]model.WorkflowSchedule, error) {
	var q url.Values
	if workflowName != "" {
		q = url.Values{"workflowName": {workflowName}}
	}
	return list[model.WorkflowSchedule](ctx, s.c, request{method: http.MethodGet, path: "/scheduler/schedules", query: q})
}

// DeleteSchedule removes the schedule called name; the servers answer an
// unknown name as a success.
func (s *SchedulerClient) DeleteSchedule(ctx context.Context, name string) error {
	n, err := segment("delete schedule", "schedule name", name)
	if err != nil {
		return err
	}
	return exec(ctx, s.c, request{method: http.MethodDelete, path: "/scheduler/schedules/" + n})
}

// PauseSchedule stops the schedule's runs; reason, when given, is kept as
// its pausedReason.
func (s *SchedulerClient) PauseSchedule(ctx context.Context, name, reason string) error {
	n, err := segment("pause schedule", "schedule name", name)
	if err != nil {
		return err
	}
	q := url.Values{}
	setIf(q, "reason", reason)
	if len(q) == 0 {
		q = nil
	}
	return exec(ctx, s.c, request{method: http.MethodPut, path: "/scheduler/schedules/" + n + "/pause", query: q})
}

// ResumeSchedule resumes a paused schedule from now. A schedule that is not
// paused is ErrNotFound, as Conductor answers.
func (s *SchedulerClient) ResumeSchedule(ctx context.Context, name string) error {
	n, err := segment("resume schedule", "schedule name", name)
	if err != nil {
		return err
	}
	return exec(ctx, s.c, request{method: http.MethodPut, path: "/scheduler/schedules/" + n + "/resume"})
}

// GetNextFewSchedules returns the next run times (at most 5, and at most
// limit) of a cron expression, read in UTC, from now or from start until
// end (either may be zero) (GET /api/scheduler/nextFewSchedules).
func (s *SchedulerClient) GetNextFewSchedules(ctx context.Context, cronExpression string, start, end time.Time, limit int) ([]time.Time, error) {
	if strings.TrimSpace(cronExpression) == "" {
		return nil, errRequired("next schedules", "a cron expression")
	}
	q := url.Values{"cronExpression": {cronExpression}, "limit": {strconv.Itoa(limit)}}
	if !start.IsZero() {
		q.Set("scheduleStartTime", strconv.FormatInt(start.UnixMilli(), 10))
	}
	if !end.IsZero() {
		q.Set("scheduleEndTime", strconv.FormatInt(end.UnixMilli(), 10))
	}
	ms, err := list[int64](ctx, s.c, request{method: http.MethodGet, path: "/scheduler/nextFewSchedules", query: q})
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, len(ms))
	for i, m := range ms {
		out[i] = time.UnixMilli(m).UTC()
	}
	return out, nil
}

// ScheduleExecutionSearch selects schedule runs. Zero fields select all.
type ScheduleExecutionSearch struct {
	// ScheduleNames and States select by schedule and by outcome.
	ScheduleNames []string
	States        []model.ScheduleExecutionState
	// WorkflowName selects runs of one workflow.
	WorkflowName string
	// FreeText matches text in a run ("*" or "" for all).
	FreeText string
	// Sort is "field" or "field:ASC|DESC" (scheduledTime, executionTime,
	// scheduleName, workflowName, state); the servers' default is
	// scheduledTime descending.
	Sort  []string
	Start int
	// Size is the page size; 0 means the servers' default, 100.
	Size int
}

// SearchScheduleExecutions returns one page of schedule runs and how many
// match (GET /api/scheduler/search/executions).
func (s *SchedulerClient) SearchScheduleExecutions(ctx context.Context, o ScheduleExecutionSearch) (*model.SearchResult[model.WorkflowScheduleExecution], error) {
	var clauses []string
	if len(o.ScheduleNames) > 0 {
		clauses = append(clauses, "scheduleName IN ("+strings.Join(o.ScheduleNames, ",")+")")
	}
	if len(o.States) > 0 {
		st := make([]string, len(o.States))
		for i, v := range o.States {
			st[i] = string(v)
		}
		clauses = append(clauses, "state IN ("+strings.Join(st, ",")+")")
	}
	if o.WorkflowName != "" {
		clauses = append(clauses, "workflowName="+o.WorkflowName)
	}
	q := url.Values{}
	setIf(q, "query", strings.Join(clauses, " AND "))
	setIf(q, "freeText", o.FreeText)
	setIf(q, "sort", strings.Join(o.Sort, ","))
	if o.Start != 0 {
		q.Set("start", strconv.Itoa(o.Start))
	}
	if o.Size != 0 {
		q.Set("size", strconv.Itoa(o.Size))
	}
	if len(q) == 0 {
		q = nil
	}
	return call[model.SearchResult[model.WorkflowScheduleExecution]](ctx, s.c, request{method: http.MethodGet, path: "/scheduler/search/executions", query: q})
}
