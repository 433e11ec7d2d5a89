package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// RegisterTaskDefs creates or replaces task definitions (POST
// /api/metadata/taskdefs, an upsert). All are validated first; one invalid
// definition rejects the request and changes nothing.
func (e *Engine) RegisterTaskDefs(ctx context.Context, defs []model.TaskDef) error {
	var v violations
	if defs == nil {
		v.add("registerTaskDef.arg0", "TaskDefList cannot be empty or null", nil)
	} else if len(defs) == 0 {
		v.add("registerTaskDef.arg0", "TaskDefList is empty", nil)
	}
	copies := make([]model.TaskDef, len(defs))
	for i := range defs {
		copies[i] = defs[i]
		normalizeTaskDef(&copies[i])
		validateTaskDef(&v, fmt.Sprintf("registerTaskDef.arg0[%d]", i), &copies[i])
	}
	if err := v.err(); err != nil {
		return err
	}
	now := e.clock.Now().UnixMilli()
	for i := range copies {
		d := copies[i]
		// MetadataServiceImpl.registerTaskDef: created now by the client
		// app (always "" here: Baton has no client identity), not updated.
		d.CreateTime, d.CreatedBy = &now, ""
		d.UpdateTime, d.UpdatedBy = new(int64), ""
		if err := e.st.PutTaskDef(ctx, &d); err != nil {
			return internalf(err, "save task definition %s", d.Name)
		}
		e.meta.forgetTaskDef(d.Name)
	}
	return nil
}

// UpdateTaskDef replaces an existing task definition (PUT
// /api/metadata/taskdefs), keeping its creation time.
func (e *Engine) UpdateTaskDef(ctx context.Context, def *model.TaskDef) error {
	var v violations
	if def == nil {
		v.add("updateTaskDef.arg0", "TaskDef cannot be null", nil)
		return v.err()
	}
	d := *def
	normalizeTaskDef(&d)
	validateTaskDef(&v, "updateTaskDef.arg0", &d)
	if err := v.err(); err != nil {
		return err
	}
	old, err := e.st.GetTaskDef(ctx, d.Name)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("No such task by name %s", d.Name)
	}
	if err != nil {
		return internalf(err, "read task definition %s", d.Name)
	}
	// MetadataServiceImpl.updateTaskDef: creation kept, updated now by the
	// client app ("").
	d.CreateTime, d.CreatedBy = old.CreateTime, old.CreatedBy
	now := e.clock.Now().UnixMilli()
	d.UpdateTime, d.UpdatedBy = &now, ""
	if err := e.st.PutTaskDef(ctx, &d); err != nil {
		return internalf(err, "save task definition %s", d.Name)
	}
	e.meta.forgetTaskDef(d.Name)
	return nil
}

// GetTaskDef returns a task definition.
func (e *Engine) GetTaskDef(ctx context.Context, name string) (*model.TaskDef, error) {
	if name == "" {
		var v violations
		v.add("getTaskDef.arg0", "TaskType cannot be null or empty", nil)
		return nil, v.err()
	}
	d, err := e.st.GetTaskDef(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("No such taskType found by name: %s", name)
	}
	if err != nil {
		return nil, internalf(err, "read task definition %s", name)
	}
	return d, nil
}

// ListTaskDefs returns every task definition.
func (e *Engine) ListTaskDefs(ctx context.Context) ([]*model.TaskDef, error) {
	defs, err := e.st.ListTaskDefs(ctx)
	if err != nil {
		return nil, internalf(err, "list task definitions")
	}
	return defs, nil
}

// DeleteTaskDef removes a task definition.
func (e *Engine) DeleteTaskDef(ctx context.Context, name string) error {
	if name == "" {
		var v violations
		v.add("unregisterTaskDef.arg0", "TaskName cannot be null or empty", nil)
		return v.err()
	}
	err := e.st.DeleteTaskDef(ctx, name)
	e.meta.forgetTaskDef(name)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("No such task definition")
	}
	return internalf(err, "delete task definition %s", name)
}

