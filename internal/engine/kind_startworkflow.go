package engine

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/batonhq/baton/model"
)

// startWorkflowKind matches Conductor's StartWorkflow (and
// StartWorkflowTaskMapper): its input's startWorkflow is a
// StartWorkflowRequest; the system task runner starts that workflow (with
// the starter's taskToDomain and correlationId unless it names its own)
// and completes with its workflowId, without waiting for it.
type startWorkflowKind struct{ systemKind }

func (startWorkflowKind) async() bool { return true }

func (startWorkflowKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	tasks, err := mapSystemTask(e, mc, model.TaskScheduled, true)
	if err != nil {
		return nil, err
	}
	tasks[0].CallbackAfterSeconds = int64(mc.wt.StartDelay)
	return tasks, nil
}

func (startWorkflowKind) start(ctx context.Context, e *Engine, x *execution, t *model.WorkerTask) error {
	raw := t.InputData["startWorkflow"]
	if raw == nil {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = "Missing 'startWorkflow' in input data."
		return nil
	}
	var req model.StartWorkflowRequest
	b, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(b, &req)
	}
	if m, ok := raw.(map[string]any); ok && err == nil && req.WorkflowDef != nil {
		req.WorkflowDef, err = decodeWorkflowDef(m["workflowDef"])
	}
	if err != nil {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = "Error reading StartWorkflowRequest. " + err.Error()
		return nil //nolint:nilerr // the error fails the task (a value), not the decide
	}
	if strings.TrimSpace(req.Name) == "" && req.WorkflowDef == nil {
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = "startWorkflow validation failed. 'name' -> Workflow name cannot be null or empty. "
		return nil
	}
	if len(req.TaskToDomain) == 0 && x.wf.TaskToDomain != nil {
		req.TaskToDomain = map[string]string{}
		for k, v := range x.wf.TaskToDomain {
			req.TaskToDomain[k] = v
		}
	}
	if strings.TrimSpace(req.CorrelationId) == "" {
		req.CorrelationId = x.wf.CorrelationId
	}
	// A derived id makes a start repeated after a crash find the workflow
	// started before; Conductor uses a random one.
	started, err := e.startWith(ctx, &req, derivedID("startworkflow", t), startOpts{idempotent: true})
	if err != nil {
		if KindOf(err) == KindInternal {
			return err // the store failed: run again later
		}
		t.Status = model.TaskFailed
		t.ReasonForIncompletion = errorText(err)
		return nil
	}
	if t.OutputData == nil {
		t.OutputData = map[string]any{}
	}
	t.OutputData["workflowId"] = started.WorkflowId
	t.Status = model.TaskCompleted
	return nil
}
