package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow/executor"
)

// errNoExecutor is returned by the calls of a workflow built without one.
var errNoExecutor = errors.New("workflow: no executor (NewConductorWorkflow got nil)")

// Register validates the workflow and registers its definition, replacing
// one of the same name and version when overwrite is set.
func (workflow *ConductorWorkflow) Register(overwrite bool) error {
	return workflow.RegisterWithContext(context.Background(), overwrite)
}

// RegisterWithContext is Register with a context.
func (workflow *ConductorWorkflow) RegisterWithContext(ctx context.Context, overwrite bool) error {
	def, err := workflow.checked()
	if err != nil {
		return err
	}
	return workflow.executor.RegisterWorkflowWithContext(ctx, overwrite, def)
}

// UnRegister deletes the workflow's definition at its version.
func (workflow *ConductorWorkflow) UnRegister() error {
	return workflow.UnRegisterWithContext(context.Background())
}

// UnRegisterWithContext is UnRegister with a context.
func (workflow *ConductorWorkflow) UnRegisterWithContext(ctx context.Context) error {
	if workflow.executor == nil {
		return errNoExecutor
	}
	return workflow.executor.UnRegisterWorkflowWithContext(ctx, workflow.name, workflow.defVersion())
}

// StartWorkflowWithInput starts the workflow with input (a map or a struct
// encoding to a JSON object), its definition sent along so it need not be
// registered, and returns the workflow id.
func (workflow *ConductorWorkflow) StartWorkflowWithInput(input any) (workflowId string, err error) {
	return workflow.StartWorkflowWithInputWithContext(context.Background(), input)
}

// StartWorkflowWithInputWithContext is StartWorkflowWithInput with a context.
func (workflow *ConductorWorkflow) StartWorkflowWithInputWithContext(ctx context.Context, input any) (workflowId string, err error) {
	req, err := workflow.request(input)
	if err != nil {
		return "", err
	}
	return workflow.StartWorkflowWithContext(ctx, req)
}

// StartWorkflow starts the workflow as startWorkflowRequest says (input,
// correlation id, priority...), its definition sent along, and returns the
// workflow id. The request's WorkflowDef is set to the definition.
func (workflow *ConductorWorkflow) StartWorkflow(startWorkflowRequest *model.StartWorkflowRequest) (workflowId string, err error) {
	return workflow.StartWorkflowWithContext(context.Background(), startWorkflowRequest)
}

// StartWorkflowWithContext is StartWorkflow with a context.
func (workflow *ConductorWorkflow) StartWorkflowWithContext(ctx context.Context, startWorkflowRequest *model.StartWorkflowRequest) (workflowId string, err error) {
	if err := workflow.prepare(startWorkflowRequest); err != nil {
		return "", err
	}
	return workflow.executor.StartWorkflowWithContext(ctx, startWorkflowRequest)
}

// ExecuteWorkflowWithInput starts the workflow with input and waits, on
// the server, until it ends, reaches the task waitUntilTask (if not empty)
// or the server's wait (10 s) runs out. Execute waits for the end without
// that bound.
func (workflow *ConductorWorkflow) ExecuteWorkflowWithInput(input any, waitUntilTask string) (worfklowRun *model.SignalResponse, err error) {
	return workflow.ExecuteWorkflowWithInputWithContext(context.Background(), input, waitUntilTask)
}

// ExecuteWorkflowWithInputWithContext is ExecuteWorkflowWithInput with a context.
func (workflow *ConductorWorkflow) ExecuteWorkflowWithInputWithContext(ctx context.Context, input any, waitUntilTask string) (*model.SignalResponse, error) {
	req, err := workflow.request(input)
	if err != nil {
		return nil, err
	}
	if err := workflow.prepare(req); err != nil {
		return nil, err
	}
	return workflow.executor.ExecuteWorkflowWithContext(ctx, req, waitUntilTask)
}

// StartWorkflowsAndMonitorExecution starts the workflow as
// startWorkflowRequest says and returns a channel that receives it once it
// has ended.
func (workflow *ConductorWorkflow) StartWorkflowsAndMonitorExecution(startWorkflowRequest *model.StartWorkflowRequest) (executionChannel executor.WorkflowExecutionChannel, err error) {
	id, err := workflow.StartWorkflow(startWorkflowRequest)
	if err != nil {
		return nil, err
	}
	return workflow.executor.MonitorExecution(id)
}

// Execute starts workflow with input, its definition sent along, waits
// until it ends and decodes its output into a T; a workflow that ends
// other than COMPLETED is an *executor.WorkflowError.
func Execute[T any](ctx context.Context, workflow *ConductorWorkflow, input any) (T, error) {
	var zero T
	req, err := workflow.request(input)
	if err != nil {
		return zero, err
	}
	if err := workflow.prepare(req); err != nil {
		return zero, err
	}
	return executor.Execute[T](ctx, workflow.executor, req)
}

// request returns a start request for input.
func (workflow *ConductorWorkflow) request(input any) (*model.StartWorkflowRequest, error) {
	in, err := inputAsMap(input)
	if err != nil {
		return nil, fmt.Errorf("workflow %s: input: %w", workflow.name, err)
	}
	req := &model.StartWorkflowRequest{Name: workflow.name, Input: in}
	if workflow.version != 0 {
		v := int(workflow.version)
		req.Version = &v
	}
	return req, nil
}

// prepare validates the workflow and completes req with its name,
// definition and idempotency key.
func (workflow *ConductorWorkflow) prepare(req *model.StartWorkflowRequest) error {
	if req == nil {
		return fmt.Errorf("workflow %s: start request is nil", workflow.name)
	}
	def, err := workflow.checked()
	if err != nil {
		return err
	}
	if req.Name == "" {
		req.Name = workflow.name
	}
	req.WorkflowDef = def
	if req.IdempotencyKey == "" {
		req.IdempotencyKey = workflow.idempotencyKey
	}
	return nil
}

// checked returns the validated definition.
func (workflow *ConductorWorkflow) checked() (*model.WorkflowDef, error) {
	if workflow.executor == nil {
		return nil, errNoExecutor
	}
	def := workflow.ToWorkflowDef()
	if err := workflow.validate(def); err != nil {
		return nil, err
	}
	return def, nil
}

func (workflow *ConductorWorkflow) defVersion() int32 {
	if workflow.version == 0 {
		return 1
	}
	return workflow.version
}
