package scenario

import (
	"net/http"
	"net/url"
	"strconv"
)

// Ports of test-harness/.../integration/http/TestHarnessAbstractHttpEndToEndTest.java (v3.32.1),
// which drives the server through the Java HTTP client. The harness runs with
// conductor.app.ownerEmailMandatory=true; the oracle runs with the shipped default (false), so
// "ownerEmail cannot be empty" is not among the errors here.

func specHTTPAll(s *S) {
	var defs []M
	for i := range 5 {
		n := "t" + strconv.Itoa(i)
		defs = append(defs, s.TaskDef(n, M{"description": "task " + strconv.Itoa(i) + " description", "ownerEmail": harnessEmail,
			"retryCount": 3, "timeoutSeconds": 60, "responseTimeoutSeconds": 60, "timeoutPolicy": "RETRY"}))
	}
	s.RegisterTaskDefs(defs...)
	s.RegisterWorkflow(M{"name": s.N("test"), "ownerEmail": harnessEmail, "tasks": []any{
		M{"name": s.N("t0"), "type": "SIMPLE", "taskReferenceName": "t0"},
		M{"name": s.N("t1"), "type": "SIMPLE", "taskReferenceName": "t1"},
	}})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/{name}", Args: []string{s.N("test")}})
	id := s.StartReq(M{"name": s.N("test"), "correlationId": "test_corr_id", "priority": 50, "input": M{}})
	wf := s.Do(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}, Query: url.Values{"includeTasks": {"false"}}}).Obj()
	s.Check("includeTasks=false: no tasks", len(Tasks(wf)) == 0)
	wf = s.GetWorkflow(id, "")
	s.CheckShape("started", wf, "RUNNING: t0=SCHEDULED")
	r := s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/size", Query: url.Values{"taskType": {s.N("t0")}}})
	s.Check("queue size 1", r.Text() == "1")
	running := s.Do(Req{Method: http.MethodGet, Path: "/workflow/running/{name}", Args: []string{s.N("test")}, Query: url.Values{"version": {"1"}}}).List()
	s.Check("one running workflow, this one", len(running) == 1 && running[0] == id)
	batch := func(task string) []any {
		return s.Do(Req{Method: http.MethodGet, Path: "/tasks/poll/batch/{taskType}", Args: []string{s.N(task)},
			Query: url.Values{"workerid": {"test"}, "count": {"1"}, "timeout": {"100"}}}).List()
	}
	s.Check("no tasks of a type that does not exist", len(batch("non existing task")) == 0)
	polled := batch("t0")
	s.Check("one t0 task", len(polled) == 1)
	if len(polled) != 1 {
		s.abort("batch poll of t0 returned %d tasks", len(polled))
	}
	task, _ := polled[0].(M)
	s.must(s.Complete(task, M{"key1": "value1"}), http.StatusOK)
	s.Check("nothing more to poll", len(batch("t0")) == 0)
	s.ExpectShape(id, "t0 done", "RUNNING: t0=COMPLETED t1=SCHEDULED")
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/{taskId}", Args: []string{str(task, "taskId")}})
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/size", Query: url.Values{"taskType": {s.N("t1")}}})
	s.searchWorkflows("/workflow/search", url.Values{"query": {"workflowType='" + s.N("test") + "'"}})
	s.searchWorkflows("/workflow/search-v2", url.Values{"query": {"workflowType='" + s.N("test") + "'"}})
	s.searchWorkflows("/workflow/search", url.Values{"start": {"0"}, "size": {"1"}, "query": {"workflowType='" + s.N("test") + "'"}})
	s.searchWorkflows("/tasks/search", url.Values{"query": {"taskType='" + s.N("t0") + "'"}})
	s.searchWorkflows("/tasks/search-v2", url.Values{"start": {"0"}, "size": {"1"}, "query": {"taskType='" + s.N("t0") + "'"}})
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"terminate reason"}})
	s.ExpectShape(id, "terminated", "TERMINATED: t0=COMPLETED t1=CANCELED")
	s.WF(http.MethodPost, "/workflow/{workflowId}/restart", id, url.Values{"useLatestDefinitions": {"false"}})
	s.ExpectShape(id, "restarted", "RUNNING: t0=SCHEDULED")
	s.WF(http.MethodPut, "/workflow/{workflowId}/skiptask/t1", id, nil)
	s.WF(http.MethodDelete, "/workflow/{workflowId}", id, url.Values{"reason": {"scenario done"}})
}

