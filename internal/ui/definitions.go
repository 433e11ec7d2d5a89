package ui

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
)

type workflowDefRow struct {
	Name        string
	Latest      int
	Versions    []int
	Description string
	Tasks       int
}

type definitionsData struct {
	Workflows []workflowDefRow
	Tasks     []*model.TaskDef
}

// GET /definitions: every workflow definition (its versions) and task
// definition.
func (h *Handler) definitions(r *http.Request) (*view, error) {
	ctx := r.Context()
	defs, err := h.svc.ListWorkflowDefs(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]*workflowDefRow{}
	d := &definitionsData{}
	for _, def := range defs {
		if def == nil {
			continue
		}
		row, ok := byName[def.Name]
		if !ok {
			row = &workflowDefRow{Name: def.Name}
			byName[def.Name] = row
		}
		row.Versions = append(row.Versions, def.Version)
		if def.Version >= row.Latest {
			row.Latest, row.Description, row.Tasks = def.Version, def.Description, len(def.Tasks)
		}
	}
	for _, row := range byName {
		slices.Sort(row.Versions)
		d.Workflows = append(d.Workflows, *row)
	}
	slices.SortFunc(d.Workflows, func(a, b workflowDefRow) int { return cmp.Compare(a.Name, b.Name) })
	if d.Tasks, err = h.svc.ListTaskDefs(ctx); err != nil {
		return nil, err
	}
	d.Tasks = slices.DeleteFunc(d.Tasks, func(t *model.TaskDef) bool { return t == nil })
	slices.SortFunc(d.Tasks, func(a, b *model.TaskDef) int { return cmp.Compare(a.Name, b.Name) })
	return &view{page: "definitions", title: "Definitions", nav: "definitions", data: d}, nil
}

// editorData is a definition's page: what it is, and the editor.
type editorData struct {
	Kind     string // "workflow" or "task"
	Name     string
	Version  int
	Versions []int
	JSON     string // the definition as stored
	Diagram  template.HTML
	Text     string // the editor's text
	New      bool
	Saved    bool
	Problem  *problem
	Runs     string // executions of this definition
}

// GET /definitions/workflow/{name}?version=.
func (h *Handler) workflowDef(r *http.Request) (*view, error) {
	ctx := r.Context()
	name := r.PathValue("name")
	version := 0
	if s := r.URL.Query().Get("version"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			return nil, badInput("version %q is not a number", s)
		}
		version = v
	}
	def, err := h.svc.GetWorkflowDef(ctx, name, version)
	if err != nil {
		return nil, err
	}
	if def == nil {
		return nil, notFound("no workflow definition %s version %d", name, version)
	}
	all, err := h.svc.ListWorkflowDefs(ctx)
	if err != nil {
		return nil, err
	}
	d := &editorData{Kind: "workflow", Name: def.Name, Version: def.Version, JSON: pretty(def), Saved: r.URL.Query().Has("saved"),
		Runs: "/executions?" + url.Values{"name": {def.Name}}.Encode()}
	for _, o := range all {
		if o != nil && o.Name == def.Name {
			d.Versions = append(d.Versions, o.Version)
		}
	}
	slices.Sort(d.Versions)
	d.Text = d.JSON
	d.Diagram = renderDiagram(builder{}.seq(def.Tasks, ""), "diagram of "+def.Name)
	return &view{page: "definition", title: "Workflow " + def.Name, nav: "definitions", data: d}, nil
}

