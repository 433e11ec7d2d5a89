package scenario

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/batonhq/baton/compat/trace"
)

// Schedules: Conductor's scheduler module (/api/scheduler, conductor-scheduler-core's
// SchedulerResource and SchedulerBulkResource), switched on for the oracle in
// compat/oracle.properties.

func scheduleScenarios() []Scenario {
	return []Scenario{
		{Name: "schedule_crud", Source: "POST/GET/DELETE /scheduler/schedules, pause, resume, bulk, search", Run: scheduleCRUD},
		{Name: "schedule_errors", Source: "schedules a server cannot run and requests it cannot answer", Run: scheduleErrors},
		{Name: "schedule_next_runs", Source: "GET /scheduler/nextFewSchedules for Spring cron expressions (ranges, steps, ?, L, W, #, names, macros)", Run: scheduleNextRuns},
		{Name: "schedule_fires", Source: "a schedule firing every second starts workflows; one of an unknown workflow records failed runs", Run: scheduleFires},
	}
}

// waitWorkflow registers N(name): one WAIT task, so the workflows a schedule starts stay
// RUNNING.
func (s *S) waitWorkflow(name string) {
	s.RegisterWorkflow(s.WorkflowDef(name, nil, M{"name": "wait", "taskReferenceName": "wait", "type": "WAIT"}))
}

func (s *S) schedule(name, workflow string, fields M) M {
	sc := M{"name": s.N(name), "cronExpression": "0 0 0 1 1 ?", "startWorkflowRequest": M{"name": s.N(workflow)}}
	for k, v := range fields {
		sc[k] = v
	}
	return sc
}

func scheduleCRUD(s *S) {
	s.waitWorkflow("wf")
	get := func(name, label string) {
		s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules/{name}", Args: []string{s.N(name)}, Label: label})
	}
	s.Do(Req{Method: http.MethodPost, Path: "/scheduler/schedules", Body: s.schedule("a", "wf", nil), Label: "save a minimal schedule"})
	get("a", "get a")
	full := s.schedule("b", "wf", M{
		"cronExpression": "0 30 9 ? * MON-FRI", "zoneId": "America/New_York", "description": "weekday mornings",
		"runCatchupScheduleInstances": true, "scheduleStartTime": 1893456000000, "scheduleEndTime": 1924992000000,
		"startWorkflowRequest": M{"name": s.N("wf"), "version": 1, "correlationId": "c1", "input": M{"k": "v"},
			"taskToDomain": M{"t": "d"}, "priority": 3},
	})
	s.Do(Req{Method: http.MethodPost, Path: "/scheduler/schedules", Body: full, Label: "save a schedule with every field"})
	get("b", "get b")
	full["description"] = "updated"
	s.Do(Req{Method: http.MethodPost, Path: "/scheduler/schedules", Body: full, Label: "save b again"})
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules", Query: url.Values{"workflowName": {s.N("wf")}}, Label: "list by workflow"})
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules", Query: url.Values{"workflowName": {s.N("none")}}, Label: "list by an unknown workflow"})
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules", View: s.Own, Label: "list all (own)"})
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules/search", Query: url.Values{"workflowName": {s.N("wf")}}, Label: "search by workflow"})

	s.Do(Req{Method: http.MethodPut, Path: "/scheduler/schedules/{name}/pause", Args: []string{s.N("a")}, Query: url.Values{"reason": {"audit"}}, Label: "pause a"})
	get("a", "a paused")
	s.Do(Req{Method: http.MethodPut, Path: "/scheduler/schedules/{name}/resume", Args: []string{s.N("a")}, Label: "resume a"})
	get("a", "a resumed")
	s.Do(Req{Method: http.MethodPut, Path: "/scheduler/schedules/{name}/resume", Args: []string{s.N("a")}, Label: "resume a running schedule"})
	s.Do(Req{Method: http.MethodPut, Path: "/scheduler/schedules/{name}/pause", Args: []string{s.N("nope")}, Query: url.Values{"reason": {"x"}}, Label: "pause an unknown schedule"})
	s.Do(Req{Method: http.MethodPut, Path: "/scheduler/bulk/pause", Body: []any{s.N("a"), s.N("b"), s.N("nope")}, Label: "bulk pause"})
	s.Do(Req{Method: http.MethodPut, Path: "/scheduler/bulk/resume", Body: []any{s.N("a"), s.N("nope")}, Label: "bulk resume"})
	get("b", "b paused by bulk")

	s.Do(Req{Method: http.MethodDelete, Path: "/scheduler/schedules/{name}", Args: []string{s.N("a")}, Label: "delete a"})
	get("a", "get a after delete")
	s.Do(Req{Method: http.MethodDelete, Path: "/scheduler/schedules/{name}", Args: []string{s.N("a")}, Label: "delete a again"})
	s.Do(Req{Method: http.MethodDelete, Path: "/scheduler/schedules/{name}", Args: []string{s.N("b")}, Label: "delete b"})
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules", Query: url.Values{"workflowName": {s.N("wf")}}, Label: "list after deletes"})
}

