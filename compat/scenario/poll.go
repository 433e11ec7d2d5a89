package scenario

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The worker side of the API: polls, batch and long polls, the three update endpoints, logs,
// task lookup, queue sizes and poll data, lease extension.

func pollScenarios() []Scenario {
	return []Scenario{
		{Name: "poll_empty", Source: "poll on an empty queue: 204; batch poll: 200 []; poll data recorded", Run: pollEmpty},
		{Name: "poll_task_shape", Source: "the full Task a worker receives, and GET /tasks/{id}", Full: true, Run: pollTaskShape},
		{Name: "batch_poll", Source: "GET /tasks/poll/batch/{type}?count=2 over three queued tasks", Run: batchPoll},
		{Name: "long_poll", Source: "batch poll timeout: waits on an empty queue, answers early when a task arrives, > 5000 ms is a 400", Run: longPoll},
		{Name: "update_v2", Source: "POST /tasks/update-v2: answers the next task of the same type, or 204", Run: updateV2},
		{Name: "update_by_ref_name", Source: "POST /tasks/{workflowId}/{ref}/{status} (+ /sync): output merged, unknown ref", Run: updateByRef},
		{Name: "task_logs", Source: "POST/GET /tasks/{id}/log, TaskResult.logs", Run: taskLogs},
		{Name: "update_after_terminal", Source: "updates to a task that is already terminal are ignored (200)", Run: updateAfterTerminal},
		{Name: "extend_lease", Source: "TaskResult.extendLease keeps an IN_PROGRESS task past its responseTimeoutSeconds", Run: extendLease},
	}
}

func pollEmpty(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", nil))
	s.Poll("a")
	s.PollAs("a", "w2", "d1")
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/poll/batch/{taskType}", Args: []string{s.N("a")}, Query: url.Values{"workerid": {Worker}, "count": {"2"}}})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/poll/batch/{taskType}", Args: []string{s.N("a")}, Query: url.Values{"workerid": {Worker}, "count": {"0"}}})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/poll/{taskType}", Args: []string{s.N("a")}, Label: "poll without workerid"})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/polldata", Query: url.Values{"taskType": {s.N("a")}}, View: sortPollData})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/size", Query: url.Values{"taskType": {s.N("a")}}})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/sizes", Query: url.Values{"taskType": {s.N("a"), s.N("never_registered")}}})
}

