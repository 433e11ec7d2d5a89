package trace

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Id kinds: the token a normalised id becomes is <wf1>, <task2>, <id3> ...
const (
	IDWorkflow = "wf"
	IDTask     = "task"
	IDOther    = "id"
)

// uuidRE finds UUIDs (Conductor's ids, random v4 for workflows and tasks, name-based v3 for
// sub-workflows) wherever they appear, including inside messages.
var uuidRE = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

// Field names whose string values are ids of a known kind, whatever their format: a server whose
// ids are not UUIDs still gets them normalised there.
var idFields = map[string]string{
	"workflowId":           IDWorkflow,
	"workflowInstanceId":   IDWorkflow,
	"targetWorkflowId":     IDWorkflow,
	"parentWorkflowId":     IDWorkflow,
	"reRunFromWorkflowId":  IDWorkflow,
	"subWorkflowId":        IDWorkflow,
	"taskId":               IDTask,
	"retriedTaskId":        IDTask,
	"parentWorkflowTaskId": IDTask,
	"parentTaskId":         IDTask,
	"failureTaskId":        IDTask,
	"reRunFromTaskId":      IDTask,
	"requestId":            IDOther,
}

// Durations measured by the server (not part of behaviour): any number becomes <duration>.
var durationFields = map[string]bool{"queueWaitTime": true, "executionTime": true}

// Racy flags: Conductor's "executed" says whether its decider has processed a finished task yet;
// a read right after an update sees either value (compat/server/FINDINGS.md), so it is not comparable.
var racyFields = map[string]bool{"executed": true}

// Racy fields of a JOIN's task row: Conductor runs a JOIN on its asynchronous system-task workers,
// which poll it on their own schedule until its branches have ended. How many times that happened
// (pollCount), whether it has happened yet (an unfinished JOIN's updateTime) and what the outputs
// of its branches were at the last poll (an unfinished JOIN's outputData) depend on timing; Baton
// evaluates the JOIN inside the decide (docs/compatibility.md).
var joinRacyFields = map[string]bool{"pollCount": true, "updateTime": true}

// unfinishedJoinRacyFields are racy only while the JOIN has not ended: its final output is behaviour.
var unfinishedJoinRacyFields = map[string]bool{"outputData": true}

// joinRacy reports whether field k of a task row is racy because the row is a JOIN's.
func joinRacy(row map[string]any, k string) bool {
	if _, ok := row["referenceTaskName"]; !ok || row["taskType"] != "JOIN" {
		return false
	}
	if joinRacyFields[k] {
		return true
	}
	// A status a scenario declared racy is one of the outcomes of a race between ended states
	// (a failed fork's JOIN is CANCELED or FAILED), so the JOIN has ended either way.
	status, _ := row["status"].(string)
	return unfinishedJoinRacyFields[k] && status != "<racy>" && !terminalTaskStatus[status]
}

var terminalTaskStatus = map[string]bool{
	"COMPLETED": true, "COMPLETED_WITH_ERRORS": true, "FAILED": true, "FAILED_WITH_TERMINAL_ERROR": true,
	"CANCELED": true, "TIMED_OUT": true, "SKIPPED": true,
}

// maskRacy applies the racy rules that depend on a whole task row to a trace already normalised
// (a golden trace recorded before a rule was added), in place.
func maskRacy(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if joinRacy(x, k) {
				x[k] = "<racy>"
				continue
			}
			maskRacy(e)
		}
	case []any:
		for _, e := range x {
			maskRacy(e)
		}
	}
}

// localHost is this machine's host name. A task the server ran itself (HTTP) carries the server's
// host name as its workerId (Conductor's Utils.getServerId); run.sh starts the servers here.
var localHost = sync.OnceValue(func() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "\x00" // matches no workerId
	}
	return h
})

// Racy marks fields whose value the real server decides by a race that a scenario cannot wait
// out (two of its threads write one row, and the one that comes last wins). A scenario declares
// one where the race starts, for the steps it affects; each listed field of each matching object
// in those steps becomes "<racy>" whether present or not (one outcome may leave a field absent),
// on every target alike. The scenario checks what the outcomes have in common instead.
type Racy struct {
	// From and To are the step indexes it applies to, [From, To); To 0 means to the end.
	From, To int
	// Ref selects the task rows with this referenceTaskName; "" selects workflow objects (a
	// workflow's state, with tasks, in a response or a final step).
	Ref    string
	Fields []string
}

func (r Racy) covers(step int, obj map[string]any) bool {
	if step < r.From || r.To > 0 && step >= r.To {
		return false
	}
	if r.Ref == "" {
		_, tasks := obj["tasks"]
		_, status := obj["status"]
		return tasks && status
	}
	return obj["referenceTaskName"] == r.Ref
}

// Arrays that are sets on the server (Java HashSet / LinkedHashSet order is not behaviour): sorted.
var setFields = map[string]bool{
	"failedReferenceTaskNames": true,
	"failedTaskNames":          true,
	"validationErrors":         true,
}

// measured are numbers inside messages that report a measurement, not behaviour (Conductor's
// "Task timed out after 3 seconds" depends on when its sweeper ran): the number becomes <n>.
var measured = []*regexp.Regexp{
	regexp.MustCompile(`(timed out after )\d+( seconds)`),
}

