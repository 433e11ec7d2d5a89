package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBadInput feeds every kind of client mistake to the API: each is a 4xx
// ErrorResponse whose message says what is wrong, and no Service call is
// made (the request changes nothing).
func TestBadInput(t *testing.T) {
	t.Parallel()
	okResult := `{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED"}`
	ids1001 := `["` + strings.Repeat(`x","`, 1000) + `x"]`
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
		msg                        string // substring of the message (or of a validation error's message)
	}{
		// Task results.
		{"update without body", "POST", "/api/tasks", "", 400, "request body is missing: send a TaskResult object"},
		{"update with broken JSON", "POST", "/api/tasks", `{"workflowInstanceId": `, 400, "not valid JSON: it ends before the value is complete"},
		{"update with a syntax error", "POST", "/api/tasks", `{"workflowInstanceId": w}`, 400, "invalid character 'w'"},
		{"update with a number for a string", "POST", "/api/tasks", `{"taskId": 5}`, 400, `field "taskId" must be a string, got a number`},
		{"update with an array body", "POST", "/api/tasks", `[]`, 400, "request body must be a TaskResult object, e.g."},
		{"update with a string body", "POST", "/api/tasks", `"x"`, 400, "got a string"},
		{"update with an unknown status", "POST", "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"DONE"}`, 400,
			`field "status" "DONE" is not valid: use one of IN_PROGRESS, FAILED, FAILED_WITH_TERMINAL_ERROR, COMPLETED, CANCELED`},
		{"update with a lower-case status", "POST", "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"completed"}`, 400, `"completed" is not valid`},
		{"update without ids", "POST", "/api/tasks", `{"status":"COMPLETED"}`, 400, "Workflow Id cannot be null or empty"},
		{"update without status", "POST", "/api/tasks", `{"workflowInstanceId":"w","taskId":"t"}`, 400, `field "status" is required`},
		{"update with data after the value", "POST", "/api/tasks", okResult + ` {}`, 400, "data after the JSON value"},
		{"update with a string for a number", "POST", "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED","callbackAfterSeconds":"10"}`,
			400, `field "callbackAfterSeconds" must be an integer (int64), got a string`},
		{"update with a huge number", "POST", "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED","callbackAfterSeconds":1e400}`,
			400, `field "callbackAfterSeconds" must be an integer`},
		{"update with output that is not an object", "POST", "/api/tasks", `{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED","outputData":[1]}`,
			400, `field "outputData" must be an object, got an array`},
		{"update with absurd nesting", "POST", "/api/tasks", deep, 400, "exceeded max depth"},
		{"update-v2 with an unknown status", "POST", "/api/tasks/update-v2", `{"workflowInstanceId":"w","taskId":"t","status":"NOPE"}`, 400, `"NOPE" is not valid`},
		{"update-v2 without body", "POST", "/api/tasks/update-v2", "", 400, "request body is missing"},
		{"update by ref with an unknown status", "POST", "/api/tasks/w/r/DONE", `{}`, 400, `task status "DONE" is not valid`},
		{"update by ref with a lower-case status", "POST", "/api/tasks/w/r/completed", `{}`, 400, `"completed" is not valid`},
		{"update by ref with an array", "POST", "/api/tasks/w/r/COMPLETED", `[1]`, 400, "must be the task output as a JSON object"},
		{"update by ref without body", "POST", "/api/tasks/w/r/COMPLETED", "", 400, "request body is missing"},
		{"update by ref sync with an unknown status", "POST", "/api/tasks/w/r/DONE/sync", `{}`, 400, `"DONE" is not valid`},
		{"log without body", "POST", "/api/tasks/t1/log", "", 400, "send the log line as the body"},

		// Polling and queues.
		{"batch poll with a word for count", "GET", "/api/tasks/poll/batch/x?count=abc", "", 400, `query parameter count must be a whole number (32-bit), got "abc"`},
		{"batch poll with a word for timeout", "GET", "/api/tasks/poll/batch/x?timeout=soon", "", 400, "query parameter timeout must be a whole number"},
		{"batch poll beyond 5 s", "GET", "/api/tasks/poll/batch/x?timeout=6000", "", 400, "Long Poll Timeout value cannot be more than 5 seconds"},
		{"batch poll with a negative timeout", "GET", "/api/tasks/poll/batch/x?timeout=-1", "", 400, "timeout must be 0 to 5000 milliseconds"},
		{"batch poll for a negative count", "GET", "/api/tasks/poll/batch/x?count=-1", "", 400, "count must not be negative"},
		{"batch poll with an overflowing count", "GET", "/api/tasks/poll/batch/x?count=99999999999", "", 400, "count must be a whole number"},
		{"queue size without type", "GET", "/api/tasks/queue/size", "", 400, "query parameter taskType is required"},
		{"queue sizes without type", "GET", "/api/tasks/queue/sizes", "", 400, "query parameter taskType is required"},
		{"poll data without type", "GET", "/api/tasks/queue/polldata", "", 400, "query parameter taskType is required"},
		{"malformed query string", "GET", "/api/tasks/search?size=%zz", "", 400, "malformed query string"},

		// Searches.
		{"task search page too large", "GET", "/api/tasks/search?size=5001", "", 400, "Cannot return more than 5000 tasks. Please use pagination."},
		{"task search from a negative start", "GET", "/api/tasks/search-v2?start=-1", "", 400, "must not be negative"},
		{"workflow search with a word for size", "GET", "/api/workflow/search?size=abc", "", 400, "query parameter size must be a whole number"},
		{"workflow search page too large", "GET", "/api/workflow/search?size=6000", "", 400, "Cannot return more than 5000 workflows. Please use pagination."},
		{"workflow search v2 page too large", "GET", "/api/workflow/search-v2?size=6000", "", 400, "Cannot return more than 5000 workflows."},
		{"search by tasks page too large", "GET", "/api/workflow/search-by-tasks?size=6000", "", 400, "Cannot return more than 5000 tasks."},
		{"workflow search with a bad boolean", "GET", "/api/workflow/search?topLevelOnly=maybe", "", 400, `query parameter topLevelOnly must be true or false, got "maybe"`},

		// Starting workflows.
		{"start with a null input", "POST", "/api/workflow", `{"name":"wf","input":null}`, 400, "NULL input passed when starting workflow"},
		{"start with a word for priority", "POST", "/api/workflow", `{"name":"wf","priority":"high"}`, 400, `field "priority" must be an integer`},
		{"start with an unknown idempotency strategy", "POST", "/api/workflow", `{"name":"wf","idempotencyStrategy":"SOMETIMES"}`, 400,
			`field "idempotencyStrategy" "SOMETIMES" is not valid: use one of FAIL, RETURN_EXISTING, FAIL_ON_RUNNING`},
		{"start with a bad inline definition", "POST", "/api/workflow", `{"name":"wf","workflowDef":{"timeoutPolicy":"NEVER"}}`, 400,
			`"workflowDef": field "timeoutPolicy" "NEVER" is not valid`},
		{"start with a string body", "POST", "/api/workflow", `"wf"`, 400, "must be a StartWorkflowRequest object"},
		{"start without body", "POST", "/api/workflow", ``, 400, "request body is missing"},
		{"start by name with a word for version", "POST", "/api/workflow/wf?version=x", `{}`, 400, "query parameter version must be a whole number"},
		{"start by name with a word for priority", "POST", "/api/workflow/wf?priority=x", `{}`, 400, "query parameter priority must be a whole number"},
		{"start by name with too high a priority", "POST", "/api/workflow/wf?priority=100", `{}`, 400, "startWorkflow.arg3: 99 is the maximum priority value"},
		{"start by name with a negative priority", "POST", "/api/workflow/wf?priority=-1", `{}`, 400, "startWorkflow.arg3: 0 is the minimum priority value"},
		{"start by name with a null input", "POST", "/api/workflow/wf", `null`, 400, "NULL input passed when starting workflow"},
		{"start by name with an array input", "POST", "/api/workflow/wf", `[1,2]`, 400, "must be the workflow input as a JSON object"},
		{"execute with a word for version", "POST", "/api/workflow/execute/wf/abc", `{}`, 400, "path segment {version} must be a whole number"},
		{"execute with an unknown return strategy", "POST", "/api/workflow/execute/wf/1?returnStrategy=NOPE", `{}`, 400, `returnStrategy "NOPE" is not valid`},
		{"execute with a negative wait", "POST", "/api/workflow/execute/wf/1?waitForSeconds=-1", `{}`, 400, "waitForSeconds must not be negative"},

		// Inspecting and steering workflows.
		{"get workflow with a bad boolean", "GET", "/api/workflow/w1?includeTasks=perhaps", "", 400, "includeTasks must be true or false"},
		{"workflow tasks from a negative start", "GET", "/api/workflow/w1/tasks?start=-1", "", 400, "must not be negative"},
		{"workflow tasks with a word for count", "GET", "/api/workflow/w1/tasks?count=x", "", 400, "count must be a whole number"},
		{"running with a word for version", "GET", "/api/workflow/running/wf?version=x", "", 400, "version must be a whole number"},
		{"running with a word for startTime", "GET", "/api/workflow/running/wf?startTime=x", "", 400, "startTime must be a whole number"},
		{"remove with a bad boolean", "DELETE", "/api/workflow/w1/remove?archiveWorkflow=x", "", 400, "archiveWorkflow must be true or false"},
		{"rerun without body", "POST", "/api/workflow/w1/rerun", "", 400, "send a RerunWorkflowRequest object"},
		{"restart with a bad boolean", "POST", "/api/workflow/w1/restart?useLatestDefinitions=x", "", 400, "useLatestDefinitions must be true or false"},
		{"skip task with a list input", "PUT", "/api/workflow/w1/skiptask/r", `{"taskInput":[1]}`, 400, `field "taskInput" must be an object`},
		{"correlated with an object", "POST", "/api/workflow/wf/correlated", `{"a":1}`, 400, "must be a JSON array of correlation ids"},

		// Bulk.
		{"bulk with no ids", "PUT", "/api/workflow/bulk/pause", `[]`, 400, "WorkflowIds list cannot be null."},
		{"bulk with null", "POST", "/api/workflow/bulk/retry", `null`, 400, "WorkflowIds list cannot be null."},
		{"bulk with too many ids", "POST", "/api/workflow/bulk/terminate", ids1001, 400, "Cannot process more than 1000 workflows. Please use multiple requests."},
		{"bulk with an object", "DELETE", "/api/workflow/bulk/remove", `{"ids":[]}`, 400, "must be a JSON array of workflow ids"},
		{"bulk without body", "POST", "/api/workflow/bulk/restart", ``, 400, "request body is missing"},
		{"bulk with numbers", "POST", "/api/workflow/bulk/search", `[1,2]`, 400, "got a number"},

		// Metadata.
		{"task defs as an object", "POST", "/api/metadata/taskdefs", `{"name":"x"}`, 400, "request body must be a JSON array of TaskDef objects"},
		{"task def with a string for a number", "POST", "/api/metadata/taskdefs", `[{"name":"x","retryCount":"3"}]`, 400,
			`element [0] of the request body: request body field "retryCount" must be an integer (int), got a string`},
		{"task def with an unknown timeout policy", "POST", "/api/metadata/taskdefs", `[{"name":"a"},{"name":"x","timeoutPolicy":"SOMETIMES"}]`, 400,
			`element [1] of the request body: field "timeoutPolicy" "SOMETIMES" is not valid: use one of RETRY, TIME_OUT_WF, ALERT_ONLY`},
		{"task def with an unknown retry logic", "PUT", "/api/metadata/taskdefs", `{"name":"x","retryLogic":"RANDOM"}`, 400,
			`field "retryLogic" "RANDOM" is not valid: use one of FIXED, EXPONENTIAL_BACKOFF, LINEAR_BACKOFF`},
		{"task def update with a list", "PUT", "/api/metadata/taskdefs", `[]`, 400, "must be a TaskDef object"},
		{"workflow def with tasks as an object", "POST", "/api/metadata/workflow", `{"name":"wf","tasks":{}}`, 400, `field "tasks" must be an array`},
		{"workflow def with a task-only timeout policy", "POST", "/api/metadata/workflow", `{"name":"wf","timeoutPolicy":"RETRY"}`, 400,
			`field "timeoutPolicy" "RETRY" is not valid: use one of TIME_OUT_WF, ALERT_ONLY`},
		{"workflow def with a bad nested task definition", "POST", "/api/metadata/workflow/validate",
			`{"name":"wf","tasks":[{"name":"a","taskReferenceName":"a","type":"FORK_JOIN","forkTasks":[[{"name":"b","taskReferenceName":"b","taskDefinition":{"retryLogic":"NOPE"}}]]}]}`,
			400, `field "tasks[0].forkTasks[0][0].taskDefinition.retryLogic" "NOPE" is not valid`},
		{"workflow def with a bad overwrite flag", "POST", "/api/metadata/workflow?overwrite=x", `{"name":"wf"}`, 400, "overwrite must be true or false"},
		{"workflow defs as an object", "PUT", "/api/metadata/workflow", `{}`, 400, "must be a JSON array of WorkflowDef objects"},
		{"workflow def with a word for version", "GET", "/api/metadata/workflow/wf?version=x", "", 400, "version must be a whole number"},
		{"delete workflow def with a word for version", "DELETE", "/api/metadata/workflow/wf/x", "", 400, "path segment {version} must be a whole number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			e := errorBody(t, do(t, f, tc.method, tc.target, tc.body), tc.status)
			text := e.Message
			for _, v := range e.ValidationErrors {
				text += " | " + v.Path + ": " + v.Message
			}
			require.Contains(t, text, tc.msg)
			require.Empty(t, f.recorded(), "a refused request must not reach the engine")
		})
	}
}

