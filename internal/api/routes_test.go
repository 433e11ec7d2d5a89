package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

const (
	ctJSON = contentTypeJSON
	ctText = contentTypeText
	ctNone = ""
)

var (
	task1 = &model.WorkerTask{TaskId: "t1", TaskType: "task_1", Status: model.TaskInProgress, WorkflowInstanceId: "w1",
		ReferenceTaskName: "r1", InputData: map[string]any{"a": 1.0}}
	task2 = &model.WorkerTask{TaskId: "t2", TaskType: "task_1", Status: model.TaskScheduled, WorkflowInstanceId: "w1"}
	wf1   = &model.Workflow{WorkflowId: "w1", WorkflowName: "wf", WorkflowVersion: 2, Status: model.WorkflowRunning,
		CorrelationId: "c1", CreateTime: 1000, Input: map[string]any{"k": "v"}, Output: map[string]any{"o": 1.0},
		Variables: map[string]any{"x": true}, Tasks: []model.WorkerTask{*task1, *task2}}
	def1 = &model.WorkflowDef{Name: "wf", Version: 2, Tasks: []model.WorkflowTask{{Name: "task_1", TaskReferenceName: "r1"}}}
)

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func c(method string, args ...any) call { return call{Method: method, Args: args} }

func intp(n int) *int { return &n }

type routeCase struct {
	name           string
	method, target string
	body           string
	setup          func(f *fakeService)
	status         int
	ctype          string
	want           string // exact body; compared as JSON when ctype is JSON
	calls          []call
}

func runRouteCases(t *testing.T, cases []routeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			if tc.setup != nil {
				tc.setup(f)
			}
			resp := do(t, f, tc.method, tc.target, tc.body)
			body := readAll(t, resp)
			require.Equal(t, tc.status, resp.StatusCode, "body: %s", body)
			require.Equal(t, tc.ctype, resp.Header.Get("Content-Type"))
			switch {
			case tc.ctype == ctJSON && tc.want != "":
				require.JSONEq(t, tc.want, body)
			case tc.status >= 400:
				var e model.ErrorResponse
				require.NoError(t, json.Unmarshal([]byte(body), &e))
				require.Equal(t, tc.status, e.Status)
				require.NotEmpty(t, e.Message)
			default:
				require.Equal(t, tc.want, body)
			}
			require.Equal(t, tc.calls, nilIfEmpty(f.recorded()))
		})
	}
}

func nilIfEmpty(c []call) []call {
	if len(c) == 0 {
		return nil
	}
	return c
}

