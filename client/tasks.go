package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/batonhq/baton/model"
)

// TaskClient calls /api/tasks: polling, results, logs and queues.
type TaskClient struct{ c *APIClient }

// PollOptions narrow a poll.
type PollOptions struct {
	// Domain polls the queue of that domain; empty polls the default queue.
	Domain string
	// WorkerID identifies the poller in poll data. Empty sends none.
	WorkerID string
	// PollerID names the process or worker host polling, so that
	// ReleasePolls can end its waiting polls. It is sent as the
	// Baton-Poller-Id header, which Conductor ignores. Empty sends none.
	PollerID string
}

// BatchPollOptions narrow a batch poll.
type BatchPollOptions struct {
	// Count is the most tasks to receive. Defaults to 1.
	Count int
	// Timeout is how long the server waits for a task before answering []
	// (long poll). Conductor allows at most 5 s; zero leaves the server's
	// default (100 ms).
	Timeout time.Duration
	// Domain polls the queue of that domain; empty polls the default queue.
	Domain string
	// WorkerID identifies the poller in poll data. Empty sends none.
	WorkerID string
	// PollerID is as in PollOptions.
	PollerID string
}

// Poll takes one task of taskType, or returns nil when none is queued (204).
// The official SDK calls it Poll too.
func (t *TaskClient) Poll(ctx context.Context, taskType string, opts PollOptions) (*model.WorkerTask, error) {
	tt, err := segment("poll", "task type", taskType)
	if err != nil {
		return nil, err
	}
	if err := checkPollerID("poll", opts.PollerID); err != nil {
		return nil, err
	}
	q := url.Values{}
	setIf(q, "workerid", opts.WorkerID)
	setIf(q, "domain", opts.Domain)
	r := request{method: http.MethodGet, path: "/tasks/poll/" + tt, query: q, pollerID: opts.PollerID}
	resp, err := t.c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	return t.c.task(resp, r)
}

// BatchPoll takes up to opts.Count tasks of taskType, waiting up to
// opts.Timeout for the first. It returns an empty slice when none came.
func (t *TaskClient) BatchPoll(ctx context.Context, taskType string, opts BatchPollOptions) ([]model.WorkerTask, error) {
	tt, err := segment("batch poll", "task type", taskType)
	if err != nil {
		return nil, err
	}
	if err := checkPollerID("batch poll", opts.PollerID); err != nil {
		return nil, err
	}
	q := make(url.Values, 4)
	q.Set("count", strconv.Itoa(max(opts.Count, 1)))
	if opts.Timeout > 0 {
		q.Set("timeout", strconv.FormatInt(opts.Timeout.Milliseconds(), 10))
	}
	setIf(q, "workerid", opts.WorkerID)
	setIf(q, "domain", opts.Domain)
	r := request{method: http.MethodGet, path: "/tasks/poll/batch/" + tt, query: q, wait: max(opts.Timeout, 0), pollerID: opts.PollerID}
	resp, err := t.c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.empty() {
		return []model.WorkerTask{}, nil
	}
	tasks, err := t.c.decoder.tasks(resp.body)
	resp.recycle()
	if err != nil {
		return nil, fmt.Errorf("conductor: %s %s: malformed answer: %w", r.method, r.path, err)
	}
	return tasks, nil
}

// ReleasePolls ends, with no task, the long polls of pollerID
// (BatchPollOptions.PollerID) waiting at the server, and any it sends later
// (POST /api/tasks/poll/release). It is Baton's own: ask CanReleasePolls
// first; Conductor answers with an error matching ErrUnsupported. A worker
// host calls it when it shuts down, so it need not wait out an idle long
// poll; nothing is lost, since a released poll takes no task.
func (t *TaskClient) ReleasePolls(ctx context.Context, pollerID string) error {
	if pollerID == "" {
		return errRequired("release polls", "poller id")
	}
	if err := checkPollerID("release polls", pollerID); err != nil {
		return err
	}
	return exec(ctx, t.c, request{method: http.MethodPost, path: "/tasks/poll/release", query: url.Values{"pollerId": {pollerID}}})
}

// Update reports a task result (POST /api/tasks) and returns the task id the
// server acknowledged. The official SDK calls it UpdateTask.
func (t *TaskClient) Update(ctx context.Context, result *model.TaskResult) (string, error) {
	if err := checkResult("update task", result); err != nil {
		return "", err
	}
	r := request{method: http.MethodPost, path: "/tasks", body: result, accept: "text/plain, application/json",
		// A final result may arrive twice: the server ignores an update to
		// a finished task. An IN_PROGRESS one re-queues the task, so it is
		// never replayed.
		replayable: result.Status.IsTerminal()}
	resp, err := t.c.do(ctx, r)
	if err != nil {
		return "", err
	}
	return text(resp), nil
}

// UpdateV2 reports a task result and receives the next task of the same type
// and domain in the same round trip (POST /api/tasks/update-v2). It returns
// nil when no task is waiting. A server without the endpoint answers with an
// error matching ErrUnsupported.
func (t *TaskClient) UpdateV2(ctx context.Context, result *model.TaskResult) (*model.WorkerTask, error) {
	if err := checkResult("update task v2", result); err != nil {
		return nil, err
	}
	r := request{method: http.MethodPost, path: "/tasks/update-v2", body: result}
	resp, err := t.c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	return t.c.task(resp, r)
}

// checkResult rejects a result the server would refuse with a 400.
func checkResult(op string, r *model.TaskResult) error {
	switch {
	case r == nil:
		return errRequired(op, "task result")
	case r.TaskId == "":
		return errRequired(op, "task id")
	case r.WorkflowInstanceId == "":
		return errRequired(op, "workflow instance id")
	}
	return nil
}

