package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

const startRequestExample = `a StartWorkflowRequest object, e.g. {"name":"my_workflow","input":{}}`

// POST /api/workflow: start from a StartWorkflowRequest; the id as text/plain.
func (h *Handler) startWorkflow(w http.ResponseWriter, r *http.Request) error {
	req, err := decodeStartRequest(r)
	if err != nil {
		return err
	}
	id, err := h.svc.StartWorkflow(r.Context(), req)
	if err != nil {
		return err
	}
	return writeText(w, id)
}

// decodeStartRequest reads a StartWorkflowRequest. An explicit "input": null
// is refused as Conductor refuses it (WorkflowExecutorOps.validateWorkflow);
// an absent input is an empty one, the Java field's default.
func decodeStartRequest(r *http.Request) (*model.StartWorkflowRequest, error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var req model.StartWorkflowRequest
	if err := decodeJSON(b, &req, startRequestExample); err != nil {
		return nil, err
	}
	var raw struct {
		Input json.RawMessage `json:"input"`
	}
	if json.Unmarshal(b, &raw) == nil && bytes.Equal(bytes.TrimSpace(raw.Input), []byte("null")) &&
		strings.TrimSpace(req.ExternalInputPayloadStoragePath) == "" {
		return nil, invalidf("NULL input passed when starting workflow")
	}
	if err := checkStartRequest(&req); err != nil {
		return nil, err
	}
	if err := inlineWorkflowDef(b, &req); err != nil {
		return nil, err
	}
	if req.Input == nil {
		req.Input = map[string]any{}
	}
	return &req, nil
}

