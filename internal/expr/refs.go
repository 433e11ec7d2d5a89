package expr

import (
	"slices"
	"strings"
)

// Refs returns the first path segment of every ${...} in v, in order of
// appearance and without repeats: "workflow", a task reference name, or a
// bare name such as CPEWF_TASK_ID that Resolve would look up in Options.
// Nested expressions count too: ${workflow.input.${t1.output.key}} gives
// "workflow" and "t1". An expression whose first segment is itself computed,
// is blank, or starts with a deep scan or an index gives nothing. Map keys are
// visited in sorted order.
func Refs(v any) []string {
	var refs []string
	collectRefs(v, &refs)
	return refs
}

func collectRefs(v any, refs *[]string) {
	switch x := v.(type) {
	case string:
		stringRefs(x, refs)
	case map[string]any:
		for _, k := range sortedKeys(x) {
			collectRefs(x[k], refs)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, refs)
		}
	}
}

func stringRefs(s string, refs *[]string) {
	for m, ok := nextSpan(s, 0); ok; m, ok = nextSpan(s, m.end) {
		inner := s[m.start+2 : m.end-1]
		if name := firstSegment(unescapeDollar(inner)); name != "" && !slices.Contains(*refs, name) {
			*refs = append(*refs, name)
		}
		stringRefs(inner, refs)
	}
}

// firstSegment reads the name a path starts with, as compilePath would.
func firstSegment(p string) string {
	p = javaTrim(p)
	if p == "" || p[0] == '.' {
		return ""
	}
	if p[0] == '$' || p[0] == '@' {
		switch rest := p[1:]; {
		case strings.HasPrefix(rest, "["):
			p = rest
		case strings.HasPrefix(rest, ".") && !strings.HasPrefix(rest, ".."):
			p = rest[1:]
		default:
			return ""
		}
	}
	var name string
	if strings.HasPrefix(p, "[") {
		q := strings.TrimLeft(p[1:], " ")
		if q == "" || (q[0] != '\'' && q[0] != '"') {
			return ""
		}
		end := strings.IndexByte(q[1:], q[0])
		if end < 0 {
			return ""
		}
		name, _ = unescapeJava(q[1 : 1+end])
	} else {
		name = p
		if i := strings.IndexAny(p, ".[("); i >= 0 {
			name = p[:i]
		}
	}
	if name == "*" || strings.Contains(name, "${") {
		return ""
	}
	return name
}
