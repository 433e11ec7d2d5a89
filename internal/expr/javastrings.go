package expr

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Java string behaviours that Conductor and Jayway rely on.

// isBlank is commons-lang StringUtils.isBlank: every rune is Java whitespace.
func isBlank(s string) bool {
	for _, r := range s {
		if !javaWhitespace(r) {
			return false
		}
	}
	return true
}

// javaWhitespace is Character.isWhitespace: Unicode space separators other
// than the no-break ones, plus the ASCII controls \t \n \v \f \r and 0x1C-0x1F.
func javaWhitespace(r rune) bool {
	switch {
	case r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f):
		return true
	case r < 0x80:
		return false
	case r == 0xa0 || r == 0x2007 || r == 0x202f:
		return false
	}
	return r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 ||
		r == 0x205f || r == 0x3000
}

// javaTrim is String.trim: it drops every char <= ' ' at both ends.
func javaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// utf16Len is Java's String.length for the size filter operator.
func utf16Len(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// unescapeJava is Jayway's Utils.unescape for quoted names and strings.
func unescapeJava(s string) (string, *parseError) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i++; i == len(s) {
			b.WriteByte('\\')
			break
		}
		switch ch := s[i]; ch {
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'b':
			b.WriteByte('\b')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				return "", errorf("invalid unicode escape in %q", s)
			}
			i += 4
			// Java strings are UTF-16: a surrogate pair comes as two escapes.
			if utf16.IsSurrogate(r) && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if lo, ok := hex4(s, i+3); ok {
					if pair := utf16.DecodeRune(r, lo); pair != utf8.RuneError {
						r = pair
						i += 6
					}
				}
			}
			b.WriteRune(r)
		default: // \\, \', \" and any other character stand for themselves
			b.WriteByte(ch)
		}
	}
	return b.String(), nil
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i:i+4], 16, 16)
	return rune(n), err == nil
}
