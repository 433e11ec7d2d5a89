package expr

// cursor walks a path or filter the way Jayway's CharacterIndex does. The
// compilers mirror Jayway's PathCompiler and FilterCompiler step for step, so
// they keep its notion of position and of a last significant character (end)
// that trimming can move before the end of the text.
type cursor struct {
	s   string
	pos int
	end int // index of the last significant character
}

func newCursor(s string) *cursor { return &cursor{s: s, end: len(s) - 1} }

func (c *cursor) inBounds(i int) bool { return i >= 0 && i <= c.end }

// at returns the character at i, or 0 past the text. Jayway reads past end
// into the untrimmed text and throws past that; 0 matches no syntax, so the
// caller reports an error either way.
func (c *cursor) at(i int) byte {
	if i < 0 || i >= len(c.s) {
		return 0
	}
	return c.s[i]
}

func (c *cursor) cur() byte { return c.at(c.pos) }

// rest is the text from i on, for error messages.
func (c *cursor) rest(i int) string {
	return c.s[min(max(i, 0), len(c.s)):]
}

// tail is CharacterIndex.currentIsTail. It is true on the last character as
// well, which is why Jayway ignores one stray character after a token: the
// path "a[0]x" reads as "a[0]".
func (c *cursor) tail() bool { return c.pos >= c.end }

// nextSignificant is the first non-space character after i, or ' ' if none.
func (c *cursor) nextSignificant(i int) byte {
	i++
	for c.inBounds(i) && c.s[i] == ' ' {
		i++
	}
	if !c.inBounds(i) {
		return ' '
	}
	return c.s[i]
}

// indexOfNextSignificant is the index of the first non-space character after
// i if it is ch, else -1.
func (c *cursor) indexOfNextSignificant(i int, ch byte) int {
	i++
	for c.inBounds(i) && c.s[i] == ' ' {
		i++
	}
	if c.at(i) == ch {
		return i
	}
	return -1
}

func (c *cursor) nextIndexOf(from int, ch byte) int {
	for i := from; c.inBounds(i); i++ {
		if c.s[i] == ch {
			return i
		}
	}
	return -1
}

// nextIndexOfUnescaped finds ch after i, skipping backslash escapes.
func (c *cursor) nextIndexOfUnescaped(i int, ch byte) int {
	escaped := false
	for i++; c.inBounds(i); i++ {
		switch {
		case escaped:
			escaped = false
		case c.s[i] == '\\':
			escaped = true
		case c.s[i] == ch:
			return i
		}
	}
	return -1
}

// indexOfMatchingClose finds the close that balances the open at i, skipping
// quoted strings and, for filters, /regex/ literals.
func (c *cursor) indexOfMatchingClose(i int, open, close byte, skipRegex bool) (int, *parseError) {
	opened := 1
	for i++; c.inBounds(i); i++ {
		if q := c.at(i); q == '\'' || q == '"' {
			if i = c.nextIndexOfUnescaped(i, q); i < 0 {
				return -1, errorf("missing closing %c", q)
			}
			i++
		}
		if skipRegex && c.at(i) == '/' {
			if i = c.nextIndexOfUnescaped(i, '/'); i < 0 {
				return -1, errorf("missing closing / of a regular expression")
			}
			i++
		}
		switch c.at(i) {
		case open:
			opened++
		case close:
			if opened--; opened == 0 {
				return i, nil
			}
		}
	}
	return -1, nil
}

// skipBlanks advances over spaces but, like Jayway, never past end.
func (c *cursor) skipBlanks() *cursor {
	for c.inBounds(c.pos) && c.pos < c.end && c.s[c.pos] == ' ' {
		c.pos++
	}
	return c
}

func (c *cursor) trim() {
	c.skipBlanks()
	for c.inBounds(c.pos) && c.pos < c.end && c.s[c.end] == ' ' {
		c.end--
	}
}

func (c *cursor) previousSignificant() byte {
	i := c.pos - 1
	for c.inBounds(i) && c.s[i] == ' ' {
		i--
	}
	if !c.inBounds(i) {
		return ' '
	}
	return c.s[i]
}

func isDigit(ch byte) bool { return ch >= '0' && ch <= '9' }
