package engine

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Search understands the query language of Conductor's SQLite index
// (SqliteIndexQueryBuilder): conditions joined by " AND ", each
// `field = value`, `field > value`, `field < value` or `field IN (a,b)`,
// values optionally quoted; times are epoch milliseconds. Fields Conductor
// does not index are ignored, as there. Sort entries are "field:ASC" or
// "field:DESC"; others are ignored.

var conditionRE = regexp.MustCompile(`^\s*([a-zA-Z]+)\s*(=|>|<|IN\b)\s*(.*?)\s*$`)

type condition struct {
	field  string
	op     string
	values []string
}

func parseQuery(q string) ([]condition, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	var out []condition
	for _, part := range strings.Split(q, " AND ") {
		m := conditionRE.FindStringSubmatch(part)
		if m == nil {
			return nil, badRequest("Incorrectly formatted query string: %s", part)
		}
		raw := strings.NewReplacer(`"`, "", "'", "", "(", "", ")", "").Replace(m[3])
		var vals []string
		for _, v := range strings.Split(raw, ",") {
			vals = append(vals, strings.TrimSpace(v))
		}
		op := m[2]
		if op == "IN" && len(vals) == 1 {
			op = "="
		}
		out = append(out, condition{field: m[1], op: op, values: vals})
	}
	return out, nil
}

// timeBound turns `> ms` / `< ms` / `= ms` into inclusive bounds.
func timeBound(c condition, after, before *time.Time) error {
	ms, err := strconv.ParseInt(c.values[0], 10, 64)
	if err != nil {
		return badRequest("query field %s needs a time in epoch milliseconds, got %q", c.field, c.values[0])
	}
	switch c.op {
	case ">":
		*after = time.UnixMilli(ms + 1)
	case "<":
		*before = time.UnixMilli(ms - 1)
	case "=":
		*after, *before = time.UnixMilli(ms), time.UnixMilli(ms)
	default:
		return badRequest("query field %s cannot be used with IN", c.field)
	}
	return nil
}

func parseSort(entries []string, valid map[string]bool) []store.SortField {
	var out []store.SortField
	for _, s := range entries {
		parts := strings.Split(s, ":")
		if len(parts) != 2 || !valid[parts[0]] {
			continue
		}
		switch strings.ToUpper(parts[1]) {
		case "ASC":
			out = append(out, store.SortField{Field: parts[0]})
		case "DESC":
			out = append(out, store.SortField{Field: parts[0], Desc: true})
		}
	}
	return out
}

func (e *Engine) checkPage(method, noun string, req SearchRequest) error {
	if req.Size > e.cfg.MaxSearchSize {
		var v violations
		v.add(method+".arg1", "Cannot return more than "+strconv.Itoa(e.cfg.MaxSearchSize)+" "+noun+". Please use pagination.", req.Size)
		return v.err()
	}
	if req.Start < 0 || req.Size < 0 {
		return badRequest("start and size must not be negative, got start=%d size=%d", req.Start, req.Size)
	}
	return nil
}

var workflowSortFields = map[string]bool{"startTime": true, "updateTime": true, "endTime": true, "workflowType": true,
	"status": true, "workflowId": true, "correlationId": true, "priority": true}

