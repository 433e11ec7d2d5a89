package client_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func TestTaskClient(t *testing.T) {
	t.Parallel()
	task := fixture(t, "task_polled.json")
	logs := fixture(t, "task_logs.json")
	pollData := fixture(t, "polldata.json")
	taskSearch := fixture(t, "search_tasks.json")
	result := &model.TaskResult{
		WorkflowInstanceId: "wf-1", TaskId: "task-1", WorkerId: "w1",
		Status: model.CompletedTask, OutputData: map[string]any{"ok": true},
	}
	const resultJSON = `{"workflowInstanceId":"wf-1","taskId":"task-1","workerId":"w1","status":"COMPLETED",
		"outputData":{"ok":true},"callbackAfterSeconds":0,"extendLease":false}`
	const textAccept = "text/plain, application/json"

	runCalls(t, []callCase{{
		name: "Poll answers a task",
		script: []exchange{{method: "GET", path: "/tasks/poll/baton_fx_task_a",
			query: q("workerid", "w1", "domain", "fxdomain"), answer: task}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().Poll(ctx, "baton_fx_task_a", client.PollOptions{WorkerID: "w1", Domain: "fxdomain"}))
		},
		want: new(decodeAs[model.WorkerTask](t, task)),
	}, {
		name:   "Poll of an empty queue is nil (204)",
		script: []exchange{{method: "GET", path: "/tasks/poll/t", status: http.StatusNoContent}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().Poll(ctx, "t", client.PollOptions{}))
		},
		want: (*model.WorkerTask)(nil),
	}, {
		name: "BatchPoll sends count, timeout in ms, workerid, domain",
		script: []exchange{{method: "GET", path: "/tasks/poll/batch/t",
			query:  q("count", "5", "timeout", "1500", "workerid", "w1", "domain", "d"),
			answer: "[" + task + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{Count: 5, Timeout: 1500 * time.Millisecond, WorkerID: "w1", Domain: "d"}))
		},
		want: []model.WorkerTask{decodeAs[model.WorkerTask](t, task)},
	}, {
		name:   "BatchPoll with zero options asks for one task, server's timeout",
		script: []exchange{{method: "GET", path: "/tasks/poll/batch/t", query: q("count", "1"), answer: "[]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{Count: -3}))
		},
		want: []model.WorkerTask{},
	}, {
		name:   "BatchPoll 204 is an empty slice",
		script: []exchange{{method: "GET", path: "/tasks/poll/batch/t", query: q("count", "1"), status: http.StatusNoContent}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{}))
		},
		want: []model.WorkerTask{},
	}, {
		name: "Update posts the result and reads the text/plain task id",
		script: []exchange{{method: "POST", path: "/tasks", ctype: jsonType, body: resultJSON, accept: textAccept,
			rtype: textType, answer: "task-1"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().Update(ctx, result))
		},
		want: "task-1",
	}, {
		name: "UpdateV2 answers the next task",
		script: []exchange{{method: "POST", path: "/tasks/update-v2", ctype: jsonType, body: resultJSON,
			answer: task}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().UpdateV2(ctx, result))
		},
		want: new(decodeAs[model.WorkerTask](t, task)),
	}, {
		name: "UpdateV2 without a next task is nil (204)",
		script: []exchange{{method: "POST", path: "/tasks/update-v2", ctype: jsonType, body: resultJSON,
			status: http.StatusNoContent}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().UpdateV2(ctx, result))
		},
		want: (*model.WorkerTask)(nil),
	}, {
		name: "UpdateV2 on a server without it is ErrUnsupported",
		script: []exchange{{method: "POST", path: "/tasks/update-v2", ctype: jsonType, body: resultJSON,
			status: http.StatusNotFound, answer: `{"status":404,"message":"No static resource api/tasks/update-v2.","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().UpdateV2(ctx, result))
		},
		wantErr: client.ErrUnsupported,
	}, {
		name: "UpdateByRefName posts the output to the escaped path",
		script: []exchange{{method: "POST", path: "/tasks/wf-1/ref%2Fa/COMPLETED", query: q("workerid", "w1"),
			ctype: jsonType, body: `{"x":1}`, accept: textAccept, rtype: textType, answer: "task-9"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().UpdateByRefName(ctx, "wf-1", "ref/a", model.CompletedTask, map[string]any{"x": 1}, "w1"))
		},
		want: "task-9",
	}, {
		name: "UpdateByRefName with no pending task is an empty id (empty 200)",
		script: []exchange{{method: "POST", path: "/tasks/wf-1/ref/FAILED", ctype: jsonType, body: `{}`,
			accept: textAccept}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().UpdateByRefName(ctx, "wf-1", "ref", model.FailedTask, nil, ""))
		},
		want: "",
	}, {
		name:   "Get",
		script: []exchange{{method: "GET", path: "/tasks/task-1", answer: task}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().Get(ctx, "task-1"))
		},
		want: new(decodeAs[model.WorkerTask](t, task)),
	}, {
		name:        "Get with an empty 200 is an error",
		script:      []exchange{{method: "GET", path: "/tasks/task-1"}},
		call:        func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.Tasks().Get(ctx, "task-1")) },
		wantErrText: "conductor: GET /tasks/task-1: empty answer",
	}, {
		name: "AddLog sends the line verbatim as text",
		script: []exchange{{method: "POST", path: "/tasks/task-1/log", ctype: "text/plain; charset=utf-8",
			body: `line "one" ü`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Tasks().AddLog(ctx, "task-1", `line "one" ü`))
		},
	}, {
		name:   "Logs",
		script: []exchange{{method: "GET", path: "/tasks/task-1/log", answer: logs}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.Tasks().Logs(ctx, "task-1")) },
		want:   decodeAs[[]model.TaskExecLog](t, logs),
	}, {
		name:   "Logs of a task without any is empty (204)",
		script: []exchange{{method: "GET", path: "/tasks/task-1/log", status: http.StatusNoContent}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.Tasks().Logs(ctx, "task-1")) },
		want:   []model.TaskExecLog{},
	}, {
		name:   "QueueSize",
		script: []exchange{{method: "GET", path: "/tasks/queue/size", query: q("taskType", "t", "domain", "d"), answer: "7"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().QueueSize(ctx, "t", "d"))
		},
		want: 7,
	}, {
		name: "QueueSizes repeats taskType",
		script: []exchange{{method: "GET", path: "/tasks/queue/sizes", query: q("taskType", "a", "taskType", "b"),
			answer: `{"a":1,"b":0}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().QueueSizes(ctx, "a", "b"))
		},
		want: map[string]int{"a": 1, "b": 0},
	}, {
		name: "PollData",
		script: []exchange{{method: "GET", path: "/tasks/queue/polldata", query: q("taskType", "baton_fx_task_a"),
			answer: pollData}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().PollData(ctx, "baton_fx_task_a"))
		},
		want: decodeAs[[]model.PollData](t, pollData),
	}, {
		name: "Search",
		script: []exchange{{method: "GET", path: "/tasks/search",
			query:  q("start", "10", "size", "5", "sort", "updateTime:DESC|taskId:ASC", "freeText", "x*", "query", "workflowType='w'"),
			answer: taskSearch}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Tasks().Search(ctx, client.SearchOptions{Start: 10, Size: 5,
				Sort: []string{"updateTime:DESC", "taskId:ASC"}, FreeText: "x*", Query: "workflowType='w'"}))
		},
		want: new(decodeAs[model.SearchResult[model.TaskSummary]](t, taskSearch)),
	}})
}