// sortPollData orders PollData rows by domain (the server's row order is not behaviour).
func sortPollData(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := append([]any(nil), l...)
	key := func(e any) string {
		m, _ := e.(M)
		return str(m, "domain") + "|" + str(m, "workerId")
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && key(out[j]) < key(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func pollTaskShape(s *S) {
	s.RegisterTaskDefs(s.TaskDef("a", M{"retryCount": 1, "retryDelaySeconds": 1, "responseTimeoutSeconds": 30, "description": "shape"}))
	s.RegisterWorkflow(s.WorkflowDef("wf", M{"description": "shape"},
		s.Simple("a", "a", M{"inputParameters": M{"x": "${workflow.input.x}"}}), s.Simple("unregistered", "u", nil)))
	id := s.Start("wf", M{"x": 42}, M{"correlationId": "shape"})
	t := s.AwaitPoll("a")
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/{taskId}", Args: []string{str(t, "taskId")}})
	s.must(s.Complete(t, M{"y": 1}), http.StatusOK)
	u := s.AwaitPoll("unregistered")
	s.must(s.Complete(u, nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}

func batchPoll(s *S) {
	s.oneTask(nil, nil)
	ids := []string{s.Start("wf", M{"x": 1}, nil), s.Start("wf", M{"x": 2}, nil), s.Start("wf", M{"x": 3}, nil)}
	q := url.Values{"workerid": {Worker}, "count": {"2"}, "timeout": {"100"}}
	req := Req{Method: http.MethodGet, Path: "/tasks/poll/batch/{taskType}", Args: []string{s.N("a")}, Query: q, View: sortTasksByInput}
	first := s.Do(req).List()
	second := s.Do(req).List()
	s.Do(req)
	s.Check("2 then 1 then none", len(first) == 2 && len(second) == 1)
	for _, t := range append(first, second...) {
		if m, ok := t.(M); ok {
			s.must(s.Complete(m, nil), http.StatusOK)
		}
	}
	for _, id := range ids {
		s.AwaitStatus(id, "COMPLETED")
	}
}

// sortTasksByInput orders polled tasks by inputData.x (distinct per workflow in these scenarios).
func sortTasksByInput(v any) any { return sortByX(v, "inputData") }

func longPoll(s *S) {
	s.oneTask(nil, nil)
	batch := func(timeout string) Req {
		return Req{Method: http.MethodGet, Path: "/tasks/poll/batch/{taskType}", Args: []string{s.N("a")},
			Query: url.Values{"workerid": {Worker}, "count": {"1"}, "timeout": {timeout}}}
	}
	r := s.Do(batch("1000"))
	s.Note("empty queue, timeout 1000 ms: answered after", DelayClass(r.Elapsed, 1))
	s.Do(batch("6000"))
	// A long poll that is waiting when the task arrives answers before its timeout.
	type result struct {
		r   *Resp
		err error
	}
	done := make(chan result, 1)
	req := batch("5000")
	go func() {
		resp, err := s.send(req)
		done <- result{resp, err}
	}()
	time.Sleep(500 * time.Millisecond) // let the poll reach the server before the task exists
	started := time.Now()
	id := s.Start("wf", M{"x": 1}, nil)
	res := <-done
	if res.err != nil {
		s.abort("long poll: %v", res.err)
	}
	s.record(req, res.r, "", nil)
	waited := "before its timeout"
	if time.Since(started) > 4*time.Second {
		waited = "only at its timeout"
	}
	s.Note("long poll woken by the new task", waited)
	if l := res.r.List(); len(l) == 1 {
		s.must(s.Complete(l[0].(M), nil), http.StatusOK)
	} else {
		s.PollComplete("a", nil)
	}
	s.AwaitStatus(id, "COMPLETED")
}

func updateV2(s *S) {
	s.oneTask(nil, nil)
	id1 := s.Start("wf", M{"x": 1}, nil)
	id2 := s.Start("wf", M{"x": 2}, nil)
	t := s.AwaitPoll("a")
	v2 := func(result M, label string) *Resp {
		return s.Do(Req{Method: http.MethodPost, Path: "/tasks/update-v2", Body: result, Label: label})
	}
	r := v2(TaskResult(t, "IN_PROGRESS", M{"p": 1}), "IN_PROGRESS: no next task")
	next := v2(TaskResult(t, "COMPLETED", M{"done": 1}), "COMPLETED: the next task comes back").Obj()
	if next == nil {
		next = s.AwaitPoll("a")
	}
	s.Check("the answer to IN_PROGRESS has no body", len(r.Raw) == 0)
	s.Check("the next task is the other workflow's, IN_PROGRESS", str(next, "status") == "IN_PROGRESS" &&
		(str(next, "workflowInstanceId") == id1 || str(next, "workflowInstanceId") == id2) && str(next, "taskId") != str(t, "taskId"))
	v2(TaskResult(next, "COMPLETED", M{"done": 2}), "COMPLETED: queue empty")
	s.AwaitStatus(id1, "COMPLETED")
	s.AwaitStatus(id2, "COMPLETED")
}

func updateByRef(s *S) {
	s.twoTasks(nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t := s.AwaitPoll("a")
	s.must(s.Update(TaskResult(t, "IN_PROGRESS", M{"kept": "yes", "v": "old"})), http.StatusOK)
	path := "/tasks/{workflowId}/{taskRefName}/{status}"
	s.Do(Req{Method: http.MethodPost, Path: path, Args: []string{id, "a", "COMPLETED"}, Query: url.Values{"workerid": {"ref-worker"}},
		Body: M{"v": "new"}, Label: "complete a by reference"})
	s.AwaitTasks(id, 2, "SCHEDULED")
	s.Do(Req{Method: http.MethodPost, Path: path, Args: []string{id, "a", "COMPLETED"}, Body: M{"v": "again"}, Label: "a is already done"})
	s.Do(Req{Method: http.MethodPost, Path: path, Args: []string{id, "nope", "COMPLETED"}, Body: M{}, Label: "unknown reference"})
	s.Do(Req{Method: http.MethodPost, Path: path + "/sync", Args: []string{id, "b", "COMPLETED"}, Body: M{"b": true}, Label: "complete b, sync"})
	s.AwaitStatus(id, "COMPLETED")
	s.Do(Req{Method: http.MethodPost, Path: path + "/sync", Args: []string{id, "b", "COMPLETED"}, Body: M{}, Label: "sync, nothing pending"})
	s.Do(Req{Method: http.MethodPost, Path: path, Args: []string{id, "a", "DONE"}, Body: M{}, Label: "bad status"})
}

func taskLogs(s *S) {
	s.oneTask(nil, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t := s.AwaitPoll("a")
	tid := str(t, "taskId")
	logPath := "/tasks/{taskId}/log"
	s.Do(Req{Method: http.MethodGet, Path: logPath, Args: []string{tid}, Label: "no logs yet"})
	for _, l := range []struct{ body, ct string }{
		{`plain "quoted" text`, "text/plain"}, {`"json string"`, "application/json"}, {`{"a":1}`, "application/json"},
	} {
		b := l.body
		s.Do(Req{Method: http.MethodPost, Path: logPath, Args: []string{tid}, Raw: &b, ContentType: l.ct, Label: "log as " + strings.ReplaceAll(l.ct, "/", " ")})
	}
	empty := ""
	s.Do(Req{Method: http.MethodPost, Path: logPath, Args: []string{tid}, Raw: &empty, ContentType: "text/plain", Label: "empty log"})
	r := TaskResult(t, "COMPLETED", nil)
	r["logs"] = []any{M{"log": "from the result", "taskId": tid, "createdTime": 1}}
	s.must(s.Update(r), http.StatusOK)
	s.Await("four log lines", Req{Method: http.MethodGet, Path: logPath, Args: []string{tid}}, func(r *Resp) bool { return len(r.List()) >= 4 })
	s.Do(Req{Method: http.MethodGet, Path: logPath, Args: []string{"no-such-task"}, Label: "logs of an unknown task"})
	s.AwaitStatus(id, "COMPLETED")
}

func updateAfterTerminal(s *S) {
	s.oneTask(nil, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t := s.AwaitPoll("a")
	s.must(s.Complete(t, M{"first": true}), http.StatusOK)
	s.Complete(t, M{"second": true})
	s.Fail(t, "FAILED", "too late")
	s.AwaitStatus(id, "COMPLETED")
	s.Update(M{"workflowInstanceId": id, "taskId": "no-such-task", "status": "COMPLETED"})
}

func extendLease(s *S) {
	s.oneTask(M{"responseTimeoutSeconds": 2, "retryCount": 0}, nil)
	id := s.Start("wf", M{"x": 1}, nil)
	t := s.AwaitPoll("a")
	end := time.Now().Add(3500 * time.Millisecond)
	lease := TaskResult(t, "IN_PROGRESS", nil)
	lease["extendLease"] = true
	s.must(s.Update(lease), http.StatusOK)
	for time.Now().Before(end) {
		time.Sleep(700 * time.Millisecond)
		if _, err := s.send(Req{Method: http.MethodPost, Path: "/tasks", Body: lease}); err != nil {
			s.abort("extend lease: %v", err)
		}
	}
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/decide/{workflowId}", Args: []string{id}, Label: "decide (see SweepAfter)"})
	wf := s.GetWorkflow(id, "after 3.5 s of lease extensions (responseTimeoutSeconds 2)")
	s.Check("still IN_PROGRESS", str(Tasks(wf)[0], "status") == "IN_PROGRESS")
	s.must(s.Complete(t, M{"ok": true}), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}
