package client_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func TestWorkflowClient(t *testing.T) {
	t.Parallel()
	workflow := fixture(t, "workflow.json")
	status := fixture(t, "workflow_status.json")
	search := fixture(t, "search_workflows.json")
	signal := fixture(t, "signal_response.json")
	const textAccept = "text/plain, application/json"

	runCalls(t, []callCase{{
		name: "Start posts the request and reads the text/plain id",
		script: []exchange{{method: "POST", path: "/workflow", ctype: jsonType, accept: textAccept,
			body:  `{"name":"orders","version":2,"correlationId":"c-1","input":{"id":7},"priority":5}`,
			rtype: textType, answer: "wf-1"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			req := model.NewStartWorkflowRequest("orders", 2, "c-1", map[string]any{"id": 7})
			req.Priority = new(5)
			return val(c.Workflows().Start(ctx, req))
		},
		want: "wf-1",
	}, {
		name: "Start of an unknown workflow is ErrNotFound",
		script: []exchange{{method: "POST", path: "/workflow", ctype: jsonType, accept: textAccept,
			body: `{"name":"nope"}`, status: http.StatusNotFound,
			answer: `{"status":404,"message":"No such workflow defined. name=nope, version=null","instance":"vm","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: "nope"}))
		},
		wantErr:     client.ErrNotFound,
		wantErrText: "conductor: POST /workflow: 404 Not Found: No such workflow defined. name=nope, version=null",
	}, {
		name:   "Start with an empty 200 is an error",
		script: []exchange{{method: "POST", path: "/workflow", ctype: jsonType, accept: textAccept, body: `{"name":"w"}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: "w"}))
		},
		wantErrText: "empty answer (status 200), want an id",
	}, {
		name: "StartByName sends version, correlationId, priority and the input",
		script: []exchange{{method: "POST", path: "/workflow/my%20flow", ctype: jsonType, accept: textAccept,
			query: q("version", "3", "correlationId", "c/1", "priority", "9"), body: `{"a":[1,2]}`,
			rtype: textType, answer: "wf-2\n"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().StartByName(ctx, "my flow", map[string]any{"a": []int{1, 2}},
				client.StartOptions{Version: 3, CorrelationID: "c/1", Priority: 9}))
		},
		want: "wf-2",
	}, {
		name: "StartByName with zero options and nil input sends {}",
		script: []exchange{{method: "POST", path: "/workflow/w", ctype: jsonType, accept: textAccept, body: `{}`,
			rtype: textType, answer: "wf-3"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().StartByName(ctx, "w", nil, client.StartOptions{}))
		},
		want: "wf-3",
	}, {
		name: "Execute sends the wait options and decodes the SignalResponse",
		script: []exchange{{method: "POST", path: "/workflow/execute/baton_fx_workflow/2", ctype: jsonType,
			query: q("requestId", "fx-req-1", "waitUntilTaskRef", "a,b", "waitForSeconds", "1", "returnStrategy", "BLOCKING_TASK"),
			body:  `{"name":"baton_fx_workflow","correlationId":"fx-corr-2","input":{"orderId":"ord-2002"}}`, answer: signal}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			req := &model.StartWorkflowRequest{CorrelationId: "fx-corr-2", Input: map[string]any{"orderId": "ord-2002"}}
			return val(c.Workflows().Execute(ctx, "baton_fx_workflow", 2, req, client.ExecuteOptions{
				RequestID: "fx-req-1", WaitUntilTaskRefs: []string{"a", "b"}, WaitForSeconds: 1,
				ReturnStrategy: model.ReturnBlockingTask}))
		},
		want: new(decodeAs[model.SignalResponse](t, signal)),
	}, {
		name: "Execute with a nil request and version 0 (latest)",
		script: []exchange{{method: "POST", path: "/workflow/execute/w/0", ctype: jsonType, body: `{"name":"w"}`,
			answer: `{"responseType":"TARGET_WORKFLOW","workflowId":"wf-1","priority":0}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Execute(ctx, "w", 0, nil, client.ExecuteOptions{}))
		},
		want: &model.SignalResponse{ResponseType: model.ReturnTargetWorkflow, WorkflowId: "wf-1"},
	}, {
		name:   "Get with tasks",
		script: []exchange{{method: "GET", path: "/workflow/wf-1", query: q("includeTasks", "true"), answer: workflow}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Get(ctx, "wf-1", true))
		},
		want: new(decodeAs[model.Workflow](t, workflow)),
	}, {
		name: "Get without tasks says so (the server's default is with)",
		script: []exchange{{method: "GET", path: "/workflow/wf-1", query: q("includeTasks", "false"),
			answer: `{"workflowId":"wf-1","status":"RUNNING"}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Get(ctx, "wf-1", false))
		},
		want: &model.Workflow{WorkflowId: "wf-1", Status: model.WorkflowRunning},
	}, {
		name: "Get of a malformed answer names the call",
		script: []exchange{{method: "GET", path: "/workflow/wf-1", query: q("includeTasks", "true"),
			answer: `{"workflowId": "wf-1", "tasks": [}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Get(ctx, "wf-1", true))
		},
		wantErrText: "conductor: GET /workflow/wf-1: malformed answer",
	}, {
		name: "Status",
		script: []exchange{{method: "GET", path: "/workflow/wf-1/status",
			query: q("includeOutput", "true", "includeVariables", "false"), answer: status}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Status(ctx, "wf-1", true, false))
		},
		want: new(decodeAs[model.WorkflowState](t, status)),
	}, {
		name:   "Search with defaults sends no parameters",
		script: []exchange{{method: "GET", path: "/workflow/search", answer: search}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Search(ctx, client.SearchOptions{}))
		},
		want: new(decodeAs[model.SearchResult[model.WorkflowSummary]](t, search)),
	}, {
		name: "Search with no hits has an empty Results",
		script: []exchange{{method: "GET", path: "/workflow/search", query: q("query", "status IN (FAILED)"),
			answer: `{"totalHits":0}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Search(ctx, client.SearchOptions{Query: "status IN (FAILED)"}))
		},
		want: &model.SearchResult[model.WorkflowSummary]{Results: []model.WorkflowSummary{}},
	}, {
		name: "ByCorrelationID",
		script: []exchange{{method: "GET", path: "/workflow/orders/correlated/c%3F1",
			query: q("includeClosed", "true", "includeTasks", "false"), answer: "[" + workflow + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().ByCorrelationID(ctx, "orders", "c?1", true, false))
		},
		want: []model.Workflow{decodeAs[model.Workflow](t, workflow)},
	}, {
		name:   "Running of version 0 leaves the version to the server",
		script: []exchange{{method: "GET", path: "/workflow/running/orders", answer: `["a","b"]`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Running(ctx, "orders", 0))
		},
		want: []string{"a", "b"},
	}, {
		name:   "Running of a version",
		script: []exchange{{method: "GET", path: "/workflow/running/orders", query: q("version", "4"), answer: `[]`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Running(ctx, "orders", 4))
		},
		want: []string{},
	}, {
		name:   "Terminate with a reason (empty 200)",
		script: []exchange{{method: "DELETE", path: "/workflow/wf-1", query: q("reason", "no longer needed")}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Terminate(ctx, "wf-1", "no longer needed"))
		},
	}, {
		name: "Terminate of a completed workflow is ErrConflict",
		script: []exchange{{method: "DELETE", path: "/workflow/wf-1", status: http.StatusConflict,
			answer: `{"status":409,"message":"Cannot terminate a COMPLETED workflow.","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Terminate(ctx, "wf-1", ""))
		},
		wantErr: client.ErrConflict,
	}, {
		name:   "Pause",
		script: []exchange{{method: "PUT", path: "/workflow/wf-1/pause"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Pause(ctx, "wf-1"))
		},
	}, {
		name:   "Resume",
		script: []exchange{{method: "PUT", path: "/workflow/wf-1/resume"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Resume(ctx, "wf-1"))
		},
	}, {
		name: "Restart (204)",
		script: []exchange{{method: "POST", path: "/workflow/wf-1/restart", query: q("useLatestDefinitions", "true"),
			status: http.StatusNoContent}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Restart(ctx, "wf-1", true))
		},
	}, {
		name: "Retry (204)",
		script: []exchange{{method: "POST", path: "/workflow/wf-1/retry", query: q("resumeSubworkflowTasks", "false"),
			status: http.StatusNoContent}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Retry(ctx, "wf-1", false))
		},
	}, {
		name: "Rerun from a task",
		script: []exchange{{method: "POST", path: "/workflow/wf-1/rerun", ctype: jsonType, accept: textAccept,
			body:  `{"reRunFromWorkflowId":"wf-1","reRunFromTaskId":"task-3","taskInput":{"k":"v"}}`,
			rtype: textType, answer: "wf-1"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Rerun(ctx, "wf-1", &model.RerunWorkflowRequest{
				ReRunFromWorkflowId: "wf-1", ReRunFromTaskId: "task-3", TaskInput: map[string]any{"k": "v"}}))
		},
		want: "wf-1",
	}, {
		name: "Rerun with a nil request sends {}",
		script: []exchange{{method: "POST", path: "/workflow/wf-1/rerun", ctype: jsonType, accept: textAccept,
			body: `{}`, rtype: textType, answer: "wf-1"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Workflows().Rerun(ctx, "wf-1", nil))
		},
		want: "wf-1",
	}, {
		name: "SkipTask with a request",
		script: []exchange{{method: "PUT", path: "/workflow/wf-1/skiptask/ref_1", ctype: jsonType,
			body: `{"taskOutput":{"skipped":true}}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().SkipTask(ctx, "wf-1", "ref_1", &model.SkipTaskRequest{TaskOutput: map[string]any{"skipped": true}}))
		},
	}, {
		name:   "SkipTask without a request sends no body",
		script: []exchange{{method: "PUT", path: "/workflow/wf-1/skiptask/ref_1"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().SkipTask(ctx, "wf-1", "ref_1", nil))
		},
	}, {
		name:   "Remove without archiving says so (the server's default archives)",
		script: []exchange{{method: "DELETE", path: "/workflow/wf-1/remove", query: q("archiveWorkflow", "false")}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Remove(ctx, "wf-1", false))
		},
	}, {
		name: "Remove with archiving of a running workflow is a 400",
		script: []exchange{{method: "DELETE", path: "/workflow/wf-1/remove", query: q("archiveWorkflow", "true"),
			status: http.StatusBadRequest, answer: `{"status":400,"message":"Cannot archive workflow: wf-1 with status: RUNNING","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Workflows().Remove(ctx, "wf-1", true))
		},
		wantErrText: "400 Bad Request: Cannot archive workflow: wf-1 with status: RUNNING",
	}})
}
