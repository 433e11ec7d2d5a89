package client_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func TestMetadataClient(t *testing.T) {
	t.Parallel()
	taskDef := fixture(t, "taskdef.json")
	workflowDef := fixture(t, "workflowdef.json")
	validation := fixture(t, "error_validation.json")
	def := model.WorkflowDef{Name: "orders", Version: 2, SchemaVersion: 2,
		Tasks: []model.WorkflowTask{{Name: "pay", TaskReferenceName: "pay_ref", Type: model.TaskTypeSimple}}}
	defJSON := mustJSON(t, def)

	runCalls(t, []callCase{{
		name: "RegisterTaskDefs posts the list",
		script: []exchange{{method: "POST", path: "/metadata/taskdefs", ctype: jsonType,
			body: `[` + mustJSON(t, model.TaskDef{Name: "a", RetryCount: 1}) + `,` + mustJSON(t, model.TaskDef{Name: "b"}) + `]`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().RegisterTaskDefs(ctx, model.TaskDef{Name: "a", RetryCount: 1}, model.TaskDef{Name: "b"}))
		},
	}, {
		name: "RegisterTaskDefs refused by validation lists the errors",
		script: []exchange{{method: "POST", path: "/metadata/taskdefs", ctype: jsonType,
			body:   `[` + mustJSON(t, model.TaskDef{Name: "a", RetryCount: -1}) + `]`,
			status: http.StatusBadRequest, answer: validation}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().RegisterTaskDefs(ctx, model.TaskDef{Name: "a", RetryCount: -1}))
		},
		wantErrText: "conductor: POST /metadata/taskdefs: 400 Bad Request: Validation failed, check below errors for detail.; " +
			"registerTaskDef.arg0[0].name: TaskDef name cannot be null or empty",
	}, {
		name: "UpdateTaskDef",
		script: []exchange{{method: "PUT", path: "/metadata/taskdefs", ctype: jsonType,
			body: mustJSON(t, model.TaskDef{Name: "a", RetryCount: 2})}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().UpdateTaskDef(ctx, &model.TaskDef{Name: "a", RetryCount: 2}))
		},
	}, {
		name: "UpdateTaskDef of an unknown task is ErrNotFound",
		script: []exchange{{method: "PUT", path: "/metadata/taskdefs", ctype: jsonType, body: mustJSON(t, model.TaskDef{Name: "zz"}),
			status: http.StatusNotFound, answer: `{"status":404,"message":"No such task by name zz","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().UpdateTaskDef(ctx, &model.TaskDef{Name: "zz"}))
		},
		wantErr: client.ErrNotFound,
	}, {
		name:   "GetTaskDef",
		script: []exchange{{method: "GET", path: "/metadata/taskdefs/baton_fx_taskdef", answer: taskDef}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Metadata().GetTaskDef(ctx, "baton_fx_taskdef"))
		},
		want: new(decodeAs[model.TaskDef](t, taskDef)),
	}, {
		name:   "ListTaskDefs",
		script: []exchange{{method: "GET", path: "/metadata/taskdefs", answer: "[" + taskDef + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Metadata().ListTaskDefs(ctx))
		},
		want: []model.TaskDef{decodeAs[model.TaskDef](t, taskDef)},
	}, {
		name:   "DeleteTaskDef",
		script: []exchange{{method: "DELETE", path: "/metadata/taskdefs/%C3%BC%2F.."}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().DeleteTaskDef(ctx, "ü/.."))
		},
	}, {
		name: "RegisterWorkflowDef without overwrite",
		script: []exchange{{method: "POST", path: "/metadata/workflow", query: q("overwrite", "false"),
			ctype: jsonType, body: defJSON}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().RegisterWorkflowDef(ctx, &def, false))
		},
	}, {
		name: "RegisterWorkflowDef of an existing version is ErrConflict",
		script: []exchange{{method: "POST", path: "/metadata/workflow", query: q("overwrite", "false"),
			ctype: jsonType, body: defJSON, status: http.StatusConflict,
			answer: `{"status":409,"message":"Workflow with orders.2 already exists!","retryable":false}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().RegisterWorkflowDef(ctx, &def, false))
		},
		wantErr: client.ErrConflict,
	}, {
		name: "RegisterWorkflowDef with overwrite",
		script: []exchange{{method: "POST", path: "/metadata/workflow", query: q("overwrite", "true"),
			ctype: jsonType, body: defJSON}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().RegisterWorkflowDef(ctx, &def, true))
		},
	}, {
		name: "UpdateWorkflowDefs answers a BulkResponse",
		script: []exchange{{method: "PUT", path: "/metadata/workflow", ctype: jsonType, body: "[" + defJSON + "]",
			answer: `{"bulkErrorResults":{},"bulkSuccessfulResults":["orders"]}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Metadata().UpdateWorkflowDefs(ctx, def))
		},
		want: &model.BulkResponse[string]{BulkErrorResults: map[string]string{}, BulkSuccessfulResults: []string{"orders"}},
	}, {
		name:   "UpdateWorkflowDefs on a server that answers nothing lists every name",
		script: []exchange{{method: "PUT", path: "/metadata/workflow", ctype: jsonType, body: "[" + defJSON + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Metadata().UpdateWorkflowDefs(ctx, def))
		},
		want: &model.BulkResponse[string]{BulkErrorResults: map[string]string{}, BulkSuccessfulResults: []string{"orders"}},
	}, {
		name:   "GetWorkflowDef latest",
		script: []exchange{{method: "GET", path: "/metadata/workflow/baton_fx_workflow", answer: workflowDef}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Metadata().GetWorkflowDef(ctx, "baton_fx_workflow", 0))
		},
		want: new(decodeAs[model.WorkflowDef](t, workflowDef)),
	}, {
		name: "GetWorkflowDef of a version",
		script: []exchange{{method: "GET", path: "/metadata/workflow/baton_fx_workflow", query: q("version", "2"),
			answer: workflowDef}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Metadata().GetWorkflowDef(ctx, "baton_fx_workflow", 2))
		},
		want: new(decodeAs[model.WorkflowDef](t, workflowDef)),
	}, {
		name:   "ListWorkflowDefs",
		script: []exchange{{method: "GET", path: "/metadata/workflow", answer: "[" + workflowDef + "]"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Metadata().ListWorkflowDefs(ctx))
		},
		want: []model.WorkflowDef{decodeAs[model.WorkflowDef](t, workflowDef)},
	}, {
		name:   "DeleteWorkflowDef",
		script: []exchange{{method: "DELETE", path: "/metadata/workflow/orders/2"}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return none(c.Metadata().DeleteWorkflowDef(ctx, "orders", 2))
		},
	}})
}