func scheduleErrors(s *S) {
	s.waitWorkflow("wf")
	save := func(label string, body M) {
		s.Do(Req{Method: http.MethodPost, Path: "/scheduler/schedules", Body: body, Label: label})
	}
	save("no name", M{"cronExpression": "0 0 0 1 1 ?", "startWorkflowRequest": M{"name": s.N("wf")}})
	save("no startWorkflowRequest", M{"name": s.N("e1"), "cronExpression": "0 0 0 1 1 ?"})
	save("no workflow name", M{"name": s.N("e2"), "cronExpression": "0 0 0 1 1 ?", "startWorkflowRequest": M{}})
	save("unknown zone", s.schedule("e3", "wf", M{"zoneId": "Mars/Olympus_Mons"}))
	save("no cron expression", M{"name": s.N("e4"), "startWorkflowRequest": M{"name": s.N("wf")}})
	save("invalid cron expression", s.schedule("e5", "wf", M{"cronExpression": "not a cron"}))
	save("five-field cron expression", s.schedule("e6", "wf", M{"cronExpression": "0 0 1 1 *"}))
	bad := `{"name": `
	s.Do(Req{Method: http.MethodPost, Path: "/scheduler/schedules", Raw: &bad, ContentType: "application/json", Label: "truncated JSON"})
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules/{name}", Args: []string{s.N("nope")}, Label: "get an unknown schedule"})
	next := func(label string, q url.Values) {
		s.Do(Req{Method: http.MethodGet, Path: "/scheduler/nextFewSchedules", Query: q, Label: label})
	}
	next("next runs without an expression", nil)
	next("next runs of an invalid expression", url.Values{"cronExpression": {"not a cron"}})
	next("next runs with a word for limit", url.Values{"cronExpression": {"0 0 0 1 1 ?"}, "limit": {"few"}})
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/schedules", Query: url.Values{"workflowName": {s.N("wf")}}, Label: "what was saved"})
	for _, n := range []string{"e4", "e5", "e6"} {
		s.Do(Req{Method: http.MethodDelete, Path: "/scheduler/schedules/{name}", Args: []string{s.N(n)}, Label: "clean up " + n})
	}
}

// cronTable holds expressions whose next runs both servers compute from a fixed start,
// 2030-01-01T00:00:00Z (a Tuesday), so the answers do not depend on when the suite runs.
var cronTable = []string{
	"* * * * * ?",
	"*/15 * * * * *",
	"0 0 12 * * ?",
	"0 15 10 ? * *",
	"0 0/5 14,18 * * ?",
	"0 0-5 14 * * ?",
	"0 10,44 14 ? 3 WED",
	"0 15 10 ? * MON-FRI",
	"0 15 10 15 * ?",
	"0 0 0 L * ?",
	"0 0 0 L-3 * ?",
	"0 0 0 15W * ?",
	"0 0 0 1W * ?",
	"0 0 0 LW * ?",
	"0 15 10 ? * 6#3",
	"0 15 10 ? * FRI#1",
	"0 15 10 ? * 5L",
	"0 0 0 ? JAN,JUL SUN",
	"0 0 0 * * 0",
	"0 0 0 * * 7",
	"0 0 0 1 * MON",
	"0 0 0 29 2 ?",
	"0 0 0 30 2 ?",
	"0 0 9-17/2 * * MON-FRI",
	"@hourly",
	"@daily",
	"@weekly",
	"@monthly",
	"@yearly",
}

