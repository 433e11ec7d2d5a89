package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// pageSizes are the page sizes the executions list offers.
var pageSizes = []int{25, 50, 100}

var allWorkflowStatuses = []model.WorkflowStatus{model.WorkflowRunning, model.WorkflowPaused, model.WorkflowCompleted,
	model.WorkflowFailed, model.WorkflowTimedOut, model.WorkflowTerminated}

// searchForm is the executions search as the query string carries it.
type searchForm struct {
	Name, CorrelationID, FreeText string
	Statuses                      []string
	From, To                      string // datetime-local, UTC
	Sort                          string // field
	Desc                          bool
	Start, Size                   int
}

func readSearchForm(q url.Values) (searchForm, error) {
	f := searchForm{Name: strings.TrimSpace(q.Get("name")), CorrelationID: strings.TrimSpace(q.Get("correlationId")),
		FreeText: strings.TrimSpace(q.Get("q")), Statuses: q["status"], From: q.Get("from"), To: q.Get("to"),
		Sort: q.Get("sort"), Desc: q.Get("dir") != "asc", Size: 25}
	if f.Sort == "" {
		f.Sort = "startTime"
	}
	if !slices.Contains([]string{"startTime", "endTime", "updateTime", "workflowType", "status", "correlationId"}, f.Sort) {
		return f, badInput("cannot sort by %q; sort by startTime, endTime, updateTime, workflowType, status or correlationId", f.Sort)
	}
	var err error
	if s := q.Get("start"); s != "" {
		if f.Start, err = strconv.Atoi(s); err != nil || f.Start < 0 {
			return f, badInput("start %q is not a row number (0 or more)", s)
		}
	}
	if s := q.Get("size"); s != "" {
		if f.Size, err = strconv.Atoi(s); err != nil || !slices.Contains(pageSizes, f.Size) {
			return f, badInput("size %q is not one of the page sizes 25, 50, 100", s)
		}
	}
	for _, s := range f.Statuses {
		if !model.WorkflowStatus(s).IsValid() {
			return f, badInput("%q is not a workflow status", s)
		}
	}
	return f, nil
}

// query builds the search query of Conductor's language, leaving out the
// status condition when withStatus is false (for the counts by status).
func (f searchForm) query(withStatus bool) (string, error) {
	var conds []string
	for _, v := range []struct{ field, value string }{{"workflowType", f.Name}, {"correlationId", f.CorrelationID}} {
		if v.value == "" {
			continue
		}
		if strings.ContainsAny(v.value, `,'"()`) || strings.Contains(v.value, " AND ") {
			return "", badInput("%s %q cannot be searched for: the query language has no escape for , ' \" ( ) or AND", v.field, v.value)
		}
		conds = append(conds, v.field+" = '"+v.value+"'")
	}
	if withStatus && len(f.Statuses) > 0 {
		conds = append(conds, "status IN ("+strings.Join(f.Statuses, ",")+")")
	}
	for _, v := range []struct{ value, op string }{{f.From, ">"}, {f.To, "<"}} {
		if v.value == "" {
			continue
		}
		t, err := parseLocal(v.value)
		if err != nil {
			return "", err
		}
		conds = append(conds, "startTime "+v.op+" "+strconv.FormatInt(t.UnixMilli(), 10))
	}
	return strings.Join(conds, " AND "), nil
}

// parseLocal reads a datetime-local input's value as UTC.
func parseLocal(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, badInput("time %q is not a date and time like 2026-01-31T14:05 (UTC)", s)
}

// link returns the executions URL of this search with changes applied.
func (f searchForm) link(change func(*searchForm)) string {
	c := f
	c.Statuses = slices.Clone(f.Statuses)
	change(&c)
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("name", c.Name)
	set("correlationId", c.CorrelationID)
	set("q", c.FreeText)
	set("from", c.From)
	set("to", c.To)
	for _, s := range c.Statuses {
		q.Add("status", s)
	}
	if c.Sort != "startTime" {
		q.Set("sort", c.Sort)
	}
	if !c.Desc {
		q.Set("dir", "asc")
	}
	if c.Start > 0 {
		q.Set("start", strconv.Itoa(c.Start))
	}
	if c.Size != 25 {
		q.Set("size", strconv.Itoa(c.Size))
	}
	if len(q) == 0 {
		return "/executions"
	}
	return "/executions?" + q.Encode()
}

