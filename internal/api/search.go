package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// maxSearchSize bounds one page of a search (WorkflowService's @Max on size).
const maxSearchSize = 5000

// searchRequest parses Conductor's search parameters: start (0), size
// (100), sort ("field:ASC|field:DESC"), freeText ("*"), query. method is
// the Conductor service method, for the validation error's path; what names
// the results ("workflows", "tasks") for its message. withFilters adds the
// classifier and topLevelOnly parameters of the workflow searches.
func searchRequest(r *http.Request, method, what string, withFilters bool) (engine.SearchRequest, error) {
	q := query(r)
	start, err := q.intOr("start", 0)
	if err != nil {
		return engine.SearchRequest{}, err
	}
	size, err := q.intOr("size", 100)
	if err != nil {
		return engine.SearchRequest{}, err
	}
	switch {
	case size > maxSearchSize:
		return engine.SearchRequest{}, validationFailed(method+".arg1",
			fmt.Sprintf("Cannot return more than %d %s. Please use pagination.", maxSearchSize, what), fmt.Sprint(size))
	case start < 0 || size < 0:
		return engine.SearchRequest{}, invalidf("query parameters start and size must not be negative, got start=%d size=%d", start, size)
	}
	req := engine.SearchRequest{Start: start, Size: size, FreeText: q.strOr("freeText", "*"), Query: q.str("query")}
	if s := q.str("sort"); s != "" {
		for _, part := range strings.Split(s, "|") { // Utils.convertStringToList
			if part = strings.TrimSpace(part); part != "" {
				req.Sort = append(req.Sort, part)
			}
		}
	}
	if withFilters {
		top, err := q.boolOr("topLevelOnly", false)
		if err != nil {
			return engine.SearchRequest{}, err
		}
		req.Query = withTopLevelFilter(withClassifierFilter(req.Query, q.str("classifier")), top)
	}
	return req, nil
}

// withClassifierFilter folds ?classifier=a,b into the query as
// "classifier IN (a,b)", as WorkflowResource.withClassifierFilter does.
func withClassifierFilter(query, classifier string) string {
	var values []string
	for _, v := range strings.Split(classifier, ",") {
		if v = strings.TrimSpace(v); v != "" {
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		return query
	}
	return and(query, "classifier IN ("+strings.Join(values, ",")+")")
}

// withTopLevelFilter folds ?topLevelOnly=true into the query as
// parentWorkflowId="" (WorkflowResource.withTopLevelFilter).
func withTopLevelFilter(query string, topLevelOnly bool) string {
	if !topLevelOnly {
		return query
	}
	return and(query, `parentWorkflowId=""`)
}

func and(query, clause string) string {
	if strings.TrimSpace(query) == "" {
		return clause
	}
	return query + " AND " + clause
}

// GET /api/workflow/search: SearchResult<WorkflowSummary>.
func (h *Handler) searchWorkflows(w http.ResponseWriter, r *http.Request) error {
	res, err := h.findWorkflows(r, "searchWorkflows")
	if err != nil {
		return err
	}
	return ok(w, summarizeWorkflows(res))
}

// GET /api/workflow/search-v2: SearchResult<Workflow>.
func (h *Handler) searchWorkflowsV2(w http.ResponseWriter, r *http.Request) error {
	res, err := h.findWorkflows(r, "searchWorkflowsV2")
	if err != nil {
		return err
	}
	return ok(w, res)
}

func (h *Handler) findWorkflows(r *http.Request, method string) (*model.SearchResult[*model.Workflow], error) {
	req, err := searchRequest(r, method, "workflows", true)
	if err != nil {
		return nil, err
	}
	res, err := h.svc.SearchWorkflows(r.Context(), req)
	if err != nil {
		return nil, err
	}
	return normalize(res), nil
}

// GET /api/tasks/search: SearchResult<TaskSummary>.
func (h *Handler) searchTasks(w http.ResponseWriter, r *http.Request) error {
	res, err := h.findTasks(r, "search")
	if err != nil {
		return err
	}
	out := model.SearchResult[model.TaskSummary]{TotalHits: res.TotalHits, Results: make([]model.TaskSummary, 0, len(res.Results))}
	for _, t := range res.Results {
		out.Results = append(out.Results, taskSummary(t))
	}
	return ok(w, out)
}

// GET /api/tasks/search-v2: SearchResult<Task>.
func (h *Handler) searchTasksV2(w http.ResponseWriter, r *http.Request) error {
	res, err := h.findTasks(r, "searchV2")
	if err != nil {
		return err
	}
	return ok(w, res)
}

func (h *Handler) findTasks(r *http.Request, method string) (*model.SearchResult[*model.WorkerTask], error) {
	req, err := searchRequest(r, method, "tasks", false)
	if err != nil {
		return nil, err
	}
	res, err := h.svc.SearchTasks(r.Context(), req)
	if err != nil {
		return nil, err
	}
	return normalize(res), nil
}

// GET /api/workflow/search-by-tasks: the workflows of the tasks that match,
// as summaries.
func (h *Handler) searchWorkflowsByTasks(w http.ResponseWriter, r *http.Request) error {
	res, err := h.workflowsByTasks(r, "searchWorkflowsByTasks")
	if err != nil {
		return err
	}
	return ok(w, summarizeWorkflows(res))
}

// GET /api/workflow/search-by-tasks-v2: the same, as full workflows.
func (h *Handler) searchWorkflowsByTasksV2(w http.ResponseWriter, r *http.Request) error {
	res, err := h.workflowsByTasks(r, "searchWorkflowsByTasksV2")
	if err != nil {
		return err
	}
	return ok(w, res)
}

// workflowsByTasks searches tasks and answers their workflows, each once, as
// ExecutionService.searchWorkflowByTasks does: hits shrink by the tasks whose
// workflow is gone or repeated.
func (h *Handler) workflowsByTasks(r *http.Request, method string) (*model.SearchResult[*model.Workflow], error) {
	tasks, err := h.findTasks(r, method)
	if err != nil {
		return nil, err
	}
	out := &model.SearchResult[*model.Workflow]{Results: []*model.Workflow{}}
	seen := map[string]bool{}
	for _, t := range tasks.Results {
		if seen[t.WorkflowInstanceId] {
			continue
		}
		seen[t.WorkflowInstanceId] = true
		wf, err := h.svc.GetWorkflow(r.Context(), t.WorkflowInstanceId, false)
		if engine.KindOf(err) == engine.KindNotFound || (err == nil && wf == nil) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out.Results = append(out.Results, wf)
	}
	out.TotalHits = max(0, tasks.TotalHits-int64(len(tasks.Results)-len(out.Results)))
	return out, nil
}

// normalize drops nil entries and makes an empty page answer [].
func normalize[T any](res *model.SearchResult[*T]) *model.SearchResult[*T] {
	out := &model.SearchResult[*T]{Results: []*T{}}
	if res == nil {
		return out
	}
	out.TotalHits = res.TotalHits
	for _, v := range res.Results {
		if v != nil {
			out.Results = append(out.Results, v)
		}
	}
	return out
}

func summarizeWorkflows(res *model.SearchResult[*model.Workflow]) model.SearchResult[workflowSummary] {
	out := model.SearchResult[workflowSummary]{TotalHits: res.TotalHits, Results: make([]workflowSummary, 0, len(res.Results))}
	for _, wf := range res.Results {
		out.Results = append(out.Results, summarizeWorkflow(wf))
	}
	return out
}
