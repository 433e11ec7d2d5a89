package ui

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
)

// The diagram of a workflow is built in two steps: this file turns the
// definition, and the task rows of an execution if there is one, into a
// tree of nodes; svg.go lays the tree out and draws it.

type nodeKind int

const (
	kindTask    nodeKind = iota
	kindFork             // FORK_JOIN: branches side by side
	kindSwitch           // SWITCH / DECISION: a branch per case
	kindLoop             // DO_WHILE: the body of one iteration in a frame
	kindDynFork          // FORK_JOIN_DYNAMIC: a branch per forked task
)

// node is a box of the diagram, with the branches or body it holds.
type node struct {
	kind     nodeKind
	ref      string // reference name as it ran (with an iteration suffix)
	label    string // first line
	sub      string // second line: type, status
	title    string // tooltip
	status   string // task status; "" when the task has not been scheduled
	href     string // the task's panel, or nothing before a run
	selected bool
	extra    *link    // a second link under the box (a sub-workflow)
	branches []branch // kindFork, kindSwitch, kindDynFork
	body     []*node  // kindLoop
	nav      []link   // kindLoop: links to other iterations
}

type branch struct {
	label string // a switch case
	taken bool
	dim   bool // a switch case not taken
	nodes []*node
}

type link struct{ text, href string }

// Bounds that keep a large execution's diagram small: a dynamic fork shows
// this many branches until expanded, a loop one iteration at a time.
const (
	dynForkShown  = 8
	dynForkLimit  = 12 // more branches than this are collapsed
	iterChipLimit = 12 // a loop with at most this many iterations links each
)

// diagramState says what an execution page shows expanded or selected.
type diagramState struct {
	rows     map[string]*model.WorkerTask // latest attempt per reference name
	selected string                       // task id
	expanded map[string]bool              // dynamic forks shown in full
	iter     map[string]int               // loop ref → iteration shown
	links    pageLinks
}

// pageLinks builds the URLs of the execution page with one thing changed.
type pageLinks interface {
	task(id string) string
	expand(ref string, on bool) string
	iteration(ref string, n int) string
	execution(id string) string
}

// builder turns workflow tasks into nodes. st is nil for a definition
// that has not run.
type builder struct {
	st *diagramState
}

func (b builder) seq(tasks []model.WorkflowTask, suffix string) []*node {
	out := make([]*node, 0, len(tasks))
	for i := range tasks {
		out = append(out, b.one(&tasks[i], suffix))
	}
	return out
}

func (b builder) row(ref string) *model.WorkerTask {
	if b.st == nil {
		return nil
	}
	return b.st.rows[ref]
}

func (b builder) one(wt *model.WorkflowTask, suffix string) *node {
	ref := wt.TaskReferenceName + suffix
	typ := wt.TaskType()
	n := &node{ref: ref, label: wt.TaskReferenceName, sub: typ}
	n.title = fmt.Sprintf("%s\nname: %s\ntype: %s", ref, wt.Name, typ)
	row := b.row(ref)
	if row != nil {
		b.fill(n, row)
	}
	switch typ {
	case model.TaskTypeForkJoin:
		n.kind = kindFork
		for _, fork := range wt.ForkTasks {
			n.branches = append(n.branches, branch{nodes: b.seq(fork, suffix)})
		}
	case model.TaskTypeSwitch, model.TaskTypeDecision:
		n.kind = kindSwitch
		taken := ""
		if row != nil {
			taken = "default"
			if v, ok := firstResult(row.OutputData); ok {
				if _, has := wt.DecisionCases[v]; has {
					taken = v
				}
			}
		}
		for _, c := range slices.Sorted(maps.Keys(wt.DecisionCases)) {
			n.branches = append(n.branches, branch{label: c, taken: taken == c, dim: taken != "" && taken != c,
				nodes: b.seq(wt.DecisionCases[c], suffix)})
		}
		n.branches = append(n.branches, branch{label: "default", taken: taken == "default",
			dim: taken != "" && taken != "default", nodes: b.seq(wt.DefaultCase, suffix)})
	case model.TaskTypeDoWhile:
		b.loop(n, wt, row)
	case model.TaskTypeForkJoinDynamic:
		b.dynFork(n, row)
	}
	return n
}

// fill marks a node with the task row that ran it.
func (b builder) fill(n *node, row *model.WorkerTask) {
	n.status = string(row.Status)
	n.sub = row.TaskType + " · " + string(row.Status)
	n.title += "\nstatus: " + string(row.Status)
	if row.RetryCount > 0 {
		n.sub += " · retry " + strconv.Itoa(row.RetryCount)
	}
	n.href = b.st.links.task(row.TaskId)
	n.selected = row.TaskId == b.st.selected
	if id := subWorkflowID(row); id != "" {
		n.extra = &link{text: "open sub-workflow", href: b.st.links.execution(id)}
	}
}

