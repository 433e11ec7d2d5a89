package client

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// scanner reads one JSON document for the task decoder's fast path. Every
// method either moves past a well-formed piece and reports true, or reports
// false and leaves the document to encoding/json, whose result (or error)
// then stands. So the scanner only has to be right when it succeeds: it is
// strict (RFC 8259) and gives up on anything it does not handle the way
// encoding/json does.
type scanner struct {
	b     []byte
	i     int
	depth int
	// keys, when set, keeps one copy of the object keys that repeat from
	// document to document (a task's input names).
	keys *internTable
}

// maxScanDepth bounds nesting on the fast path; deeper documents go to
// encoding/json, which has its own limit.
const maxScanDepth = 512

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// consume moves past c if it comes next.
func (s *scanner) consume(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (s *scanner) end() bool {
	s.ws()
	return s.i == len(s.b)
}

func (s *scanner) literal(lit string) bool {
	if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
		s.i += len(lit)
		return true
	}
	return false
}

// null moves past a null if one comes next.
func (s *scanner) null() bool {
	return s.peek() == 'n' && s.literal("null")
}

// strSpan moves past the string at s.i and returns its contents' bounds.
// plain means no escapes and ASCII only: the bytes are the value.
func (s *scanner) strSpan() (start, end int, plain, ok bool) {
	if s.peek() != '"' {
		return 0, 0, false, false
	}
	plain = true
	for i := s.i + 1; i < len(s.b); {
		if plainByte[s.b[i]] {
			i++
			continue
		}
		switch c := s.b[i]; {
		case c == '"':
			start, end, s.i = s.i+1, i, i+1
			return start, end, plain, true
		case c == '\\':
			plain = false
			if i+1 >= len(s.b) {
				return 0, 0, false, false
			}
			switch s.b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+5 >= len(s.b) || !isHex4(s.b[i+2:i+6]) {
					return 0, 0, false, false
				}
				i += 6
			default:
				return 0, 0, false, false
			}
		case c < 0x20:
			return 0, 0, false, false
		default: // c >= utf8.RuneSelf
			plain = false
			i++
		}
	}
	return 0, 0, false, false
}

// plainByte marks the bytes that stand for themselves in a string: ASCII
// but control characters, the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex4(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// str reads a string value. Strings with escapes or invalid UTF-8 are
// unquoted by encoding/json itself, so every replacement rule is its own.
func (s *scanner) str() (string, bool) {
	start, end, plain, ok := s.strSpan()
	switch {
	case !ok:
		return "", false
	case plain:
		return string(s.b[start:end]), true
	case bytes.IndexByte(s.b[start:end], '\\') < 0 && utf8.Valid(s.b[start:end]):
		return string(s.b[start:end]), true
	}
	var v string
	if json.Unmarshal(s.b[start-1:end+1], &v) != nil {
		return "", false
	}
	return v, true
}

// numSpan moves past a number and returns its bytes; integer means no
// fraction and no exponent.
func (s *scanner) numSpan() (num []byte, integer, ok bool) {
	s.ws()
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i)
	default:
		return nil, false, false
	}
	integer = true
	if i < len(b) && b[i] == '.' {
		integer = false
		if i+1 >= len(b) || !isDigit(b[i+1]) {
			return nil, false, false
		}
		i = digits(b, i+1)
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		integer = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return nil, false, false
		}
		i = digits(b, i)
	}
	num, s.i = b[s.i:i], i
	return num, integer, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// parseInt converts an integer literal of at most 18 digits, which cannot