// POST /api/workflow/{name}?version=&correlationId=&priority=: the body is
// the input. The definition is looked up first, as WorkflowServiceImpl does,
// for its message when there is none.
func (h *Handler) startWorkflowByName(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	version, hasVersion, err := q.optInt("version")
	if err != nil {
		return err
	}
	priority, err := q.intOr("priority", 0)
	if err != nil {
		return err
	}
	switch { // WorkflowService.startWorkflow(name, version, correlationId, priority, input)'s constraints
	case priority < 0:
		return validationFailed("startWorkflow.arg3", "0 is the minimum priority value", fmt.Sprint(priority))
	case priority > 99:
		return validationFailed("startWorkflow.arg3", "99 is the maximum priority value", fmt.Sprint(priority))
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var input map[string]any
	if err := decodeJSON(b, &input, `the workflow input as a JSON object, e.g. {"key":"value"}`); err != nil {
		return err
	}
	if input == nil {
		return invalidf("NULL input passed when starting workflow")
	}
	name := r.PathValue("name")
	def, err := h.svc.GetWorkflowDef(r.Context(), name, version)
	if engine.KindOf(err) == engine.KindNotFound || (err == nil && def == nil) {
		v := "null"
		if hasVersion {
			v = fmt.Sprint(version)
		}
		return notFoundf("No such workflow found by name: %s, version: %s", name, v)
	}
	if err != nil {
		return err
	}
	req := &model.StartWorkflowRequest{Name: def.Name, Version: &def.Version, CorrelationId: q.str("correlationId"),
		Priority: &priority, Input: input}
	id, err := h.svc.StartWorkflow(r.Context(), req)
	if err != nil {
		return err
	}
	return writeText(w, id)
}

// POST /api/workflow/execute/{name}/{version}: start and wait, answering a
// SignalResponse.
func (h *Handler) executeWorkflow(w http.ResponseWriter, r *http.Request) error {
	version, err := pathInt(r, "version")
	if err != nil {
		return err
	}
	q := query(r)
	wait, err := q.intOr("waitForSeconds", 10)
	if err != nil {
		return err
	}
	if wait < 0 {
		return invalidf("query parameter waitForSeconds must not be negative, got %d", wait)
	}
	if wait == 0 {
		wait = 10 // Conductor treats 0 as the default
	}
	strategy := model.ReturnStrategy(q.strOr("returnStrategy", string(model.ReturnTargetWorkflow)))
	if err := checkEnum("query parameter returnStrategy", strategy, returnStrategies); err != nil {
		return err
	}
	req, err := decodeStartRequest(r)
	if err != nil {
		return err
	}
	req.Name = r.PathValue("name")
	req.Version = nil
	if version != 0 {
		req.Version = &version
	}
	if req.WorkflowDef != nil && len(req.WorkflowDef.Tasks) > 0 {
		markDynamic(req.Input)
	}
	opts := engine.ExecuteOptions{RequestID: q.str("requestId"), WaitFor: time.Duration(wait) * time.Second,
		ReturnStrategy: strategy, WaitUntilTaskRef: splitRefs(q.str("waitUntilTaskRef"))}
	ctx, cancel := h.waitContext(r.Context())
	defer cancel()
	resp, err := h.svc.ExecuteWorkflow(ctx, req, opts)
	if err != nil {
		return err
	}
	return ok(w, resp)
}

// markDynamic flags the input of a run of an inline definition, as
// WorkflowResource.markAsDynamicWorkflow does.
func markDynamic(input map[string]any) {
	meta, _ := input["_systemMetadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["dynamic"] = true
	input["_systemMetadata"] = meta
}

func splitRefs(s string) []string {
	var out []string
	for _, ref := range strings.Split(s, ",") {
		if ref = strings.TrimSpace(ref); ref != "" {
			out = append(out, ref)
		}
	}
	return out
}

// GET /api/workflow/{name}/correlated/{correlationId}.
func (h *Handler) byCorrelationID(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	closed, err := q.boolOr("includeClosed", false)
	if err != nil {
		return err
	}
	tasks, err := q.boolOr("includeTasks", false)
	if err != nil {
		return err
	}
	wfs, err := h.svc.ByCorrelationID(r.Context(), r.PathValue("name"), r.PathValue("correlationId"), closed, tasks)
	if err != nil {
		return err
	}
	return ok(w, nonNil(wfs))
}

// POST /api/workflow/{name}/correlated: body is a list of correlation ids.
func (h *Handler) byCorrelationIDs(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	closed, err := q.boolOr("includeClosed", false)
	if err != nil {
		return err
	}
	tasks, err := q.boolOr("includeTasks", false)
	if err != nil {
		return err
	}
	var ids []string
	if err := decodeBody(r, &ids, `a JSON array of correlation ids, e.g. ["order-1","order-2"]`); err != nil {
		return err
	}
	out := make(map[string][]*model.Workflow, len(ids))
	for _, id := range ids {
		wfs, err := h.svc.ByCorrelationID(r.Context(), r.PathValue("name"), id, closed, tasks)
		if err != nil {
			return err
		}
		out[id] = nonNil(wfs)
	}
	return ok(w, out)
}

// GET /api/workflow/{workflowId}?includeTasks=true.
func (h *Handler) getWorkflow(w http.ResponseWriter, r *http.Request) error {
	tasks, err := query(r).boolOr("includeTasks", true)
	if err != nil {
		return err
	}
	wf, err := h.lookupWorkflow(r, tasks)
	if err != nil {
		return err
	}
	return ok(w, wf)
}

// lookupWorkflow gets the workflow of the {workflowId} path segment.
func (h *Handler) lookupWorkflow(r *http.Request, includeTasks bool) (*model.Workflow, error) {
	id := r.PathValue("workflowId")
	wf, err := h.svc.GetWorkflow(r.Context(), id, includeTasks)
	if err != nil {
		return nil, err
	}
	if wf == nil {
		return nil, notFoundf("No such workflow found by id: %s", id)
	}
	return wf, nil
}

// GET /api/workflow/{workflowId}/status?includeOutput=&includeVariables=.
func (h *Handler) workflowStatus(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	withOutput, err := q.boolOr("includeOutput", false)
	if err != nil {
		return err
	}
	withVars, err := q.boolOr("includeVariables", false)
	if err != nil {
		return err
	}
	wf, err := h.lookupWorkflow(r, false)
	if err != nil {
		return err
	}
	st := model.WorkflowState{WorkflowId: wf.WorkflowId, CorrelationId: wf.CorrelationId, Status: wf.Status}
	if withOutput {
		st.Output = wf.Output
	}
	if withVars {
		st.Variables = wf.Variables
	}
	return ok(w, st)
}

// GET /api/workflow/{workflowId}/tasks?start=0&count=15&status=: one page of
// the workflow's tasks, filtered by status (any case).
func (h *Handler) workflowTasks(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	start, err := q.intOr("start", 0)
	if err != nil {
		return err
	}
	count, err := q.intOr("count", 15)
	if err != nil {
		return err
	}
	if start < 0 || count < 0 {
		return invalidf("query parameters start and count must not be negative, got start=%d count=%d", start, count)
	}
	want := map[model.TaskStatus]bool{}
	for _, s := range q.list("status") {
		want[model.TaskStatus(strings.ToUpper(s))] = true
	}
	wf, err := h.lookupWorkflow(r, true)
	if err != nil {
		return err
	}
	tasks := make([]model.WorkerTask, 0, len(wf.Tasks))
	for _, t := range wf.Tasks {
		if len(want) == 0 || want[t.Status] {
			tasks = append(tasks, t)
		}
	}
	from := min(start, len(tasks))
	to := min(from+count, len(tasks))
	return ok(w, model.SearchResult[model.WorkerTask]{TotalHits: int64(len(tasks)), Results: tasks[from:to]})
}

// GET /api/workflow/running/{name}?version=1&startTime=&endTime=.
func (h *Handler) runningWorkflows(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	version, err := q.intOr("version", 1)
	if err != nil {
		return err
	}
	start, _, err := q.optInt64("startTime")
	if err != nil {
		return err
	}
	end, _, err := q.optInt64("endTime")
	if err != nil {
		return err
	}
	ids, err := h.svc.Running(r.Context(), r.PathValue("name"), version, start, end)
	if err != nil {
		return err
	}
	return ok(w, nonNil(ids))
}
