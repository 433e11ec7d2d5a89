package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/batonhq/baton/model"
)

// MetadataClient calls /api/metadata: task and workflow definitions. Get one
// with APIClient.Metadata. Doc comments name the official Go SDK's method
// where it differs.
type MetadataClient struct{ c *APIClient }

// RegisterTaskDefs creates task definitions, or replaces those that exist
// (POST /api/metadata/taskdefs). The official SDK calls it RegisterTaskDef.
func (m *MetadataClient) RegisterTaskDefs(ctx context.Context, defs ...model.TaskDef) error {
	const op = "register task definitions"
	if len(defs) == 0 {
		return errRequired(op, "a task definition")
	}
	for i := range defs {
		if defs[i].Name == "" {
			return fmt.Errorf("conductor: %s: definition %d: name is required", op, i)
		}
	}
	return exec(ctx, m.c, request{method: http.MethodPost, path: "/metadata/taskdefs", body: defs})
}

// UpdateTaskDef replaces an existing task definition (PUT
// /api/metadata/taskdefs); an unknown one is ErrNotFound.
func (m *MetadataClient) UpdateTaskDef(ctx context.Context, def *model.TaskDef) error {
	const op = "update task definition"
	if def == nil || def.Name == "" {
		return errRequired(op, "a named task definition")
	}
	return exec(ctx, m.c, request{method: http.MethodPut, path: "/metadata/taskdefs", body: def})
}

// GetTaskDef returns the task definition called name.
func (m *MetadataClient) GetTaskDef(ctx context.Context, name string) (*model.TaskDef, error) {
	n, err := segment("get task definition", "task name", name)
	if err != nil {
		return nil, err
	}
	return call[model.TaskDef](ctx, m.c, request{method: http.MethodGet, path: "/metadata/taskdefs/" + n})
}

// ListTaskDefs returns every task definition. The official SDK calls it
// GetTaskDefs.
func (m *MetadataClient) ListTaskDefs(ctx context.Context) ([]model.TaskDef, error) {
	return list[model.TaskDef](ctx, m.c, request{method: http.MethodGet, path: "/metadata/taskdefs"})
}

// DeleteTaskDef removes the task definition called name. Conductor OSS
// answers 500 for an unknown name, not 404. The official SDK calls it
// UnregisterTaskDef.
func (m *MetadataClient) DeleteTaskDef(ctx context.Context, name string) error {
	n, err := segment("delete task definition", "task name", name)
	if err != nil {
		return err
	}
	return exec(ctx, m.c, request{method: http.MethodDelete, path: "/metadata/taskdefs/" + n})
}

// RegisterWorkflowDef creates a workflow definition (POST
// /api/metadata/workflow). When its name and version exist already,
// Conductor answers 409 (ErrConflict) unless overwrite is set.
func (m *MetadataClient) RegisterWorkflowDef(ctx context.Context, def *model.WorkflowDef, overwrite bool) error {
	const op = "register workflow definition"
	if def == nil || def.Name == "" {
		return errRequired(op, "a named workflow definition")
	}
	q := url.Values{"overwrite": {strconv.FormatBool(overwrite)}}
	return exec(ctx, m.c, request{method: http.MethodPost, path: "/metadata/workflow", query: q, body: def})
}

// UpdateWorkflowDefs creates or replaces workflow definitions (PUT
// /api/metadata/workflow) and says which succeeded. Conductor before 3.12
// answers with an empty body; the response then lists every name as a
// success. The official SDK calls it Update.
func (m *MetadataClient) UpdateWorkflowDefs(ctx context.Context, defs ...model.WorkflowDef) (*model.BulkResponse[string], error) {
	const op = "update workflow definitions"
	if len(defs) == 0 {
		return nil, errRequired(op, "a workflow definition")
	}
	for i := range defs {
		if defs[i].Name == "" {
			return nil, fmt.Errorf("conductor: %s: definition %d: name is required", op, i)
		}
	}
	r := request{method: http.MethodPut, path: "/metadata/workflow", body: defs}
	resp, err := m.c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	res := &model.BulkResponse[string]{}
	ok, err := decode(resp, r, res)
	if err != nil {
		return nil, err
	}
	if !ok {
		for i := range defs {
			res.BulkSuccessfulResults = append(res.BulkSuccessfulResults, defs[i].Name)
		}
	}
	return normalizeBulk(res), nil
}

// GetWorkflowDef returns a version of the workflow definition called name;
// version 0 means the latest. The official SDK calls it Get.
func (m *MetadataClient) GetWorkflowDef(ctx context.Context, name string, version int) (*model.WorkflowDef, error) {
	const op = "get workflow definition"
	n, err := segment(op, "workflow name", name)
	if err != nil {
		return nil, err
	}
	if version < 0 {
		return nil, fmt.Errorf("conductor: %s: version %d must not be negative (0 means latest)", op, version)
	}
	q := url.Values{}
	if version > 0 {
		q.Set("version", strconv.Itoa(version))
	}
	return call[model.WorkflowDef](ctx, m.c, request{method: http.MethodGet, path: "/metadata/workflow/" + n, query: q})
}

// ListWorkflowDefs returns every version of every workflow definition. The
// official SDK calls it GetAll.
func (m *MetadataClient) ListWorkflowDefs(ctx context.Context) ([]model.WorkflowDef, error) {
	return list[model.WorkflowDef](ctx, m.c, request{method: http.MethodGet, path: "/metadata/workflow"})
}

// DeleteWorkflowDef removes one version of a workflow definition. Conductor
// OSS answers 500 for an unknown name or version, not 404. The official SDK
// calls it UnregisterWorkflowDef.
func (m *MetadataClient) DeleteWorkflowDef(ctx context.Context, name string, version int) error {
	const op = "delete workflow definition"
	n, err := segment(op, "workflow name", name)
	if err != nil {
		return err
	}
	if version < 1 {
		return fmt.Errorf("conductor: %s: version %d must be 1 or more", op, version)
	}
	return exec(ctx, m.c, request{method: http.MethodDelete, path: "/metadata/workflow/" + n + "/" + strconv.Itoa(version)})
}
