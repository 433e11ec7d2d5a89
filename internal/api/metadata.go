package api

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

const (
	workflowDefJSONExample = `{"name":"my_workflow","version":1,"tasks":[{"name":"task_1","taskReferenceName":"t1","type":"SIMPLE"}]}`
	workflowDefExample     = "a WorkflowDef object, e.g. " + workflowDefJSONExample
	taskDefExample         = `a TaskDef object, e.g. {"name":"task_1","retryCount":3}`
)

// POST /api/metadata/workflow?overwrite=false.
func (h *Handler) registerWorkflowDef(w http.ResponseWriter, r *http.Request) error {
	overwrite, err := query(r).boolOr("overwrite", false)
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	def, err := decodeWorkflowDefJSON(b, workflowDefExample)
	if err != nil {
		return err
	}
	if err := h.svc.RegisterWorkflowDef(r.Context(), def, overwrite); err != nil {
		return withAbsentValues(err, b)
	}
	return empty(w)
}

// POST /api/metadata/workflow/validate.
func (h *Handler) validateWorkflowDef(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	def, err := decodeWorkflowDefJSON(b, workflowDefExample)
	if err != nil {
		return err
	}
	if err := h.svc.ValidateWorkflowDef(r.Context(), def); err != nil {
		return withAbsentValues(err, b)
	}
	return empty(w)
}

// PUT /api/metadata/workflow: create or update several definitions;
// answers a BulkResponse.
func (h *Handler) updateWorkflowDefs(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	defs, err := decodeWorkflowDefs(b)
	if err != nil {
		return err
	}
	resp, err := h.svc.UpdateWorkflowDefs(r.Context(), defs)
	if err != nil {
		return withAbsentValues(err, b)
	}
	if resp == nil {
		resp = &model.BulkResponse[string]{}
	}
	if resp.BulkErrorResults == nil {
		resp.BulkErrorResults = map[string]string{}
	}
	resp.BulkSuccessfulResults = nonNil(resp.BulkSuccessfulResults)
	return ok(w, resp)
}

// GET /api/metadata/workflow/{name}?version=: the version, or the latest.
func (h *Handler) getWorkflowDef(w http.ResponseWriter, r *http.Request) error {
	version, hasVersion, err := query(r).optInt("version")
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	def, err := h.svc.GetWorkflowDef(r.Context(), name, version)
	if err != nil {
		return err
	}
	if def == nil {
		v := "null"
		if hasVersion {
			v = fmt.Sprint(version)
		}
		return notFoundf("No such workflow found by name: %s, version: %s", name, v)
	}
	return ok(w, def)
}

// GET /api/metadata/workflow?classifier=: every version of every definition.
func (h *Handler) listWorkflowDefs(w http.ResponseWriter, r *http.Request) error {
	defs, err := h.allWorkflowDefs(r)
	if err != nil {
		return err
	}
	if c := query(r).str("classifier"); c != "" {
		defs = slices.DeleteFunc(defs, func(d *model.WorkflowDef) bool { return !strings.EqualFold(classifierOf(d.Metadata), c) })
	}
	return ok(w, nonNil(defs))
}

// allWorkflowDefs lists the definitions sorted by name, then version.
func (h *Handler) allWorkflowDefs(r *http.Request) ([]*model.WorkflowDef, error) {
	defs, err := h.svc.ListWorkflowDefs(r.Context())
	if err != nil {
		return nil, err
	}
	defs = slices.DeleteFunc(defs, func(d *model.WorkflowDef) bool { return d == nil })
	slices.SortStableFunc(defs, func(a, b *model.WorkflowDef) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
	})
	return defs, nil
}

func defSummary(d *model.WorkflowDef) model.WorkflowDefSummary {
	s := model.WorkflowDefSummary{Name: d.Name, Version: d.Version}
	if d.CreateTime != nil {
		s.CreateTime = *d.CreateTime
	}
	if d.UpdateTime != nil {
		s.UpdateTime = *d.UpdateTime
	}
	return s
}

