package expr

import "errors"

// Filter evaluation follows Jayway 2.4.0's EvaluatorFactory and
// ValueNode.equals. Some of its rules are lopsided and kept on purpose:
// @.n == '3' compares as numbers but '3' == @.n compares as text, and an
// absent property is unequal to everything, so @.a != 'x' holds when a is
// missing.

func (n orNode) eval(fc *filterCtx) (bool, error) {
	for _, op := range n {
		if m, err := op.eval(fc); err != nil || m {
			return m, err
		}
	}
	return false, nil
}

func (n andNode) eval(fc *filterCtx) (bool, error) {
	for _, op := range n {
		if m, err := op.eval(fc); err != nil || !m {
			return m, err
		}
	}
	return true, nil
}

func (n notNode) eval(fc *filterCtx) (bool, error) {
	m, err := n.fnode.eval(fc)
	return !m, err
}

func (n *relNode) eval(fc *filterCtx) (bool, error) {
	l, err := n.left.value(fc)
	if err != nil {
		return false, err
	}
	r, err := n.right.value(fc)
	if err != nil {
		return false, err
	}
	return compare(n.op, l, r)
}

func (o *operand) value(fc *filterCtx) (fval, error) {
	if o.path == nil {
		return o.lit, nil
	}
	if o.exists { // Jayway checks even a $ path against the item
		ok, err := pathExists(o.path, fc.item, fc.root)
		return fval{kind: kBool, b: ok}, err
	}
	doc := fc.item
	if o.path.root == '$' {
		doc = fc.root
	}
	return pathValue(o.path, doc, fc.root)
}

// compare applies a relational operator. errInvalid is Jayway throwing
// InvalidPathException, which rejects the item whatever else the filter
// says; errAbort ends the whole read.
func compare(op string, l, r fval) (bool, error) {
	switch op {
	case "==":
		return equal(l, r), nil
	case "!=":
		return !equal(l, r), nil
	case "===":
		return l.kind == r.kind && equal(l, r), nil
	case "!==":
		return l.kind != r.kind || !equal(l, r), nil
	case "<", "<=", ">", ">=":
		c, comparable := order(l, r)
		if !comparable {
			return false, nil
		}
		switch op {
		case "<":
			return c < 0, nil
		case "<=":
			return c <= 0, nil
		case ">":
			return c > 0, nil
		}
		return c >= 0, nil
	case "=~":
		return matchRegex(l, r), nil
	case "IN":
		return in(l, r)
	case "NIN":
		m, err := in(l, r)
		return !m && err == nil, err
	case "CONTAINS":
		return contains(l, r), nil
	case "SIZE":
		return size(l, r), nil
	case "EMPTY":
		return empty(l, r)
	case "SUBSETOF":
		return subsetOf(l, r)
	case "EXISTS":
		switch {
		case l.kind != kBool && r.kind != kBool:
			return false, errAbort // JsonPathException("Failed to evaluate exists expression")
		case l.kind != kBool || r.kind != kBool:
			return false, errInvalid
		}
		return l.b == r.b, nil
	}
	// ALL, TYPE and MATCHES need a list, class or predicate operand that a
	// filter string cannot express; Jayway throws for them.
	return false, errInvalid
}

// equal is l.equals(r) in Jayway's ValueNode classes.
func equal(l, r fval) bool {
	if l.kind == kJSON && r.kind == kJSON {
		// A literal's JsonNode holds its unparsed text, and String.equals(List)
		// is false, so only a value read from the document can equal anything.
		return !l.literal && jsonEqual(l.json, r.json)
	}
	switch l.kind {
	case kString:
		return (r.kind == kString || r.kind == kNumber) && l.s == r.s
	case kNumber:
		switch r.kind {
		case kNumber:
			return l.f == r.f
		case kString:
			f, ok := parseBigDecimal(r.s)
			return ok && l.f == f
		}
	case kBool:
		return r.kind == kBool && l.b == r.b
	case kNull:
		return r.kind == kNull
	}
	return false // undefined, JSON against a scalar, and patterns (compared by identity in Java)
}

func order(l, r fval) (int, bool) {
	switch {
	case l.kind == kNumber && r.kind == kNumber:
		switch {
		case l.f < r.f:
			return -1, true
		case l.f > r.f:
			return 1, true
		}
		return 0, true
	case l.kind == kString && r.kind == kString:
		switch {
		case l.s < r.s:
			return -1, true
		case l.s > r.s:
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// filterCtx is the item a filter tests and the document its $ paths read.
type filterCtx struct {
	item any
	root any
}

// pathValue is PathNode.evaluate: nothing found is undefined, an indefinite
// path is a list, and other failures propagate.
func pathValue(p *path, doc, root any) (fval, error) {
	st := evalState{root: root, collect: !p.definite}
	if err := st.eval(p.tokens, doc); err != nil {
		if errors.Is(err, errNotFound) {
			return fval{kind: kUndef}, nil
		}
		return fval{}, err
	}
	if !p.definite {
		if st.list == nil {
			st.list = []any{}
		}
		return fval{kind: kJSON, json: st.list}, nil
	}
	if st.n == 0 {
		return fval{kind: kUndef}, nil
	}
	v := fvalOf(st.last)
	if v.kind == kUndef {
		return v, errAbort // "Could not convert ... to a ValueNode"
	}
	return v, nil
}

// pathExists is the existence check [?(@.a)]: evaluation with
// REQUIRE_PROPERTIES succeeds, and a definite path found something. A
// present key holding null exists.
func pathExists(p *path, doc, root any) (bool, error) {
	st := evalState{root: root, strict: true}
	if err := st.eval(p.tokens, doc); err != nil {
		if errors.Is(err, errNotFound) {
			return false, nil
		}
		return false, err
	}
	return !p.definite || st.n > 0, nil
}