// UpdateByRefName sets the status and output of the pending task with the
// given reference name (POST /api/tasks/{workflowId}/{ref}/{status}). It
// returns the task id, or "" when no pending task has that name. The
// official SDK calls it UpdateTaskByRefName(WithWorkerId).
func (t *TaskClient) UpdateByRefName(ctx context.Context, workflowID, taskRefName string, status model.TaskResultStatus, output map[string]any, workerID string) (string, error) {
	segs, err := segments("update task by ref name",
		"workflow id", workflowID, "task reference name", taskRefName, "status", string(status))
	if err != nil {
		return "", err
	}
	if output == nil {
		output = map[string]any{}
	}
	q := url.Values{}
	setIf(q, "workerid", workerID)
	r := request{
		method: http.MethodPost, query: q, body: output, accept: "text/plain, application/json",
		path: "/tasks/" + segs[0] + "/" + segs[1] + "/" + segs[2],
	}
	resp, err := t.c.do(ctx, r)
	if err != nil {
		return "", err
	}
	return text(resp), nil
}

// Get returns a task by id. The official SDK calls it GetTask.
func (t *TaskClient) Get(ctx context.Context, taskID string) (*model.WorkerTask, error) {
	id, err := segment("get task", "task id", taskID)
	if err != nil {
		return nil, err
	}
	r := request{method: http.MethodGet, path: "/tasks/" + id}
	resp, err := t.c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	task, err := t.c.task(resp, r)
	if err == nil && task == nil {
		err = fmt.Errorf("conductor: %s %s: empty answer (status %d), want JSON", r.method, r.path, resp.status)
	}
	return task, err
}

// AddLog appends a line to a task's execution log. Conductor stores the
// request body verbatim, so the line goes as text/plain, not as JSON. The
// official SDK calls it Log.
func (t *TaskClient) AddLog(ctx context.Context, taskID, line string) error {
	id, err := segment("add task log", "task id", taskID)
	if err != nil {
		return err
	}
	if line == "" {
		// Conductor requires a body: an empty one is a 500 there.
		return errRequired("add task log", "log line")
	}
	return exec(ctx, t.c, request{method: http.MethodPost, path: "/tasks/" + id + "/log",
		body: rawBody{contentType: "text/plain; charset=utf-8", data: []byte(line)}})
}

// Logs returns a task's execution log (empty when it has none). The official
// SDK calls it GetTaskLogs.
func (t *TaskClient) Logs(ctx context.Context, taskID string) ([]model.TaskExecLog, error) {
	id, err := segment("get task logs", "task id", taskID)
	if err != nil {
		return nil, err
	}
	return list[model.TaskExecLog](ctx, t.c, request{method: http.MethodGet, path: "/tasks/" + id + "/log"})
}

// QueueSize returns how many tasks of taskType wait in the queue of domain
// (empty for the default queue).
func (t *TaskClient) QueueSize(ctx context.Context, taskType, domain string) (int, error) {
	if taskType == "" {
		return 0, errRequired("queue size", "task type")
	}
	q := url.Values{"taskType": {taskType}}
	setIf(q, "domain", domain)
	n, err := call[int](ctx, t.c, request{method: http.MethodGet, path: "/tasks/queue/size", query: q})
	if err != nil {
		return 0, err
	}
	return *n, nil
}

// QueueSizes returns the queue size of each task type (deprecated in
// Conductor, kept for the official SDK's Size).
func (t *TaskClient) QueueSizes(ctx context.Context, taskTypes ...string) (map[string]int, error) {
	if len(taskTypes) == 0 {
		return nil, errRequired("queue sizes", "a task type")
	}
	for _, tt := range taskTypes {
		if tt == "" {
			return nil, errRequired("queue sizes", "task type")
		}
	}
	r := request{method: http.MethodGet, path: "/tasks/queue/sizes", query: url.Values{"taskType": taskTypes}}
	sizes, err := call[map[string]int](ctx, t.c, r)
	if err != nil {
		return nil, err
	}
	if *sizes == nil {
		return map[string]int{}, nil
	}
	return *sizes, nil
}

// PollData returns the last poll of each domain's queue of taskType. The
// official SDK calls it GetPollData.
func (t *TaskClient) PollData(ctx context.Context, taskType string) ([]model.PollData, error) {
	if taskType == "" {
		return nil, errRequired("poll data", "task type")
	}
	r := request{method: http.MethodGet, path: "/tasks/queue/polldata", query: url.Values{"taskType": {taskType}}}
	return list[model.PollData](ctx, t.c, r)
}

// Search finds tasks (GET /api/tasks/search). The official SDK calls it
// Search too.
func (t *TaskClient) Search(ctx context.Context, opts SearchOptions) (*model.SearchResult[model.TaskSummary], error) {
	q, err := opts.query("search tasks")
	if err != nil {
		return nil, err
	}
	return searchResult[model.TaskSummary](ctx, t.c, request{method: http.MethodGet, path: "/tasks/search", query: q})
}

// task decodes a task answer; an empty answer (204: no task) is nil.
func (c *APIClient) task(resp *response, r request) (*model.WorkerTask, error) {
	if resp.empty() {
		return nil, nil
	}
	task, err := c.decoder.task(resp.body)
	resp.recycle()
	if err != nil {
		return nil, fmt.Errorf("conductor: %s %s: malformed answer: %w", r.method, r.path, err)
	}
	return task, nil
}
