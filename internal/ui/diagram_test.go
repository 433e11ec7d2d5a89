package ui

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func testState(tasks []model.WorkerTask, q url.Values) *diagramState {
	st := &diagramState{rows: latestRows(tasks), expanded: map[string]bool{}, iter: map[string]int{},
		links: execLinks{id: "wf", q: q}}
	for _, r := range q["expand"] {
		st.expanded[r] = true
	}
	return st
}

func TestDynamicForkCollapses(t *testing.T) {
	t.Parallel()
	var refs []any
	tasks := []model.WorkerTask{}
	for i := range 500 {
		ref := fmt.Sprintf("work_%d", i)
		refs = append(refs, ref)
		tasks = append(tasks, model.WorkerTask{ReferenceTaskName: ref, TaskId: ref, TaskType: "work", Status: model.TaskScheduled, Seq: i + 2})
	}
	tasks = append(tasks, model.WorkerTask{ReferenceTaskName: "fan", TaskId: "fan", TaskType: model.TaskTypeForkJoinDynamic,
		Status: model.TaskCompleted, Seq: 1, InputData: map[string]any{"forkedTasks": refs}})
	wt := []model.WorkflowTask{{Name: "fan", TaskReferenceName: "fan", Type: model.TaskTypeForkJoinDynamic}}

	nodes := builder{st: testState(tasks, url.Values{})}.seq(wt, "")
	require.Len(t, nodes[0].branches, dynForkShown+1)
	more := nodes[0].branches[dynForkShown].nodes[0]
	require.Equal(t, "+ 492 more branches", more.label)
	require.Equal(t, "492 SCHEDULED", more.sub)
	require.Contains(t, more.href, "expand=fan")

	nodes = builder{st: testState(tasks, url.Values{"expand": {"fan"}})}.seq(wt, "")
	require.Len(t, nodes[0].branches, 500)
	require.Equal(t, "collapse branches", nodes[0].nav[0].text)
	require.NotContains(t, nodes[0].nav[0].href, "expand")
}

func TestLoopShowsOneIteration(t *testing.T) {
	t.Parallel()
	tasks := []model.WorkerTask{{ReferenceTaskName: "loop", TaskId: "loop", TaskType: model.TaskTypeDoWhile, Status: model.TaskCompleted, Iteration: 1000}}
	for i := 1; i <= 1000; i++ {
		tasks = append(tasks, model.WorkerTask{ReferenceTaskName: fmt.Sprintf("step__%d", i), TaskId: fmt.Sprint(i),
			TaskType: "step", Status: model.TaskCompleted, Iteration: i, Seq: i + 1})
	}
	wt := []model.WorkflowTask{{Name: "loop", TaskReferenceName: "loop", Type: model.TaskTypeDoWhile,
		LoopOver: []model.WorkflowTask{{Name: "step", TaskReferenceName: "step"}}}}

	n := builder{st: testState(tasks, url.Values{})}.seq(wt, "")[0]
	require.Len(t, n.body, 1)
	require.Equal(t, "step__1000", n.body[0].ref)
	var texts []string
	for _, l := range n.nav {
		texts = append(texts, l.text)
	}
	require.Equal(t, []string{"« first", "‹ prev", "1000 / 1000"}, texts)

	st := testState(tasks, url.Values{})
	st.iter["loop"] = 7
	n = builder{st: st}.seq(wt, "")[0]
	require.Equal(t, "step__7", n.body[0].ref)
	require.Len(t, n.nav, 5)
}

func TestSwitchMarksTakenCase(t *testing.T) {
	t.Parallel()
	tasks := []model.WorkerTask{{ReferenceTaskName: "sw", TaskId: "sw", TaskType: model.TaskTypeSwitch, Status: model.TaskCompleted,
		OutputData: map[string]any{"evaluationResult": []any{"b"}}}}
	wt := []model.WorkflowTask{{Name: "sw", TaskReferenceName: "sw", Type: model.TaskTypeSwitch,
		DecisionCases: map[string][]model.WorkflowTask{"a": {{Name: "x", TaskReferenceName: "x"}}, "b": {{Name: "y", TaskReferenceName: "y"}}}}}
	n := builder{st: testState(tasks, url.Values{})}.seq(wt, "")[0]
	require.Len(t, n.branches, 3)
	require.Equal(t, []bool{false, true, false}, []bool{n.branches[0].taken, n.branches[1].taken, n.branches[2].taken})
	require.True(t, n.branches[0].dim)
	require.True(t, n.branches[2].dim)
}

func TestDiagramEscapes(t *testing.T) {
	t.Parallel()
	wt := []model.WorkflowTask{{Name: `<img src=x>`, TaskReferenceName: `"><script>`}}
	svg := string(renderDiagram(builder{}.seq(wt, ""), `a "label"`))
	require.NotContains(t, svg, "<script>")
	require.NotContains(t, svg, "<img")
	require.Contains(t, svg, "&lt;script&gt;")
	require.True(t, strings.HasPrefix(svg, "<svg"))
}
