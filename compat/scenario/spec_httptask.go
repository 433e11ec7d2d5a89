package scenario

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"
)

// HTTP task scenarios, on the cases of http-task/.../HttpTaskTest.java and
// e2e/.../task/HTTPTaskTests.java (v3.32.1): each scenario starts its own HTTP server on
// 127.0.0.1 (the two servers under test run on this machine and reach it), with the endpoints
// HttpTaskTest gives its mock server, and the address becomes <echo> in the trace.

func httpTaskScenarios() []Scenario {
	return []Scenario{
		{Name: "http_task_methods", Source: "HttpTaskTest: testPost, testPostNoContent, testTextGET, testNumberGET, testJsonGET", Run: httpTaskMethods},
		{Name: "http_task_failure", Source: "HttpTaskTest: testFailure (a 500 answer fails the task; no retries left fails the workflow)", Run: httpTaskFailure},
		{Name: "http_task_retry", Source: "HttpTaskTest: testFailure, then the task definition's retry (retryCount 1, retryDelaySeconds 0) gets a 200", Run: httpTaskRetry},
		{Name: "http_task_closed_port", Source: "HttpTaskTest: testHTTPGetConnectionTimeOut, on a closed loopback port (connection refused)", Run: httpTaskClosedPort},
		{Name: "http_task_async_complete", Source: "HttpTaskTest: testPostAsyncComplete; HTTPTaskTests: HTTPAsyncCompleteTest", Run: httpTaskAsyncComplete},
	}
}

// echoServer starts the scenario's HTTP server and returns its base URL ("http://<echo>").
func (s *S) echoServer() string {
	base, _ := s.echoServerCounting()
	return base
}

// echoServerCounting is echoServer, also returning how many calls /flaky has received.
func (s *S) echoServerCounting() (string, *atomic.Int32) {
	var flaky atomic.Int32
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, status int, contentType, body string) {
		w.Header()["Date"] = nil // the trace would hold the time
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
	mux.HandleFunc("POST /post", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		_ = json.NewDecoder(r.Body).Decode(&in)
		out := map[string]any{}
		for k := range in {
			out[k] = k
		}
		b, _ := json.Marshal(out)
		reply(w, http.StatusOK, "application/json", string(b))
	})
	mux.HandleFunc("POST /post2", func(w http.ResponseWriter, _ *http.Request) { reply(w, http.StatusNoContent, "", "") })
	mux.HandleFunc("GET /failure", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusInternalServerError, "text/plain", "Something went wrong!")
	})
	mux.HandleFunc("GET /text", func(w http.ResponseWriter, _ *http.Request) { reply(w, http.StatusOK, "text/plain", "Text Response") })
	mux.HandleFunc("GET /numeric", func(w http.ResponseWriter, _ *http.Request) { reply(w, http.StatusOK, "text/plain", "42") })
	mux.HandleFunc("GET /json", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusOK, "application/json", `{"key":"value1","num":42,"SomeKey":null}`)
	})
	mux.HandleFunc("GET /flaky", func(w http.ResponseWriter, _ *http.Request) {
		if flaky.Add(1) == 1 {
			reply(w, http.StatusServiceUnavailable, "text/plain", "try again")
			return
		}
		reply(w, http.StatusOK, "application/json", `{"ok":true}`)
	})
	mux.HandleFunc("GET /conductor/_search", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusOK, "application/json", `{"hits":{"total":2,"hits":[`+
			`{"_source":{"workflowId":"wf-a","status":"COMPLETED"}},{"_source":{"workflowId":"wf-b","status":"RUNNING"}}]}}`)
	})
	srv := httptest.NewServer(mux)
	s.cleanups = append(s.cleanups, srv.Close)
	addr := srv.Listener.Addr().String()
	s.Alias(addr, "<echo>")
	return "http://" + addr, &flaky
}

// httpTaskDefs registers task definitions for the HTTP tasks (the retries apply by name).
func (s *S) httpTaskDefs(retries int, names ...string) {
	var defs []M
	for _, n := range names {
		defs = append(defs, s.TaskDef(n, M{"retryCount": retries, "retryDelaySeconds": 0, "ownerEmail": harnessEmail}))
	}
	s.RegisterTaskDefs(defs...)
}

func (s *S) httpTask(name, uri, method string, extra M) M {
	req := M{"uri": uri, "method": method}
	for k, v := range extra {
		req[k] = v
	}
	return M{"name": s.N(name), "taskReferenceName": name, "type": "HTTP", "inputParameters": M{"http_request": req}}
}