// GET /definitions/task/{name}.
func (h *Handler) taskDef(r *http.Request) (*view, error) {
	def, err := h.svc.GetTaskDef(r.Context(), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	if def == nil {
		return nil, notFound("no task definition %s", r.PathValue("name"))
	}
	d := &editorData{Kind: "task", Name: def.Name, JSON: pretty(def), Saved: r.URL.Query().Has("saved")}
	d.Text = d.JSON
	return &view{page: "definition", title: "Task " + def.Name, nav: "definitions", data: d}, nil
}

const (
	newWorkflowText = `{
  "name": "my_workflow",
  "version": 1,
  "schemaVersion": 2,
  "tasks": [
    {"name": "my_task", "taskReferenceName": "my_task_ref", "type": "SIMPLE"}
  ]
}`
	newTaskText = `{
  "name": "my_task",
  "retryCount": 3,
  "timeoutSeconds": 3600,
  "responseTimeoutSeconds": 600
}`
)

// GET /definitions/new/workflow.
func (h *Handler) newWorkflowDef(*http.Request) (*view, error) {
	return &view{page: "definition", title: "New workflow definition", nav: "definitions",
		data: &editorData{Kind: "workflow", New: true, Text: newWorkflowText}}, nil
}

// GET /definitions/new/task.
func (h *Handler) newTaskDef(*http.Request) (*view, error) {
	return &view{page: "definition", title: "New task definition", nav: "definitions",
		data: &editorData{Kind: "task", New: true, Text: newTaskText}}, nil
}

// POST /definitions/workflow: create or update a workflow definition (or
// several, as a JSON array) through PUT /api/metadata/workflow.
func (h *Handler) saveWorkflowDef(r *http.Request) (*view, error) {
	return h.saveDef(r, "workflow", http.MethodPut, "/api/metadata/workflow")
}

// POST /definitions/task: create or update task definitions through POST
// /api/metadata/taskdefs (an upsert).
func (h *Handler) saveTaskDef(r *http.Request) (*view, error) {
	return h.saveDef(r, "task", http.MethodPost, "/api/metadata/taskdefs")
}

func (h *Handler) saveDef(r *http.Request, kind, method, path string) (*view, error) {
	if err := r.ParseForm(); err != nil {
		return nil, badInput("cannot read the form: %v", err)
	}
	text := r.PostForm.Get("json")
	d := &editorData{Kind: kind, Name: r.PostForm.Get("name"), New: r.PostForm.Get("new") == "1", Text: text}
	v := &view{page: "definition", title: "Edit " + kind + " definition", nav: "definitions", data: d}
	body := strings.TrimSpace(text)
	if !strings.HasPrefix(body, "[") {
		body = "[" + body + "]" // both endpoints take a list
	}
	status, answer := h.callAPI(r.Context(), method, path, body)
	p := apiProblem(status, answer)
	if p != nil {
		d.Problem, v.status = p, p.Status
		return v, nil
	}
	var first struct {
		Name    string `json:"name"`
		Version int    `json:"version"`
	}
	var list []json.RawMessage
	if json.Unmarshal([]byte(body), &list) == nil && len(list) > 0 {
		_ = json.Unmarshal(list[0], &first)
	}
	u := "/definitions/" + kind + "/" + url.PathEscape(first.Name) + "?saved=1"
	if kind == "workflow" {
		u += "&version=" + strconv.Itoa(first.Version)
	}
	return &view{redirect: u}, nil
}

// callAPI serves one request with the API handler, in process.
func (h *Handler) callAPI(ctx context.Context, method, path, body string) (int, []byte) {
	req, err := http.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
	if err != nil {
		return http.StatusInternalServerError, []byte(err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	rec := &recorder{header: http.Header{}}
	h.cfg.API.ServeHTTP(rec, req)
	return cmp.Or(rec.status, http.StatusOK), rec.body.Bytes()
}

// apiProblem reads an API answer: nil on success, else its message and
// validation errors (a bulk update's per-definition errors too).
func apiProblem(status int, body []byte) *problem {
	if status >= 300 {
		var e model.ErrorResponse
		if err := json.Unmarshal(body, &e); err != nil || e.Message == "" {
			return &problem{Status: status, Message: strings.TrimSpace(string(body))}
		}
		p := &problem{Status: status, Message: e.Message}
		for _, v := range e.ValidationErrors {
			p.Details = append(p.Details, validationLine(v.Path, v.Message, v.InvalidValue))
		}
		return p
	}
	var bulk model.BulkResponse[string]
	if json.Unmarshal(body, &bulk) == nil && len(bulk.BulkErrorResults) > 0 {
		p := &problem{Status: http.StatusBadRequest, Message: "Some definitions were not saved."}
		for _, k := range slices.Sorted(maps.Keys(bulk.BulkErrorResults)) {
			p.Details = append(p.Details, fmt.Sprintf("%s: %s", k, bulk.BulkErrorResults[k]))
		}
		return p
	}
	return nil
}

// recorder is the http.ResponseWriter of an in-process API call.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
