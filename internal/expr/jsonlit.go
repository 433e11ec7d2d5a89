package expr

import "strings"

// parseLiteralJSON reads a filter's JSON literal leniently, as json-smart's
// MODE_PERMISSIVE does: 'single quotes' and bare words are strings.
func parseLiteralJSON(text string) (any, *parseError) {
	p := &lenientJSON{s: text}
	v, ok := p.value()
	if p.skipSpace(); !ok || p.i != len(p.s) {
		return nil, errorf("invalid JSON literal %s in filter", text)
	}
	return v, nil
}

type lenientJSON struct {
	s string
	i int
}

func (p *lenientJSON) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *lenientJSON) value() (any, bool) {
	p.skipSpace()
	if p.i >= len(p.s) {
		return nil, false
	}
	switch ch := p.s[p.i]; ch {
	case '[':
		list := []any{}
		ok := p.items(']', func() bool {
			v, ok := p.value()
			list = append(list, v)
			return ok
		})
		return list, ok
	case '{':
		obj := map[string]any{}
		ok := p.items('}', func() bool {
			k, ok := p.value()
			key, isStr := k.(string)
			if p.skipSpace(); !ok || !isStr || p.i >= len(p.s) || p.s[p.i] != ':' {
				return false
			}
			p.i++
			v, ok := p.value()
			obj[key] = v
			return ok
		})
		return obj, ok
	case '"', '\'':
		end := p.i + 1
		for end < len(p.s) && p.s[end] != ch {
			if p.s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(p.s) {
			return nil, false
		}
		s, err := unescapeJava(p.s[p.i+1 : end])
		p.i = end + 1
		return s, err == nil
	}
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(",:]} \t\r\n", p.s[p.i]) < 0 {
		p.i++
	}
	word := p.s[start:p.i]
	switch word {
	case "true", "false":
		return word == "true", true
	case "null":
		return nil, true
	}
	if f, ok := parseBigDecimal(word); ok {
		return f, true
	}
	return word, word != ""
}

// items reads comma-separated entries up to close.
func (p *lenientJSON) items(close byte, entry func() bool) bool {
	p.i++
	if p.skipSpace(); p.i < len(p.s) && p.s[p.i] == close {
		p.i++
		return true
	}
	for {
		if !entry() {
			return false
		}
		p.skipSpace()
		if p.i >= len(p.s) {
			return false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case close:
			p.i++
			return true
		default:
			return false
		}
	}
}
