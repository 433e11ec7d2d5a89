package expr

import (
	"fmt"
	"strings"
)

// Options carries the lookups that are not in the document.
type Options struct {
	// TaskID is the value of ${CPEWF_TASK_ID}. Empty leaves the expression
	// as written, as Conductor does when it resolves without a task.
	TaskID string
	// Env looks up the whole text of an expression, such as "HOSTNAME" or
	// "java.version", where Conductor consults JVM system properties and the
	// process environment (EnvUtils). It does so before the document, so a
	// name Env knows wins over a path. NETFLIX_ENV and NETFLIX_STACK are
	// always such names: if Env does not know them they stay as written.
	// Nil looks up nothing.
	Env func(name string) (string, bool)
}

// Conductor's names with a meaning of their own (EnvUtils.SystemParameters).
const (
	taskIDName    = "CPEWF_TASK_ID"
	secretsPrefix = "workflow.secrets."
)

// Resolve returns a deep copy of params with every ${...} in its strings
// replaced by the value it names in doc.
//
// doc is the context document Conductor builds in
// ParametersUtils.getTaskInputV2: {"workflow": {"input", "output", "status",
// "workflowId", "variables", ...}, "<taskRef>": {"input", "output", "status",
// ...}}. Only map[string]any and []any are walked; other values are copied
// as they are. A string that is exactly one expression becomes the value
// itself (a number, bool, map, list or nil); see the package documentation
// for text around expressions. A malformed expression stops the resolution
// with a *SyntaxError.
func Resolve(params, doc map[string]any, opts Options) (map[string]any, error) {
	r := resolver{doc: doc, opts: opts}
	out := make(map[string]any, len(params))
	for k, v := range params {
		rv, err := r.value(v)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", k, err)
		}
		out[k] = rv
	}
	return out, nil
}

// Eval evaluates one JSONPath without ${}, such as
// "workflow.input.items[0].id", against doc. A missing path is (nil, nil); a
// wildcard, filter, slice or deep scan yields a list. The result may share
// maps and lists with doc.
func Eval(path string, doc any) (any, error) {
	p, perr := compilePath(javaTrim(path))
	if perr != nil {
		return nil, &SyntaxError{Path: path, Msg: perr.msg}
	}
	return plain(p.read(doc, doc), !p.definite), nil
}

type resolver struct {
	doc  map[string]any
	opts Options
}

func (r *resolver) value(v any) (any, error) {
	switch x := v.(type) {
	case string:
		if !strings.Contains(x, "${") {
			return v, nil // nothing to resolve; $${ needs "${" too
		}
		return r.text(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			rv, err := r.value(e)
			if err != nil {
				return nil, err
			}
			out[k] = rv
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			rv, err := r.value(e)
			if err != nil {
				return nil, err
			}
			out[i] = rv
		}
		return out, nil
	}
	return v, nil
}

// text resolves one input string, ParametersUtils.replaceVariables at depth 0.
func (r *resolver) text(s string) (any, error) {
	first, ok := nextSpan(s, 0)
	if ok && first.start == 0 && first.end == len(s) {
		res, err := r.expression(s, 0)
		if err != nil || res.found {
			return clone(plain(res.v, res.indefinite)), err
		}
		return unescapeDollar(s), nil
	}
	return r.build(s, 0, first, ok)
}

// build replaces every match in s with its value's text.
func (r *resolver) build(s string, depth int, m span, ok bool) (string, error) {
	if !ok {
		return unescapeDollar(s), nil
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	last := 0
	for ; ok; m, ok = nextSpan(s, m.end) {
		res, err := r.expression(s[m.start:m.end], depth)
		if err != nil {
			return "", err
		}
		if !res.found {
			continue // an unknown env name stays as written
		}
		b.WriteString(s[last:m.start])
		if res.indefinite {
			writeSmartJSON(&b, res.v)
		} else {
			writeJava(&b, res.v)
		}
		last = m.end
	}
	b.WriteString(s[last:])
	return unescapeDollar(b.String()), nil
}

type result struct {
	v          any
	found      bool // false keeps the expression's text
	indefinite bool // v is Jayway's JSONArray
}

// expression resolves one "${...}" match: inner expressions first, then
// blank, secret, environment and document lookups in Conductor's order.
func (r *resolver) expression(match string, depth int) (result, error) {
	inner := match[2 : len(match)-1]
	path := unescapeDollar(inner)
	if m, ok := nextSpan(inner, 0); ok {
		var err error
		if path, err = r.build(inner, depth+1, m, ok); err != nil {
			return result{}, err
		}
	}
	switch {
	case isBlank(path):
		return result{v: "", found: true}, nil
	case strings.HasPrefix(path, secretsPrefix):
		return result{v: match, found: true}, nil // resolved when handed to a worker
	case path == taskIDName:
		return result{v: r.opts.TaskID, found: r.opts.TaskID != ""}, nil
	case path == "NETFLIX_ENV" || path == "NETFLIX_STACK":
		v, ok := r.env(path)
		return result{v: v, found: ok}, nil
	}
	if v, ok := r.env(path); ok {
		return result{v: v, found: true}, nil
	}
	if v, ok := fastRead(path, r.doc); ok {
		return result{v: v, found: true}, nil
	}
	p, perr := compilePath(javaTrim(path))
	if perr != nil {
		return result{}, &SyntaxError{Expr: match, Path: path, Msg: perr.msg}
	}
	return result{v: p.read(r.doc, r.doc), found: true, indefinite: !p.definite}, nil
}

func (r *resolver) env(name string) (string, bool) {
	if r.opts.Env == nil {
		return "", false
	}
	return r.opts.Env(name)
}

// plain turns function results back into float64 for callers. Only a
// top-level value or an element of a list the evaluator built can be one.
func plain(v any, built bool) any {
	if d, ok := v.(jdouble); ok {
		return float64(d)
	}
	if list, ok := v.([]any); ok && built {
		for i, e := range list {
			if d, ok := e.(jdouble); ok {
				list[i] = float64(d)
			}
		}
	}
	return v
}

// clone copies maps and lists so that resolved inputs never alias the document.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	}
	return v
}
