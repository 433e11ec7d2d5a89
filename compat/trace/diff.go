package trace

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Absent stands for a value one side of a diff does not have at all (a missing key or step).
const Absent = "<absent>"

// Diff is one difference between a golden trace and an actual one.
type Diff struct {
	// Path locates the value: "steps[4](POST /tasks).response.status". A step is named by its label or
	// "METHOD path" so that allowlist patterns can say which calls they mean.
	Path   string `json:"path"`
	Golden any    `json:"golden"`
	Actual any    `json:"actual"`
}

func (d Diff) String() string {
	return fmt.Sprintf("%s: golden %s, actual %s", d.Path, short(d.Golden), short(d.Actual))
}

func short(v any) string {
	if s, ok := v.(string); ok && s == Absent {
		return s
	}
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// Compare lists every difference between two normalised traces (plain JSON values), in a stable
// order. Steps are aligned by position: scenarios issue the same calls against every target, so a
// step that is missing or extra means the target made the scenario take another path (or abort).
func Compare(golden, actual map[string]any) []Diff {
	var out []Diff
	keys := unionKeys(golden, actual)
	for _, k := range keys {
		g, gok := golden[k]
		a, aok := actual[k]
		if k == "steps" && gok && aok {
			out = compareSteps(g, a, out)
			continue
		}
		out = compareValue(k, orAbsent(g, gok), orAbsent(a, aok), out)
	}
	return out
}

func compareSteps(g, a any, out []Diff) []Diff {
	gs, _ := g.([]any)
	as, _ := a.([]any)
	for i := 0; i < max(len(gs), len(as)); i++ {
		var gv, av any = Absent, Absent
		name := ""
		if i < len(as) {
			av = as[i]
			name = stepName(av)
		}
		if i < len(gs) {
			gv = gs[i]
			name = stepName(gv)
		}
		out = compareValue(fmt.Sprintf("steps[%d](%s)", i, name), gv, av, out)
	}
	return out
}

// stepName mirrors Step.Name for a step in generic form.
func stepName(v any) string {
	m, _ := v.(map[string]any)
	var s Step
	s.Kind, _ = m["kind"].(string)
	s.Label, _ = m["label"].(string)
	s.Method, _ = m["method"].(string)
	s.Path, _ = m["path"].(string)
	return s.Name()
}

func compareValue(path string, g, a any, out []Diff) []Diff {
	gm, gIsMap := g.(map[string]any)
	am, aIsMap := a.(map[string]any)
	if gIsMap && aIsMap {
		for _, k := range unionKeys(gm, am) {
			gv, gok := gm[k]
			av, aok := am[k]
			out = compareValue(path+"."+escapeKey(k), orAbsent(gv, gok), orAbsent(av, aok), out)
		}
		return out
	}
	gs, gIsList := g.([]any)
	as, aIsList := a.([]any)
	if gIsList && aIsList {
		for i := 0; i < max(len(gs), len(as)); i++ {
			var gv, av any = Absent, Absent
			if i < len(gs) {
				gv = gs[i]
			}
			if i < len(as) {
				av = as[i]
			}
			out = compareValue(fmt.Sprintf("%s[%d]", path, i), gv, av, out)
		}
		return out
	}
	if !equalJSON(g, a) {
		out = append(out, Diff{Path: path, Golden: g, Actual: a})
	}
	return out
}

// escapeKey keeps map keys that contain dots (conductor.failure_workflow) from reading as two
// path segments.
func escapeKey(k string) string {
	return strings.NewReplacer(".", "_", "[", "(", "]", ")").Replace(k)
}

func orAbsent(v any, ok bool) any {
	if !ok {
		return Absent
	}
	return v
}

func equalJSON(a, b any) bool {
	if an, ok := a.(json.Number); ok {
		if bn, ok := b.(json.Number); ok {
			return an == bn || numEqual(an, bn)
		}
	}
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}

// numEqual treats 1 and 1.0 as equal: a Java long and a Go float64 print differently.
func numEqual(a, b json.Number) bool {
	af, err1 := a.Float64()
	bf, err2 := b.Float64()
	return err1 == nil && err2 == nil && af == bf
}

func unionKeys(a, b map[string]any) []string {
	seen := make(map[string]bool, len(a)+len(b))
	keys := make([]string, 0, len(a)+len(b))
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
