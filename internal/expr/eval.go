package expr

import (
	"errors"
	"slices"
)

// The evaluator walks a compiled path over the document token by token, as
// Jayway's PathToken.evaluate chain does, and collects results. Under
// SUPPRESS_EXCEPTIONS a missing property or index just yields no result; the
// few conditions Jayway throws for (a property or index on a non-container
// while the path is still definite, a filter on a primitive, an aggregate over
// nothing, an unknown function) abort the evaluation, and the read becomes nil
// or an empty list.

// The three ways Jayway's evaluation throws; each ends the read.
var (
	errNotFound = errors.New("path not found")          // PathNotFoundException
	errInvalid  = errors.New("invalid path evaluation") // InvalidPathException
	errAbort    = errors.New("path evaluation failed")  // any other JsonPathException
)

type evalState struct {
	root    any
	strict  bool // Option.REQUIRE_PROPERTIES without suppression: filter existence checks
	collect bool // keep every result, for indefinite paths
	n       int
	last    any
	list    []any
}

func (st *evalState) add(v any) {
	st.n++
	st.last = v
	if st.collect {
		st.list = append(st.list, v)
	}
}

// read evaluates p against doc the way JsonPath.read does with
// SUPPRESS_EXCEPTIONS. indefinite results are a list, never nil.
func (p *path) read(doc, root any) any {
	st := evalState{root: root, collect: !p.definite}
	err := st.eval(p.tokens, doc)
	switch {
	case !p.definite && err != nil:
		return []any{}
	case !p.definite:
		if st.list == nil {
			return []any{}
		}
		return st.list
	case err != nil || st.n == 0:
		return nil
	}
	return st.last
}

// eval runs tokens[0] on model; the rest of the slice is what follows it.
func (st *evalState) eval(tokens []token, model any) error {
	if len(tokens) == 0 {
		st.add(model)
		return nil
	}
	t := &tokens[0]
	switch t.kind {
	case tokProperty:
		m, ok := model.(map[string]any)
		if !ok {
			return st.miss(t)
		}
		if len(t.names) > 1 && t.leaf {
			return st.merge(t, m)
		}
		for _, name := range t.names {
			if err := st.property(tokens, m, name); err != nil {
				return err
			}
		}
	case tokIndex:
		list, ok := model.([]any)
		if !ok {
			return st.miss(t)
		}
		for _, i := range t.idx {
			if err := st.index(tokens, list, i); err != nil {
				return err
			}
		}
	case tokSlice:
		list, ok := model.([]any)
		if !ok {
			return st.miss(t)
		}
		from, to := sliceBounds(t, len(list))
		for i := from; i < to; i++ {
			if err := st.index(tokens, list, i); err != nil {
				return err
			}
		}
	case tokWildcard:
		return st.wildcard(tokens, model)
	case tokScan:
		return st.scan(tokens[1:], model)
	case tokFilter:
		return st.filter(tokens, model)
	case tokFunction:
		v, err := callFunction(t.fn, model)
		if err != nil {
			return err
		}
		st.add(v) // Jayway adds the result and then goes on, even mid-path
		if t.leaf {
			return nil
		}
		return st.eval(tokens[1:], v)
	}
	return nil
}

// miss handles a property or index token on the wrong kind of value: an
// error while the path is still definite, else the branch just ends.
func (st *evalState) miss(t *token) error {
	if t.upDef {
		return errNotFound
	}
	return nil
}

func (st *evalState) property(tokens []token, m map[string]any, name string) error {
	v, ok := m[name]
	if !ok {
		if st.strict {
			return errNotFound
		}
		return nil
	}
	return st.eval(tokens[1:], v)
}

// merge is a leaf ['a','b']: one map with the properties that exist.
func (st *evalState) merge(t *token, m map[string]any) error {
	out := make(map[string]any, len(t.names))
	for _, name := range t.names {
		v, ok := m[name]
		if !ok {
			if st.strict {
				return errNotFound
			}
			continue
		}
		out[name] = v
	}
	st.add(out)
	return nil
}