func TestTaskRoutes(t *testing.T) {
	t.Parallel()
	poll1 := engine.PollRequest{Domain: "d", WorkerID: "w", Count: 1, Timeout: 100 * time.Millisecond}
	result := model.TaskResult{WorkflowInstanceId: "w1", TaskId: "t1", Status: model.CompletedTask, OutputData: map[string]any{"o": 1.0}}
	logs := []model.TaskExecLog{{Log: "l1", TaskId: "t1", CreatedTime: 5}}
	runRouteCases(t, []routeCase{
		{name: "poll answers the task", method: "GET", target: "/api/tasks/poll/task_1?workerid=w&domain=d",
			setup:  func(f *fakeService) { f.on("Poll", []*model.WorkerTask{task1}, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(task1), calls: []call{c("Poll", "task_1", poll1)}},
		{name: "poll of an empty queue is 204", method: "GET", target: "/api/tasks/poll/task_1?workerid=w&domain=d",
			status: 204, ctype: ctNone, calls: []call{c("Poll", "task_1", poll1)}},
		{name: "batch poll with defaults", method: "GET", target: "/api/tasks/poll/batch/task_1",
			setup:  func(f *fakeService) { f.on("Poll", []*model.WorkerTask{task1, task2}, nil) },
			status: 200, ctype: ctJSON, want: mustJSON([]*model.WorkerTask{task1, task2}),
			calls: []call{c("Poll", "task_1", engine.PollRequest{Count: 1, Timeout: 100 * time.Millisecond})}},
		{name: "batch poll of an empty queue is []", method: "GET", target: "/api/tasks/poll/batch/task_1?count=5&timeout=5000&workerid=w&domain=d",
			status: 200, ctype: ctJSON, want: `[]`,
			calls: []call{c("Poll", "task_1", engine.PollRequest{Domain: "d", WorkerID: "w", Count: 5, Timeout: 5 * time.Second})}},
		{name: "batch poll for no task answers [] at once", method: "GET", target: "/api/tasks/poll/batch/task_1?count=0&timeout=5000",
			status: 200, ctype: ctJSON, want: `[]`},
		{name: "batch poll count is capped", method: "GET", target: "/api/tasks/poll/batch/task_1?count=100000&timeout=0",
			status: 200, ctype: ctJSON, want: `[]`,
			calls: []call{c("Poll", "task_1", engine.PollRequest{Count: maxPollCount})}},
		{name: "update answers the task id as text", method: "POST", target: "/api/tasks", body: mustJSON(result),
			status: 200, ctype: ctText, want: "t1", calls: []call{c("UpdateTask", &result)}},
		{name: "update-v2 answers the next task", method: "POST", target: "/api/tasks/update-v2", body: mustJSON(result),
			setup:  func(f *fakeService) { f.on("UpdateTaskV2", task2, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(task2), calls: []call{c("UpdateTaskV2", &result)}},
		{name: "update-v2 without a next task is 204", method: "POST", target: "/api/tasks/update-v2", body: mustJSON(result),
			status: 204, ctype: ctNone, calls: []call{c("UpdateTaskV2", &result)}},
		{name: "update by ref name answers the task id", method: "POST", target: "/api/tasks/w1/r1/COMPLETED?workerid=wk", body: `{"a":1}`,
			setup:  func(f *fakeService) { f.on("UpdateTaskByRefName", "t1", nil) },
			status: 200, ctype: ctText, want: "t1",
			calls: []call{c("UpdateTaskByRefName", "w1", "r1", model.CompletedTask, map[string]any{"a": 1.0}, "wk")}},
		{name: "update by ref name with no pending task is an empty 200", method: "POST", target: "/api/tasks/w1/r1/FAILED", body: `null`,
			status: 200, ctype: ctNone,
			calls: []call{c("UpdateTaskByRefName", "w1", "r1", model.FailedTask, map[string]any{}, "")}},
		{name: "update by ref name sync answers the workflow", method: "POST", target: "/api/tasks/w1/r1/COMPLETED/sync", body: `{}`,
			setup:  func(f *fakeService) { f.on("UpdateTaskByRefName", "t1", nil).on("GetWorkflow", wf1, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(wf1),
			calls: []call{c("UpdateTaskByRefName", "w1", "r1", model.CompletedTask, map[string]any{}, ""), c("GetWorkflow", "w1", true)}},
		{name: "update by ref name sync without a pending task is 404", method: "POST", target: "/api/tasks/w1/r1/COMPLETED/sync", body: `{}`,
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"Found no running task r1 of workflow w1 to update","instance":"test-host","retryable":false}`,
			calls: []call{c("UpdateTaskByRefName", "w1", "r1", model.CompletedTask, map[string]any{}, "")}},
		{name: "signal is not implemented", method: "POST", target: "/api/tasks/w1/COMPLETED/signal", body: `{}`,
			status: 501, ctype: ctJSON},
		{name: "signal sync is not implemented", method: "POST", target: "/api/tasks/w1/COMPLETED/signal/sync", body: `{}`,
			status: 501, ctype: ctJSON},
		{name: "add log keeps the raw body", method: "POST", target: "/api/tasks/t1/log", body: `"quoted" line`,
			status: 200, ctype: ctNone, calls: []call{c("AddTaskLog", "t1", `"quoted" line`)}},
		{name: "logs", method: "GET", target: "/api/tasks/t1/log",
			setup:  func(f *fakeService) { f.on("TaskLogs", logs, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(logs), calls: []call{c("TaskLogs", "t1")}},
		{name: "no logs is 204", method: "GET", target: "/api/tasks/t1/log",
			status: 204, ctype: ctNone, calls: []call{c("TaskLogs", "t1")}},
		{name: "logs of an unknown task is 204", method: "GET", target: "/api/tasks/t1/log",
			setup:  func(f *fakeService) { f.on("TaskLogs", nil, engine.Errorf(engine.KindNotFound, "no task")) },
			status: 204, ctype: ctNone, calls: []call{c("TaskLogs", "t1")}},
		{name: "get task", method: "GET", target: "/api/tasks/t1",
			setup:  func(f *fakeService) { f.on("GetTask", task1, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(task1), calls: []call{c("GetTask", "t1")}},
		{name: "get unknown task is 404", method: "GET", target: "/api/tasks/nope",
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"Task not found for taskId: nope","instance":"test-host","retryable":false}`,
			calls: []call{c("GetTask", "nope")}},
		{name: "queue sizes", method: "GET", target: "/api/tasks/queue/sizes?taskType=a&taskType=b",
			setup:  func(f *fakeService) { f.on("QueueSize", 3, nil) },
			status: 200, ctype: ctJSON, want: `{"a":3,"b":3}`, calls: []call{c("QueueSize", "a", ""), c("QueueSize", "b", "")}},
		{name: "queue size", method: "GET", target: "/api/tasks/queue/size?taskType=a&domain=d",
			setup:  func(f *fakeService) { f.on("QueueSize", 7, nil) },
			status: 200, ctype: ctJSON, want: `7`, calls: []call{c("QueueSize", "a", "d")}},
		{name: "all queues", method: "GET", target: "/api/tasks/queue/all",
			setup:  func(f *fakeService) { f.on("QueueSizes", map[string]int{"a": 1, "d:a": 2}, nil) },
			status: 200, ctype: ctJSON, want: `{"a":1,"d:a":2}`, calls: []call{c("QueueSizes")}},
		{name: "all queues when there are none", method: "GET", target: "/api/tasks/queue/all",
			status: 200, ctype: ctJSON, want: `{}`, calls: []call{c("QueueSizes")}},
		{name: "all queues verbose", method: "GET", target: "/api/tasks/queue/all/verbose",
			setup:  func(f *fakeService) { f.on("QueueSizes", map[string]int{"a": 1}, nil) },
			status: 200, ctype: ctJSON, want: `{"a":{"a":{"size":1,"uacked":0}}}`, calls: []call{c("QueueSizes")}},
		{name: "poll data", method: "GET", target: "/api/tasks/queue/polldata?taskType=a",
			setup: func(f *fakeService) {
				f.on("PollData", []model.PollData{{QueueName: "a", WorkerId: "w", LastPollTime: 9}}, nil)
			},
			status: 200, ctype: ctJSON, want: `[{"queueName":"a","workerId":"w","lastPollTime":9}]`, calls: []call{c("PollData", "a")}},
		{name: "all poll data when there is none", method: "GET", target: "/api/tasks/queue/polldata/all",
			status: 200, ctype: ctJSON, want: `[]`, calls: []call{c("AllPollData")}},
		{name: "requeue answers the count as text", method: "POST", target: "/api/tasks/queue/requeue/a",
			setup:  func(f *fakeService) { f.on("RequeuePending", 2, nil) },
			status: 200, ctype: ctText, want: "2", calls: []call{c("RequeuePending", "a")}},
		{name: "external storage is not implemented", method: "GET", target: "/api/tasks/externalstoragelocation?path=x&operation=READ&payloadType=TASK_INPUT",
			status: 501, ctype: ctJSON},
	})
}

func TestWorkflowRoutes(t *testing.T) {
	t.Parallel()
	wfNoTasks := *wf1
	wfNoTasks.Tasks = nil
	sig := &model.SignalResponse{ResponseType: model.ReturnBlockingTask, WorkflowId: "w1", TaskId: "t1"}
	runRouteCases(t, []routeCase{
		{name: "start answers the id as text", method: "POST", target: "/api/workflow", body: `{"name":"wf","version":2,"input":{"a":1}}`,
			setup:  func(f *fakeService) { f.on("StartWorkflow", "w1", nil) },
			status: 200, ctype: ctText, want: "w1",
			calls: []call{c("StartWorkflow", &model.StartWorkflowRequest{Name: "wf", Version: intp(2), Input: map[string]any{"a": 1.0}})}},
		{name: "start without input gets an empty input", method: "POST", target: "/api/workflow", body: `{"name":"wf"}`,
			setup:  func(f *fakeService) { f.on("StartWorkflow", "w1", nil) },
			status: 200, ctype: ctText, want: "w1",
			calls: []call{c("StartWorkflow", &model.StartWorkflowRequest{Name: "wf", Input: map[string]any{}})}},
		{name: "start by name", method: "POST", target: "/api/workflow/wf?version=2&correlationId=c&priority=5", body: `{"a":1}`,
			setup:  func(f *fakeService) { f.on("GetWorkflowDef", def1, nil).on("StartWorkflow", "w1", nil) },
			status: 200, ctype: ctText, want: "w1",
			calls: []call{c("GetWorkflowDef", "wf", 2), c("StartWorkflow", &model.StartWorkflowRequest{Name: "wf", Version: intp(2),
				CorrelationId: "c", Priority: intp(5), Input: map[string]any{"a": 1.0}})}},
		{name: "start by name of an unknown workflow", method: "POST", target: "/api/workflow/nope", body: `{}`,
			setup:  func(f *fakeService) { f.on("GetWorkflowDef", nil, engine.Errorf(engine.KindNotFound, "x")) },
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"No such workflow found by name: nope, version: null","instance":"test-host","retryable":false}`,
			calls: []call{c("GetWorkflowDef", "nope", 0)}},
		{name: "execute", method: "POST", target: "/api/workflow/execute/wf/1?requestId=r&waitUntilTaskRef=a,b&waitForSeconds=3&returnStrategy=BLOCKING_TASK",
			body:   `{"input":{"a":1}}`,
			setup:  func(f *fakeService) { f.on("ExecuteWorkflow", sig, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(sig),
			calls: []call{c("ExecuteWorkflow", &model.StartWorkflowRequest{Name: "wf", Version: intp(1), Input: map[string]any{"a": 1.0}},
				engine.ExecuteOptions{RequestID: "r", WaitUntilTaskRef: []string{"a", "b"}, WaitFor: 3 * time.Second, ReturnStrategy: model.ReturnBlockingTask})}},
		{name: "execute version 0 runs the latest with the defaults", method: "POST", target: "/api/workflow/execute/wf/0?waitForSeconds=0",
			body:   `{"name":"ignored","input":{}}`,
			setup:  func(f *fakeService) { f.on("ExecuteWorkflow", sig, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(sig),
			calls: []call{c("ExecuteWorkflow", &model.StartWorkflowRequest{Name: "wf", Input: map[string]any{}},
				engine.ExecuteOptions{WaitFor: 10 * time.Second, ReturnStrategy: model.ReturnTargetWorkflow})}},
		{name: "execute an inline definition marks the run dynamic", method: "POST", target: "/api/workflow/execute/wf/0",
			body:   `{"input":{"a":1},"workflowDef":{"name":"wf","tasks":[{"name":"task_1","taskReferenceName":"r1"}]}}`,
			setup:  func(f *fakeService) { f.on("ExecuteWorkflow", sig, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(sig),
			calls: []call{c("ExecuteWorkflow", &model.StartWorkflowRequest{Name: "wf", WorkflowDef: wantWorkflowDef("wf"),
				Input: map[string]any{"a": 1.0, "_systemMetadata": map[string]any{"dynamic": true}}},
				engine.ExecuteOptions{WaitFor: 10 * time.Second, ReturnStrategy: model.ReturnTargetWorkflow})}},
		{name: "by correlation id", method: "GET", target: "/api/workflow/wf/correlated/c1?includeClosed=true&includeTasks=yes",
			setup:  func(f *fakeService) { f.on("ByCorrelationID", []*model.Workflow{wf1}, nil) },
			status: 200, ctype: ctJSON, want: mustJSON([]*model.Workflow{wf1}),
			calls: []call{c("ByCorrelationID", "wf", "c1", true, true)}},
		{name: "by correlation id finds none", method: "GET", target: "/api/workflow/wf/correlated/c1",
			status: 200, ctype: ctJSON, want: `[]`, calls: []call{c("ByCorrelationID", "wf", "c1", false, false)}},
		{name: "by correlation ids", method: "POST", target: "/api/workflow/wf/correlated?includeTasks=true", body: `["c1","c2"]`,
			setup:  func(f *fakeService) { f.on("ByCorrelationID", []*model.Workflow{&wfNoTasks}, nil) },
			status: 200, ctype: ctJSON, want: `{"c1":` + mustJSON([]*model.Workflow{&wfNoTasks}) + `,"c2":` + mustJSON([]*model.Workflow{&wfNoTasks}) + `}`,
			calls: []call{c("ByCorrelationID", "wf", "c1", false, true), c("ByCorrelationID", "wf", "c2", false, true)}},
		{name: "get workflow includes tasks by default", method: "GET", target: "/api/workflow/w1",
			setup:  func(f *fakeService) { f.on("GetWorkflow", wf1, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(wf1), calls: []call{c("GetWorkflow", "w1", true)}},
		{name: "get workflow without tasks", method: "GET", target: "/api/workflow/w1?includeTasks=false",
			setup:  func(f *fakeService) { f.on("GetWorkflow", &wfNoTasks, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(&wfNoTasks), calls: []call{c("GetWorkflow", "w1", false)}},
		{name: "get unknown workflow", method: "GET", target: "/api/workflow/nope",
			setup: func(f *fakeService) {
				f.on("GetWorkflow", nil, engine.Errorf(engine.KindNotFound, "No such workflow found by id: nope"))
			},
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"No such workflow found by id: nope","instance":"test-host","retryable":false}`,
			calls: []call{c("GetWorkflow", "nope", true)}},
		{name: "status", method: "GET", target: "/api/workflow/w1/status",
			setup:  func(f *fakeService) { f.on("GetWorkflow", &wfNoTasks, nil) },
			status: 200, ctype: ctJSON, want: `{"workflowId":"w1","correlationId":"c1","status":"RUNNING"}`,
			calls: []call{c("GetWorkflow", "w1", false)}},
		{name: "status with output and variables", method: "GET", target: "/api/workflow/w1/status?includeOutput=true&includeVariables=true",
			setup:  func(f *fakeService) { f.on("GetWorkflow", &wfNoTasks, nil) },
			status: 200, ctype: ctJSON, want: `{"workflowId":"w1","correlationId":"c1","output":{"o":1},"variables":{"x":true},"status":"RUNNING"}`,
			calls: []call{c("GetWorkflow", "w1", false)}},
		{name: "workflow tasks filtered and paged", method: "GET", target: "/api/workflow/w1/tasks?status=scheduled,in_progress&start=1&count=1",
			setup:  func(f *fakeService) { f.on("GetWorkflow", wf1, nil) },
			status: 200, ctype: ctJSON, want: `{"totalHits":2,"results":[` + mustJSON(task2) + `]}`,
			calls: []call{c("GetWorkflow", "w1", true)}},
		{name: "workflow tasks past the end", method: "GET", target: "/api/workflow/w1/tasks?start=10",
			setup:  func(f *fakeService) { f.on("GetWorkflow", wf1, nil) },
			status: 200, ctype: ctJSON, want: `{"totalHits":2,"results":[]}`, calls: []call{c("GetWorkflow", "w1", true)}},
		{name: "remove", method: "DELETE", target: "/api/workflow/w1/remove?archiveWorkflow=false",
			status: 200, ctype: ctNone, calls: []call{c("Remove", "w1", false)}},
		{name: "terminate-remove", method: "DELETE", target: "/api/workflow/w1/terminate-remove?reason=r",
			status: 200, ctype: ctNone, calls: []call{c("Terminate", "w1", "r"), c("Remove", "w1", true)}},
		{name: "running", method: "GET", target: "/api/workflow/running/wf?version=2&startTime=1&endTime=2",
			setup:  func(f *fakeService) { f.on("Running", []string{"w1"}, nil) },
			status: 200, ctype: ctJSON, want: `["w1"]`, calls: []call{c("Running", "wf", 2, int64(1), int64(2))}},
		{name: "running defaults to version 1", method: "GET", target: "/api/workflow/running/wf",
			status: 200, ctype: ctJSON, want: `[]`, calls: []call{c("Running", "wf", 1, int64(0), int64(0))}},
		{name: "decide", method: "PUT", target: "/api/workflow/decide/w1",
			setup:  func(f *fakeService) { f.on("GetWorkflow", &wfNoTasks, nil) },
			status: 200, ctype: ctNone, calls: []call{c("GetWorkflow", "w1", false)}},
		{name: "pause", method: "PUT", target: "/api/workflow/w1/pause", status: 200, ctype: ctNone, calls: []call{c("Pause", "w1")}},
		{name: "resume", method: "PUT", target: "/api/workflow/w1/resume", status: 200, ctype: ctNone, calls: []call{c("Resume", "w1")}},
		{name: "skip task with a JSON body", method: "PUT", target: "/api/workflow/w1/skiptask/r1", body: `{"taskOutput":{"o":1}}`,
			status: 200, ctype: ctNone, calls: []call{c("SkipTask", "w1", "r1", &model.SkipTaskRequest{TaskOutput: map[string]any{"o": 1.0}})}},
		{name: "skip task with query parameters", method: "PUT", target: "/api/workflow/w1/skiptask/r1?taskInput%5Bin%5D=1&taskOutput.out=2",
			status: 200, ctype: ctNone,
			calls: []call{c("SkipTask", "w1", "r1", &model.SkipTaskRequest{TaskInput: map[string]any{"in": "1"}, TaskOutput: map[string]any{"out": "2"}})}},
		{name: "skip task with nothing", method: "PUT", target: "/api/workflow/w1/skiptask/r1",
			status: 200, ctype: ctNone, calls: []call{c("SkipTask", "w1", "r1", &model.SkipTaskRequest{})}},
		{name: "rerun answers the id as text", method: "POST", target: "/api/workflow/w1/rerun", body: `{"reRunFromTaskId":"t1"}`,
			setup:  func(f *fakeService) { f.on("Rerun", "w1", nil) },
			status: 200, ctype: ctText, want: "w1", calls: []call{c("Rerun", "w1", &model.RerunWorkflowRequest{ReRunFromTaskId: "t1"})}},
		{name: "restart is 204", method: "POST", target: "/api/workflow/w1/restart?useLatestDefinitions=true",
			status: 204, ctype: ctNone, calls: []call{c("Restart", "w1", true)}},
		{name: "retry is 204", method: "POST", target: "/api/workflow/w1/retry?resumeSubworkflowTasks=true",
			status: 204, ctype: ctNone, calls: []call{c("Retry", "w1", true)}},
		{name: "retry of a running workflow is 404 as in Conductor", method: "POST", target: "/api/workflow/w1/retry",
			setup: func(f *fakeService) {
				f.on("Retry", nil, &engine.Error{Kind: engine.KindConflict, Status: 404, Message: "Workflow is still running.  status=RUNNING"})
			},
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"Workflow is still running.  status=RUNNING","instance":"test-host","retryable":false}`,
			calls: []call{c("Retry", "w1", false)}},
		{name: "reset callbacks is 204", method: "POST", target: "/api/workflow/w1/resetcallbacks",
			status: 204, ctype: ctNone, calls: []call{c("ResetCallbacks", "w1")}},
		{name: "reset callbacks of an ended workflow is 409", method: "POST", target: "/api/workflow/w1/resetcallbacks",
			setup: func(f *fakeService) {
				f.on("ResetCallbacks", nil, engine.Errorf(engine.KindConflict, "Workflow is in terminal state. Status = COMPLETED"))
			},
			status: 409, ctype: ctJSON,
			want:  `{"status":409,"message":"Workflow is in terminal state. Status = COMPLETED","instance":"test-host","retryable":false}`,
			calls: []call{c("ResetCallbacks", "w1")}},
		{name: "reset callbacks of an unknown workflow is 404", method: "POST", target: "/api/workflow/nope/resetcallbacks",
			setup: func(f *fakeService) {
				f.on("ResetCallbacks", nil, engine.Errorf(engine.KindNotFound, "No such workflow found by id: nope"))
			},
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"No such workflow found by id: nope","instance":"test-host","retryable":false}`,
			calls: []call{c("ResetCallbacks", "nope")}},
		{name: "terminate", method: "DELETE", target: "/api/workflow/w1?reason=bye",
			status: 200, ctype: ctNone, calls: []call{c("Terminate", "w1", "bye")}},
		{name: "terminate a completed workflow is 409", method: "DELETE", target: "/api/workflow/w1",
			setup: func(f *fakeService) {
				f.on("Terminate", nil, engine.Errorf(engine.KindConflict, "Cannot terminate a COMPLETED workflow."))
			},
			status: 409, ctype: ctJSON,
			want:  `{"status":409,"message":"Cannot terminate a COMPLETED workflow.","instance":"test-host","retryable":false}`,
			calls: []call{c("Terminate", "w1", "")}},
		{name: "test workflow is not implemented", method: "POST", target: "/api/workflow/test", body: `{}`, status: 501, ctype: ctJSON},
	})
}

func TestBulkRoutes(t *testing.T) {
	t.Parallel()
	fail := engine.Errorf(engine.KindNotFound, "No such workflow found by id: bad")
	failOn := func(method string) func(f *fakeService) {
		return func(f *fakeService) { f.on(method, nil, fail) }
	}
	runRouteCases(t, []routeCase{
		{name: "pause", method: "PUT", target: "/api/workflow/bulk/pause", body: `["a","b"]`,
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{},"bulkSuccessfulResults":["a","b"]}`,
			calls: []call{c("Pause", "a"), c("Pause", "b")}},
		{name: "resume with a failure", method: "PUT", target: "/api/workflow/bulk/resume", body: `["bad"]`, setup: failOn("Resume"),
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{"bad":"No such workflow found by id: bad"},"bulkSuccessfulResults":[]}`,
			calls: []call{c("Resume", "bad")}},
		{name: "restart", method: "POST", target: "/api/workflow/bulk/restart?useLatestDefinitions=true", body: `["a"]`,
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{},"bulkSuccessfulResults":["a"]}`, calls: []call{c("Restart", "a", true)}},
		{name: "retry", method: "POST", target: "/api/workflow/bulk/retry", body: `["a"]`,
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{},"bulkSuccessfulResults":["a"]}`, calls: []call{c("Retry", "a", false)}},
		{name: "terminate", method: "POST", target: "/api/workflow/bulk/terminate?reason=r", body: `["a"]`,
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{},"bulkSuccessfulResults":["a"]}`, calls: []call{c("Terminate", "a", "r")}},
		{name: "remove", method: "DELETE", target: "/api/workflow/bulk/remove", body: `["a"]`,
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{},"bulkSuccessfulResults":["a"]}`, calls: []call{c("Remove", "a", true)}},
		{name: "terminate-remove lists an id once per step, as Conductor", method: "DELETE",
			target: "/api/workflow/bulk/terminate-remove?archiveWorkflow=false&reason=r", body: `["a"]`,
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{},"bulkSuccessfulResults":["a","a"]}`,
			calls: []call{c("Terminate", "a", "r"), c("Remove", "a", false)}},
		{name: "search", method: "POST", target: "/api/workflow/bulk/search?includeTasks=false", body: `["w1","bad"]`,
			setup:  func(f *fakeService) { f.onArg("GetWorkflow", "w1", wf1, nil).onArg("GetWorkflow", "bad", nil, fail) },
			status: 200, ctype: ctJSON,
			want:  `{"bulkErrorResults":{"bad":"No such workflow found by id: bad"},"bulkSuccessfulResults":[` + mustJSON(wf1) + `]}`,
			calls: []call{c("GetWorkflow", "w1", false), c("GetWorkflow", "bad", false)}},
	})
}

func TestMetadataRoutes(t *testing.T) {
	t.Parallel()
	v1 := &model.WorkflowDef{Name: "a", Version: 1}
	v2 := &model.WorkflowDef{Name: "a", Version: 2}
	b1 := &model.WorkflowDef{Name: "b", Version: 1, Metadata: map[string]any{"agent_sdk": "x"}}
	defs := func(f *fakeService) { f.on("ListWorkflowDefs", []*model.WorkflowDef{b1, v2, v1}, nil) }
	td := &model.TaskDef{Name: "task_1", RetryCount: 2}
	wantTaskDef := newTaskDef()
	wantTaskDef.Name, wantTaskDef.RetryCount = "task_1", 0
	runRouteCases(t, []routeCase{
		{name: "register workflow def", method: "POST", target: "/api/metadata/workflow?overwrite=true",
			body:   `{"name":"wf","tasks":[{"name":"task_1","taskReferenceName":"r1"}]}`,
			status: 200, ctype: ctNone, calls: []call{c("RegisterWorkflowDef", wantWorkflowDef("wf"), true)}},
		{name: "validate workflow def", method: "POST", target: "/api/metadata/workflow/validate",
			body:   `{"name":"wf","tasks":[{"name":"task_1","taskReferenceName":"r1"}]}`,
			status: 200, ctype: ctNone, calls: []call{c("ValidateWorkflowDef", wantWorkflowDef("wf"))}},
		{name: "validation failure", method: "POST", target: "/api/metadata/workflow/validate", body: `{"name":""}`,
			setup: func(f *fakeService) {
				f.on("ValidateWorkflowDef", nil, engine.Invalid(model.ValidationError{Path: "validateWorkflowDef.arg0.name", Message: "WorkflowDef name cannot be null or empty"}))
			},
			status: 400, ctype: ctJSON,
			want: `{"status":400,"message":"Validation failed, check below errors for detail.","retryable":false,` +
				`"validationErrors":[{"path":"validateWorkflowDef.arg0.name","message":"WorkflowDef name cannot be null or empty"}]}`,
			calls: []call{c("ValidateWorkflowDef", func() *model.WorkflowDef { d := model.DecodableWorkflowDef(); return d }())}},
		{name: "update workflow defs", method: "PUT", target: "/api/metadata/workflow",
			body: `[{"name":"wf","tasks":[{"name":"task_1","taskReferenceName":"r1"}]}]`,
			setup: func(f *fakeService) {
				f.on("UpdateWorkflowDefs", &model.BulkResponse[string]{BulkSuccessfulResults: []string{"wf"}}, nil)
			},
			status: 200, ctype: ctJSON, want: `{"bulkErrorResults":{},"bulkSuccessfulResults":["wf"]}`,
			calls: []call{c("UpdateWorkflowDefs", []model.WorkflowDef{*wantWorkflowDef("wf")})}},
		{name: "get workflow def, latest", method: "GET", target: "/api/metadata/workflow/wf",
			setup:  func(f *fakeService) { f.on("GetWorkflowDef", def1, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(def1), calls: []call{c("GetWorkflowDef", "wf", 0)}},
		{name: "get workflow def, one version", method: "GET", target: "/api/metadata/workflow/wf?version=2",
			setup:  func(f *fakeService) { f.on("GetWorkflowDef", def1, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(def1), calls: []call{c("GetWorkflowDef", "wf", 2)}},
		{name: "get a missing workflow def version", method: "GET", target: "/api/metadata/workflow/wf?version=3",
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"No such workflow found by name: wf, version: 3","instance":"test-host","retryable":false}`,
			calls: []call{c("GetWorkflowDef", "wf", 3)}},
		{name: "list workflow defs sorted", method: "GET", target: "/api/metadata/workflow", setup: defs,
			status: 200, ctype: ctJSON, want: mustJSON([]*model.WorkflowDef{v1, v2, b1}), calls: []call{c("ListWorkflowDefs")}},
		{name: "list workflow defs by classifier", method: "GET", target: "/api/metadata/workflow?classifier=agent", setup: defs,
			status: 200, ctype: ctJSON, want: mustJSON([]*model.WorkflowDef{b1}), calls: []call{c("ListWorkflowDefs")}},
		{name: "names and versions", method: "GET", target: "/api/metadata/workflow/names-and-versions", setup: defs,
			status: 200, ctype: ctJSON, want: `{"a":[{"name":"a","version":1,"createTime":0,"updateTime":0},{"name":"a","version":2,"createTime":0,"updateTime":0}],"b":[{"name":"b","version":1,"createTime":0,"updateTime":0}]}`,
			calls: []call{c("ListWorkflowDefs")}},
		{name: "names", method: "GET", target: "/api/metadata/workflow/names", setup: defs,
			status: 200, ctype: ctJSON, want: `["a","b"]`, calls: []call{c("ListWorkflowDefs")}},
		{name: "versions", method: "GET", target: "/api/metadata/workflow/a/versions", setup: defs,
			status: 200, ctype: ctJSON, want: `[{"name":"a","version":1,"createTime":0,"updateTime":0},{"name":"a","version":2,"createTime":0,"updateTime":0}]`, calls: []call{c("ListWorkflowDefs")}},
		{name: "versions of an unknown name", method: "GET", target: "/api/metadata/workflow/zz/versions", setup: defs,
			status: 200, ctype: ctJSON, want: `[]`, calls: []call{c("ListWorkflowDefs")}},
		{name: "latest versions", method: "GET", target: "/api/metadata/workflow/latest-versions", setup: defs,
			status: 200, ctype: ctJSON, want: mustJSON([]*model.WorkflowDef{v2, b1}), calls: []call{c("ListWorkflowDefs")}},
		{name: "delete workflow def", method: "DELETE", target: "/api/metadata/workflow/wf/3",
			status: 200, ctype: ctNone, calls: []call{c("DeleteWorkflowDef", "wf", 3)}},
		{name: "register task defs with Java defaults", method: "POST", target: "/api/metadata/taskdefs", body: `[{"name":"task_1","retryCount":0}]`,
			status: 200, ctype: ctNone, calls: []call{c("RegisterTaskDefs", []model.TaskDef{*wantTaskDef})}},
		{name: "update task def", method: "PUT", target: "/api/metadata/taskdefs", body: `{"name":"task_1","retryCount":0}`,
			status: 200, ctype: ctNone, calls: []call{c("UpdateTaskDef", wantTaskDef)}},
		{name: "list task defs", method: "GET", target: "/api/metadata/taskdefs",
			setup:  func(f *fakeService) { f.on("ListTaskDefs", []*model.TaskDef{td}, nil) },
			status: 200, ctype: ctJSON, want: mustJSON([]*model.TaskDef{td}), calls: []call{c("ListTaskDefs")}},
		{name: "list task defs when there are none", method: "GET", target: "/api/metadata/taskdefs",
			status: 200, ctype: ctJSON, want: `[]`, calls: []call{c("ListTaskDefs")}},
		{name: "get task def", method: "GET", target: "/api/metadata/taskdefs/task_1",
			setup:  func(f *fakeService) { f.on("GetTaskDef", td, nil) },
			status: 200, ctype: ctJSON, want: mustJSON(td), calls: []call{c("GetTaskDef", "task_1")}},
		{name: "get unknown task def", method: "GET", target: "/api/metadata/taskdefs/nope",
			status: 404, ctype: ctJSON,
			want:  `{"status":404,"message":"No such taskType found by name: nope","instance":"test-host","retryable":false}`,
			calls: []call{c("GetTaskDef", "nope")}},
		{name: "delete task def", method: "DELETE", target: "/api/metadata/taskdefs/task_1",
			status: 200, ctype: ctNone, calls: []call{c("DeleteTaskDef", "task_1")}},
	})
}

