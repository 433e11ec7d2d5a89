package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// Poll limits (core/.../service/ExecutionService.java).
const (
	// singlePollWait is how long GET /tasks/poll/{type} waits for a task
	// (POLLING_TIMEOUT_IN_MS).
	singlePollWait = 100 * time.Millisecond
	// maxPollTimeoutMs bounds the long-poll timeout (MAX_POLL_TIMEOUT_MS).
	maxPollTimeoutMs = 5000
	// maxPollCount bounds one batch poll. Conductor has no bound; asking for
	// more is answered with at most this many tasks, which a batch poll
	// may always do.
	maxPollCount = 1000
)

const taskResultExample = `a TaskResult object, e.g. {"workflowInstanceId":"...","taskId":"...","status":"COMPLETED","outputData":{}}`

// GET /api/tasks/poll/{tasktype}: one task, or 204 when none came within
// 100 ms.
func (h *Handler) poll(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	poller, err := pollerID(r)
	if err != nil {
		return err
	}
	tasks, err := h.pollTasks(r, r.PathValue("tasktype"), engine.PollRequest{
		Domain: q.str("domain"), WorkerID: q.str("workerid"), Count: 1, Timeout: singlePollWait, PollerID: poller,
	})
	if err != nil {
		return err
	}
	if len(tasks) == 0 {
		return noContent(w)
	}
	return ok(w, tasks[0])
}

// GET /api/tasks/poll/batch/{tasktype}: up to count tasks, waiting up to
// timeout ms for the first; [] (never 204) when none came.
func (h *Handler) batchPoll(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	count, err := q.intOr("count", 1)
	if err != nil {
		return err
	}
	timeout, err := q.intOr("timeout", 100)
	if err != nil {
		return err
	}
	switch {
	case timeout > maxPollTimeoutMs:
		return invalidf("Long Poll Timeout value cannot be more than 5 seconds")
	case timeout < 0:
		return invalidf("query parameter timeout must be 0 to %d milliseconds, got %d", maxPollTimeoutMs, timeout)
	case count < 0:
		return invalidf("query parameter count must not be negative, got %d", count)
	case count == 0:
		return ok(w, []*model.WorkerTask{}) // asked for nothing: Conductor answers [] at once
	}
	poller, err := pollerID(r)
	if err != nil {
		return err
	}
	tasks, err := h.pollTasks(r, r.PathValue("tasktype"), engine.PollRequest{
		Domain: q.str("domain"), WorkerID: q.str("workerid"),
		Count: min(count, maxPollCount), Timeout: time.Duration(timeout) * time.Millisecond, PollerID: poller,
	})
	if err != nil {
		return err
	}
	return ok(w, tasks)
}