// index reads list[i]; a negative i counts from the end, out of range is nothing.
func (st *evalState) index(tokens []token, list []any, i int) error {
	if i < 0 {
		i += len(list)
	}
	if i < 0 || i >= len(list) {
		return nil
	}
	return st.eval(tokens[1:], list[i])
}

// sliceBounds is ArrayPathToken's slice arithmetic. A negative start in
// [from:to] is not adjusted, so index() reads it from the end.
func sliceBounds(t *token, n int) (from, to int) {
	if n == 0 {
		return 0, 0
	}
	switch {
	case t.hasLo && !t.hasHi:
		from = t.from
		if from < 0 {
			from += n
		}
		return max(from, 0), n
	case t.hasLo:
		return t.from, min(n, t.to)
	}
	to = t.to
	if to < 0 {
		to += n
	}
	return 0, min(n, to)
}

func (st *evalState) wildcard(tokens []token, model any) error {
	switch x := model.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if err := st.eval(tokens[1:], x[k]); err != nil {
				return err
			}
		}
	case []any:
		for _, v := range x {
			if err := st.eval(tokens[1:], v); err != nil {
				return err
			}
		}
	}
	return nil
}

// scan is ScanPathToken: it applies the token after ".." wherever it fits,
// then walks every child. Over a list, a non-final target skips itself and
// applies what follows it to each element, as Jayway's walkArray does.
func (st *evalState) scan(tokens []token, model any) error {
	t := &tokens[0]
	switch x := model.(type) {
	case map[string]any:
		ok, err := st.scanMatches(t, x)
		if err == nil && ok {
			err = st.eval(tokens, x)
		}
		if err != nil {
			return err
		}
		for _, k := range sortedKeys(x) {
			if err := st.scan(tokens, x[k]); err != nil {
				return err
			}
		}
	case []any:
		ok, err := st.scanMatches(t, x)
		if err == nil && ok {
			if t.leaf {
				err = st.eval(tokens, x)
			} else {
				err = st.wildcard(tokens, x)
			}
		}
		if err != nil {
			return err
		}
		for _, v := range x {
			if err := st.scan(tokens, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func (st *evalState) scanMatches(t *token, model any) (bool, error) {
	switch t.kind {
	case tokProperty:
		m, ok := model.(map[string]any)
		if !ok || !t.definite() {
			return ok, nil
		}
		for _, name := range t.names {
			if _, ok := m[name]; !ok {
				return false, nil
			}
		}
		return true, nil
	case tokIndex, tokSlice:
		_, ok := model.([]any)
		return ok, nil
	case tokWildcard:
		return true, nil
	case tokFilter:
		return st.accept(t, model)
	}
	return false, nil
}

// filter is PredicatePathToken: a map is kept or dropped whole, a list has
// its elements filtered.
func (st *evalState) filter(tokens []token, model any) error {
	t := &tokens[0]
	switch x := model.(type) {
	case map[string]any:
		if ok, err := st.accept(t, x); !ok || err != nil {
			return err
		}
		return st.eval(tokens[1:], x)
	case []any:
		for _, v := range x {
			ok, err := st.accept(t, v)
			if err == nil && ok {
				err = st.eval(tokens[1:], v)
			}
			if err != nil {
				return err
			}
		}
	default:
		if t.upDef {
			return errInvalid // "Filter ... can not be applied to primitives"
		}
	}
	return nil
}

// accept is PredicatePathToken.accept: an InvalidPathException rejects the
// item, anything else propagates.
func (st *evalState) accept(t *token, item any) (bool, error) {
	match, err := t.filter.eval(&filterCtx{item: item, root: st.root})
	if errors.Is(err, errInvalid) || errors.Is(err, errNotFound) {
		return false, nil
	}
	return match, err
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