func subWorkflowID(row *model.WorkerTask) string {
	if row.SubWorkflowId != "" {
		return row.SubWorkflowId
	}
	s, _ := row.OutputData["subWorkflowId"].(string)
	return s
}

func firstResult(out map[string]any) (string, bool) {
	if l, ok := out["evaluationResult"].([]any); ok && len(l) > 0 {
		return fmt.Sprint(l[0]), true
	}
	if v, ok := out["selectedCase"]; ok && v != nil {
		return fmt.Sprint(v), true
	}
	return "", false
}

// loop shows one iteration of a DO_WHILE's body: the one asked for, else
// the latest, with links to the others.
func (b builder) loop(n *node, wt *model.WorkflowTask, row *model.WorkerTask) {
	n.kind = kindLoop
	if row == nil || row.Iteration == 0 {
		n.body = b.seq(wt.LoopOver, "")
		if row != nil {
			n.body = b.seq(wt.LoopOver, "__1")
		}
		return
	}
	last := row.Iteration
	cur := last
	if v, ok := b.st.iter[n.ref]; ok && v >= 1 && v <= last {
		cur = v
	}
	n.sub = fmt.Sprintf("DO_WHILE · %s · ×%d", row.Status, last)
	n.body = b.seq(wt.LoopOver, "__"+strconv.Itoa(cur))
	at := func(text string, i int) link { return link{text: text, href: b.st.links.iteration(n.ref, i)} }
	if last <= iterChipLimit {
		for i := 1; i <= last; i++ {
			l := at(strconv.Itoa(i), i)
			if i == cur {
				l.href = ""
			}
			n.nav = append(n.nav, l)
		}
		return
	}
	if cur > 1 {
		n.nav = append(n.nav, at("« first", 1), at("‹ prev", cur-1))
	}
	n.nav = append(n.nav, link{text: fmt.Sprintf("%d / %d", cur, last)})
	if cur < last {
		n.nav = append(n.nav, at("next ›", cur+1), at("last »", last))
	}
}

// dynFork shows the branches a FORK_JOIN_DYNAMIC forked: each its task,
// only the first few of many until expanded.
func (b builder) dynFork(n *node, row *model.WorkerTask) {
	n.kind = kindDynFork
	if row == nil {
		n.branches = []branch{{nodes: []*node{{label: "dynamic tasks", sub: "forked at run time", title: "forked at run time"}}}}
		return
	}
	var refs []string
	if l, ok := row.InputData["forkedTasks"].([]any); ok {
		for _, v := range l {
			if s, ok := v.(string); ok {
				refs = append(refs, s)
			}
		}
	}
	n.sub = fmt.Sprintf("%s · %d branches", row.Status, len(refs))
	shown := refs
	expanded := b.st.expanded[n.ref]
	if len(refs) > dynForkLimit && !expanded {
		shown = refs[:dynForkShown]
	}
	for _, ref := range shown {
		t := b.row(ref)
		bn := &node{ref: ref, label: ref, sub: "not scheduled", title: ref}
		if t != nil {
			bn.title = fmt.Sprintf("%s\nname: %s\ntype: %s", ref, t.TaskDefName, t.TaskType)
			b.fill(bn, t)
		}
		n.branches = append(n.branches, branch{nodes: []*node{bn}})
	}
	if len(refs) <= dynForkLimit {
		return
	}
	if expanded {
		n.nav = []link{{text: "collapse branches", href: b.st.links.expand(n.ref, false)}}
		return
	}
	rest := refs[dynForkShown:]
	counts := map[string]int{}
	for _, ref := range rest {
		st := "not scheduled"
		if t := b.row(ref); t != nil {
			st = string(t.Status)
		}
		counts[st]++
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
	}
	more := &node{ref: n.ref + "#more", label: fmt.Sprintf("+ %d more branches", len(rest)),
		sub: strings.Join(parts, ", "), title: "show all branches\n" + strings.Join(parts, "\n"),
		href: b.st.links.expand(n.ref, true), status: "MORE"}
	n.branches = append(n.branches, branch{nodes: []*node{more}})
}

// latestRows indexes task rows by reference name, keeping the latest
// attempt (highest seq) of each.
func latestRows(tasks []model.WorkerTask) map[string]*model.WorkerTask {
	rows := make(map[string]*model.WorkerTask, len(tasks))
	for i := range tasks {
		t := &tasks[i]
		if old, ok := rows[t.ReferenceTaskName]; !ok || t.Seq >= old.Seq {
			rows[t.ReferenceTaskName] = t
		}
	}
	return rows
}
