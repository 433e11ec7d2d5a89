package expr

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// When an expression sits inside other text, Conductor appends
// Objects.toString(value). For the Jackson-decoded document that is Java's
// own rendering: {a=1, b=[x, y]}. A list that Jayway built for an indefinite
// path is a json-smart JSONArray, whose toString is compact JSON that escapes
// '/' and some Unicode ranges: ["a\/b","c"]. Both were checked against Jayway
// 2.4.0 and json-smart 2.3.

// JavaString renders v as Java's String.valueOf renders what Jackson decodes
// the same JSON into: {k=v, k2=v2}, [a, b], strings unquoted, null, integral
// numbers as integers and others as Double.toString. Go maps keep no order,
// so keys are sorted. Typed maps, slices and pointers are rendered as their
// JSON-decoded counterparts would be.
func JavaString(v any) string {
	var b strings.Builder
	writeJava(&b, v)
	return b.String()
}

// writeJava appends v as Java's String.valueOf would.
func writeJava(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteByte('=')
			writeJava(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJava(b, e)
		}
		b.WriteByte(']')
	default:
		if _, ok := toFloat(v); ok {
			b.WriteString(formatNumber(v))
			return
		}
		writeJavaReflect(b, v)
	}
}

// writeJavaReflect covers typed maps, slices and pointers, which a JSON
// document never holds but a caller's values may.
func writeJavaReflect(b *strings.Builder, v any) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		m := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			m[fmt.Sprint(it.Key().Interface())] = it.Value().Interface()
		}
		writeJava(b, m)
	case reflect.Slice, reflect.Array:
		s := make([]any, rv.Len())
		for i := range s {
			s[i] = rv.Index(i).Interface()
		}
		writeJava(b, s)
	case reflect.Pointer:
		if rv.IsNil() {
			b.WriteString("null")
			return
		}
		writeJava(b, rv.Elem().Interface())
	default:
		fmt.Fprint(b, v)
	}
}

// writeSmartJSON appends v as json-smart's JSONValue.toJSONString does.
func writeSmartJSON(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeSmartString(b, x)
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeSmartString(b, k)
			b.WriteByte(':')
			writeSmartJSON(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeSmartJSON(b, e)
		}
		b.WriteByte(']')
	default:
		writeJava(b, v)
	}
}

// writeSmartString quotes s the way json-smart's NO_COMPRESS style does: it
// escapes '/' and the ranges U+0000-001F, U+007F-009F and U+2000-20FF.
func writeSmartString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r <= 0x1f || (r >= 0x7f && r <= 0x9f) || (r >= 0x2000 && r <= 0x20ff) {
				fmt.Fprintf(b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// formatNumber prints a number as Conductor would have held it. Jackson reads
// JSON integers as Integer or Long and the rest as Double, so an integral
// float64 prints as an integer and any other as Double.toString; json.Number
// keeps its text when it is an integer literal.
func formatNumber(v any) string {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e21 {
			if x == 0 {
				return "0"
			}
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return javaDouble(x)
	case jdouble:
		return javaDouble(float64(x))
	case float32:
		return formatNumber(float64(x))
	case json.Number:
		if isIntegerLiteral(string(x)) {
			return string(x)
		}
		f, err := x.Float64()
		if err != nil {
			return string(x)
		}
		return javaDouble(f)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	}
	return fmt.Sprint(v)
}

func isIntegerLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// javaDouble is Double.toString: plain notation from 1e-3 up to 1e7, else
// computerized scientific notation, always with a fractional digit.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	if !strings.Contains(s, ".") {
		// Java shows at least two digits and picks the closest such decimal,
		// which differs from a one-digit shortest form only for subnormals:
		// Double.MIN_VALUE is 4.9E-324, not 5.0E-324.
		s = strconv.FormatFloat(f, 'e', 1, 64)
	}
	mant, exp, _ := strings.Cut(s, "e")
	n, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(n)
}
