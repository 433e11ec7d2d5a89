package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/model"
)

// schedulerHandler is the API on a real engine over a memory store and a
// fake clock.
func schedulerHandler(t *testing.T) (http.Handler, *enginetest.Clock, *engine.Engine) {
	t.Helper()
	clock := enginetest.NewClock(time.UnixMilli(1_700_000_000_000))
	e, err := engine.New(engine.Config{Store: enginetest.NewMemStore(), Clock: clock})
	require.NoError(t, err)
	require.NoError(t, e.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, e.Stop(context.Background())) })
	return NewHandler(e, Config{ServerID: testServerID}), clock, e
}

func TestSchedulerRoutes(t *testing.T) {
	t.Parallel()
	h, clock, e := schedulerHandler(t)
	resp := doWith(t, h, "POST", "/api/metadata/workflow", `{"name":"wf","version":1,"schemaVersion":2,"tasks":[{"name":"w","taskReferenceName":"w","type":"WAIT"}]}`)
	require.Equal(t, 200, resp.StatusCode, readAll(t, resp))

	resp = doWith(t, h, "POST", "/api/scheduler/schedules", `{"name":"s1","cronExpression":"* * * * * ?","startWorkflowRequest":{"name":"wf","version":1,"input":{"a":1}},"description":"d"}`)
	body := readAll(t, resp)
	require.Equal(t, 200, resp.StatusCode, body)
	require.JSONEq(t, `{"name":"s1","cronExpression":"* * * * * ?","runCatchupScheduleInstances":false,"paused":false,
		"startWorkflowRequest":{"name":"wf","version":1,"input":{"a":1},"taskToDomain":{},"priority":0},"zoneId":"UTC",
		"createTime":1700000000000,"updatedTime":1700000000000,"createdBy":"","updatedBy":"","description":"d","cronSchedules":[]}`, body)

	resp = doWith(t, h, "GET", "/api/scheduler/schedules/s1", "")
	require.JSONEq(t, body, readAll(t, resp))
	resp = doWith(t, h, "GET", "/api/scheduler/schedules?workflowName=wf", "")
	require.JSONEq(t, "["+body+"]", readAll(t, resp))
	resp = doWith(t, h, "GET", "/api/scheduler/schedules?workflowName=other", "")
	require.Equal(t, "[]", strings.TrimSpace(readAll(t, resp)))
	resp = doWith(t, h, "GET", "/api/scheduler/schedules/search?paused=false", "")
	require.JSONEq(t, `{"totalHits":1,"results":[`+body+`]}`, readAll(t, resp))

	for range 2 {
		clock.Advance(time.Second)
		e.RunDueTimers()
	}
	resp = doWith(t, h, "GET", "/api/scheduler/search/executions?query=scheduleName+IN+(s1)&sort=scheduledTime:ASC", "")
	var res model.SearchResult[model.WorkflowScheduleExecution]
	require.NoError(t, json.Unmarshal([]byte(readAll(t, resp)), &res))
	require.EqualValues(t, 2, res.TotalHits)
	require.Equal(t, model.ScheduleExecutionExecuted, res.Results[0].State)
	require.EqualValues(t, 1_700_000_001_000, res.Results[0].ScheduledTime)

	resp = doWith(t, h, "PUT", "/api/scheduler/schedules/s1/pause?reason=why", "")
	require.Equal(t, 200, resp.StatusCode)
	require.Empty(t, readAll(t, resp))
	resp = doWith(t, h, "PUT", "/api/scheduler/schedules/s1/resume", "")
	require.Equal(t, 200, resp.StatusCode)
	e404 := errorBody(t, doWith(t, h, "PUT", "/api/scheduler/schedules/s1/resume", ""), 404)
	require.Equal(t, "Schedule 's1' not found", e404.Message)
	resp = doWith(t, h, "PUT", "/api/scheduler/bulk/pause", `["s1","nope"]`)
	require.JSONEq(t, `{"bulkErrorResults":{"nope":"Schedule 'nope' not found"},"bulkSuccessfulResults":["s1"]}`, readAll(t, resp))
	resp = doWith(t, h, "GET", "/api/scheduler/admin/pause", "")
	require.JSONEq(t, `{"status":"done"}`, readAll(t, resp))
	resp = doWith(t, h, "GET", "/api/scheduler/admin/resume", "")
	require.JSONEq(t, `{"status":"done"}`, readAll(t, resp))

	resp = doWith(t, h, "GET", "/api/scheduler/nextFewSchedules?cronExpression=0+0+*+*+*+%3F&limit=2", "")
	require.JSONEq(t, `[1700002800000,1700006400000]`, readAll(t, resp))

	resp = doWith(t, h, "DELETE", "/api/scheduler/schedules/s1", "")
	require.Equal(t, 200, resp.StatusCode)
	resp = doWith(t, h, "DELETE", "/api/scheduler/schedules/s1", "")
	require.Equal(t, 200, resp.StatusCode, "deleting an unknown schedule is not an error")
	e404 = errorBody(t, doWith(t, h, "GET", "/api/scheduler/schedules/s1", ""), 404)
	require.Equal(t, "Schedule 's1' not found", e404.Message)
}

