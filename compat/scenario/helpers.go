package scenario

import (
	"maps"
	"net/http"
	"net/url"

	"github.com/batonhq/baton/compat/trace"
)

// Worker is the worker id every scenario polls with unless it says otherwise.
const Worker = "compat-worker"

// TaskDef returns a task definition named N(name) with the given fields.
func (s *S) TaskDef(name string, fields M) M {
	d := M{"name": s.N(name)}
	maps.Copy(d, fields)
	return d
}

// Simple returns a SIMPLE workflow task for task N(name) with reference ref.
func (s *S) Simple(name, ref string, fields M) M {
	t := M{"name": s.N(name), "taskReferenceName": ref, "type": "SIMPLE"}
	maps.Copy(t, fields)
	return t
}

// WorkflowDef returns a workflow definition (version 1, schemaVersion 2) named N(name).
func (s *S) WorkflowDef(name string, fields M, tasks ...M) M {
	ts := make([]any, len(tasks))
	for i, t := range tasks {
		ts[i] = t
	}
	d := M{"name": s.N(name), "version": 1, "schemaVersion": 2, "tasks": ts}
	maps.Copy(d, fields)
	return d
}

// RegisterTaskDefs registers task definitions (POST /metadata/taskdefs) and aborts unless 200.
func (s *S) RegisterTaskDefs(defs ...M) {
	body := make([]any, len(defs))
	for i, d := range defs {
		body[i] = d
	}
	s.must(s.Do(Req{Method: http.MethodPost, Path: "/metadata/taskdefs", Body: body}), http.StatusOK)
}

// RegisterWorkflow registers a workflow definition (POST /metadata/workflow) and aborts unless 200.
func (s *S) RegisterWorkflow(def M) {
	s.must(s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow", Body: def}), http.StatusOK)
}

func (s *S) must(r *Resp, status int) *Resp {
	if r.Status != status {
		s.abort("expected status %d, got %d: %s", status, r.Status, r.Text())
	}
	return r
}

// Start starts workflow N(name) with a StartWorkflowRequest (POST /workflow); extra adds fields
// (version, correlationId, taskToDomain, priority ...). It returns the workflow id.
func (s *S) Start(name string, input M, extra M) string {
	req := M{"name": s.N(name), "input": input}
	maps.Copy(req, extra)
	return s.StartReq(req)
}

// StartReq sends a raw StartWorkflowRequest and returns the workflow id (aborting unless 200).
func (s *S) StartReq(req M) string {
	r := s.must(s.Do(Req{Method: http.MethodPost, Path: "/workflow", Body: req}), http.StatusOK)
	s.learn(r.Text(), trace.IDWorkflow)
	return r.Text()
}

// GetWorkflow records GET /workflow/{id} (with tasks).
func (s *S) GetWorkflow(id, label string) M {
	r := s.must(s.Do(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}, Label: label}), http.StatusOK)
	return r.Obj()
}

// AwaitWorkflow waits until the workflow satisfies ok and records that state.
func (s *S) AwaitWorkflow(id, cond string, ok func(wf M) bool) M {
	r := s.Await(cond, Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}},
		func(r *Resp) bool { return r.Status == http.StatusOK && ok(r.Obj()) })
	return r.Obj()
}

// AwaitStatus waits until the workflow has the given status.
func (s *S) AwaitStatus(id, status string) M {
	return s.AwaitWorkflow(id, "workflow "+status, func(wf M) bool { return str(wf, "status") == status })
}

// AwaitTasks waits until the workflow has n task rows and the last one has the given status.
func (s *S) AwaitTasks(id string, n int, lastStatus string) M {
	return s.AwaitWorkflow(id, "task rows and last status", func(wf M) bool {
		ts := Tasks(wf)
		return len(ts) == n && str(ts[n-1], "status") == lastStatus
	})
}

// Tasks returns a workflow's task rows.
func Tasks(wf M) []M {
	l, _ := wf["tasks"].([]any)
	out := make([]M, 0, len(l))
	for _, t := range l {
		if m, ok := t.(M); ok {
			out = append(out, m)
		}
	}
	return out
}

func pollReq(taskType, worker, domain string) Req {
	q := url.Values{"workerid": {worker}}
	if domain != "" {
		q.Set("domain", domain)
	}
	return Req{Method: http.MethodGet, Path: "/tasks/poll/{taskType}", Args: []string{taskType}, Query: q}
}

// Poll records one poll of N(task) (GET /tasks/poll/{type}) and returns the task, or nil on 204.
func (s *S) Poll(task string) M {
	return s.PollAs(task, Worker, "")
}

// PollAs polls with a worker id and domain ("" for none).
func (s *S) PollAs(task, worker, domain string) M {
	r := s.Do(pollReq(s.N(task), worker, domain))
	if r.Status != http.StatusOK {
		return nil
	}
	return r.Obj()
}

// AwaitPoll polls N(task) until a task comes back (retry delays, callbacks), records that poll,
// and returns the task.
func (s *S) AwaitPoll(task string) M {
	return s.AwaitPollAs(task, Worker, "")
}

// AwaitPollAs is AwaitPoll with a worker id and domain.
func (s *S) AwaitPollAs(task, worker, domain string) M {
	if t, ok := s.pending[task+"|"+domain]; ok {
		delete(s.pending, task+"|"+domain)
		return t
	}
	r := s.Await("a task to poll", pollReq(s.N(task), worker, domain), func(r *Resp) bool {
		return r.Status == http.StatusOK && r.Obj() != nil
	})
	return r.Obj()
}

// Update posts a TaskResult (POST /tasks).
func (s *S) Update(result M) *Resp {
	return s.Do(Req{Method: http.MethodPost, Path: "/tasks", Body: result})
}

// TaskResult builds a TaskResult for a polled task.
func TaskResult(task M, status string, output M) M {
	r := M{"workflowInstanceId": task["workflowInstanceId"], "taskId": task["taskId"], "status": status}
	if output != nil {
		r["outputData"] = output
	}
	return r
}

// Complete completes a polled task with output.
func (s *S) Complete(task M, output M) *Resp {
	return s.Update(TaskResult(task, "COMPLETED", output))
}

// Fail fails a polled task with a reason (status FAILED, or FAILED_WITH_TERMINAL_ERROR etc.).
func (s *S) Fail(task M, status, reason string) *Resp {
	r := TaskResult(task, status, nil)
	r["reasonForIncompletion"] = reason
	return s.Update(r)
}

// PollComplete polls N(task) (waiting until one is available) and completes it with output.
func (s *S) PollComplete(task string, output M) M {
	t := s.AwaitPoll(task)
	s.must(s.Complete(t, output), http.StatusOK)
	return t
}

// WF calls a workflow operation: method and path template with the workflow id as first arg.
func (s *S) WF(method, path, id string, q url.Values) *Resp {
	return s.Do(Req{Method: method, Path: path, Args: []string{id}, Query: q})
}

// NoTask polls N(task) once and records the check that nothing came back. If a task did come
// back, the next AwaitPoll of that task returns it, so the scenario goes on.
func (s *S) NoTask(task, label string) {
	s.NoTaskAs(task, Worker, "", label)
}

// NoTaskAs is NoTask with a worker id and domain.
func (s *S) NoTaskAs(task, worker, domain, label string) {
	t := s.PollAs(task, worker, domain)
	s.Check(label, t == nil)
	if t != nil {
		if s.pending == nil {
			s.pending = map[string]M{}
		}
		s.pending[task+"|"+domain] = t
	}
}