type statusCount struct {
	Status   string
	Count    int64
	Selected bool
	Link     string
}

type sortLink struct {
	Label, Link string
	Arrow       string // ▲ / ▼ on the sorted column
}

type executionsData struct {
	Form     searchForm
	Names    []string
	Statuses []statusCount
	Total    int64
	Rows     []*model.Workflow
	Problem  *problem
	Sorts    map[string]sortLink
	From, To int // 1-based rows shown
	Prev     string
	Next     string
	Sizes    []int
}

// GET /executions: search, counts by status, one sorted page.
func (h *Handler) executions(r *http.Request) (*view, error) {
	ctx := r.Context()
	d := &executionsData{Sizes: pageSizes, Sorts: map[string]sortLink{}}
	v := &view{page: "executions", title: "Executions", nav: "executions", data: d}
	defs, err := h.svc.ListWorkflowDefs(ctx)
	if err != nil {
		return nil, err
	}
	for _, def := range defs {
		if def != nil && !slices.Contains(d.Names, def.Name) {
			d.Names = append(d.Names, def.Name)
		}
	}
	slices.Sort(d.Names)
	f, err := readSearchForm(r.URL.Query())
	d.Form = f
	for _, st := range allWorkflowStatuses {
		d.Statuses = append(d.Statuses, statusCount{Status: string(st), Selected: slices.Contains(f.Statuses, string(st))})
	}
	if err != nil {
		d.Problem, v.status = h.problemOf(r, err), http.StatusBadRequest
		return v, nil
	}
	q, err := f.query(true)
	if err != nil {
		d.Problem, v.status = h.problemOf(r, err), http.StatusBadRequest
		return v, nil
	}
	dir := "DESC"
	if !f.Desc {
		dir = "ASC"
	}
	res, err := h.svc.SearchWorkflows(ctx, engine.SearchRequest{Start: f.Start, Size: f.Size, Query: q, FreeText: f.FreeText,
		Sort: []string{f.Sort + ":" + dir}})
	if err != nil {
		d.Problem = h.problemOf(r, err)
		v.status = d.Problem.Status
		return v, nil
	}
	d.Total, d.Rows = res.TotalHits, res.Results
	if len(d.Rows) > 0 {
		d.From, d.To = f.Start+1, f.Start+len(d.Rows)
	}
	if f.Start > 0 {
		d.Prev = f.link(func(c *searchForm) { c.Start = max(0, f.Start-f.Size) })
	}
	if int64(f.Start+f.Size) < d.Total {
		d.Next = f.link(func(c *searchForm) { c.Start = f.Start + f.Size })
	}
	for _, col := range []struct{ field, label string }{{"workflowType", "Workflow"}, {"status", "Status"},
		{"correlationId", "Correlation id"}, {"startTime", "Started"}, {"endTime", "Ended"}, {"updateTime", "Updated"}} {
		s := sortLink{Label: col.label}
		desc := true
		if f.Sort == col.field {
			desc = !f.Desc
			s.Arrow = map[bool]string{true: " ▼", false: " ▲"}[f.Desc]
		}
		s.Link = f.link(func(c *searchForm) { c.Sort, c.Desc, c.Start = col.field, desc, 0 })
		d.Sorts[col.field] = s
	}
	// Counts by status, for the other conditions of the search.
	base, err := f.query(false)
	if err != nil {
		return nil, err
	}
	for i, st := range allWorkflowStatuses {
		cq := "status = " + string(st)
		if base != "" {
			cq = base + " AND " + cq
		}
		cr, err := h.svc.SearchWorkflows(ctx, engine.SearchRequest{Size: 0, Query: cq, FreeText: f.FreeText})
		if err != nil {
			return nil, err
		}
		d.Statuses[i].Count = cr.TotalHits
		d.Statuses[i].Link = f.link(func(c *searchForm) { c.Statuses, c.Start = []string{string(st)}, 0 })
	}
	return v, nil
}
