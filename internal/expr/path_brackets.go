package expr

import (
	"strconv"
	"strings"
)

// readBracket tries the bracket tokens in PathCompiler's order.
func (p *pathCompiler) readBracket() *parseError {
	if ok, err := p.readBracketProperty(); ok || err != nil {
		return err
	}
	if ok, err := p.readArray(); ok || err != nil {
		return err
	}
	if p.c.nextSignificant(p.c.pos) == '*' {
		return p.readWildcard()
	}
	if ok, err := p.readFilter(); ok || err != nil {
		return err
	}
	return errorf("cannot parse %q: expected ['name'], [0], [*] or [?(...)]", p.c.rest(p.c.pos))
}

// readBracketProperty reads ['a'] or ['a','b'] with Jayway's own scanning,
// including its refusal of a comma inside a quoted name.
func (p *pathCompiler) readBracketProperty() (bool, *parseError) {
	c := p.c
	delim := c.nextSignificant(c.pos)
	if delim != '\'' && delim != '"' {
		return false, nil
	}
	var names []string
	start, endPos := c.pos+1, 0
	inProp, escaped, lastComma := false, false, false
scan:
	for i := start; c.inBounds(i); i++ {
		ch := c.s[i]
		switch {
		case escaped:
			escaped = false
		case ch == '\\':
			escaped = true
		case ch == ']' && !inProp:
			if lastComma {
				return false, errorf("empty name in %q", c.rest(c.pos))
			}
			break scan
		case ch == delim:
			if !inProp {
				start, inProp, lastComma = i+1, true, false
				continue
			}
			if n := c.nextSignificant(i); n != ']' && n != ',' {
				return false, errorf("a quoted name must be followed by ',' or ']' in %q", c.rest(c.pos))
			}
			endPos, inProp = i, false
			name, err := unescapeJava(c.s[start:endPos])
			if err != nil {
				return false, err
			}
			names = append(names, name)
		case ch == ',':
			if lastComma {
				return false, errorf("empty name in %q", c.rest(c.pos))
			}
			lastComma = true
		}
	}
	closeIdx := c.indexOfNextSignificant(endPos, ']')
	if closeIdx < 0 || len(names) == 0 {
		return false, errorf("unterminated %q", c.rest(c.pos))
	}
	c.pos = closeIdx + 1
	p.add(token{kind: tokProperty, names: names})
	return true, nil
}

// readArray reads [1], [1,2], [-1], [1:], [:2] and [1:2].
func (p *pathCompiler) readArray() (bool, *parseError) {
	c := p.c
	if n := c.nextSignificant(c.pos); !isDigit(n) && n != '-' && n != ':' {
		return false, nil
	}
	closeIdx := c.nextIndexOf(c.pos+1, ']')
	if closeIdx < 0 {
		return false, nil
	}
	expr := javaTrim(c.s[c.pos+1 : closeIdx])
	for i := 0; i < len(expr); i++ {
		if ch := expr[i]; !isDigit(ch) && ch != ',' && ch != '-' && ch != ':' && ch != ' ' {
			return false, nil
		}
	}
	t, err := parseArrayOp(expr)
	if err != nil {
		return false, err
	}
	c.pos = closeIdx + 1
	p.add(t)
	return true, nil
}

func parseArrayOp(expr string) (token, *parseError) {
	if !strings.Contains(expr, ":") {
		t := token{kind: tokIndex}
		for _, part := range strings.Split(expr, ",") {
			n, err := parseJavaInt(strings.TrimSpace(part))
			if err != nil {
				return t, err
			}
			t.idx = append(t.idx, n)
		}
		return t, nil
	}
	if strings.Contains(expr, " ") {
		return token{}, errorf("invalid slice [%s]", expr)
	}
	// String.split drops trailing empty strings; a third part (a step) is ignored.
	parts := strings.Split(expr, ":")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	t := token{kind: tokSlice}
	var err *parseError
	if len(parts) > 0 && parts[0] != "" {
		t.hasLo = true
		if t.from, err = parseJavaInt(parts[0]); err != nil {
			return t, err
		}
	}
	if len(parts) > 1 && parts[1] != "" {
		t.hasHi = true
		if t.to, err = parseJavaInt(parts[1]); err != nil {
			return t, err
		}
	}
	if !t.hasLo && !t.hasHi {
		return t, errorf("invalid slice [%s]", expr)
	}
	return t, nil
}

// parseJavaInt is Integer.parseInt for the characters an array token allows.
func parseJavaInt(s string) (int, *parseError) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || strings.HasPrefix(s, "+") {
		return 0, errorf("invalid array index %q", s)
	}
	return int(n), nil
}

// readWildcard reads * or [*].
func (p *pathCompiler) readWildcard() *parseError {
	c := p.c
	if c.cur() == '[' {
		if !c.inBounds(c.pos + 1) {
			return errorf("unterminated %q", c.rest(c.pos))
		}
		star := c.indexOfNextSignificant(c.pos, '*')
		closeIdx := c.indexOfNextSignificant(star, ']')
		if closeIdx < 0 {
			return errorf("expected ']' after '*' in %q", c.rest(c.pos))
		}
		c.pos = closeIdx + 1
	} else {
		c.pos++
	}
	p.add(token{kind: tokWildcard})
	return nil
}

// readFilter reads [?(...)].
func (p *pathCompiler) readFilter() (bool, *parseError) {
	c := p.c
	q := c.indexOfNextSignificant(c.pos, '?')
	if q < 0 {
		return false, nil
	}
	open := c.indexOfNextSignificant(q, '(')
	if open < 0 {
		return false, nil
	}
	closeParen, err := c.indexOfMatchingClose(open, '(', ')', true)
	if err != nil || closeParen < 0 {
		return false, err
	}
	closeIdx := c.indexOfNextSignificant(closeParen, ']')
	if closeIdx < 0 {
		return false, nil
	}
	f, err := compileFilter(c.s[c.pos : closeIdx+1])
	if err != nil {
		return false, err
	}
	c.pos = closeIdx + 1
	p.add(token{kind: tokFilter, filter: f})
	return true, nil
}
