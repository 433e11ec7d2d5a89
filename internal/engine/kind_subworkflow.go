package engine

import (
	"context"
	"crypto/md5"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// subWorkflowKind matches Conductor's SubWorkflow (and
// SubWorkflowTaskMapper): SCHEDULED, then started by the system task
// runner, which starts the child workflow and attaches to it; the task
// follows the child's status, ends when the child ends (the child's end
// has its parent task looked at again: notifyParent) and carries the
// child's output and subWorkflowId. Cancelling the task terminates the
// child.
type subWorkflowKind struct{ systemKind }

func (subWorkflowKind) async() bool               { return true }
func (subWorkflowKind) alwaysAsyncComplete() bool { return true }

// validate is WorkflowTaskTypeConstraint.isSubWorkflowTaskValid.
func (subWorkflowKind) validate(wt *model.WorkflowTask) []string {
	if wt.SubWorkflowParam == nil {
		return []string{paramRequired("subWorkflowParam", model.TaskTypeSubWorkflow, wt.Name)}
	}
	return nil
}

func (subWorkflowKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	wt := mc.wt
	p := wt.SubWorkflowParam
	if p == nil {
		return nil, terminate("Task %s is defined as sub-workflow and is missing subWorkflowParams. Please check the workflow definition", wt.Name)
	}
	params := map[string]any{"name": p.Name, "priority": p.Priority}
	if p.Version != nil {
		params["version"] = *p.Version
	}
	if p.TaskToDomain != nil {
		m := make(map[string]any, len(p.TaskToDomain))
		for k, v := range p.TaskToDomain {
			m[k] = v
		}
		params["taskToDomain"] = m
	}
	if p.IdempotencyKey != "" {
		params["idempotencyKey"] = p.IdempotencyKey
	}
	if p.IdempotencyStrategy != "" {
		params["idempotencyStrategy"] = p.IdempotencyStrategy
	}
	// A string definition may be an expression naming another task's
	// output; an object is used as it is, its fields left unresolved.
	if s, ok := p.WorkflowDefinition.(string); ok {
		params["workflowDefinition"] = s
	}
	resolved, err := e.resolve(mc.x, params, "")
	if err != nil {
		return nil, terminate("%s", err.Error())
	}
	if _, ok := p.WorkflowDefinition.(string); !ok && p.WorkflowDefinition != nil {
		resolved["workflowDefinition"] = deepCopy(jsonValue(p.WorkflowDefinition))
	}
	name := ""
	if n := resolved["name"]; n != nil {
		name = fmt.Sprint(n)
	}
	inline := resolved["workflowDefinition"]
	var version any
	if inline == nil {
		v, err := e.subWorkflowVersion(resolved["version"], name)
		if err != nil {
			return nil, err
		}
		version = v
	}
	input, err := e.taskInput(mc.x, wt.InputParameters, wt.TaskDefinition, mc.taskID)
	if err != nil {
		return nil, err
	}
	t := mc.newTask(e)
	t.InputData = map[string]any{
		"subWorkflowName":         name,
		"priority":                resolved["priority"],
		"subWorkflowVersion":      version,
		"subWorkflowTaskToDomain": resolved["taskToDomain"],
		"subWorkflowDefinition":   inline,
		"idempotencyKey":          resolved["idempotencyKey"],
		"idempotencyStrategy":     resolved["idempotencyStrategy"],
		"workflowInput":           input,
	}
	t.Status = model.TaskScheduled
	t.CallbackAfterSeconds = int64(wt.StartDelay)
	if n, ok := asInt(p.Priority); ok {
		t.WorkflowPriority = n
	}
	return []*model.WorkerTask{t}, nil
}

// subWorkflowVersion is the version to start: the given one, else the
// latest registered (SubWorkflowTaskMapper.getSubWorkflowVersion).
func (e *Engine) subWorkflowVersion(v any, name string) (int, error) {
	if n, ok := asInt(v); ok {
		return n, nil
	}
	if s, ok := v.(string); ok {
		if n, err := strconv.Atoi(s); err == nil {
			return n, nil
		}
	}
	d, err := e.meta.workflowDef(context.Background(), name, 0)
	if err != nil {
		return 0, err
	}
	if d == nil {
		return 0, terminate("The Task %s defined as a sub-workflow has no workflow definition available ", name)
	}
	return d.Version, nil
}

func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

// start starts the child workflow (SubWorkflow.start). The child's id is
// derived from the parent, the task and its attempt
// (IDGenerator.generateSubWorkflowId), so a start repeated after a crash
// finds the child it started before instead of starting a second one.
func (subWorkflowKind) start(ctx context.Context, e *Engine, x *execution, t *model.WorkerTask) error {
	if t.Status != model.TaskScheduled {
		return nil
	}
	in := t.InputData
	var version *int
	if n, ok := asInt(in["subWorkflowVersion"]); ok && n != 0 {
		version = &n
	}
	var def *model.WorkflowDef
	name, _ := in["subWorkflowName"].(string)
	if raw := in["subWorkflowDefinition"]; raw != nil {
		b, err := json.Marshal(raw)
		if err == nil {
			// Jackson reads it into WorkflowDef.java, whose constructor
			// defaults fill what the map leaves out (version 1, schemaVersion 2).
			def = model.NewWorkflowDef("")
			def.Tasks = nil
			if err = json.Unmarshal(b, def); err == nil {
				model.FillTaskDefaults(def.Tasks)
			}
		}
		if err != nil {
			t.Status = model.TaskFailed
			t.ReasonForIncompletion = "subWorkflowDefinition is not a workflow definition: " + err.Error()
			return nil //nolint:nilerr // the error fails the task (a value), not the decide
		}
		name = def.Name
	} else if name == "" {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = "SubWorkflow name is null and no workflowDefinition supplied"
		return nil
	}
	taskToDomain := x.wf.TaskToDomain
	if m, ok := in["subWorkflowTaskToDomain"].(map[string]any); ok {
		taskToDomain = make(map[string]string, len(m))
		for k, v := range m {
			taskToDomain[k] = fmt.Sprint(v)
		}
	}
	wfInput, _ := in["workflowInput"].(map[string]any)
	if len(wfInput) == 0 {
		wfInput = in
	}
	wfInput = copyMap(wfInput)
	if def != nil {
		meta, _ := wfInput["_systemMetadata"].(map[string]any)
		meta = copyMap(meta)
		if meta == nil {
			meta = map[string]any{}
		}
		meta["dynamic"] = true
		wfInput["_systemMetadata"] = meta
	}
	req := &model.StartWorkflowRequest{Name: name, Version: version, Input: wfInput, CorrelationId: x.wf.CorrelationId,
		TaskToDomain: taskToDomain, WorkflowDef: def}
	if n, ok := asInt(in["priority"]); ok {
		req.Priority = &n
	}
	if k, ok := in["idempotencyKey"].(string); ok {
		req.IdempotencyKey = k
	}
	if depth, err := e.nesting(ctx, x); err != nil {
		return err
	} else if depth >= e.cfg.MaxSubWorkflowDepth {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = fmt.Sprintf("Sub workflow %s not started: workflows nest %d deep, the most MaxSubWorkflowDepth allows", name, depth)
		return nil
	}
	opts := startOpts{parentID: t.WorkflowInstanceId, parentTaskID: t.TaskId, idempotent: true}
	child, err := e.startWith(ctx, req, subWorkflowID(t.WorkflowInstanceId, t.TaskId, t.RetryCount), opts)
	if err == nil && child.Status.IsTerminal() && !child.Status.IsSuccessful() {
		// The derived id belongs to a child that ended badly (a rerun of
		// this task): start a fresh one.
		child, err = e.startWith(ctx, req, e.ids(), opts)
	}
	if err != nil {
		if KindOf(err) == KindInternal {
			return err // the store failed: run again later
		}
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = errorText(err)
		return nil
	}
	t.ReasonForIncompletion = ""
	t.SubWorkflowId = child.WorkflowId
	if t.OutputData == nil {
		t.OutputData = map[string]any{}
	}
	t.OutputData["subWorkflowId"] = child.WorkflowId
	delete(t.OutputData, "subWorkflowLaunchError")
	followChild(child, t)
	return nil
}

// errorText is an error's message with its validation details, if any.
func errorText(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	msg := e.Message
	for _, v := range e.ValidationErrors {
		msg += " " + v.Path + ": " + v.Message + "."
	}
	return msg
}

// execute looks at the child: once it has ended, so does the task.
func (k subWorkflowKind) execute(ctx context.Context, e *Engine, x *execution, t *model.WorkerTask) (bool, error) {
	if t.SubWorkflowId == "" {
		if t.Status != model.TaskScheduled {
			return false, nil
		}
		if err := k.start(ctx, e, x, t); err != nil {
			return false, err
		}
		return t.SubWorkflowId != "" || t.Status.IsTerminal(), nil
	}
	var child *model.Workflow
	err := e.withWorkflow(ctx, t.SubWorkflowId, func(cx *execution) error {
		child = cx.snapshot(false)
		return nil
	})
	if KindOf(err) == KindNotFound {
		return false, nil // removed: nothing to follow
	}
	if err != nil {
		return false, err
	}
	if !child.Status.IsTerminal() {
		return false, nil
	}
	followChild(child, t)
	return true, nil
}

// cancel terminates the child (SubWorkflow.cancel), with the parent's
// reason. The parent holds its own lock and takes the child's: locks are
// only ever taken parent first.
func (subWorkflowKind) cancel(ctx context.Context, e *Engine, x *execution, t *model.WorkerTask) error {
	id := t.SubWorkflowId
	if id == "" {
		id = subWorkflowID(x.id(), t.TaskId, t.RetryCount)
	}
	reason := "Parent workflow has been terminated with status " + string(x.wf.Status)
	if x.wf.ReasonForIncompletion != "" {
		reason = "Parent workflow has been terminated with reason: " + x.wf.ReasonForIncompletion
	}
	err := e.withWorkflow(ctx, id, func(cx *execution) error {
		if cx.wf.Status.IsTerminal() {
			return nil
		}
		cx.setStatus(model.WorkflowTerminated)
		c := newChanges()
		e.terminateWorkflow(ctx, cx, c, reason, "", nil)
		return e.commit(ctx, cx, c)
	})
	if KindOf(err) == KindNotFound {
		return nil
	}
	return err
}

// followChild sets the task from its child's status
// (SubWorkflow.updateTaskStatus): the child's output and, when it did not
// succeed, why.
func followChild(child *model.Workflow, t *model.WorkerTask) {
	switch child.Status {
	case model.WorkflowRunning, model.WorkflowPaused:
		t.Status = model.TaskInProgress
	case model.WorkflowCompleted:
		t.Status = model.TaskCompleted
	case model.WorkflowFailed:
		t.Status = model.TaskFailed
	case model.WorkflowTerminated:
		t.Status = model.TaskCanceled
	case model.WorkflowTimedOut:
		t.Status = model.TaskTimedOut
	}
	if !child.Status.IsTerminal() {
		return
	}
	if t.OutputData == nil {
		t.OutputData = map[string]any{}
	}
	for k, v := range child.Output {
		t.OutputData[k] = deepCopy(v)
	}
	if !child.Status.IsSuccessful() {
		t.ReasonForIncompletion = fmt.Sprintf("Sub workflow %s.%d/%s failure reason: %s",
			child.WorkflowName, child.WorkflowVersion, child.WorkflowId, nullStr(child.ReasonForIncompletion))
	}
}

// subWorkflowID is IDGenerator.generateSubWorkflowId: Java's
// UUID.nameUUIDFromBytes of "subworkflow:<parent>:<task>:<retryCount>".
func subWorkflowID(parentID, taskID string, retryCount int) string {
	return nameUUID(fmt.Sprintf("subworkflow:%s:%s:%d", parentID, taskID, retryCount))
}

// derivedID is the id of the workflow a task of kind starts, from the task
// and its attempt.
func derivedID(kind string, t *model.WorkerTask) string {
	return nameUUID(fmt.Sprintf("%s:%s:%s:%d", kind, t.WorkflowInstanceId, t.TaskId, t.RetryCount))
}

// nameUUID is Java's UUID.nameUUIDFromBytes: an MD5 (version 3) UUID.
func nameUUID(name string) string {
	sum := md5.Sum([]byte(name))
	sum[6] = sum[6]&0x0f | 0x30
	sum[8] = sum[8]&0x3f | 0x80
	return uuid.UUID(sum).String()
}

// nesting counts the ancestors of a workflow.
func (e *Engine) nesting(ctx context.Context, x *execution) (int, error) {
	depth := 0
	for id := x.wf.ParentWorkflowId; id != "" && depth <= e.cfg.MaxSubWorkflowDepth; depth++ {
		wf, err := e.st.GetWorkflow(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			break // a removed ancestor ends the chain
		}
		if err != nil {
			return 0, internalf(err, "read workflow %s", id)
		}
		id = wf.ParentWorkflowId
	}
	return depth, nil
}