// Normalizer rewrites the parts of a trace that vary between runs and servers but carry no
// behaviour: ids become tokens numbered in order of first appearance per kind, epoch and ISO
// times become <time> (zero stays 0: "never happened" is behaviour), server-measured durations
// become <duration>, the error body's host name and a workerId naming this machine become <host>,
// the per-run definition-name prefix disappears, and set-like arrays are sorted.
//
// A Normalizer is used for one trace: tokens are assigned as Normalize walks it (steps in order,
// map keys sorted), so the same trace always gets the same tokens.
type Normalizer struct {
	// Prefix is removed from every string (definition names, correlation ids, ...).
	Prefix string
	// Kinds gives the kind of ids the scenario learned from context (a start answer is a bare
	// workflow id in text/plain), so they are tokenised as <wfN> rather than <idN>.
	Kinds map[string]string
	// Replace maps run-specific literals to stable tokens in every string (the address of a
	// loopback server a scenario started: "127.0.0.1:41234" → "<echo>").
	Replace map[string]string
	// Racy lists the fields the scenario declared racy (by step span and task row).
	Racy []Racy

	tokens   map[string]string
	counters map[string]int
	// step is the index of the trace step being walked (-1 outside the steps).
	step int
}

// Normalize returns a normalised deep copy of v (plain JSON values, as from Generic).
func (n *Normalizer) Normalize(v any) any {
	if n.tokens == nil {
		n.tokens = map[string]string{}
		n.counters = map[string]int{}
	}
	if n.Kinds == nil {
		n.Kinds = map[string]string{}
	}
	// First learn every id's kind from the fields it appears in, so an id first met inside a
	// message ("Task <id> failed ...") still becomes <taskN>.
	n.collect(v, "")
	n.step = -1
	return n.walk(v, "")
}

func (n *Normalizer) collect(v any, key string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			n.collect(e, k)
		}
	case []any:
		for _, e := range x {
			n.collect(e, key)
		}
	case string:
		if kind, ok := idFields[key]; ok && x != "" && kind != IDOther {
			if _, known := n.Kinds[x]; !known {
				n.Kinds[x] = kind
			}
		}
	}
}

func (n *Normalizer) walk(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(x))
		racy := n.racyFields(x)
		for _, k := range keys {
			if joinRacy(x, k) || racy[k] {
				out[k] = "<racy>"
				continue
			}
			out[n.str(k, "")] = n.walk(x[k], k)
		}
		for k := range racy {
			out[k] = "<racy>"
		}
		return out
	case []any:
		out := make([]any, len(x))
		steps := key == "steps" && n.step < 0 // the trace's own steps, not a field of a response
		for i, e := range x {
			if steps {
				n.step = i
			}
			out[i] = n.walk(e, key)
		}
		if steps {
			n.step = -1
		}
		if setFields[key] {
			sortValues(out)
		}
		return out
	case string:
		switch {
		case key == "instance" && x != "", key == "workerId" && x == localHost():
			return "<host>"
		case isTimeField(key) && x != "":
			return "<time>"
		}
		return n.str(x, key)
	case json.Number:
		switch {
		case durationFields[key]:
			return "<duration>"
		case isTimeField(key) && x.String() != "0":
			return "<time>"
		}
		return x
	case float64, int, int64:
		return n.walk(json.Number(fmt.Sprint(x)), key)
	case bool:
		if racyFields[key] {
			return "<racy>"
		}
		return x
	default:
		return v
	}
}

// racyFields returns the fields of obj that a declared Racy covers at the current step.
func (n *Normalizer) racyFields(obj map[string]any) map[string]bool {
	if n.step < 0 {
		return nil
	}
	var out map[string]bool
	for _, r := range n.Racy {
		if !r.covers(n.step, obj) {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		for _, f := range r.Fields {
			out[f] = true
		}
	}
	return out
}

func isTimeField(key string) bool {
	return strings.HasSuffix(key, "Time") && !durationFields[key]
}

// str normalises one string: the prefix goes, a whole-string id becomes its token, and ids inside
// a longer string (messages such as "No such workflow found by id: ...") are replaced in place.
func (n *Normalizer) str(s, key string) string {
	if n.Prefix != "" {
		s = strings.ReplaceAll(s, n.Prefix, "")
	}
	for from, to := range n.Replace {
		s = strings.ReplaceAll(s, from, to)
	}
	if s == "" {
		return s
	}
	if kind, ok := idFields[key]; ok {
		return n.token(s, kind)
	}
	if _, ok := n.Kinds[s]; ok || uuidRE.MatchString(s) && len(s) == 36 {
		return n.token(s, "")
	}
	for _, id := range n.knownIDs() {
		if !uuidRE.MatchString(id) && strings.Contains(s, id) {
			s = strings.ReplaceAll(s, id, n.token(id, ""))
		}
	}
	for _, re := range measured {
		s = re.ReplaceAllString(s, "${1}<n>${2}")
	}
	// Left to right, so tokens are numbered in reading order.
	return uuidRE.ReplaceAllStringFunc(s, func(id string) string { return n.token(id, "") })
}

func (n *Normalizer) knownIDs() []string {
	ids := make([]string, 0, len(n.Kinds))
	for id := range n.Kinds {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (n *Normalizer) token(id, fieldKind string) string {
	if t, ok := n.tokens[id]; ok {
		return t
	}
	kind := n.Kinds[id]
	if kind == "" {
		kind = fieldKind
	}
	if kind == "" {
		kind = IDOther
	}
	n.counters[kind]++
	t := fmt.Sprintf("<%s%d>", kind, n.counters[kind])
	n.tokens[id] = t
	return t
}

// sortValues orders a set-like array by each element's JSON encoding.
func sortValues(vs []any) {
	keys := make([]string, len(vs))
	for i, v := range vs {
		b, _ := json.Marshal(v)
		keys[i] = string(b)
	}
	sort.Sort(byKey{vs, keys})
}

type byKey struct {
	vs   []any
	keys []string
}

func (b byKey) Len() int           { return len(b.vs) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.vs[i], b.vs[j] = b.vs[j], b.vs[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}