// GET /api/metadata/workflow/names-and-versions: name → version summaries.
func (h *Handler) workflowNamesAndVersions(w http.ResponseWriter, r *http.Request) error {
	defs, err := h.allWorkflowDefs(r)
	if err != nil {
		return err
	}
	out := map[string][]model.WorkflowDefSummary{}
	for _, d := range defs {
		out[d.Name] = append(out[d.Name], defSummary(d))
	}
	return ok(w, out)
}

// GET /api/metadata/workflow/names: distinct names, sorted.
func (h *Handler) workflowNames(w http.ResponseWriter, r *http.Request) error {
	defs, err := h.allWorkflowDefs(r)
	if err != nil {
		return err
	}
	names := []string{}
	for _, d := range defs {
		if len(names) == 0 || names[len(names)-1] != d.Name {
			names = append(names, d.Name)
		}
	}
	return ok(w, names)
}

// GET /api/metadata/workflow/{name}/versions: that name's version
// summaries ([] for an unknown name).
func (h *Handler) workflowVersions(w http.ResponseWriter, r *http.Request) error {
	defs, err := h.allWorkflowDefs(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	out := []model.WorkflowDefSummary{}
	for _, d := range defs {
		if d.Name == name {
			out = append(out, defSummary(d))
		}
	}
	return ok(w, out)
}

// GET /api/metadata/workflow/latest-versions: the latest version of each.
func (h *Handler) latestWorkflowDefs(w http.ResponseWriter, r *http.Request) error {
	defs, err := h.allWorkflowDefs(r)
	if err != nil {
		return err
	}
	out := []*model.WorkflowDef{}
	for i, d := range defs {
		if i == len(defs)-1 || defs[i+1].Name != d.Name {
			out = append(out, d)
		}
	}
	return ok(w, out)
}

// DELETE /api/metadata/workflow/{name}/{version}.
func (h *Handler) deleteWorkflowDef(w http.ResponseWriter, r *http.Request) error {
	version, err := pathInt(r, "version")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteWorkflowDef(r.Context(), r.PathValue("name"), version); err != nil {
		return err
	}
	return empty(w)
}

// POST /api/metadata/taskdefs: create or replace a list of definitions.
func (h *Handler) registerTaskDefs(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	defs, err := decodeTaskDefs(b)
	if err != nil {
		return err
	}
	if err := checkTaskDefZeros(defs); err != nil {
		return err
	}
	if err := h.svc.RegisterTaskDefs(r.Context(), defs); err != nil {
		return withAbsentValues(err, b)
	}
	return empty(w)
}

// PUT /api/metadata/taskdefs: update one existing definition.
func (h *Handler) updateTaskDef(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	def, err := decodeTaskDef(b, taskDefExample)
	if err != nil {
		return err
	}
	if errs := checkExplicitZeros("updateTaskDef.arg0", def); len(errs) > 0 {
		return engine.Invalid(errs...)
	}
	if err := h.svc.UpdateTaskDef(r.Context(), def); err != nil {
		return withAbsentValues(err, b)
	}
	return empty(w)
}

// GET /api/metadata/taskdefs.
func (h *Handler) listTaskDefs(w http.ResponseWriter, r *http.Request) error {
	defs, err := h.svc.ListTaskDefs(r.Context())
	if err != nil {
		return err
	}
	return ok(w, nonNil(slices.DeleteFunc(defs, func(d *model.TaskDef) bool { return d == nil })))
}

// GET /api/metadata/taskdefs/{tasktype}.
func (h *Handler) getTaskDef(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("tasktype")
	def, err := h.svc.GetTaskDef(r.Context(), name)
	if err != nil {
		return err
	}
	if def == nil {
		return notFoundf("No such taskType found by name: %s", name)
	}
	return ok(w, def)
}

// DELETE /api/metadata/taskdefs/{tasktype}.
func (h *Handler) deleteTaskDef(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.DeleteTaskDef(r.Context(), r.PathValue("tasktype")); err != nil {
		return err
	}
	return empty(w)
}