// SearchWorkflows returns one page of workflows (without tasks) matching a
// query, and how many match in all.
func (e *Engine) SearchWorkflows(ctx context.Context, req SearchRequest) (*model.SearchResult[*model.Workflow], error) {
	if err := e.checkPage("searchWorkflows", "workflows", req); err != nil {
		return nil, err
	}
	conds, err := parseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	q := store.WorkflowQuery{FreeText: req.FreeText, Offset: req.Start, Limit: max(req.Size, 1), Sort: parseSort(req.Sort, workflowSortFields)}
	for _, c := range conds {
		switch c.field {
		case "workflowType":
			q.WorkflowTypes = append(q.WorkflowTypes, c.values...)
		case "workflowId":
			q.WorkflowIDs = append(q.WorkflowIDs, c.values...)
		case "correlationId":
			q.CorrelationIDs = append(q.CorrelationIDs, c.values...)
		case "status":
			for _, v := range c.values {
				s := model.WorkflowStatus(v)
				if !s.IsValid() {
					return nil, badRequest("query: %q is not a workflow status; use RUNNING, COMPLETED, FAILED, TIMED_OUT, TERMINATED or PAUSED", v)
				}
				q.Statuses = append(q.Statuses, s)
			}
		case "startTime":
			if err := timeBound(c, &q.StartedAfter, &q.StartedBefore); err != nil {
				return nil, err
			}
		case "updateTime":
			if err := timeBound(c, &q.UpdatedAfter, &q.UpdatedBefore); err != nil {
				return nil, err
			}
		case "parentWorkflowId":
			// The API's topLevelOnly=true sends parentWorkflowId="" (WorkflowResource.withTopLevelFilter).
			if c.op != "=" || c.values[0] != "" {
				return nil, badRequest(`query field parentWorkflowId supports only parentWorkflowId="" (workflows that are not sub-workflows) yet`)
			}
			q.TopLevelOnly = true
		case "classifier":
			// The API's ?classifier=a,b sends classifier IN (a,b) (WorkflowResource.withClassifierFilter).
			if c.op != "=" && c.op != "IN" {
				return nil, badRequest("query field classifier takes = or IN, got %s", c.op)
			}
			q.Classifiers = append(q.Classifiers, c.values...)
		case "endTime", "taskId", "taskType", "taskDefName":
			return nil, badRequest("query field %s is not supported yet; use workflowType, workflowId, correlationId, status, startTime, updateTime, classifier or parentWorkflowId=\"\"", c.field)
		}
	}
	found, total, err := e.st.SearchWorkflows(ctx, q)
	if err != nil {
		return nil, internalf(err, "search workflows")
	}
	if req.Size == 0 {
		found = found[:0]
	}
	for _, wf := range found {
		if wf != nil && wf.Tasks == nil {
			wf.Tasks = []model.WorkerTask{} // Conductor's answer has "tasks": [] (search-v2)
		}
	}
	return &model.SearchResult[*model.Workflow]{TotalHits: total, Results: found}, nil
}

var taskSortFields = map[string]bool{"scheduledTime": true, "startTime": true, "updateTime": true, "endTime": true,
	"status": true, "taskType": true, "taskId": true, "workflowId": true, "workflowType": true}

// SearchTasks returns one page of tasks matching a query, and how many
// match in all.
func (e *Engine) SearchTasks(ctx context.Context, req SearchRequest) (*model.SearchResult[*model.WorkerTask], error) {
	if err := e.checkPage("search", "tasks", req); err != nil {
		return nil, err
	}
	conds, err := parseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	q := store.TaskQuery{FreeText: req.FreeText, Offset: req.Start, Limit: max(req.Size, 1), Sort: parseSort(req.Sort, taskSortFields)}
	for _, c := range conds {
		switch c.field {
		case "taskType":
			q.TaskTypes = append(q.TaskTypes, c.values...)
		case "taskDefName":
			q.TaskDefNames = append(q.TaskDefNames, c.values...)
		case "workflowId":
			q.WorkflowIDs = append(q.WorkflowIDs, c.values...)
		case "workflowType":
			q.WorkflowTypes = append(q.WorkflowTypes, c.values...)
		case "domain":
			q.Domains = append(q.Domains, c.values...)
		case "status":
			for _, v := range c.values {
				s := model.TaskStatus(v)
				if !s.IsValid() {
					return nil, badRequest("query: %q is not a task status", v)
				}
				q.Statuses = append(q.Statuses, s)
			}
		case "scheduledTime":
			if err := timeBound(c, &q.ScheduledAfter, &q.ScheduledBefore); err != nil {
				return nil, err
			}
		case "startTime", "updateTime", "endTime", "correlationId", "taskId", "reasonForIncompletion",
			"executionTime", "queueWaitTime", "workflowPriority", "input", "output":
			// Fields of Conductor's task index that Baton does not filter
			// on: ignoring them would answer with tasks they exclude.
			return nil, badRequest("query field %s is not supported yet; use taskType, taskDefName, workflowId, workflowType, domain, status or scheduledTime", c.field)
		}
	}
	found, total, err := e.st.SearchTasks(ctx, q)
	if err != nil {
		return nil, internalf(err, "search tasks")
	}
	if req.Size == 0 {
		found = found[:0]
	}
	return &model.SearchResult[*model.WorkerTask]{TotalHits: total, Results: found}, nil
}
