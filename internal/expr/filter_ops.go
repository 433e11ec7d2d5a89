package expr

import "strings"

// Jayway 2.4.0 EvaluatorFactory operators beyond equality and ordering.

func matchRegex(l, r fval) bool {
	if (l.kind == kPattern) == (r.kind == kPattern) {
		return false
	}
	if r.kind == kPattern {
		l, r = r, l
	}
	input := ""
	switch r.kind {
	case kString, kNumber:
		input = r.s
	case kBool:
		input = "false"
		if r.b {
			input = "true"
		}
	}
	return l.re.MatchString(input)
}

// valueList is JsonNode.asValueListNode: a JSON list, or undefined (not ok)
// for other JSON. A non-JSON operand makes Jayway throw (invalid).
func valueList(v fval) (list []any, isList, invalid bool) {
	if v.kind != kJSON {
		return nil, false, true
	}
	list, isList = v.json.([]any)
	return list, isList, false
}

func listHas(list []any, x fval) bool {
	for _, v := range list {
		if equal(x, fvalOf(v)) {
			return true
		}
	}
	return false
}

func in(l, r fval) (bool, error) {
	list, isList, invalid := valueList(r)
	if invalid {
		return false, errInvalid
	}
	return isList && listHas(list, l), nil
}

func contains(l, r fval) bool {
	switch l.kind {
	case kString:
		return r.kind == kString && strings.Contains(l.s, r.s)
	case kJSON:
		list, isList := l.json.([]any)
		return isList && listHas(list, r)
	}
	return false
}

func size(l, r fval) bool {
	if r.kind != kNumber {
		return false
	}
	want := int(r.f)
	switch l.kind {
	case kString:
		return utf16Len(l.s) == want
	case kJSON:
		if list, ok := l.json.([]any); ok {
			return len(list) == want
		}
		return want == -1 // JsonNode.length is -1 for anything but a list
	}
	return false
}

func empty(l, r fval) (bool, error) {
	if l.kind != kString && l.kind != kJSON {
		return false, nil
	}
	if r.kind != kBool {
		return false, errInvalid
	}
	isEmpty := true
	switch x := l.json.(type) {
	case []any:
		isEmpty = len(x) == 0
	case map[string]any:
		isEmpty = len(x) == 0
	}
	if l.kind == kString {
		isEmpty = l.s == ""
	}
	return isEmpty == r.b, nil
}

func subsetOf(l, r fval) (bool, error) {
	right, rightList, invalid := valueList(r)
	if invalid {
		return false, errInvalid
	}
	if !rightList {
		return false, nil
	}
	left, leftList, invalid := valueList(l)
	if invalid {
		return false, errInvalid
	}
	if !leftList {
		return false, nil
	}
	for _, v := range left {
		if !listHas(right, fvalOf(v)) {
			return false, nil
		}
	}
	return true, nil
}
