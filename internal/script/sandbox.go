package script

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// maxPrograms bounds the compiled-script cache; when it is full it is
// emptied, as Conductor's ScriptEvaluator does with its Source cache (1024).
const maxPrograms = 1024

// Sandbox evaluates Conductor script expressions. It is safe for concurrent
// use: every evaluation runs in a VM of its own, which is dropped afterwards,
// so one script's globals never reach another (Conductor's default too: its
// Context pool is off, ScriptEvaluator). Only compiled programs are shared.
type Sandbox struct {
	cfg  Config
	heap *heapGuard

	mu       sync.Mutex
	programs map[string]*goja.Program
}

// New returns a Sandbox with cfg's zero fields set to their defaults. A
// negative setting (see Config.Validate) is replaced by its default too.
func New(cfg Config) *Sandbox {
	d := Config{}.WithDefaults()
	if cfg.Timeout < 0 {
		cfg.Timeout = d.Timeout
	}
	if cfg.MaxOutputSize < 0 {
		cfg.MaxOutputSize = d.MaxOutputSize
	}
	if cfg.MaxCallStackSize < 0 {
		cfg.MaxCallStackSize = d.MaxCallStackSize
	}
	if cfg.MaxStringLength < 0 {
		cfg.MaxStringLength = d.MaxStringLength
	}
	if cfg.MaxArrayLength < 0 {
		cfg.MaxArrayLength = d.MaxArrayLength
	}
	cfg = cfg.WithDefaults()
	return &Sandbox{cfg: cfg, heap: newHeapGuard(cfg.MaxHeapGrowth), programs: make(map[string]*goja.Program)}
}

// Config returns the settings in use, defaults filled in.
func (s *Sandbox) Config() Config { return s.cfg }

// interrupt reasons, passed to vm.Interrupt and read back from the
// *goja.InterruptedError.
type interruptReason int

const (
	reasonTimeout interruptReason = iota + 1
	reasonCanceled
	reasonHeap
	reasonString
	reasonArray
)

// Eval evaluates expression with `$` bound to a deep copy of input, as
// Conductor's JavascriptEvaluator and GraalJSEvaluator do, and returns the
// completion value as plain Go JSON values (see the package doc for the
// conversion). A failed evaluation is an *Error; a cancelled ctx stops the
// script and returns an error wrapping ctx's error instead (it is not the
// script's fault).
func (s *Sandbox) Eval(ctx context.Context, expression string, input map[string]any) (result any, err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("script: %w", context.Cause(ctx))
	}
	prog, err := s.compile(expression)
	if err != nil {
		return nil, err
	}

	vm := goja.New()
	vm.SetMaxCallStackSize(s.cfg.MaxCallStackSize)

	// Everything from here on may run script code (getters, toString,
	// Proxy traps), so the limits stay armed until the result is plain Go.
	timer := time.AfterFunc(s.cfg.Timeout, func() { vm.Interrupt(reasonTimeout) })
	defer timer.Stop()
	stopCtx := context.AfterFunc(ctx, func() { vm.Interrupt(reasonCanceled) })
	defer stopCtx()
	if s.heap != nil {
		defer s.heap.watch(vm)()
	}
	defer func() {
		if r := recover(); r != nil {
			result, err = nil, s.panicError(ctx, r)
		}
	}()

	limitBuiltins(vm, s.cfg.MaxStringLength, s.cfg.MaxArrayLength)
	in, err := toJS(vm, input)
	if err != nil {
		return nil, err
	}
	if err := vm.Set("$", in); err != nil {
		return nil, fmt.Errorf("script: bind $: %w", err)
	}
	v, err := vm.RunProgram(prog)
	if err != nil {
		return nil, s.runError(ctx, err)
	}
	return toGo(v, s.cfg.MaxOutputSize)
}

// Check reports whether expression compiles, without running it: the check
// Conductor makes when a workflow definition is registered
// (ScriptEvaluator.validateScriptSyntax). The error is a Syntax *Error.
func (s *Sandbox) Check(expression string) error {
	_, err := s.compile(expression)
	return err
}

func (s *Sandbox) compile(expression string) (*goja.Program, error) {
	s.mu.Lock()
	p := s.programs[expression]
	s.mu.Unlock()
	if p != nil {
		return p, nil
	}
	// Non-strict, as a plain script: the completion value is the result.
	p, err := goja.Compile("inline", expression, false)
	if err != nil {
		return nil, compileError(err)
	}
	s.mu.Lock()
	if len(s.programs) >= maxPrograms {
		clear(s.programs)
	}
	s.programs[expression] = p
	s.mu.Unlock()
	return p, nil
}