func TestSearchSizeValidationMatchesConductor(t *testing.T) {
	t.Parallel()
	e := errorBody(t, do(t, newFake(), "GET", "/api/workflow/search?size=6000", ""), 400)
	require.Equal(t, "Validation failed, check below errors for detail.", e.Message)
	require.Len(t, e.ValidationErrors, 1)
	require.Equal(t, "searchWorkflows.arg1", e.ValidationErrors[0].Path)
	require.Equal(t, "6000", e.ValidationErrors[0].InvalidValue)
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method, target string
		status         int
		allow, msg     string
	}{
		{"GET", "/api/nope", 404, "", "No static resource api/nope."},
		{"GET", "/nope", 404, "", "No static resource nope."},
		{"GET", "/api/tasks/", 404, "", "No static resource api/tasks."}, // as the real server: spec_http_errors golden trace
		{"GET", "/api/workflow/w1/bogus", 404, "", "No static resource api/workflow/w1/bogus."},
		{"POST", "/api/workflow/w1/bogus", 404, "", "No static resource"},
		{"DELETE", "/api/tasks/poll/x", 405, "GET,HEAD", "Request method 'DELETE' is not supported"},
		{"PATCH", "/api/workflow", 405, "POST", "Request method 'PATCH' is not supported"},
		{"POST", "/health", 405, "GET,HEAD", "Request method 'POST' is not supported"},
		{"GET", "/api/workflow/w1/pause", 405, "PUT", "Request method 'GET' is not supported"},
		{"DELETE", "/api/metadata/taskdefs", 405, "GET,HEAD,POST,PUT", "Request method 'DELETE' is not supported"},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			resp := do(t, f, tc.method, tc.target, "")
			require.Equal(t, tc.allow, resp.Header.Get("Allow"))
			e := errorBody(t, resp, tc.status)
			require.Equal(t, tc.msg, e.Message[:min(len(e.Message), len(tc.msg))])
			require.Empty(t, f.recorded())
		})
	}
}

