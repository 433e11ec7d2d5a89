package engine

import (
	"context"
	"fmt"

	"github.com/batonhq/baton/model"
)

// StartWorkflow starts a workflow and returns its id. The first decide runs
// inside the call (as in Conductor), so tasks are scheduled — and
// synchronous ones run — before it returns; the new workflow and its first
// tasks are written in one batch.
func (e *Engine) StartWorkflow(ctx context.Context, req *model.StartWorkflowRequest) (string, error) {
	return e.start(ctx, req, e.ids())
}

// start creates workflow id from req and decides it
// (WorkflowExecutorOps.startWorkflow).
func (e *Engine) start(ctx context.Context, req *model.StartWorkflowRequest, id string) (string, error) {
	wf, err := e.startWith(ctx, req, id, startOpts{})
	if err != nil {
		return "", err
	}
	return wf.WorkflowId, nil
}

// startOpts are what a workflow started by another one carries.
type startOpts struct {
	parentID, parentTaskID string
	// idempotent returns the workflow that already has the id, if one
	// does, instead of starting it (startWorkflowIdempotent).
	idempotent bool
	// event is the event that started the workflow (Workflow.event).
	event string
}

// startWith starts workflow id and returns a snapshot of it.
func (e *Engine) startWith(ctx context.Context, req *model.StartWorkflowRequest, id string, opts startOpts) (*model.Workflow, error) {
	if req != nil && req.WorkflowDef != nil {
		normalizeWorkflowDef(req.WorkflowDef)
	}
	if err := e.validateStartRequest(req); err != nil {
		return nil, err
	}
	def, err := e.resolveDefinition(ctx, req)
	if err != nil {
		return nil, err
	}
	now := e.clock.Now().UnixMilli()
	input := copyMap(req.Input)
	if input == nil {
		input = map[string]any{}
	}
	// Conductor applies the definition's inputTemplate only when the input
	// is not empty (createWorkflowModel); Baton applies it always, so
	// defaults reach a workflow started with no input.
	for k, v := range def.InputTemplate {
		if _, ok := input[k]; !ok {
			input[k] = deepCopy(v)
		}
	}
	if err := e.checkWorkflowInput(input); err != nil {
		return nil, err
	}
	variables := copyMap(def.Variables)
	if variables == nil {
		variables = map[string]any{}
	}
	taskToDomain := map[string]string{}
	for k, v := range req.TaskToDomain {
		taskToDomain[k] = v
	}
	priority := 0
	if req.Priority != nil {
		priority = *req.Priority
	}
	wf := &model.Workflow{
		WorkflowId:               id,
		CorrelationId:            req.CorrelationId,
		Priority:                 priority,
		WorkflowDefinition:       def,
		Status:                   model.WorkflowRunning,
		CreateTime:               now,
		StartTime:                now,
		CreatedBy:                req.CreatedBy,
		TaskToDomain:             taskToDomain,
		Variables:                variables,
		Input:                    input,
		Output:                   map[string]any{},
		FailedReferenceTaskNames: []string{},
		FailedTaskNames:          []string{},
		History:                  []model.Workflow{},
		WorkflowName:             def.Name,
		WorkflowVersion:          def.Version,
		IdempotencyKey:           req.IdempotencyKey,
		ParentWorkflowId:         opts.parentID,
		ParentWorkflowTaskId:     opts.parentTaskID,
		Event:                    opts.event,
	}
	unlock := e.locks.lock(id)
	defer unlock()
	if opts.idempotent {
		if x, err := e.load(ctx, id); err == nil {
			return x.snapshot(false), nil
		} else if KindOf(err) != KindNotFound {
			return nil, err
		}
	}
	x := &execution{wf: wf}
	c := newChanges()
	c.wfNew = true
	if err := e.decide(ctx, x, c); err != nil {
		return nil, err
	}
	if err := e.commit(ctx, x, c); err != nil {
		return nil, err
	}
	return x.snapshot(false), nil
}

// resolveDefinition returns the definition to run: the request's own, or
// the registered one (latest when no version is given), copied and with
// every task's definition filled in. Registered ones are cached ready to
// run and shared by executions, which never modify a definition.
func (e *Engine) resolveDefinition(ctx context.Context, req *model.StartWorkflowRequest) (*model.WorkflowDef, error) {
	var src *model.WorkflowDef
	version := 0
	if req.Version != nil {
		version = *req.Version
	}
	gen := e.meta.generation()
	if req.WorkflowDef != nil {
		src = req.WorkflowDef
	} else {
		if d := e.meta.resolvedDef(req.Name, version); d != nil {
			return d, nil
		}
		d, err := e.meta.workflowDef(ctx, req.Name, version)
		if err != nil {
			return nil, err
		}
		if d == nil {
			v := "null"
			if req.Version != nil {
				v = fmt.Sprint(*req.Version)
			}
			return nil, notFound("No such workflow defined. name=%s, version=%s", req.Name, v)
		}
		src = d
	}
	def, err := cloneWorkflowDef(src)
	if err != nil {
		return nil, badRequest("workflow definition cannot be copied: %v", err)
	}
	if err := e.populateTaskDefs(ctx, def); err != nil {
		return nil, err
	}
	if req.WorkflowDef == nil {
		e.meta.keepResolved(req.Name, version, def, gen)
	}
	return def, nil
}

// populateTaskDefs fills each workflow task's taskDefinition from the
// registry, or with Conductor's default definition when none is registered
// (MetadataMapperService.populateTaskDefinitions): 3 retries 60 s apart and a
// 3600 s response timeout for SIMPLE tasks, no retries and no response
// timeout for other types.
func (e *Engine) populateTaskDefs(ctx context.Context, def *model.WorkflowDef) error {
	for _, wt := range collectTasks(def.Tasks) {
		if wt.TaskDefinition != nil {
			normalizeTaskDef(wt.TaskDefinition) // an inline definition, defaults as JSON would give
			continue
		}
		if wt.Name == "" {
			continue
		}
		td, err := e.meta.taskDef(ctx, wt.Name)
		if err != nil {
			return err
		}
		if td == nil {
			td = model.NewTaskDef(wt.Name)
			normalizeTaskDef(td) // createTime/updateTime 0, runtimeMetadata []
			if wt.TaskType() != model.TaskTypeSimple {
				td.RetryCount = 0
				td.ResponseTimeoutSeconds = 0
			}
		}
		wt.TaskDefinition = td
	}
	return nil
}