// wantWorkflowDef is what a minimal definition body decodes to: Java's
// defaults on every field the body left out.
func wantWorkflowDef(name string) *model.WorkflowDef {
	d := model.DecodableWorkflowDef()
	d.Name = name
	d.Tasks = []model.WorkflowTask{{Name: "task_1", TaskReferenceName: "r1"}}
	model.FillTaskDefaults(d.Tasks)
	return d
}

func TestMiscRoutes(t *testing.T) {
	t.Parallel()
	health := `{"healthResults":[],"suppressedHealthResults":[],"healthy":true}`
	runRouteCases(t, []routeCase{
		{name: "health", method: "GET", target: "/health", status: 200, ctype: ctJSON, want: health},
		{name: "api health", method: "GET", target: "/api/health", status: 200, ctype: ctJSON, want: health},
	})
}

func TestEventAndQueueRoutes(t *testing.T) {
	t.Parallel()
	eh := &model.EventHandler{Name: "h", Event: "conductor:a:b", Active: true, Actions: []model.EventAction{{
		Action: model.ActionCompleteTask, CompleteTask: &model.TaskDetails{WorkflowId: "${w}", TaskRefName: "r"}}}}
	body := mustJSON(eh)
	runRouteCases(t, []routeCase{
		{name: "add handler", method: "POST", target: "/api/event", body: body,
			status: 200, ctype: ctNone, calls: []call{c("AddEventHandler", eh)}},
		{name: "add null handler", method: "POST", target: "/api/event", body: `null`,
			status: 200, ctype: ctNone, calls: []call{c("AddEventHandler", (*model.EventHandler)(nil))}},
		{name: "add handler without body", method: "POST", target: "/api/event", status: 400, ctype: ctJSON},
		{name: "add handler broken JSON", method: "POST", target: "/api/event", body: `nonsense`, status: 400, ctype: ctJSON},
		{name: "add handler wrong type", method: "POST", target: "/api/event", body: `{"actions":"x"}`, status: 400, ctype: ctJSON},
		{name: "update handler", method: "PUT", target: "/api/event", body: body,
			status: 200, ctype: ctNone, calls: []call{c("UpdateEventHandler", eh)}},
		{name: "list handlers", method: "GET", target: "/api/event",
			setup:  func(f *fakeService) { f.on("EventHandlers", []*model.EventHandler{eh}, nil) },
			status: 200, ctype: ctJSON, want: "[" + body + "]", calls: []call{c("EventHandlers")}},
		{name: "handlers of an event", method: "GET", target: "/api/event/conductor:a:b",
			setup:  func(f *fakeService) { f.on("EventHandlersForEvent", []*model.EventHandler{}, nil) },
			status: 200, ctype: ctJSON, want: `[]`, calls: []call{c("EventHandlersForEvent", "conductor:a:b", true)}},
		{name: "handlers of an event, inactive too", method: "GET", target: "/api/event/conductor:a:b?activeOnly=false",
			setup:  func(f *fakeService) { f.on("EventHandlersForEvent", []*model.EventHandler{}, nil) },
			status: 200, ctype: ctJSON, want: `[]`, calls: []call{c("EventHandlersForEvent", "conductor:a:b", false)}},
		{name: "handlers of an event, bad activeOnly", method: "GET", target: "/api/event/x?activeOnly=maybe",
			status: 400, ctype: ctJSON},
		{name: "delete handler", method: "DELETE", target: "/api/event/h",
			status: 200, ctype: ctNone, calls: []call{c("DeleteEventHandler", "h")}},
		{name: "queue names", method: "GET", target: "/api/queue/",
			setup:  func(f *fakeService) { f.on("QueueAdminNames", map[string]string{"COMPLETED": "q"}, nil) },
			status: 200, ctype: ctJSON, want: `{"COMPLETED":"q"}`, calls: []call{c("QueueAdminNames")}},
		{name: "queue sizes", method: "GET", target: "/api/queue/size",
			setup:  func(f *fakeService) { f.on("QueueAdminSizes", map[string]int{"q": 2}, nil) },
			status: 200, ctype: ctJSON, want: `{"q":2}`, calls: []call{c("QueueAdminSizes")}},
		{name: "queue update by ref", method: "POST", target: "/api/queue/update/w1/wait/COMPLETED", body: `{"k":1}`,
			status: 200, ctype: ctNone, calls: []call{c("QueueUpdate", "w1", "wait", "", model.CompletedTask, map[string]any{"k": float64(1)})}},
		{name: "queue update by task id", method: "POST", target: "/api/queue/update/w1/task/t1/FAILED", body: `{}`,
			status: 200, ctype: ctNone, calls: []call{c("QueueUpdate", "w1", "", "t1", model.FailedTask, map[string]any{})}},
		{name: "queue update, unknown status", method: "POST", target: "/api/queue/update/w1/wait/DONE", body: `{}`,
			status: 400, ctype: ctJSON},
		{name: "queue update, no body", method: "POST", target: "/api/queue/update/w1/wait/COMPLETED",
			status: 400, ctype: ctJSON},
		{name: "queue update, body not an object", method: "POST", target: "/api/queue/update/w1/wait/COMPLETED", body: `[1]`,
			status: 400, ctype: ctJSON},
	})
}

