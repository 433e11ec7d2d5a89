package expr

import "fmt"

// SyntaxError reports an expression that is not a valid JSONPath.
//
// Conductor logs such an expression and substitutes null; Baton returns this
// error so that the engine can fail the task with a message that names the
// expression. Test for it with errors.As.
type SyntaxError struct {
	// Expr is the expression as written, such as "${workflow.input.a b}".
	// Eval leaves it empty.
	Expr string
	// Path is the JSONPath that failed to compile, after nested ${...} were
	// substituted.
	Path string
	// Msg says what is wrong.
	Msg string
}

func (e *SyntaxError) Error() string {
	if e.Expr == "" || e.Expr == "${"+e.Path+"}" {
		return fmt.Sprintf("invalid expression %q: %s", displayExpr(e), e.Msg)
	}
	return fmt.Sprintf("invalid expression %q (path %q): %s", e.Expr, e.Path, e.Msg)
}

func displayExpr(e *SyntaxError) string {
	if e.Expr != "" {
		return e.Expr
	}
	return e.Path
}

// parseError is what the compilers return before the expression text is known.
// fatal marks errors that Jayway does not backtrack from inside a filter (it
// only catches InvalidPathException there).
type parseError struct {
	msg   string
	fatal bool
}

func (e *parseError) Error() string { return e.msg }

func errorf(format string, args ...any) *parseError {
	return &parseError{msg: fmt.Sprintf(format, args...)}
}

func fatalf(format string, args ...any) *parseError {
	return &parseError{msg: fmt.Sprintf(format, args...), fatal: true}
}
