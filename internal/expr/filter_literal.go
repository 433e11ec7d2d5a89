package expr

import (
	"regexp"
	"strings"
)

func (fc *filterCompiler) readLiteral() (fval, *parseError) {
	c := fc.c
	begin := c.pos
	switch ch := c.cur(); ch {
	case '\'', '"':
		closeIdx := c.nextIndexOfUnescaped(c.pos, ch)
		if closeIdx < 0 {
			return fval{}, errorf("string literal is missing its closing %c", ch)
		}
		c.pos = closeIdx + 1
		s, err := unescapeJava(c.s[begin+1 : closeIdx])
		if err != nil {
			err.fatal = true
			return fval{}, err
		}
		return fval{kind: kString, s: s}, nil
	case 't', 'f', 'n':
		word := map[byte]string{'t': "true", 'f': "false", 'n': "null"}[ch]
		if !c.inBounds(c.pos+len(word)-1) || c.s[c.pos:c.pos+len(word)] != word {
			return fval{}, errorf("expected %s at %q", word, c.rest(c.pos))
		}
		c.pos += len(word)
		if ch == 'n' {
			return fval{kind: kNull}, nil
		}
		return fval{kind: kBool, b: ch == 't'}, nil
	case '{', '[':
		closeCh := byte('}')
		if ch == '[' {
			closeCh = ']'
		}
		closeIdx, err := c.indexOfMatchingClose(c.pos, ch, closeCh, false)
		if err != nil || closeIdx < 0 {
			return fval{}, errorf("unclosed %c in filter", ch)
		}
		c.pos = closeIdx + 1
		v, perr := parseLiteralJSON(c.s[begin:c.pos])
		if perr != nil {
			perr.fatal = true
			return fval{}, perr
		}
		return fval{kind: kJSON, json: v, literal: true}, nil
	case '/':
		return fc.readPattern()
	}
	for c.inBounds(c.pos) && (isDigit(c.cur()) || c.cur() == '-' || c.cur() == '.') {
		c.pos++
	}
	return numberLiteral(c.s[begin:c.pos])
}

// readPattern reads /regex/ or /regex/i. Jayway compiles it with
// java.util.regex and calls matches(), so the whole input has to match.
func (fc *filterCompiler) readPattern() (fval, *parseError) {
	c := fc.c
	begin := c.pos
	closeIdx := c.nextIndexOfUnescaped(c.pos, '/')
	if closeIdx < 0 {
		return fval{}, errorf("regular expression is missing its closing /")
	}
	if c.inBounds(closeIdx+1) && c.s[closeIdx+1] == 'i' {
		closeIdx++
	}
	c.pos = closeIdx + 1
	text := c.s[begin:c.pos]
	src := text[1:strings.LastIndexByte(text, '/')]
	flags := ""
	if strings.HasSuffix(text, "/i") {
		flags = "(?i)"
	}
	re, err := regexp.Compile(flags + `^(?:` + src + `)$`)
	if err != nil {
		return fval{}, fatalf("invalid regular expression %s: %v", text, err)
	}
	return fval{kind: kPattern, s: text, re: re}, nil
}