func httpTaskMethods(s *S) {
	base := s.echoServer()
	s.httpTaskDefs(0, "post", "post_no_content", "get_text", "get_number", "get_json")
	body := M{"input_key1": "value1", "input_key2": 45.3, "someKey": nil}
	s.RegisterWorkflow(s.WorkflowDef("http_methods", M{"ownerEmail": harnessEmail},
		s.httpTask("post", base+"/post", "POST", M{"body": body, "readTimeOut": 1000}),
		s.httpTask("post_no_content", base+"/post2", "POST", M{"body": M{"input_key1": "value1", "input_key2": 45.3}}),
		s.httpTask("get_text", base+"/text", "GET", nil),
		s.httpTask("get_number", base+"/numeric", "GET", nil),
		s.httpTask("get_json", base+"/json", "GET", nil),
	))
	id := s.Start("http_methods", M{}, nil)
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: HTTP=COMPLETED HTTP=COMPLETED HTTP=COMPLETED HTTP=COMPLETED HTTP=COMPLETED")
	resp := func(ref string) M {
		out, _ := Row(wf, ref)["outputData"].(M)
		r, _ := out["response"].(M)
		return r
	}
	s.Check("POST: the body's keys come back", jsonEq(resp("post")["body"], M{"input_key1": "input_key1", "input_key2": "input_key2", "someKey": "someKey"}))
	s.Check("204: no body", resp("post_no_content")["body"] == nil)
	s.Check("text body", resp("get_text")["body"] == "Text Response")
	s.Note("numeric body", resp("get_number")["body"])
	s.Check("json body", jsonEq(resp("get_json")["body"], M{"key": "value1", "num": 42, "SomeKey": nil}))
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/sizes", Label: "HTTP queue size", Query: map[string][]string{"taskType": {"HTTP"}}})
}

func httpTaskFailure(s *S) {
	base := s.echoServer()
	s.httpTaskDefs(0, "failure")
	s.RegisterWorkflow(s.WorkflowDef("http_failure", M{"ownerEmail": harnessEmail}, s.httpTask("failure", base+"/failure", "GET", nil)))
	id := s.Start("http_failure", M{}, nil)
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("failed", wf, "FAILED: HTTP=FAILED")
	s.Note("task reason", str(Tasks(wf)[0], "reasonForIncompletion"))
}

// httpTaskRetry: the server answers the first GET 503. Conductor's RestTemplate runs on Apache
// HttpClient 5, whose DefaultHttpRequestRetryStrategy sends an idempotent request once more after
// a 429 or 503 (after Retry-After or 1 s), so the task's first attempt completes and the task's
// own retries are not used; the server sees two calls.
func httpTaskRetry(s *S) {
	base, calls := s.echoServerCounting()
	s.httpTaskDefs(1, "flaky")
	s.RegisterWorkflow(s.WorkflowDef("http_retry", M{"ownerEmail": harnessEmail}, s.httpTask("flaky", base+"/flaky", "GET", nil)))
	id := s.Start("http_retry", M{}, nil)
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed in one attempt", wf, "COMPLETED: HTTP=COMPLETED")
	s.Note("calls the server received", calls.Load())
}

func httpTaskClosedPort(s *S) {
	l, err := (&net.ListenConfig{}).Listen(s.ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		s.abort("listen: %v", err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	s.Alias(addr, "<closed>")
	s.httpTaskDefs(0, "closed")
	s.RegisterWorkflow(s.WorkflowDef("http_closed", M{"ownerEmail": harnessEmail},
		s.httpTask("closed", "http://"+addr+"/nothing", "GET", M{"connectionTimeOut": 500, "readTimeOut": 500})))
	id := s.Start("http_closed", M{}, nil)
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("failed", wf, "FAILED: HTTP=FAILED")
	s.Note("task reason", str(Tasks(wf)[0], "reasonForIncompletion"))
}

func httpTaskAsyncComplete(s *S) {
	base := s.echoServer()
	s.httpTaskDefs(0, "post_async")
	task := s.httpTask("post_async", base+"/post", "POST", M{"body": M{"input_key1": "value1", "input_key2": 45.3}})
	task["asyncComplete"] = true
	s.RegisterWorkflow(s.WorkflowDef("http_async", M{"ownerEmail": harnessEmail}, task))
	id := s.Start("http_async", M{}, nil)
	s.AwaitWorkflow(id, "the call was made", func(wf M) bool {
		out, _ := Row(wf, "post_async")["outputData"].(M)
		return out["response"] != nil
	})
	time.Sleep(300 * time.Millisecond)
	wf := s.ExpectShape(id, "still in progress", "RUNNING: HTTP=IN_PROGRESS")
	s.CompleteRow(Row(wf, "post_async"), "COMPLETED", M{"done": "by the API"})
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: HTTP=COMPLETED")
}
