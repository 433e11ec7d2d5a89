package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
)

// taskPageSize bounds the task list and timeline of one page; a loop of
// 1,000 iterations pages through its rows.
const taskPageSize = 100

// execLinks builds the URLs of one execution's page.
type execLinks struct {
	id string
	q  url.Values // task, tp, expand, iter
}

func (l execLinks) with(change func(url.Values)) string {
	q := url.Values{}
	for k, v := range l.q {
		q[k] = slices.Clone(v)
	}
	change(q)
	u := "/executions/" + url.PathEscape(l.id)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (l execLinks) task(id string) string {
	return l.with(func(q url.Values) { q.Set("task", id) }) + "#task"
}

func (l execLinks) expand(ref string, on bool) string {
	return l.with(func(q url.Values) {
		q["expand"] = slices.DeleteFunc(q["expand"], func(s string) bool { return s == ref })
		if on {
			q.Add("expand", ref)
		}
		if len(q["expand"]) == 0 {
			q.Del("expand")
		}
	})
}

func (l execLinks) iteration(ref string, n int) string {
	return l.with(func(q url.Values) {
		q["iter"] = slices.DeleteFunc(q["iter"], func(s string) bool { return strings.HasPrefix(s, ref+":") })
		q.Add("iter", ref+":"+strconv.Itoa(n))
	})
}

func (l execLinks) execution(id string) string { return "/executions/" + url.PathEscape(id) }

func (l execLinks) taskPage(p int) string {
	return l.with(func(q url.Values) { q.Set("tp", strconv.Itoa(p)) }) + "#tasks"
}

type taskRow struct {
	T        *model.WorkerTask
	Href     string
	Selected bool
}

type taskPanel struct {
	T       *model.WorkerTask
	Logs    []model.TaskExecLog
	Waiting bool   // a WAIT or HUMAN task a person may complete or fail
	SubHref string // its sub-workflow's page
}

type actionSet struct {
	Terminate, Pause, Resume, Retry, Restart, Rerun, Skip bool
}

type executionData struct {
	WF        *model.Workflow
	Self      string // this page, to come back to
	Live      bool
	Diagram   template.HTML
	Gantt     template.HTML
	Rows      []taskRow
	TaskCount int
	TaskFrom  int
	TaskTo    int
	TaskPrev  string
	TaskNext  string
	Panel     *taskPanel
	Actions   actionSet
	SkipRefs  []string
	Problem   *problem
	Notice    string
	ParentURL string
}

// notices are the messages shown after an action went through; the query
// string names one, so a link cannot put words of its own on the page.
var notices = map[string]string{
	"terminate": "Terminated.", "pause": "Paused.", "resume": "Resumed.", "retry": "Retried from the failed task.",
	"restart": "Restarted.", "rerun": "Rerun started.", "skip": "Task skipped.", "complete": "Task completed.",
	"fail": "Task failed.",
}

// GET /executions/{id}.
func (h *Handler) execution(r *http.Request) (*view, error) {
	return h.executionView(r, r.PathValue("id"), r.URL.Query(), nil)
}

// executionView renders an execution's page, with p the refusal of an
// action just tried, if any.
func (h *Handler) executionView(r *http.Request, id string, q url.Values, p *problem) (*view, error) {
	ctx := r.Context()
	wf, err := h.svc.GetWorkflow(ctx, id, true)
	if err != nil {
		return nil, err
	}
	def := wf.WorkflowDefinition
	if def == nil {
		// An execution carries its definition; an old one without it is
		// drawn from the stored version, if that is still there.
		if stored, err := h.svc.GetWorkflowDef(ctx, wf.WorkflowName, wf.WorkflowVersion); err == nil {
			def = stored
		}
	}
	links := execLinks{id: wf.WorkflowId, q: url.Values{}}
	for _, k := range []string{"task", "tp", "expand", "iter"} {
		if v := q[k]; len(v) > 0 {
			links.q[k] = v
		}
	}
	st := &diagramState{rows: latestRows(wf.Tasks), selected: q.Get("task"), expanded: map[string]bool{},
		iter: map[string]int{}, links: links}
	for _, ref := range q["expand"] {
		st.expanded[ref] = true
	}
	for _, s := range q["iter"] {
		ref, n, ok := strings.Cut(s, ":")
		if i, err := strconv.Atoi(n); ok && err == nil {
			st.iter[ref] = i
		}
	}
	d := &executionData{WF: wf, Self: links.with(func(url.Values) {}), Problem: p, Notice: notices[q.Get("done")],
		Live: wf.Status == model.WorkflowRunning || wf.Status == model.WorkflowPaused}
	if wf.ParentWorkflowId != "" {
		d.ParentURL = links.execution(wf.ParentWorkflowId)
	}
	var nodes []*node
	if def != nil {
		nodes = builder{st: st}.seq(def.Tasks, "")
	}
	d.Diagram = renderDiagram(nodes, "diagram of "+wf.WorkflowName)

	// The task list and timeline, one page of rows at a time.
	d.TaskCount = len(wf.Tasks)
	pages := max(1, (d.TaskCount+taskPageSize-1)/taskPageSize)
	tp, _ := strconv.Atoi(q.Get("tp"))
	if sel := st.selected; sel != "" && q.Get("tp") == "" {
		if i := slices.IndexFunc(wf.Tasks, func(t model.WorkerTask) bool { return t.TaskId == sel }); i >= 0 {
			tp = i/taskPageSize + 1
		}
	}
	tp = min(max(tp, 1), pages)
	from, to := (tp-1)*taskPageSize, min(tp*taskPageSize, d.TaskCount)
	page := wf.Tasks[from:to]
	for i := range page {
		t := &page[i]
		d.Rows = append(d.Rows, taskRow{T: t, Href: links.task(t.TaskId), Selected: t.TaskId == st.selected})
	}
	if d.TaskCount > 0 {
		d.TaskFrom, d.TaskTo = from+1, to
	}
	if tp > 1 {
		d.TaskPrev = links.taskPage(tp - 1)
	}
	if tp < pages {
		d.TaskNext = links.taskPage(tp + 1)
	}
	d.Gantt = renderGantt(page, wf, links, st.selected)

	if sel := st.selected; sel != "" {
		for i := range wf.Tasks {
			t := &wf.Tasks[i]
			if t.TaskId != sel {
				continue
			}
			logs, err := h.svc.TaskLogs(ctx, t.TaskId)
			if err != nil {
				return nil, err
			}
			d.Panel = &taskPanel{T: t, Logs: logs,
				Waiting: (t.TaskType == model.TaskTypeWait || t.TaskType == model.TaskTypeHuman) && !t.Status.IsTerminal()}
			if id := subWorkflowID(t); id != "" {
				d.Panel.SubHref = links.execution(id)
			}
		}
	}

	terminal := wf.Status.IsTerminal()
	d.Actions = actionSet{Terminate: !terminal, Pause: wf.Status == model.WorkflowRunning, Resume: wf.Status == model.WorkflowPaused,
		Retry: terminal, Restart: terminal, Rerun: terminal, Skip: wf.Status == model.WorkflowRunning}
	if d.Actions.Skip && def != nil {
		d.SkipRefs = unscheduledRefs(def.Tasks, st.rows)
	}
	v := &view{page: "execution", title: wf.WorkflowName + " " + wf.WorkflowId, nav: "executions", data: d}
	if d.Live {
		v.refresh = h.cfg.RefreshInterval
	}
	if p != nil {
		v.status = p.Status
	}
	return v, nil
}

// unscheduledRefs lists the reference names of the definition that have
// no task yet: the ones skip may name.
func unscheduledRefs(tasks []model.WorkflowTask, rows map[string]*model.WorkerTask) []string {
	var out []string
	var walk func(ts []model.WorkflowTask)
	walk = func(ts []model.WorkflowTask) {
		for i := range ts {
			wt := &ts[i]
			if _, ok := rows[wt.TaskReferenceName]; !ok {
				out = append(out, wt.TaskReferenceName)
			}
			for _, f := range wt.ForkTasks {
				walk(f)
			}
			for _, c := range wt.DecisionCases {
				walk(c)
			}
			walk(wt.DefaultCase)
		}
	}
	walk(tasks)
	return out
}
