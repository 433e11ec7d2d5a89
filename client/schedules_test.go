package client_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func TestSchedulerClient(t *testing.T) {
	t.Parallel()
	sch := &model.WorkflowSchedule{Name: "nightly", CronExpression: "0 0 2 * * ?", ZoneId: "Europe/Paris",
		StartWorkflowRequest: &model.StartWorkflowRequest{Name: "report"}}
	stored := `{"name":"nightly","cronExpression":"0 0 2 * * ?","runCatchupScheduleInstances":false,"paused":false,
		"startWorkflowRequest":{"name":"report","input":{},"taskToDomain":{},"priority":0},"zoneId":"Europe/Paris",
		"createTime":1700000000000,"updatedTime":1700000000000,"createdBy":"","updatedBy":"","cronSchedules":[]}`
	notFound := `{"status":404,"message":"Schedule 'nope' not found","instance":"h","retryable":false}`

	runCalls(t, []callCase{{
		name:   "SaveSchedule posts the schedule and returns it as stored",
		script: []exchange{{method: "POST", path: "/scheduler/schedules", ctype: jsonType, body: mustJSON(t, sch), answer: stored}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().SaveSchedule(ctx, sch))
		},
		want: new(decodeAs[model.WorkflowSchedule](t, stored)),
	}, {
		name: "SaveSchedule without a workflow name asks nothing of the server",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().SaveSchedule(ctx, &model.WorkflowSchedule{Name: "x", CronExpression: "* * * * * *"}))
		},
		wantErrText: "conductor: save schedule: startWorkflowRequest.name is required",
	}, {
		name: "SaveSchedule without a cron expression asks nothing of the server",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().SaveSchedule(ctx, &model.WorkflowSchedule{Name: "x", StartWorkflowRequest: &model.StartWorkflowRequest{Name: "w"}}))
		},
		wantErrText: "a cron expression is required",
	}, {
		name: "SaveSchedule refused by the server is an APIError",
		script: []exchange{{method: "POST", path: "/scheduler/schedules", ctype: jsonType, body: mustJSON(t, sch),
			status: http.StatusBadRequest, answer: `{"status":400,"message":"Invalid cron expression: bad","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().SaveSchedule(ctx, sch))
		},
		wantErrText: "400 Bad Request: Invalid cron expression: bad",
	}, {
		name:   "GetSchedule escapes the name",
		script: []exchange{{method: "GET", path: "/scheduler/schedules/a%2Fb", answer: stored}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().GetSchedule(ctx, "a/b"))
		},
		want: new(decodeAs[model.WorkflowSchedule](t, stored)),
	}, {
		name:   "GetSchedule of an unknown name is ErrNotFound",
		script: []exchange{{method: "GET", path: "/scheduler/schedules/nope", status: http.StatusNotFound, answer: notFound}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().GetSchedule(ctx, "nope"))
		},
		wantErr: client.ErrNotFound,
	}, {
		name: "GetSchedule of .. asks nothing of the server",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().GetSchedule(ctx, ".."))
		},
		wantErrText: "is not a usable name",
	}, {
		name:   "GetAllSchedules of one workflow",
		script: []exchange{{method: "GET", path: "/scheduler/schedules", query: q("workflowName", "report"), answer: "[" + stored + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().GetAllSchedules(ctx, "report"))
		},
		want: []model.WorkflowSchedule{decodeAs[model.WorkflowSchedule](t, stored)},
	}, {
		name:   "GetAllSchedules of none is empty",
		script: []exchange{{method: "GET", path: "/scheduler/schedules", answer: "[]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().GetAllSchedules(ctx, ""))
		},
		want: []model.WorkflowSchedule{},
	}, {
		name:   "DeleteSchedule",
		script: []exchange{{method: "DELETE", path: "/scheduler/schedules/nightly"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Scheduler().DeleteSchedule(ctx, "nightly"))
		},
	}, {
		name:   "PauseSchedule with a reason",
		script: []exchange{{method: "PUT", path: "/scheduler/schedules/nightly/pause", query: q("reason", "audit")}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Scheduler().PauseSchedule(ctx, "nightly", "audit"))
		},
	}, {
		name:   "PauseSchedule without a reason",
		script: []exchange{{method: "PUT", path: "/scheduler/schedules/nightly/pause"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Scheduler().PauseSchedule(ctx, "nightly", ""))
		},
	}, {
		name:   "ResumeSchedule of a running schedule is ErrNotFound, as Conductor answers",
		script: []exchange{{method: "PUT", path: "/scheduler/schedules/nope/resume", status: http.StatusNotFound, answer: notFound}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Scheduler().ResumeSchedule(ctx, "nope"))
		},
		wantErr: client.ErrNotFound,
	}, {
		name: "GetNextFewSchedules",
		script: []exchange{{method: "GET", path: "/scheduler/nextFewSchedules",
			query:  q("cronExpression", "0 0 * * * ?", "limit", "2", "scheduleStartTime", "1700000000000"),
			answer: `[1700002800000,1700006400000]`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().GetNextFewSchedules(ctx, "0 0 * * * ?", time.UnixMilli(1_700_000_000_000), time.Time{}, 2))
		},
		want: []time.Time{time.UnixMilli(1_700_002_800_000).UTC(), time.UnixMilli(1_700_006_400_000).UTC()},
	}, {
		name: "GetNextFewSchedules without an expression asks nothing of the server",
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().GetNextFewSchedules(ctx, " ", time.Time{}, time.Time{}, 5))
		},
		wantErrText: "a cron expression is required",
	}, {
		name: "SearchScheduleExecutions builds Conductor's query",
		script: []exchange{{method: "GET", path: "/scheduler/search/executions",
			query:  q("query", "scheduleName IN (a,b) AND state IN (FAILED) AND workflowName=report", "sort", "scheduledTime:ASC", "size", "10"),
			answer: `{"totalHits":1,"results":[{"executionId":"e","scheduleName":"a","scheduledTime":1,"executionTime":2,"state":"FAILED","reason":"No such workflow"}]}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().SearchScheduleExecutions(ctx, client.ScheduleExecutionSearch{ScheduleNames: []string{"a", "b"},
				States: []model.ScheduleExecutionState{model.ScheduleExecutionFailed}, WorkflowName: "report",
				Sort: []string{"scheduledTime:ASC"}, Size: 10}))
		},
		want: &model.SearchResult[model.WorkflowScheduleExecution]{TotalHits: 1, Results: []model.WorkflowScheduleExecution{{
			ExecutionId: "e", ScheduleName: "a", ScheduledTime: 1, ExecutionTime: 2, State: model.ScheduleExecutionFailed, Reason: "No such workflow"}}},
	}, {
		name:   "SearchScheduleExecutions with nothing set sends no query",
		script: []exchange{{method: "GET", path: "/scheduler/search/executions", answer: `{"totalHits":0,"results":[]}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Scheduler().SearchScheduleExecutions(ctx, client.ScheduleExecutionSearch{}))
		},
		want: &model.SearchResult[model.WorkflowScheduleExecution]{Results: []model.WorkflowScheduleExecution{}},
	}})
}