// TestSchedulerBadInput: each client mistake is a 400 that says what is
// wrong (Conductor answers several of them 500), and nothing is saved.
func TestSchedulerBadInput(t *testing.T) {
	t.Parallel()
	h, _, _ := schedulerHandler(t)
	req := `"startWorkflowRequest":{"name":"wf"}`
	for _, tc := range []struct {
		name, method, target, body, msg string
	}{
		{"no body", "POST", "/api/scheduler/schedules", "", "request body is missing"},
		{"broken JSON", "POST", "/api/scheduler/schedules", `{"name":`, "not valid JSON"},
		{"array body", "POST", "/api/scheduler/schedules", `[]`, "WorkflowSchedule object"},
		{"string for a bool", "POST", "/api/scheduler/schedules", `{"name":"s","paused":"yes"}`, `field "paused"`},
		{"no name", "POST", "/api/scheduler/schedules", `{"cronExpression":"* * * * * *",` + req + `}`, "name is required"},
		{"no request", "POST", "/api/scheduler/schedules", `{"name":"s","cronExpression":"* * * * * *"}`, "startWorkflowRequest is required"},
		{"no workflow name", "POST", "/api/scheduler/schedules", `{"name":"s","cronExpression":"* * * * * *","startWorkflowRequest":{}}`, "startWorkflowRequest.name is required"},
		{"no cron", "POST", "/api/scheduler/schedules", `{"name":"s",` + req + `}`, "cronExpression is required"},
		{"bad cron", "POST", "/api/scheduler/schedules", `{"name":"s","cronExpression":"bad",` + req + `}`, "Invalid cron expression"},
		{"huge cron", "POST", "/api/scheduler/schedules", `{"name":"s","cronExpression":"` + strings.Repeat("1,", 100000) + `1 * * * * *",` + req + `}`, "Invalid cron expression"},
		{"bad zone", "POST", "/api/scheduler/schedules", `{"name":"s","cronExpression":"* * * * * *","zoneId":"Mars/Base",` + req + `}`, "Unknown time-zone ID: Mars/Base"},
		{"huge name", "POST", "/api/scheduler/schedules", `{"name":"` + strings.Repeat("n", 100000) + `","cronExpression":"* * * * * *",` + req + `}`, "name is longer"},
		{"next without cron", "GET", "/api/scheduler/nextFewSchedules", "", "query parameter cronExpression is required"},
		{"next with bad cron", "GET", "/api/scheduler/nextFewSchedules?cronExpression=bad", "", "Invalid cron expression"},
		{"next with a word for limit", "GET", "/api/scheduler/nextFewSchedules?cronExpression=*+*+*+*+*+*&limit=few", "", "query parameter limit must be a whole number"},
		{"next with a word for start", "GET", "/api/scheduler/nextFewSchedules?cronExpression=*+*+*+*+*+*&scheduleStartTime=now", "", "scheduleStartTime"},
		{"next from after 9999", "GET", "/api/scheduler/nextFewSchedules?cronExpression=*+*+*+*+*+*&scheduleStartTime=9223372036854775807", "", "end of 9999"},
		{"schedule ending after 9999", "POST", "/api/scheduler/schedules", `{"name":"s","cronExpression":"* * * * * *","scheduleEndTime":9223372036854775807,` + req + `}`, "end of 9999"},
		{"executions with a bad time", "GET", "/api/scheduler/search/executions?query=scheduledTime>soon", "", "scheduledTime takes epoch milliseconds"},
		{"executions with a bad sort", "GET", "/api/scheduler/search/executions?sort=json", "", "cannot sort by"},
		{"executions with a negative start", "GET", "/api/scheduler/search/executions?start=-1", "", "must not be negative"},
		{"schedules with a bad sort", "GET", "/api/scheduler/schedules/search?sort=json", "", "cannot sort schedules"},
		{"schedules with a word for paused", "GET", "/api/scheduler/schedules/search?paused=maybe", "", "paused"},
		{"bulk without body", "PUT", "/api/scheduler/bulk/pause", "", "request body is missing"},
		{"bulk with an object", "PUT", "/api/scheduler/bulk/resume", `{}`, ""},
	} {
		e := errorBody(t, doWith(t, h, tc.method, tc.target, tc.body), 400)
		require.Contains(t, e.Message, tc.msg, tc.name)
	}
	resp := doWith(t, h, "GET", "/api/scheduler/schedules", "")
	require.Equal(t, "[]", strings.TrimSpace(readAll(t, resp)))
}