// RegisterWorkflowDef creates a workflow definition (POST
// /api/metadata/workflow). An existing (name, version) is a 409 unless
// overwrite is set, in which case it is replaced.
func (e *Engine) RegisterWorkflowDef(ctx context.Context, def *model.WorkflowDef, overwrite bool) error {
	var v violations
	if def == nil {
		v.add("registerWorkflowDef.arg0", "WorkflowDef cannot be null", nil)
		return v.err()
	}
	d, err := cloneWorkflowDef(def)
	if err != nil {
		return badRequest("workflow definition cannot be read: %v", err)
	}
	normalizeWorkflowDef(d)
	e.validateWorkflowDef(&v, "registerWorkflowDef.arg0", d)
	if err := v.err(); err != nil {
		return err
	}
	old, err := e.meta.workflowDef(ctx, d.Name, d.Version)
	if err != nil {
		return err
	}
	now := e.clock.Now().UnixMilli()
	switch {
	case old == nil:
		d.CreateTime, d.UpdateTime = &now, new(int64) // registerWorkflowDef
		err = e.st.CreateWorkflowDef(ctx, d)
		if errors.Is(err, store.ErrConflict) {
			err = conflict("Workflow with %s.%d already exists!", d.Name, d.Version)
		}
	case overwrite:
		// updateWorkflowDef stamps updateTime only: the creation time is
		// what the body says (0 when it says nothing), as in Conductor.
		d.UpdateTime = &now
		err = e.st.PutWorkflowDef(ctx, d)
	default:
		err = conflict("Workflow with %s.%d already exists!", d.Name, d.Version)
	}
	e.meta.forgetWorkflowDef(d.Name)
	return internalf(err, "save workflow definition %s", d.Name)
}

// ValidateWorkflowDef checks a workflow definition without saving it.
func (e *Engine) ValidateWorkflowDef(ctx context.Context, def *model.WorkflowDef) error {
	var v violations
	if def == nil {
		v.add("validateWorkflowDef.arg0", "WorkflowDef cannot be null", nil)
		return v.err()
	}
	d, err := cloneWorkflowDef(def)
	if err != nil {
		return badRequest("workflow definition cannot be read: %v", err)
	}
	normalizeWorkflowDef(d)
	e.validateWorkflowDef(&v, "validateWorkflowDef.arg0", d)
	return v.err()
}

// UpdateWorkflowDefs creates or replaces workflow definitions (PUT
// /api/metadata/workflow). Any invalid definition rejects the whole request;
// otherwise each is saved and reported in the bulk response.
func (e *Engine) UpdateWorkflowDefs(ctx context.Context, defs []model.WorkflowDef) (*model.BulkResponse[string], error) {
	var v violations
	if defs == nil {
		v.add("updateWorkflowDef.arg0", "WorkflowDef list name cannot be null or empty", nil)
	} else if len(defs) == 0 {
		v.add("updateWorkflowDef.arg0", "WorkflowDefList is empty", nil)
	}
	copies := make([]*model.WorkflowDef, len(defs))
	for i := range defs {
		d, err := cloneWorkflowDef(&defs[i])
		if err != nil {
			return nil, badRequest("workflow definition %d cannot be read: %v", i, err)
		}
		normalizeWorkflowDef(d)
		e.validateWorkflowDef(&v, fmt.Sprintf("updateWorkflowDef.arg0[%d]", i), d)
		copies[i] = d
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	resp := &model.BulkResponse[string]{BulkErrorResults: map[string]string{}, BulkSuccessfulResults: []string{}}
	now := e.clock.Now().UnixMilli()
	for _, d := range copies {
		d.UpdateTime = &now
		err := e.st.PutWorkflowDef(ctx, d)
		e.meta.forgetWorkflowDef(d.Name)
		if err != nil {
			resp.BulkErrorResults[d.Name] = err.Error()
			continue
		}
		resp.BulkSuccessfulResults = append(resp.BulkSuccessfulResults, d.Name)
	}
	return resp, nil
}

// GetWorkflowDef returns one version of a workflow definition, the latest
// when version is 0.
func (e *Engine) GetWorkflowDef(ctx context.Context, name string, version int) (*model.WorkflowDef, error) {
	if name == "" {
		var v violations
		v.add("getWorkflowDef.arg0", "Workflow name cannot be null or empty", nil)
		return nil, v.err()
	}
	d, err := e.st.GetWorkflowDef(ctx, name, version)
	if errors.Is(err, store.ErrNotFound) {
		v := "null"
		if version != 0 {
			v = fmt.Sprint(version)
		}
		return nil, notFound("No such workflow found by name: %s, version: %s", name, v)
	}
	if err != nil {
		return nil, internalf(err, "read workflow definition %s", name)
	}
	return d, nil
}

// ListWorkflowDefs returns every version of every workflow definition.
func (e *Engine) ListWorkflowDefs(ctx context.Context) ([]*model.WorkflowDef, error) {
	defs, err := e.st.ListWorkflowDefs(ctx)
	if err != nil {
		return nil, internalf(err, "list workflow definitions")
	}
	return defs, nil
}

// DeleteWorkflowDef removes one version of a workflow definition.
func (e *Engine) DeleteWorkflowDef(ctx context.Context, name string, version int) error {
	if name == "" {
		var v violations
		v.add("unregisterWorkflowDef.arg0", "Workflow name cannot be null or empty", nil)
		return v.err()
	}
	err := e.st.DeleteWorkflowDef(ctx, name, version)
	e.meta.forgetWorkflowDef(name)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("No such workflow definition: %s version: %d", name, version)
	}
	return internalf(err, "delete workflow definition %s", name)
}