// pollTasks polls with a context that also ends when the server drains, and
// then answers "no task" rather than an error.
func (h *Handler) pollTasks(r *http.Request, taskType string, req engine.PollRequest) ([]*model.WorkerTask, error) {
	ctx, cancel := h.waitContext(r.Context())
	defer cancel()
	tasks, err := h.svc.Poll(ctx, taskType, req)
	if err != nil && !h.draining() {
		return nil, err
	}
	out := make([]*model.WorkerTask, 0, len(tasks))
	for _, t := range tasks {
		if t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// POST /api/tasks: record a result; answers the task id as text/plain.
func (h *Handler) updateTask(w http.ResponseWriter, r *http.Request) error {
	tr, err := decodeTaskResult(r)
	if err != nil {
		return err
	}
	if err := h.svc.UpdateTask(r.Context(), tr); err != nil {
		return err
	}
	return writeText(w, tr.TaskId)
}

// POST /api/tasks/update-v2: record a result and answer the next task of the
// same type and domain, or 204.
func (h *Handler) updateTaskV2(w http.ResponseWriter, r *http.Request) error {
	tr, err := decodeTaskResult(r)
	if err != nil {
		return err
	}
	next, err := h.svc.UpdateTaskV2(r.Context(), tr)
	if err != nil {
		return err
	}
	if next == nil {
		return noContent(w)
	}
	return ok(w, next)
}

func decodeTaskResult(r *http.Request) (*model.TaskResult, error) {
	var tr model.TaskResult
	if err := decodeBody(r, &tr, taskResultExample); err != nil {
		return nil, err
	}
	if err := checkTaskResult(&tr); err != nil {
		return nil, err
	}
	return &tr, nil
}

// POST /api/tasks/{workflowId}/{taskRefName}/{status}, which also serves
// POST /api/tasks/{workflowId}/{status}/signal (see routes).
func (h *Handler) updateTaskByRefNameOrSignal(w http.ResponseWriter, r *http.Request) error {
	if r.PathValue("status") == "signal" {
		return h.signal(w, r)
	}
	id, err := h.updateByRefName(r)
	if err != nil {
		return err
	}
	if id == "" {
		return empty(w) // no pending task by that name: Conductor answers an empty 200
	}
	return writeText(w, id)
}

// POST /api/tasks/{workflowId}/{taskRefName}/{status}/sync: as above, then
// answers the workflow with its tasks; 404 when no task was pending.
func (h *Handler) updateTaskByRefNameSync(w http.ResponseWriter, r *http.Request) error {
	id, err := h.updateByRefName(r)
	if err != nil {
		return err
	}
	wfID, ref := r.PathValue("workflowId"), r.PathValue("taskRefName")
	if id == "" {
		return notFoundf("Found no running task %s of workflow %s to update", ref, wfID)
	}
	wf, err := h.svc.GetWorkflow(r.Context(), wfID, true)
	if err != nil {
		return err
	}
	return ok(w, wf)
}

// updateByRefName applies the status and output map of a by-name update.
func (h *Handler) updateByRefName(r *http.Request) (string, error) {
	status, err := parseTaskResultStatus(r.PathValue("status"))
	if err != nil {
		return "", err
	}
	var output map[string]any
	if err := decodeBody(r, &output, `the task output as a JSON object, e.g. {"key":"value"}`); err != nil {
		return "", err
	}
	if output == nil {
		output = map[string]any{} // a JSON null body: no output to merge
	}
	return h.svc.UpdateTaskByRefName(r.Context(), r.PathValue("workflowId"), r.PathValue("taskRefName"),
		status, output, query(r).str("workerid"))
}

// POST /api/tasks/{workflowId}/{status}/signal[/sync] completes a workflow's
// blocking WAIT task; the engine has no such call yet.
func (h *Handler) signal(http.ResponseWriter, *http.Request) error {
	return notImplemented("signalling a workflow's blocking task (use POST /api/tasks/{workflowId}/{taskRefName}/{status} instead)")
}

func (h *Handler) signalSync(w http.ResponseWriter, r *http.Request) error { return h.signal(w, r) }

// POST /api/tasks/{taskId}/log: the raw body is the log line.
func (h *Handler) addTaskLog(w http.ResponseWriter, r *http.Request) error {
	b, err := readRawBody(r) // any content type: the bytes are the line
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return invalidf("request body is missing: send the log line as the body")
	}
	if err := h.svc.AddTaskLog(r.Context(), r.PathValue("taskId"), string(b)); err != nil {
		return err
	}
	return empty(w)
}

// GET /api/tasks/{taskId}/log: the log lines, 204 when there are none (also
// for an unknown task, whose logs Conductor simply does not find).
func (h *Handler) taskLogs(w http.ResponseWriter, r *http.Request) error {
	logs, err := h.svc.TaskLogs(r.Context(), r.PathValue("taskId"))
	if engine.KindOf(err) == engine.KindNotFound {
		return noContent(w)
	}
	if err != nil {
		return err
	}
	if len(logs) == 0 {
		return noContent(w)
	}
	return ok(w, logs)
}

// GET /api/tasks/{taskId}.
func (h *Handler) getTask(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("taskId")
	t, err := h.svc.GetTask(r.Context(), id)
	if err != nil {
		return err
	}
	if t == nil {
		return notFoundf("Task not found for taskId: %s", id)
	}
	return ok(w, t)
}

// GET /api/tasks/queue/sizes?taskType=a&taskType=b (deprecated in Conductor).
func (h *Handler) queueSizes(w http.ResponseWriter, r *http.Request) error {
	types := query(r).list("taskType")
	if len(types) == 0 {
		return invalidf("query parameter taskType is required (repeat it for several), e.g. ?taskType=task_1&taskType=task_2")
	}
	sizes := make(map[string]int, len(types))
	for _, t := range types {
		n, err := h.svc.QueueSize(r.Context(), t, "")
		if err != nil {
			return err
		}
		sizes[t] = n
	}
	return ok(w, sizes)
}

// GET /api/tasks/queue/size?taskType=&domain=. Baton has no isolation
// groups or execution namespaces; those parameters are ignored.
func (h *Handler) queueSize(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	taskType, err := q.required("taskType", "task_1")
	if err != nil {
		return err
	}
	n, err := h.svc.QueueSize(r.Context(), taskType, q.str("domain"))
	if err != nil {
		return err
	}
	return ok(w, n)
}

// GET /api/tasks/queue/all: queue name ("type" or "domain:type") → size.
func (h *Handler) queueAll(w http.ResponseWriter, r *http.Request) error {
	sizes, err := h.svc.QueueSizes(r.Context())
	if err != nil {
		return err
	}
	if sizes == nil {
		sizes = map[string]int{}
	}
	return ok(w, sizes)
}

// GET /api/tasks/queue/all/verbose: the shape of Conductor's SQLite queue
// (SqliteQueueDAO.queuesDetailVerbose): one shard "a" with size and uacked.
// Baton's queues hold only undelivered tasks, so uacked is always 0.
func (h *Handler) queueAllVerbose(w http.ResponseWriter, r *http.Request) error {
	sizes, err := h.svc.QueueSizes(r.Context())
	if err != nil {
		return err
	}
	out := make(map[string]map[string]map[string]int64, len(sizes))
	for q, n := range sizes {
		out[q] = map[string]map[string]int64{"a": {"size": int64(n), "uacked": 0}}
	}
	return ok(w, out)
}

// GET /api/tasks/queue/polldata?taskType=.
func (h *Handler) pollData(w http.ResponseWriter, r *http.Request) error {
	taskType, err := query(r).required("taskType", "task_1")
	if err != nil {
		return err
	}
	data, err := h.svc.PollData(r.Context(), taskType)
	if err != nil {
		return err
	}
	return ok(w, nonNil(data))
}

// GET /api/tasks/queue/polldata/all.
func (h *Handler) allPollData(w http.ResponseWriter, r *http.Request) error {
	data, err := h.svc.AllPollData(r.Context())
	if err != nil {
		return err
	}
	return ok(w, nonNil(data))
}

// POST /api/tasks/queue/requeue/{taskType}: the count as text/plain.
func (h *Handler) requeuePending(w http.ResponseWriter, r *http.Request) error {
	n, err := h.svc.RequeuePending(r.Context(), r.PathValue("taskType"))
	if err != nil {
		return err
	}
	return writeText(w, strconv.Itoa(n))
}

// GET .../externalstoragelocation: Baton keeps every payload inline.
func (h *Handler) externalStorage(http.ResponseWriter, *http.Request) error {
	return notImplemented("external payload storage (Baton keeps payloads inline)")
}

// errDraining ends a wait because the server is stopping.
var errDraining = errors.New("api: server is stopping")

// waitContext returns a context for a call that waits on purpose (a long
// poll, a synchronous execution): it ends with the request or when the
// server starts to drain.
func (h *Handler) waitContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	stop := context.AfterFunc(h.cfg.Drain, func() { cancel(errDraining) })
	return ctx, func() { stop(); cancel(nil) }
}

// draining reports whether the server has started to stop.
func (h *Handler) draining() bool { return h.cfg.Drain.Err() != nil }

// nonNil makes an absent list answer [] as Conductor's do, never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
