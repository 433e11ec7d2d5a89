package expr

import "strings"

// This file compiles [?(...)] filters the way Jayway 2.4.0's FilterCompiler
// does:
//
//	LogicalOR         = LogicalAND { '||' LogicalAND }
//	LogicalAND        = LogicalANDOperand { '&&' LogicalANDOperand }
//	LogicalANDOperand = RelationalExpr | '(' LogicalOR ')' | '!' LogicalANDOperand
//	RelationalExpr    = Value [ Operator Value ]   (no operator: existence check)
//
// A path operand runs until a space, an operator character or a closing
// parenthesis, so "@.a&&@.b" without spaces is one odd path, as in Jayway.

// fnode is a compiled filter expression. eval returns errInvalid where Jayway
// throws InvalidPathException, which makes the filter reject the item, and
// errAbort where it throws anything else, which ends the read.
type fnode interface {
	eval(fc *filterCtx) (bool, error)
}

type (
	orNode  []fnode
	andNode []fnode
	notNode struct{ fnode }
	relNode struct {
		left, right operand
		op          string
	}
)

// operand is a literal or a path; exists marks a bare path tested for
// presence, with want false for !@.path.
type operand struct {
	lit    fval
	path   *path
	exists bool
	want   bool
}

// relOps are Jayway's RelationalOperator strings, matched case-insensitively.
var relOps = map[string]bool{
	">=": true, "<=": true, "==": true, "===": true, "!=": true, "!==": true,
	"<": true, ">": true, "=~": true, "NIN": true, "IN": true, "CONTAINS": true,
	"ALL": true, "SIZE": true, "EXISTS": true, "TYPE": true, "MATCHES": true,
	"EMPTY": true, "SUBSETOF": true,
}

type filterCompiler struct{ c *cursor }

// compileFilter compiles criteria, the text from '[' to ']' inclusive.
func compileFilter(criteria string) (fnode, *parseError) {
	c := newCursor(criteria)
	c.trim()
	if c.cur() != '[' || c.at(c.end) != ']' {
		return nil, errorf("filter must start with '[' and end with ']'")
	}
	c.pos++
	c.end--
	c.trim()
	if c.cur() != '?' {
		return nil, errorf("filter must start with '[?'")
	}
	c.pos++
	c.trim()
	if c.cur() != '(' || c.at(c.end) != ')' {
		return nil, errorf("filter must start with '[?(' and end with ')]'")
	}
	fc := &filterCompiler{c: c}
	n, err := fc.readOr()
	if err != nil {
		return nil, err
	}
	if c.skipBlanks(); c.inBounds(c.pos) {
		return nil, errorf("unexpected %q in filter %s", c.s[c.pos:c.end+1], criteria)
	}
	return n, nil
}

func (fc *filterCompiler) readOr() (fnode, *parseError) {
	return fc.readChain("||", fc.readAnd, func(ops []fnode) fnode { return orNode(ops) })
}

func (fc *filterCompiler) readAnd() (fnode, *parseError) {
	return fc.readChain("&&", fc.readAndOperand, func(ops []fnode) fnode { return andNode(ops) })
}

// readChain reads operands joined by sep. A failure after sep backtracks to
// before it, as Jayway catches InvalidPathException there.
func (fc *filterCompiler) readChain(sep string, read func() (fnode, *parseError), join func([]fnode) fnode) (fnode, *parseError) {
	first, err := read()
	if err != nil {
		return nil, err
	}
	ops := []fnode{first}
	c := fc.c
	for {
		save := c.pos
		c.skipBlanks()
		if !c.inBounds(c.pos+len(sep)-1) || c.s[c.pos:c.pos+len(sep)] != sep {
			c.pos = save
			break
		}
		c.pos += len(sep)
		op, err := read()
		if err != nil {
			if err.fatal {
				return nil, err
			}
			c.pos = save
			break
		}
		ops = append(ops, op)
	}
	if len(ops) == 1 {
		return first, nil
	}
	return join(ops), nil
}

