package expr

import "strings"

// This file finds ${...} in a string exactly where Conductor's
// ParametersUtils.PATTERN does. That pattern matches balanced braces with the
// lookahead-and-backreference trick (no recursion in Java regex): each loop
// iteration pairs the next '{' with the next '}' and records the text after
// each in groups 1 and 2. A Java Matcher keeps group values across the start
// positions it tries within one find(), and groups captured inside a lookahead
// are not restored when the attempt fails. So after a ${ that never closes,
// the stale groups push the next candidate's pairing further right:
// "${${}" matches nothing, while "{${}" matches "${}".
//
// nextSpan replays the pattern's steps without a regexp. It was checked
// against java.util.regex on 65,000 random strings over "${}a" plus line
// terminators with no difference. For balanced input it is plain brace
// counting.

// span is one ${...}: s[start:end] includes "${" and the closing "}".
type span struct{ start, end int }

// nextSpan returns the first match at or after from, as one Matcher.find does.
func nextSpan(s string, from int) (span, bool) {
	lastClose := strings.LastIndexByte(s, '}')
	if lastClose < 0 {
		return span{}, false
	}
	// b and c are the positions of the '{' and '}' after which groups 1 and 2
	// start; -1 is a group that has not matched, which no position can fail.
	b, c := -1, -1
	for p := from; p+1 < len(s); p++ {
		i := strings.Index(s[p:], "${")
		if i < 0 {
			break
		}
		p += i
		if p > 0 && s[p-1] == '$' { // (?<!\$): $${ is an escape
			continue
		}
		if end, ok := attempt(s, p, lastClose, &b, &c); ok {
			return span{p, end}, true
		}
	}
	return span{}, false
}

// attempt tries the pattern at p, updating the shared group state as Java does.
func attempt(s string, p, lastClose int, b, c *int) (int, bool) {
	cur := p
	for {
		// (?=.*?\{(?!.*?\1)(.*\}(?!.*\2).*)): the next '{' after the last
		// paired one, with some '}' beyond it and beyond the last paired '}'.
		x := indexByteFrom(s, '{', max(cur, *b+1))
		if x < 0 || lastClose <= x || lastClose <= *c {
			return 0, false
		}
		*b = x
		// (?=.*?\}(?!.*?\2)(.*)): the next '}' after the last paired one.
		y := indexByteFrom(s, '}', max(cur, *c+1))
		if y < 0 {
			return 0, false
		}
		*c = y
		if cur >= len(s) { // '.' needs a character
			return 0, false
		}
		cur++
		if tailMatches(s, cur, *b, *c) {
			return *c + 1, true
		}
	}
}

// tailMatches reports whether .*?(?=\1)[^{]*(?=\2$) matches from cur: some
// j >= cur where the text at j starts with group 1 and no '{' stands between
// j and the end of the paired '}'.
func tailMatches(s string, cur, b, c int) bool {
	end := c + 1
	if b < end {
		// Group 1 is s[b+1:], so only j == b+1 can start with it. The next
		// '{' is where the following iteration looks anyway, which keeps a
		// whole attempt linear.
		next := indexByteFrom(s, '{', b+1)
		return cur <= b+1 && (next < 0 || next >= end)
	}
	lo := cur
	if k := strings.LastIndexByte(s[:end], '{'); k >= 0 {
		lo = max(lo, k+1)
	}
	g1 := s[b+1:]
	for j := lo; j <= end; j++ {
		if strings.HasPrefix(s[j:], g1) {
			return true
		}
	}
	return false
}

func indexByteFrom(s string, ch byte, from int) int {
	if from >= len(s) {
		return -1
	}
	i := strings.IndexByte(s[from:], ch)
	if i < 0 {
		return -1
	}
	return from + i
}

// unescapeDollar turns $${ into ${, as the replaceAll at the end of
// ParametersUtils.replaceVariables does over the whole built string.
func unescapeDollar(s string) string {
	if !strings.Contains(s, "$${") {
		return s
	}
	return strings.ReplaceAll(s, "$${", "${")
}