// searchWorkflows waits until a search finds exactly one hit (the index may lag the store).
func (s *S) searchWorkflows(path string, q url.Values) {
	s.Await("one hit", Req{Method: http.MethodGet, Path: path, Query: q}, func(r *Resp) bool {
		return r.Status == http.StatusOK && num(r.Obj(), "totalHits") == 1
	})
}

func specHTTPErrors(s *S) {
	// testMetadataWorkflowDefinition
	def := M{"name": s.N("testWorkflowDefMetadata"), "version": 1, "tasks": []any{
		M{"name": s.N("t0"), "type": "SIMPLE", "taskReferenceName": "t0"},
		M{"name": s.N("t1"), "type": "SIMPLE", "taskReferenceName": "t1"}}}
	s.RegisterWorkflow(def)
	s.Do(Req{Method: http.MethodDelete, Path: "/metadata/workflow/{name}/{version}", Args: []string{s.N("testWorkflowDefMetadata"), "1"}})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/{name}", Args: []string{s.N("testWorkflowDefMetadata")}, Query: url.Values{"version": {"1"}}})
	// testUpdateWorkflow
	s.RegisterTaskDefs(s.TaskDef("taskUpdate", nil))
	wd := M{"name": s.N("testWorkflowDel"), "version": 1, "tasks": []any{M{"name": s.N("taskUpdate"), "taskReferenceName": "taskUpdate"}}}
	s.RegisterWorkflow(wd)
	wd["version"] = 2
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/workflow", Body: []any{wd}})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/workflow/{name}", Args: []string{s.N("testWorkflowDel")}, Query: url.Values{"version": {"2"}}})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/taskdefs/{name}", Args: []string{"test"}})
	// testUpdateTask, testGetWorfklowNotFound
	s.Do(Req{Method: http.MethodPost, Path: "/tasks", Body: M{}, Label: "update with an empty TaskResult"})
	s.Do(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{"w123"}, Query: url.Values{"includeTasks": {"true"}}})
	// testEmptyCreateWorkflowDef, testCreateInvalidWorkflowDef, testUpdateWorkflowDef, testUpdateWorkflowDefNameNull
	s.Do(Req{Method: http.MethodPost, Path: "/metadata/workflow", Body: M{}, Label: "register an empty workflow def"})
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/workflow", Body: []any{M{}}, Label: "update with an empty workflow def"})
	// testTaskByTaskId, testUpdateTaskDefNameNull, testGetTaskDefNotExisting, testListworkflowsByCorrelationId
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/{taskId}", Args: []string{"test999"}})
	s.Do(Req{Method: http.MethodPut, Path: "/metadata/taskdefs", Body: M{}, Label: "update an empty task def"})
	s.Do(Req{Method: http.MethodGet, Path: "/metadata/taskdefs/", Label: "get a task def with an empty name"})
	s.Do(Req{Method: http.MethodGet, Path: "/workflow/{name}/correlated/{correlationId}", Args: []string{s.N("test"), "test12"},
		Query: url.Values{"includeClosed": {"false"}, "includeTasks": {"false"}}})
	// testInvalidResource: the client's root URI with "invalid" appended
	s.Do(Req{Method: http.MethodPost, Path: "/invalid/metadata/workflow", Body: M{"name": s.N("testWorkflowDel"), "version": 1}, Label: "invalid resource"})
}