func (fc *filterCompiler) readAndOperand() (fnode, *parseError) {
	c := fc.c
	save := c.skipBlanks().pos
	if c.cur() == '!' {
		c.pos++
		if ch := c.skipBlanks().cur(); ch != '$' && ch != '@' {
			op, err := fc.readAndOperand()
			if err != nil {
				return nil, err
			}
			return notNode{op}, nil
		}
		c.pos = save // "!@.a" is a negated existence check, read as a value
	}
	if c.skipBlanks().cur() == '(' {
		c.pos++
		op, err := fc.readOr()
		if err != nil {
			return nil, err
		}
		if c.skipBlanks().cur() != ')' {
			return nil, errorf("expected ')' at %q", c.rest(c.pos))
		}
		c.pos++
		return op, nil
	}
	return fc.readRelational()
}

func (fc *filterCompiler) readRelational() (fnode, *parseError) {
	left, err := fc.readValue()
	if err != nil {
		return nil, err
	}
	c := fc.c
	save := c.pos
	op, err := fc.readOperator()
	if err == nil {
		var right operand
		if right, err = fc.readValue(); err == nil {
			return &relNode{left: left, op: op, right: right}, nil
		}
	}
	if err.fatal {
		return nil, err
	}
	c.pos = save
	if left.path == nil {
		return nil, errorf("expected a path before %q", c.rest(save))
	}
	left.exists = true
	return &relNode{left: left, op: "EXISTS", right: operand{lit: fval{kind: kBool, b: left.want}}}, nil
}

func (fc *filterCompiler) readOperator() (string, *parseError) {
	c := fc.c
	begin := c.skipBlanks().pos
	if isRelChar(c.cur()) {
		for c.inBounds(c.pos) && isRelChar(c.cur()) {
			c.pos++
		}
	} else {
		for c.inBounds(c.pos) && c.cur() != ' ' {
			c.pos++
		}
	}
	op := strings.ToUpper(c.s[begin:min(c.pos, len(c.s))])
	if !relOps[op] {
		return "", errorf("unsupported filter operator %q", op)
	}
	return op, nil
}

func isRelChar(ch byte) bool {
	return ch == '<' || ch == '>' || ch == '=' || ch == '~' || ch == '!'
}

func (fc *filterCompiler) readValue() (operand, *parseError) {
	c := fc.c
	switch c.skipBlanks().cur() {
	case '$', '@':
		return fc.readPath()
	case '!':
		c.pos++
		if ch := c.skipBlanks().cur(); ch == '$' || ch == '@' {
			return fc.readPath()
		}
		return operand{}, errorf("'!' must precede a path, at %q", c.rest(c.pos))
	}
	lit, err := fc.readLiteral()
	return operand{lit: lit}, err
}

// readPath reads a path operand; a '!' before it negates an existence check.
func (fc *filterCompiler) readPath() (operand, *parseError) {
	c := fc.c
	want := c.previousSignificant() != '!'
	begin := c.pos
	for c.pos++; c.inBounds(c.pos); c.pos++ {
		if c.cur() == '[' {
			closeIdx, err := c.indexOfMatchingClose(c.pos, '[', ']', false)
			if err != nil || closeIdx < 0 {
				return operand{}, errorf("unbalanced '[' in filter")
			}
			c.pos = closeIdx + 1
		}
		ch := c.cur()
		if !c.inBounds(c.pos) || isRelChar(ch) || ch == ' ' || (ch == ')' && !fc.closesFunction(begin)) {
			break
		}
	}
	p, err := compilePath(c.s[begin:min(c.pos, len(c.s))])
	if err != nil {
		return operand{}, errorf("%s", err.msg) // Jayway wraps it as InvalidPathException
	}
	return operand{path: p, want: want}, nil
}

// closesFunction reports whether the ')' at the cursor ends a call such as
// @.list.length(), judged like Jayway: '(' right before it and a '.' after begin.
func (fc *filterCompiler) closesFunction(begin int) bool {
	c := fc.c
	i := c.pos - 1
	for c.inBounds(i) && c.s[i] == ' ' {
		i--
	}
	if !c.inBounds(i) || c.s[i] != '(' {
		return false
	}
	for i--; c.inBounds(i) && i > begin; i-- {
		if c.s[i] == '.' {
			return true
		}
	}
	return false
}