func TestEveryRouteAnswersJSONErrors(t *testing.T) {
	t.Parallel()
	// An engine failure on any route is an ErrorResponse with the status of
	// its kind; a transient one is retryable.
	for _, tc := range []struct {
		method, target, body string
		svc                  string
	}{
		{"GET", "/api/tasks/t1", "", "GetTask"},
		{"POST", "/api/workflow", `{"name":"wf"}`, "StartWorkflow"},
		{"POST", "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED"}`, "UpdateTask"},
		{"GET", "/api/workflow/search", "", "SearchWorkflows"},
		{"GET", "/api/tasks/search", "", "SearchTasks"},
		{"PUT", "/api/workflow/w1/pause", "", "Pause"},
		{"POST", "/api/metadata/taskdefs", `[{"name":"x"}]`, "RegisterTaskDefs"},
	} {
		for kind, status := range map[engine.Kind]int{engine.KindInvalid: 400, engine.KindNotFound: 404, engine.KindConflict: 409,
			engine.KindUnavailable: 503, engine.KindInternal: 500} {
			t.Run(tc.svc+"/"+http.StatusText(status), func(t *testing.T) {
				t.Parallel()
				f := newFake().on(tc.svc, nil, engine.Errorf(kind, "boom %d", status))
				e := errorBody(t, do(t, f, tc.method, tc.target, tc.body), status)
				require.Equal(t, fmt.Sprintf("boom %d", status), e.Message)
				require.Equal(t, kind == engine.KindUnavailable, e.Retryable)
			})
		}
	}
}
