package expr

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// fval is a filter operand's value, Jayway's ValueNode.
type fval struct {
	kind fkind
	s    string  // kString text, kNumber as BigDecimal prints it, kPattern source
	f    float64 // kNumber
	b    bool    // kBool
	json any     // kJSON: a list or map
	re   *regexp.Regexp
	// literal marks a kJSON written in the filter rather than read from the
	// document; see equal.
	literal bool
}

type fkind uint8

const (
	kUndef fkind = iota // a path that found nothing; equal to nothing
	kNull
	kString
	kNumber
	kBool
	kJSON
	kPattern
)

// jdouble marks a Double that a path function returned, so that text shows it
// as Java does ("3.0") while callers still get a float64.
type jdouble float64

// fvalOf converts a document value, as PathNode.evaluate does.
func fvalOf(v any) fval {
	switch x := v.(type) {
	case nil:
		return fval{kind: kNull}
	case string:
		return fval{kind: kString, s: x}
	case bool:
		return fval{kind: kBool, b: x}
	case map[string]any, []any:
		return fval{kind: kJSON, json: x}
	}
	if f, ok := toFloat(v); ok {
		return fval{kind: kNumber, f: f, s: formatNumber(v)}
	}
	return fval{kind: kUndef}
}

// toFloat accepts every numeric type a JSON decoder or Go caller may produce.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case jdouble:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	}
	return 0, false
}

// numberLiteral reads a filter number as new BigDecimal(text) would; only
// digits, '-' and '.' reach it.
func numberLiteral(text string) (fval, *parseError) {
	neg := strings.HasPrefix(text, "-")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(text, "-"), ".")
	digits := intPart + frac
	if digits == "" || strings.ContainsAny(digits, "-.") {
		return fval{}, fatalf("invalid number %q in filter", text)
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return fval{}, fatalf("invalid number %q in filter", text)
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	s := intPart
	if frac != "" {
		s += "." + frac
	}
	if neg && strings.Trim(digits, "0") != "" {
		s = "-" + s
	}
	return fval{kind: kNumber, f: f, s: s}, nil
}

// parseBigDecimal is new BigDecimal(s) for comparing a number with a string.
func parseBigDecimal(s string) (float64, bool) {
	i, n, digits := 0, len(s), 0
	if i < n && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for ; i < n && isDigit(s[i]); i++ {
		digits++
	}
	if i < n && s[i] == '.' {
		for i++; i < n && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for ; i < n && isDigit(s[i]); i++ {
		}
		if i == start {
			return 0, false
		}
	}
	if i != n {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// jsonEqual is deep equality that compares numbers by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	fa, ok := toFloat(a)
	if !ok {
		return false
	}
	fb, ok := toFloat(b)
	return ok && fa == fb
}
