package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/batonhq/baton/model"
)

// WorkflowClient calls /api/workflow: start, inspect and steer workflow
// executions. Get one with APIClient.Workflows. Doc comments name the
// official Go SDK's method where it differs.
type WorkflowClient struct{ c *APIClient }

// StartOptions qualify a start by name.
type StartOptions struct {
	// Version of the definition to run. Zero runs the latest.
	Version int
	// CorrelationID tags the execution for ByCorrelationID. Empty sends none.
	CorrelationID string
	// Priority orders this workflow's tasks in their queues, 0 (default,
	// lowest) to 99.
	Priority int
}

// ExecuteOptions shape a synchronous execution.
type ExecuteOptions struct {
	// RequestID is echoed in the answer. Empty lets the server pick one.
	RequestID string
	// WaitUntilTaskRefs ends the wait as soon as one of these tasks is
	// reached (Conductor's waitUntilTaskRef). Empty waits for the workflow.
	WaitUntilTaskRefs []string
	// WaitForSeconds is the longest the server waits before answering with
	// the state so far. Zero leaves the server's default (10).
	WaitForSeconds int
	// ReturnStrategy says what the answer describes. Empty leaves the
	// server's default, model.ReturnTargetWorkflow.
	ReturnStrategy model.ReturnStrategy
}

// defaultExecuteWait is Conductor's waitForSeconds default.
const defaultExecuteWait = 10 * time.Second

// Start starts a workflow (POST /api/workflow) and returns its id. The
// official SDK calls it StartWorkflowWithRequest.
func (w *WorkflowClient) Start(ctx context.Context, req *model.StartWorkflowRequest) (string, error) {
	const op = "start workflow"
	if req == nil {
		return "", errRequired(op, "request")
	}
	if req.Name == "" {
		return "", errRequired(op, "workflow name")
	}
	if req.Priority != nil {
		if err := checkPriority(op, *req.Priority); err != nil {
			return "", err
		}
	}
	return textID(ctx, w.c, request{method: http.MethodPost, path: "/workflow", body: req})
}

// StartByName starts the named workflow with input (POST
// /api/workflow/{name}) and returns its id. The official SDK calls it
// StartWorkflow.
func (w *WorkflowClient) StartByName(ctx context.Context, name string, input map[string]any, opts StartOptions) (string, error) {
	const op = "start workflow by name"
	n, err := segment(op, "workflow name", name)
	if err != nil {
		return "", err
	}
	if opts.Version < 0 {
		return "", fmt.Errorf("conductor: %s: version %d must not be negative (0 means latest)", op, opts.Version)
	}
	if err := checkPriority(op, opts.Priority); err != nil {
		return "", err
	}
	q := url.Values{}
	if opts.Version > 0 {
		q.Set("version", strconv.Itoa(opts.Version))
	}
	setIf(q, "correlationId", opts.CorrelationID)
	if opts.Priority > 0 {
		q.Set("priority", strconv.Itoa(opts.Priority))
	}
	if input == nil {
		input = map[string]any{} // the body is required
	}
	return textID(ctx, w.c, request{method: http.MethodPost, path: "/workflow/" + n, query: q, body: input})
}

// Execute starts a workflow and waits for it (POST
// /api/workflow/execute/{name}/{version}); version 0 runs the latest. req may
// be nil; its name and version are taken from the arguments. The answer
// describes the workflow or task that opts.ReturnStrategy asks for, as it
// was when the wait ended. The official SDK calls it
// ExecuteWorkflowWithReturnStrategy.
func (w *WorkflowClient) Execute(ctx context.Context, name string, version int, req *model.StartWorkflowRequest, opts ExecuteOptions) (*model.SignalResponse, error) {
	const op = "execute workflow"
	n, err := segment(op, "workflow name", name)
	if err != nil {
		return nil, err
	}
	switch {
	case version < 0:
		return nil, fmt.Errorf("conductor: %s: version %d must not be negative (0 means latest)", op, version)
	case opts.WaitForSeconds < 0:
		return nil, fmt.Errorf("conductor: %s: WaitForSeconds %d must not be negative", op, opts.WaitForSeconds)
	}
	body := model.StartWorkflowRequest{}
	if req != nil {
		body = *req
	}
	body.Name = name
	if body.Priority != nil {
		if err := checkPriority(op, *body.Priority); err != nil {
			return nil, err
		}
	}
	for _, ref := range opts.WaitUntilTaskRefs {
		if ref == "" || strings.Contains(ref, ",") {
			return nil, fmt.Errorf("conductor: %s: wait-until task reference %q must be one non-empty name", op, ref)
		}
	}
	q := url.Values{}
	setIf(q, "requestId", opts.RequestID)
	setIf(q, "waitUntilTaskRef", strings.Join(opts.WaitUntilTaskRefs, ","))
	wait := defaultExecuteWait
	if opts.WaitForSeconds > 0 {
		q.Set("waitForSeconds", strconv.Itoa(opts.WaitForSeconds))
		wait = time.Duration(opts.WaitForSeconds) * time.Second
	}
	setIf(q, "returnStrategy", string(opts.ReturnStrategy))
	return call[model.SignalResponse](ctx, w.c, request{
		method: http.MethodPost, path: "/workflow/execute/" + n + "/" + strconv.Itoa(version),
		query: q, body: &body, wait: wait,
	})
}

