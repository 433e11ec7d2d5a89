package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/batonhq/baton/model"
)

// DELETE /api/workflow/{workflowId}?reason=: terminate; empty 200.
func (h *Handler) terminateWorkflow(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Terminate(r.Context(), r.PathValue("workflowId"), query(r).str("reason")); err != nil {
		return err
	}
	return empty(w)
}

// DELETE /api/workflow/{workflowId}/remove?archiveWorkflow=true.
func (h *Handler) removeWorkflow(w http.ResponseWriter, r *http.Request) error {
	archive, err := query(r).boolOr("archiveWorkflow", true)
	if err != nil {
		return err
	}
	if err := h.svc.Remove(r.Context(), r.PathValue("workflowId"), archive); err != nil {
		return err
	}
	return empty(w)
}

// DELETE /api/workflow/{workflowId}/terminate-remove?reason=&archiveWorkflow=true:
// terminate, then remove (WorkflowServiceImpl.terminateRemove).
func (h *Handler) terminateRemoveWorkflow(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	archive, err := q.boolOr("archiveWorkflow", true)
	if err != nil {
		return err
	}
	id := r.PathValue("workflowId")
	if err := h.svc.Terminate(r.Context(), id, q.str("reason")); err != nil {
		return err
	}
	if err := h.svc.Remove(r.Context(), id, archive); err != nil {
		return err
	}
	return empty(w)
}

// PUT /api/workflow/decide/{workflowId}. Baton's engine decides inside every
// call that changes a workflow and on every timer, so there is nothing left
// to trigger; the workflow must exist, as Conductor's decide requires.
func (h *Handler) decideWorkflow(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.lookupWorkflow(r, false); err != nil {
		return err
	}
	return empty(w)
}

// PUT /api/workflow/{workflowId}/pause.
func (h *Handler) pauseWorkflow(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Pause(r.Context(), r.PathValue("workflowId")); err != nil {
		return err
	}
	return empty(w)
}

// PUT /api/workflow/{workflowId}/resume.
func (h *Handler) resumeWorkflow(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Resume(r.Context(), r.PathValue("workflowId")); err != nil {
		return err
	}
	return empty(w)
}

// PUT /api/workflow/{workflowId}/skiptask/{taskReferenceName}. Conductor binds
// SkipTaskRequest as a model attribute, from query parameters such as
// taskInput[key]=value; Baton reads those and also a JSON body, which is what
// SDKs send.
func (h *Handler) skipTask(w http.ResponseWriter, r *http.Request) error {
	req, err := skipTaskRequest(r)
	if err != nil {
		return err
	}
	if err := h.svc.SkipTask(r.Context(), r.PathValue("workflowId"), r.PathValue("taskReferenceName"), req); err != nil {
		return err
	}
	return empty(w)
}

func skipTaskRequest(r *http.Request) (*model.SkipTaskRequest, error) {
	req := &model.SkipTaskRequest{}
	b, err := readRawBody(r)
	if err != nil {
		return nil, err
	}
	// Conductor ignores any body here; Baton reads a JSON one and, like
	// Conductor, ignores a body of another type.
	if len(strings.TrimSpace(string(b))) > 0 && checkJSONContentType(r) == nil {
		if err := decodeJSON(b, req, `a SkipTaskRequest object, e.g. {"taskInput":{},"taskOutput":{}}`); err != nil {
			return nil, err
		}
	}
	for k, vs := range r.URL.Query() {
		if len(vs) == 0 {
			continue
		}
		if key, ok := bracketKey(k, "taskInput"); ok {
			req.TaskInput = put(req.TaskInput, key, vs[0])
		} else if key, ok := bracketKey(k, "taskOutput"); ok {
			req.TaskOutput = put(req.TaskOutput, key, vs[0])
		}
	}
	return req, nil
}

// bracketKey parses Spring's map binding syntax name[key] (also name.key).
func bracketKey(param, name string) (string, bool) {
	rest, ok := strings.CutPrefix(param, name)
	if !ok {
		return "", false
	}
	if k, ok := strings.CutPrefix(rest, "."); ok && k != "" {
		return k, true
	}
	if len(rest) > 2 && rest[0] == '[' && rest[len(rest)-1] == ']' {
		k := strings.Trim(rest[1:len(rest)-1], `'"`)
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		return k, k != ""
	}
	return "", false
}

func put(m map[string]any, k string, v any) map[string]any {
	if m == nil {
		m = map[string]any{}
	}
	m[k] = v
	return m
}

// POST /api/workflow/{workflowId}/rerun: the new run's id as text/plain.
func (h *Handler) rerunWorkflow(w http.ResponseWriter, r *http.Request) error {
	var req model.RerunWorkflowRequest
	if err := decodeBody(r, &req, `a RerunWorkflowRequest object, e.g. {"reRunFromTaskId":"...","taskInput":{}}`); err != nil {
		return err
	}
	id, err := h.svc.Rerun(r.Context(), r.PathValue("workflowId"), &req)
	if err != nil {
		return err
	}
	return writeText(w, id)
}

// POST /api/workflow/{workflowId}/restart?useLatestDefinitions=false: 204.
func (h *Handler) restartWorkflow(w http.ResponseWriter, r *http.Request) error {
	latest, err := query(r).boolOr("useLatestDefinitions", false)
	if err != nil {
		return err
	}
	if err := h.svc.Restart(r.Context(), r.PathValue("workflowId"), latest); err != nil {
		return err
	}
	return noContent(w)
}

// POST /api/workflow/{workflowId}/retry?resumeSubworkflowTasks=false: 204.
func (h *Handler) retryWorkflow(w http.ResponseWriter, r *http.Request) error {
	resume, err := query(r).boolOr("resumeSubworkflowTasks", false)
	if err != nil {
		return err
	}
	if err := h.svc.Retry(r.Context(), r.PathValue("workflowId"), resume); err != nil {
		return err
	}
	return noContent(w)
}

// POST /api/workflow/{workflowId}/resetcallbacks: scheduled tasks waiting
// out a callback delay become pollable now; 204 as in Conductor.
func (h *Handler) resetCallbacks(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.ResetCallbacks(r.Context(), r.PathValue("workflowId")); err != nil {
		return err
	}
	return noContent(w)
}

// POST /api/workflow/test runs a workflow against mocked task outputs.
func (h *Handler) testWorkflow(http.ResponseWriter, *http.Request) error {
	return notImplemented("testing a workflow with mocked task outputs (POST /api/workflow/test)")
}