// runError turns what RunProgram (or a panic) returned into an *Error.
func (s *Sandbox) runError(ctx context.Context, err error) error {
	var interrupted *goja.InterruptedError
	var exception *goja.Exception
	var overflow *goja.StackOverflowError
	switch {
	case errors.As(err, &interrupted):
		return s.interruptError(ctx, interrupted.Value())
	case errors.As(err, &overflow):
		return scriptError(Runtime, "RangeError: Maximum call stack size exceeded", 0)
	case errors.As(err, &exception):
		return exceptionError(exception)
	case errors.As(err, new(*Error)):
		return err
	}
	return scriptError(Runtime, err.Error(), 0)
}

func (s *Sandbox) interruptError(ctx context.Context, reason any) error {
	switch reason {
	case reasonCanceled:
		return fmt.Errorf("script: %w", context.Cause(ctx))
	case reasonHeap:
		return &Error{Kind: MemoryLimit, Message: fmt.Sprintf(
			"Script stopped: it grew the heap by more than %d MiB (the server's script heap limit); build smaller values", s.cfg.MaxHeapGrowth>>20)}
	case reasonString:
		return &Error{Kind: MemoryLimit, Message: fmt.Sprintf(
			"Script stopped: it asked for a string longer than %d characters (the server's script string limit); build smaller values", s.cfg.MaxStringLength)}
	case reasonArray:
		return &Error{Kind: MemoryLimit, Message: fmt.Sprintf(
			"Script stopped: it called an Array method on more than %d elements (the server's script array limit); work on smaller arrays", s.cfg.MaxArrayLength)}
	}
	return &Error{Kind: Timeout, Message: timeoutMessage(s.cfg.Timeout)}
}

// panicError turns a panic out of goja (or of our conversion calling into
// it) into an error: a JavaScript exception or interrupt raised while
// converting the result arrives this way, and so would a bug in goja.
func (s *Sandbox) panicError(ctx context.Context, r any) error {
	switch x := r.(type) {
	case *goja.InterruptedError:
		return s.interruptError(ctx, x.Value())
	case *goja.Exception:
		return exceptionError(x)
	case *goja.StackOverflowError:
		return scriptError(Runtime, "RangeError: Maximum call stack size exceeded", 0)
	case goja.Value:
		return scriptError(Runtime, safeString(x), 0)
	case *Error:
		return x
	case error:
		return s.runError(ctx, x)
	}
	return scriptError(Runtime, fmt.Sprintf("internal error: %v", r), 0)
}

// timeoutMessage is ScriptEvaluator's message, which names whole seconds;
// a limit below a second is written as a Go duration.
func timeoutMessage(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("Script not evaluated within %d seconds, interrupted.", d/time.Second)
	}
	return fmt.Sprintf("Script not evaluated within %s, interrupted.", d)
}

// scriptError builds ScriptEvaluator.handlePolyglotException's message.
func scriptError(k Kind, msg string, line int) *Error {
	m := "Error evaluating the script `" + msg + "`"
	if line > 0 {
		m += fmt.Sprintf(" at line %d", line)
	}
	return &Error{Kind: k, Message: m, Line: line}
}

func compileError(err error) *Error {
	var syn *goja.CompilerSyntaxError
	var ref *goja.CompilerReferenceError
	switch {
	case errors.As(err, &syn):
		return compilerError("SyntaxError: ", &syn.CompilerError)
	case errors.As(err, &ref):
		return compilerError("ReferenceError: ", &ref.CompilerError)
	}
	return scriptError(Syntax, err.Error(), 0)
}

// goja's parser writes "inline: Line 1:10 Unexpected token (" with no File.
var parserLine = regexp.MustCompile(`^Line (\d+):\d+ `)

func compilerError(prefix string, e *goja.CompilerError) *Error {
	msg := strings.TrimPrefix(e.Message, "inline: ")
	line := 0
	if e.File != nil {
		line = e.File.Position(e.Offset).Line
	} else if m := parserLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return scriptError(Syntax, prefix+msg, line)
}

// exceptionError is a script's uncaught throw: the thrown value as
// JavaScript prints it ("TypeError: ..."), as GraalJS's PolyglotException
// message does, and the line it was thrown at.
func exceptionError(ex *goja.Exception) *Error {
	line := 0
	for _, f := range ex.Stack() {
		if p := f.Position(); p.Line > 0 {
			line = p.Line
			break
		}
	}
	return scriptError(Runtime, safeString(ex.Value()), line)
}

// safeString prints a thrown value; its toString is script code and may
// throw in turn.
func safeString(v goja.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = "uncaught exception (its toString failed)"
		}
	}()
	if v == nil {
		return "undefined"
	}
	return v.String()
}
