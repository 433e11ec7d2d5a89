package expr

import "strings"

// fastRead evaluates the common simple path, such as
// "workflow.input.items[0].id", without compiling it: names of ASCII letters,
// digits, '_' and '-', non-negative indexes, an optional "$." in front. ok is
// false for anything else, which then goes through the full compiler. The
// result is what the full evaluator gives for a definite path: the value, or
// nil when a step is missing or of the wrong kind.
func fastRead(path string, doc any) (v any, ok bool) {
	s := strings.TrimPrefix(path, "$.")
	cur, found := doc, true
	for i := 0; ; i++ { // i is at a name: the start, or after a '.'
		j := i
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if j == i {
			return nil, false
		}
		if found {
			m, _ := cur.(map[string]any)
			cur, found = m[s[i:j]]
		}
		for i = j; i < len(s) && s[i] == '['; {
			n := 0
			for j = i + 1; j < len(s) && isDigit(s[j]) && j-i <= 9; j++ {
				n = n*10 + int(s[j]-'0')
			}
			if j == i+1 || j >= len(s) || s[j] != ']' {
				return nil, false
			}
			if found {
				list, _ := cur.([]any)
				if found = n < len(list); found {
					cur = list[n]
				}
			}
			i = j + 1
		}
		if i == len(s) {
			break
		}
		if s[i] != '.' {
			return nil, false
		}
	}
	if !found {
		return nil, true
	}
	return cur, true
}

func isNameByte(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || isDigit(ch) || ch == '_' || ch == '-'
}
