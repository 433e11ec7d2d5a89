package expr

import "strings"

// A path is a compiled JSONPath. The compiler follows Jayway 2.4.0's
// PathCompiler: a path that starts with neither $ nor @ gets "$." in front,
// property names run to the next '.', '[' or '(' and may hold any other
// character, and one stray character after a token is ignored.
type path struct {
	root     byte // '$' evaluates against the document, '@' against a filter's item
	tokens   []token
	definite bool // no token can produce several results
}

type tokenKind uint8

const (
	tokProperty tokenKind = iota
	tokIndex
	tokSlice
	tokWildcard
	tokScan
	tokFilter
	tokFunction
)

type token struct {
	kind   tokenKind
	names  []string // tokProperty
	idx    []int    // tokIndex
	from   int      // tokSlice bounds; hasLo/hasHi false is an omitted bound
	to     int
	hasLo  bool
	hasHi  bool
	filter fnode  // tokFilter
	fn     string // tokFunction
	leaf   bool   // last token
	upDef  bool   // every token before this one is definite
}

func (t *token) definite() bool {
	switch t.kind {
	case tokProperty:
		return len(t.names) == 1 || t.leaf
	case tokIndex:
		return len(t.idx) == 1
	case tokFunction:
		return true
	}
	return false
}

// compilePath compiles src, which JsonContext.read has already trimmed.
func compilePath(src string) (*path, *parseError) {
	s := strings.Trim(src, " ")
	if s == "" {
		return nil, errorf("empty path")
	}
	if s[0] != '$' && s[0] != '@' {
		s = "$." + s
	}
	if s[len(s)-1] == '.' {
		return nil, errorf("path must not end with '.'")
	}
	p := &pathCompiler{c: newCursor(s)}
	if p.c.end > 0 {
		if next := s[1]; next != '.' && next != '[' {
			return nil, errorf("expected '.' or '[' after %c", s[0])
		}
		p.c.pos = 1
		if err := p.readTokens(); err != nil {
			return nil, err
		}
	}
	out := &path{root: s[0], tokens: p.tokens, definite: true}
	for i := range out.tokens {
		t := &out.tokens[i]
		t.leaf = i == len(out.tokens)-1
		t.upDef = out.definite
		out.definite = out.definite && t.definite()
	}
	if n := len(out.tokens); n > 0 && out.tokens[n-1].kind == tokScan {
		return nil, errorf("deep scan '..' needs a name after it")
	}
	return out, nil
}

type pathCompiler struct {
	c      *cursor
	tokens []token
}

func (p *pathCompiler) add(t token) { p.tokens = append(p.tokens, t) }

// readTokens is PathCompiler.readNextToken unrolled into a loop.
func (p *pathCompiler) readTokens() *parseError {
	c := p.c
	for {
		var err *parseError
		switch c.cur() {
		case '[':
			err = p.readBracket()
		case '.':
			if c.at(c.pos+1) == '.' {
				p.add(token{kind: tokScan})
				c.pos += 2
			} else if !c.inBounds(c.pos + 1) {
				return errorf("path must not end with '.'")
			} else {
				c.pos++
			}
			if c.cur() == '.' {
				return errorf("unexpected '.' at %q", c.rest(c.pos))
			}
			continue // a dot is always followed by a token, tail or not
		case '*':
			err = p.readWildcard()
		default:
			err = p.readPropertyOrFunction()
		}
		if err != nil {
			return err
		}
		if c.tail() {
			return nil
		}
	}
}

func (p *pathCompiler) readPropertyOrFunction() *parseError {
	c := p.c
	switch c.cur() {
	case '[', '*', '.', ' ', 0:
		return errorf("cannot parse %q", c.rest(c.pos))
	}
	start, i, end, isFn := c.pos, c.pos, -1, false
	for ; c.inBounds(i); i++ {
		ch := c.s[i]
		if ch == ' ' {
			return errorf("use bracket notation ['name'] for a name with spaces: %q", c.rest(start))
		}
		if ch == '.' || ch == '[' || ch == '(' {
			end, isFn = i, ch == '('
			break
		}
	}
	if end < 0 {
		end = c.end + 1
	}
	name := c.s[start:end]
	if !isFn {
		c.pos = end
		p.add(token{kind: tokProperty, names: []string{name}})
		return nil
	}
	// Jayway only parses arguments when the character two after '(' is not
	// ')', so "length(1)" is length().
	after := end + 1
	switch {
	case !c.inBounds(after + 1):
		c.pos = after
	case c.s[after+1] == ')':
		c.pos = after + 1
	default:
		c.pos = after
		if err := p.skipArguments(name); err != nil {
			return err
		}
	}
	p.add(token{kind: tokFunction, fn: name})
	return nil
}

// skipArguments scans a function's arguments as PathCompiler's
// parseFunctionParameters does. An argument counts only if it starts with
// '{', a digit, '"', '$' or '@'; anything else is silently dropped there,
// and real arguments are not supported here.
func (p *pathCompiler) skipArguments(fn string) *parseError {
	c := p.c
	start := c.pos
	paren, bracket, brace, quote := 1, 0, 0, 0
	typed, hasArgs := false, false
	var prior byte
	for c.inBounds(c.pos) {
		ch := c.s[c.pos]
		c.pos++
		if !typed {
			if ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' {
				continue
			}
			typed = ch == '{' || isDigit(ch) || ch == '"' || ch == '$' || ch == '@'
			hasArgs = hasArgs || typed
		}
		switch ch {
		case '"':
			if prior != '\\' && quote > 0 {
				quote--
			} else {
				quote++
			}
		case '(':
			paren++
		case '{':
			brace++
		case '[':
			bracket++
		case '}', ']':
			if (ch == '}' && brace == 0) || (ch == ']' && bracket == 0) {
				return errorf("unexpected %c in arguments to %s()", ch, fn)
			}
			if ch == '}' {
				brace--
			} else {
				bracket--
			}
		case ')', ',':
			if ch == ')' {
				paren--
			}
			if quote == 0 && brace == 0 && bracket == 0 && (paren == 1 || (paren == 0 && ch == ')')) {
				typed = false
				if paren == 0 {
					return p.noArguments(fn, hasArgs, start)
				}
			}
		}
		prior = ch
	}
	if paren != 0 || brace != 0 || bracket != 0 { // Jayway does not check quotes here
		return errorf("arguments to function %s() are not closed", fn)
	}
	return p.noArguments(fn, hasArgs, start)
}

func (p *pathCompiler) noArguments(fn string, hasArgs bool, start int) *parseError {
	if hasArgs {
		return errorf("function arguments are not supported: %s(%s", fn, p.c.s[start:min(p.c.pos, len(p.c.s))])
	}
	return nil
}