// Get returns a workflow execution, with its tasks when includeTasks is set.
// The official SDK calls it GetExecutionStatus (executor: GetWorkflow).
func (w *WorkflowClient) Get(ctx context.Context, workflowID string, includeTasks bool) (*model.Workflow, error) {
	id, err := segment("get workflow", "workflow id", workflowID)
	if err != nil {
		return nil, err
	}
	q := url.Values{"includeTasks": {strconv.FormatBool(includeTasks)}}
	return call[model.Workflow](ctx, w.c, request{method: http.MethodGet, path: "/workflow/" + id, query: q})
}

// Status returns the short state of a workflow (GET
// /api/workflow/{id}/status). The official SDK calls it GetWorkflowState.
func (w *WorkflowClient) Status(ctx context.Context, workflowID string, includeOutput, includeVariables bool) (*model.WorkflowState, error) {
	id, err := segment("get workflow status", "workflow id", workflowID)
	if err != nil {
		return nil, err
	}
	q := url.Values{
		"includeOutput":    {strconv.FormatBool(includeOutput)},
		"includeVariables": {strconv.FormatBool(includeVariables)},
	}
	return call[model.WorkflowState](ctx, w.c, request{method: http.MethodGet, path: "/workflow/" + id + "/status", query: q})
}

// Search finds workflows (GET /api/workflow/search).
func (w *WorkflowClient) Search(ctx context.Context, opts SearchOptions) (*model.SearchResult[model.WorkflowSummary], error) {
	q, err := opts.query("search workflows")
	if err != nil {
		return nil, err
	}
	return searchResult[model.WorkflowSummary](ctx, w.c, request{method: http.MethodGet, path: "/workflow/search", query: q})
}

// ByCorrelationID returns the executions of the named workflow that carry
// correlationID: running ones, and finished ones too with includeClosed. The
// official SDK calls it GetWorkflowsByCorrelationId.
func (w *WorkflowClient) ByCorrelationID(ctx context.Context, name, correlationID string, includeClosed, includeTasks bool) ([]model.Workflow, error) {
	segs, err := segments("get workflows by correlation id", "workflow name", name, "correlation id", correlationID)
	if err != nil {
		return nil, err
	}
	q := url.Values{
		"includeClosed": {strconv.FormatBool(includeClosed)},
		"includeTasks":  {strconv.FormatBool(includeTasks)},
	}
	return list[model.Workflow](ctx, w.c, request{method: http.MethodGet, path: "/workflow/" + segs[0] + "/correlated/" + segs[1], query: q})
}

// Running returns the ids of the running executions of one version of the
// named workflow. Conductor has no "latest" here: version 0 asks for the
// server's default, version 1. The official SDK calls it GetRunningWorkflow.
func (w *WorkflowClient) Running(ctx context.Context, name string, version int) ([]string, error) {
	const op = "get running workflows"
	n, err := segment(op, "workflow name", name)
	if err != nil {
		return nil, err
	}
	if version < 0 {
		return nil, fmt.Errorf("conductor: %s: version %d must not be negative", op, version)
	}
	q := url.Values{}
	if version > 0 {
		q.Set("version", strconv.Itoa(version))
	}
	return list[string](ctx, w.c, request{method: http.MethodGet, path: "/workflow/running/" + n, query: q})
}

func checkPriority(op string, p int) error {
	if p < 0 || p > 99 {
		return fmt.Errorf("conductor: %s: priority %d must be between 0 and 99", op, p)
	}
	return nil
}

// ByCorrelationIDs returns the executions of the named workflow carrying
// each of correlationIDs, keyed by correlation id (POST
// /api/workflow/{name}/correlated): running ones, and finished ones too
// with includeClosed. The official SDK calls it GetWorkflows (executor:
// GetByCorrelationIds), and drops the ids from its request.
func (w *WorkflowClient) ByCorrelationIDs(ctx context.Context, name string, correlationIDs []string, includeClosed, includeTasks bool) (map[string][]model.Workflow, error) {
	const op = "get workflows by correlation ids"
	n, err := segment(op, "workflow name", name)
	if err != nil {
		return nil, err
	}
	if correlationIDs == nil {
		correlationIDs = []string{} // the body is required
	}
	q := url.Values{
		"includeClosed": {strconv.FormatBool(includeClosed)},
		"includeTasks":  {strconv.FormatBool(includeTasks)},
	}
	m, err := call[map[string][]model.Workflow](ctx, w.c, request{method: http.MethodPost, path: "/workflow/" + n + "/correlated", query: q, body: correlationIDs})
	if err != nil {
		return nil, err
	}
	return *m, nil
}