func scheduleNextRuns(s *S) {
	for _, expr := range cronTable {
		s.Do(Req{Method: http.MethodGet, Path: "/scheduler/nextFewSchedules",
			Query: url.Values{"cronExpression": {expr}, "scheduleStartTime": {"1893456000000"}, "limit": {"5"}}, Label: expr})
	}
	q := url.Values{"cronExpression": {"0 0 * * * ?"}, "scheduleStartTime": {"1893456000000"}, "scheduleEndTime": {"1893463200000"}}
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/nextFewSchedules", Query: q, Label: "hourly within two hours"})
	q = url.Values{"cronExpression": {"0 0 * * * ?"}, "scheduleStartTime": {"1893456000000"}, "limit": {"50"}}
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/nextFewSchedules", Query: q, Label: "a limit above 5"})
	q = url.Values{"cronExpression": {"0 0 * * * ?"}, "scheduleStartTime": {"1893456000000"}, "limit": {"2"}}
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/nextFewSchedules", Query: q, Label: "a limit of 2"})
	q = url.Values{"cronExpression": {"0 0 * * * ?"}, "limit": {"-1"}}
	s.Do(Req{Method: http.MethodGet, Path: "/scheduler/nextFewSchedules", Query: q, Label: "a negative limit"})
}

// executionView keeps what two servers can agree on in a page of schedule runs: how many
// there are (at least min), and the first run's fields other than ids, times and Java's
// stack trace.
func executionView(min int) func(any) any {
	return func(v any) any {
		m, ok := v.(M)
		if !ok {
			return v
		}
		out := M{"atLeast": num(m, "totalHits") >= float64(min)}
		if l, ok := m["results"].([]any); ok && len(l) > 0 {
			if x, ok := l[0].(M); ok {
				first := M{}
				for _, k := range []string{"scheduleName", "workflowName", "state", "zoneId", "reason", "startWorkflowRequest"} {
					if e, ok := x[k]; ok {
						first[k] = e
					}
				}
				_, first["hasWorkflowId"] = x["workflowId"]
				out["first"] = first
			}
		}
		return out
	}
}

// startedView keeps the input keys of the first workflow a schedule started and the values
// that do not change from run to run.
func startedView(v any) any {
	m, ok := v.(M)
	if !ok {
		return v
	}
	in, _ := m["input"].(M)
	var keys []string
	for k := range in {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return M{"status": m["status"], "correlationId": m["correlationId"], "inputKeys": keys,
		"_startedByScheduler": in["_startedByScheduler"], "_schedulerCron": in["_schedulerCron"], "k": in["k"]}
}

func scheduleFires(s *S) {
	s.waitWorkflow("wf")
	every := s.schedule("every", "wf", M{"cronExpression": "* * * * * ?", "zoneId": "Asia/Kolkata",
		"startWorkflowRequest": M{"name": s.N("wf"), "correlationId": "sched", "input": M{"k": "v"}}})
	s.Do(Req{Method: http.MethodPost, Path: "/scheduler/schedules", Body: every, Label: "save a schedule for every second"})
	ghost := s.schedule("ghost", "nope", M{"cronExpression": "* * * * * ?"})
	s.Do(Req{Method: http.MethodPost, Path: "/scheduler/schedules", Body: ghost, Label: "save a schedule of an unknown workflow"})

	runs := func(name, state string) Req {
		return Req{Method: http.MethodGet, Path: "/scheduler/search/executions",
			Query: url.Values{"query": {"scheduleName IN (" + s.N(name) + ") AND state IN (" + state + ")"}}}
	}
	r := runs("every", "EXECUTED")
	r.View = executionView(3)
	s.Await("three runs recorded", r, func(r *Resp) bool { return num(r.Obj(), "totalHits") >= 3 })
	r = runs("ghost", "FAILED")
	r.View = executionView(1)
	s.Await("a failed run recorded", r, func(r *Resp) bool { return num(r.Obj(), "totalHits") >= 1 })
	for _, n := range []string{"every", "ghost"} {
		s.Do(Req{Method: http.MethodPut, Path: "/scheduler/schedules/{name}/pause", Args: []string{s.N(n)}, Query: url.Values{"reason": {"done"}}, Label: "pause " + n})
	}

	wfs := s.Do(Req{Method: http.MethodGet, Path: "/workflow/search", Label: "workflows started",
		Query: url.Values{"query": {"workflowType IN (" + s.N("wf") + ")"}, "size": {"100"}},
		View: func(v any) any {
			m, _ := v.(M)
			return M{"atLeast3": num(m, "totalHits") >= 3}
		}})
	l, _ := wfs.Obj()["results"].([]any)
	if len(l) == 0 {
		s.abort("no workflow was started")
	}
	first, _ := l[0].(M)
	id := str(first, "workflowId")
	s.learn(id, trace.IDWorkflow)
	s.Do(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}, Query: url.Values{"includeTasks": {"false"}},
		Label: "a started workflow", View: startedView})
	for _, n := range []string{"every", "ghost"} {
		s.Do(Req{Method: http.MethodDelete, Path: "/scheduler/schedules/{name}", Args: []string{s.N(n)}, Label: "delete " + n})
	}
}