// overflow int64; longer ones are left to the caller's fallback.
func parseInt(num []byte) (int64, bool) {
	neg := num[0] == '-'
	if neg {
		num = num[1:]
	}
	if len(num) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range num {
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// int64 reads an integer into *v; null leaves it as it is, as encoding/json
// does.
func (s *scanner) int64(v *int64) bool {
	if s.null() {
		return true
	}
	num, integer, ok := s.numSpan()
	if !ok || !integer {
		return false
	}
	n, ok := parseInt(num)
	if ok {
		*v = n
	}
	return ok
}

// int reads an integer into *v, giving up when it does not fit an int.
func (s *scanner) int(v *int) bool {
	n := int64(*v)
	if !s.int64(&n) || n != int64(int(n)) {
		return false
	}
	*v = int(n)
	return true
}

// bool reads true or false into *v; null leaves it as it is.
func (s *scanner) bool(v *bool) bool {
	switch {
	case s.null():
		return true
	case s.literal("true"):
		*v = true
	case s.literal("false"):
		*v = false
	default:
		return false
	}
	return true
}

// string reads a string into *v; null leaves it as it is.
func (s *scanner) string(v *string) bool {
	if s.null() {
		return true
	}
	str, ok := s.str()
	if ok {
		*v = str
	}
	return ok
}

// key reads an object key, shared through s.keys when it is set.
func (s *scanner) key() (string, bool) {
	if s.keys == nil {
		return s.str()
	}
	return s.keys.str(s)
}

// boxedSmall holds the integers 0 to 255 as interface values of float64,
// which encoding/json gives every number in an interface: such a value is
// immutable, so one copy serves every task, where boxing each would
// allocate.
var boxedSmall = func() (b [256]any) {
	for i := range b {
		b[i] = float64(i)
	}
	return b
}()

// number converts a number as encoding/json does for an interface value:
// strconv.ParseFloat, with short integers converted exactly without it.
func number(num []byte, integer bool) (float64, bool) {
	if integer && len(num) <= 16 {
		if n, ok := parseInt(num); ok && n != 0 {
			return float64(n), true
		}
		if num[0] == '-' {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	f, err := strconv.ParseFloat(string(num), 64)
	return f, err == nil
}

// value reads any value into the types encoding/json gives an interface:
// map[string]any, []any, string, float64, bool or nil.
func (s *scanner) value() (any, bool) {
	switch c := s.peek(); c {
	case '{':
		m, ok := s.object(0)
		return m, ok
	case '[':
		return s.array()
	case '"':
		return s.str()
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	case 'n':
		return nil, s.literal("null")
	default:
		num, integer, ok := s.numSpan()
		if !ok {
			return nil, false
		}
		if integer && len(num) <= 3 && num[0] != '-' {
			if n, _ := parseInt(num); n < int64(len(boxedSmall)) {
				return boxedSmall[n], true
			}
		}
		return number(num, integer)
	}
}

// object reads a JSON object into a new map made for size entries; a
// repeated key keeps its last value, as in encoding/json.
func (s *scanner) object(size int) (map[string]any, bool) {
	if !s.consume('{') || !s.enter() {
		return nil, false
	}
	defer s.leave()
	m := make(map[string]any, size)
	if s.consume('}') {
		return m, true
	}
	for {
		k, ok := s.key()
		if !ok || !s.consume(':') {
			return nil, false
		}
		if m[k], ok = s.value(); !ok {
			return nil, false
		}
		if s.consume('}') {
			return m, true
		}
		if !s.consume(',') {
			return nil, false
		}
	}
}

func (s *scanner) array() ([]any, bool) {
	if !s.consume('[') || !s.enter() {
		return nil, false
	}
	defer s.leave()
	a := []any{}
	if s.consume(']') {
		return a, true
	}
	for {
		v, ok := s.value()
		if !ok {
			return nil, false
		}
		a = append(a, v)
		if s.consume(']') {
			return a, true
		}
		if !s.consume(',') {
			return nil, false
		}
	}
}

func (s *scanner) enter() bool {
	s.depth++
	return s.depth <= maxScanDepth
}

func (s *scanner) leave() { s.depth-- }

// skip moves past any value, checking it, and returns its bytes.
func (s *scanner) skip() ([]byte, bool) {
	if s.peek() == 0 {
		return nil, false
	}
	start := s.i
	var ok bool
	switch s.b[s.i] {
	case '{':
		ok = s.skipComposite('{', '}', true)
	case '[':
		ok = s.skipComposite('[', ']', false)
	case '"':
		_, _, _, ok = s.strSpan()
	case 't':
		ok = s.literal("true")
	case 'f':
		ok = s.literal("false")
	case 'n':
		ok = s.literal("null")
	default:
		_, _, ok = s.numSpan()
	}
	if !ok {
		return nil, false
	}
	return s.b[start:s.i], true
}

func (s *scanner) skipComposite(open, closing byte, keyed bool) bool {
	if !s.consume(open) || !s.enter() {
		return false
	}
	defer s.leave()
	if s.consume(closing) {
		return true
	}
	for {
		if keyed {
			if _, _, _, ok := s.strSpan(); !ok || !s.consume(':') {
				return false
			}
		}
		if _, ok := s.skip(); !ok {
			return false
		}
		if s.consume(closing) {
			return true
		}
		if !s.consume(',') {
			return false
		}
	}
}