func TestOptionsListsMethods(t *testing.T) {
	t.Parallel()
	resp := do(t, newFake(), "OPTIONS", "/api/workflow/w1", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "GET,HEAD,POST,DELETE,OPTIONS", resp.Header.Get("Allow"))
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	const limit = 256
	result := `{"workflowInstanceId":"w","taskId":"t","status":"COMPLETED","outputData":{"pad":"%s"}}`
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
	}{
		{"JSON body over the limit", "POST", "/api/tasks", fmt.Sprintf(result, strings.Repeat("x", limit)), 413},
		{"raw log body over the limit", "POST", "/api/tasks/t1/log", strings.Repeat("x", limit+1), 413},
		{"list body over the limit", "POST", "/api/metadata/taskdefs", `[` + strings.Repeat(`{"name":"x"},`, 40) + `{"name":"x"}]`, 413},
		{"body at the limit", "POST", "/api/tasks/t1/log", strings.Repeat("x", limit), 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			resp := doWith(t, newTestHandler(f, Config{MaxBodyBytes: limit}), tc.method, tc.target, tc.body)
			if tc.status == 200 {
				require.Equal(t, 200, resp.StatusCode)
				require.Len(t, f.recorded(), 1)
				return
			}
			e := errorBody(t, resp, tc.status)
			require.Contains(t, e.Message, "larger than the server's limit of 256 bytes")
			require.Empty(t, f.recorded())
		})
	}
}
