package executor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// WorkflowError is a workflow that ended other than COMPLETED.
type WorkflowError struct {
	// Workflow is the workflow as it ended, without its tasks.
	Workflow *model.Workflow
}

// Error reads like "workflow orders (id 42) ended FAILED: reason".
func (e *WorkflowError) Error() string {
	w := e.Workflow
	s := fmt.Sprintf("workflow %s (id %s) ended %s", w.WorkflowName, w.WorkflowId, w.Status)
	if w.ReasonForIncompletion != "" {
		s += ": " + w.ReasonForIncompletion
	}
	return s
}

// Execute starts the workflow req describes, waits until it ends and
// decodes its output into a T (through its JSON encoding, so struct
// fields take their json tags). A workflow that ends other than COMPLETED
// is a *WorkflowError; ctx bounds the whole wait.
//
// The server holds the start up to 10 s waiting for the end (POST
// /api/workflow/execute), so a short workflow costs one round trip; a
// longer one is then watched as WaitForCompletion does.
func Execute[T any](ctx context.Context, e *WorkflowExecutor, req *model.StartWorkflowRequest) (T, error) {
	var out T
	wf, err := e.run(ctx, req)
	if err != nil {
		return out, err
	}
	if err := decodeOutput(wf.Output, &out); err != nil {
		return out, fmt.Errorf("executor: workflow %s (id %s): output: %w", wf.WorkflowName, wf.WorkflowId, err)
	}
	return out, nil
}

// run starts req and returns the workflow once COMPLETED.
func (e *WorkflowExecutor) run(ctx context.Context, req *model.StartWorkflowRequest) (*model.Workflow, error) {
	if e.api == nil {
		return nil, errNoClient
	}
	if req == nil {
		return nil, errors.New("executor: execute: request is nil")
	}
	var wf *model.Workflow
	resp, err := e.workflows.Execute(ctx, req.Name, version(req), req, client.ExecuteOptions{})
	switch {
	case errors.Is(err, client.ErrUnsupported): // a server without the synchronous start
		id, err := e.workflows.Start(ctx, req)
		if err != nil {
			return nil, err
		}
		if wf, err = e.WaitForCompletion(ctx, id); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case resp.Status == string(model.WorkflowCompleted):
		wf = &model.Workflow{
			WorkflowId: resp.WorkflowId, Status: model.WorkflowCompleted, Output: resp.Output,
			WorkflowName: req.Name, CorrelationId: resp.CorrelationId, Variables: resp.Variables,
		}
	default:
		if wf, err = e.WaitForCompletion(ctx, resp.WorkflowId); err != nil {
			return nil, err
		}
	}
	if wf.Status != model.WorkflowCompleted {
		return nil, &WorkflowError{Workflow: wf}
	}
	return wf, nil
}

func decodeOutput[T any](output map[string]any, out *T) error {
	if m, ok := any(out).(*map[string]any); ok {
		*m = output
		return nil
	}
	b, err := json.Marshal(output)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
