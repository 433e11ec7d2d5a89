package script

import (
	"errors"
	"strconv"
)

// Kind says why an evaluation failed.
type Kind int

const (
	// Runtime is a JavaScript exception the script threw or caused
	// (TypeError, ReferenceError, RangeError for runaway recursion, ...).
	Runtime Kind = iota + 1
	// Syntax is a script that does not parse.
	Syntax
	// Timeout is a script still running when Config.Timeout passed.
	Timeout
	// OutputTooLarge is a result whose JSON is larger than
	// Config.MaxOutputSize, or one that cannot be JSON at all (it contains
	// itself, or nests too deep).
	OutputTooLarge
	// MemoryLimit is a script that built more than Config.MaxHeapGrowth or
	// Config.MaxStringLength allow.
	MemoryLimit
)

// Sentinels for errors.Is: errors.Is(err, script.ErrTimeout) holds for an
// *Error of Kind Timeout.
var (
	ErrRuntime        = errors.New("script: runtime error")
	ErrSyntax         = errors.New("script: syntax error")
	ErrTimeout        = errors.New("script: timed out")
	ErrOutputTooLarge = errors.New("script: result too large")
	ErrMemoryLimit    = errors.New("script: memory limit")
)

func (k Kind) sentinel() error {
	switch k {
	case Runtime:
		return ErrRuntime
	case Syntax:
		return ErrSyntax
	case Timeout:
		return ErrTimeout
	case OutputTooLarge:
		return ErrOutputTooLarge
	case MemoryLimit:
		return ErrMemoryLimit
	}
	return nil
}

func (k Kind) String() string {
	switch k {
	case Runtime:
		return "Runtime"
	case Syntax:
		return "Syntax"
	case Timeout:
		return "Timeout"
	case OutputTooLarge:
		return "OutputTooLarge"
	case MemoryLimit:
		return "MemoryLimit"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a failed evaluation. Its message is the one Conductor puts in an
// INLINE task's reasonForIncompletion and output "error" where Conductor has
// one (ScriptEvaluator): "Error evaluating the script `TypeError: ...` at line
// 1" for a throw or a syntax error, "Script not evaluated within 4 seconds,
// interrupted." for a timeout.
type Error struct {
	Kind    Kind
	Message string
	// Line is the script line the error points at, 1-based; 0 when unknown.
	Line int
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, ErrTimeout) and the other sentinels work.
func (e *Error) Is(target error) bool { return target != nil && target == e.Kind.sentinel() }

// Terminal reports whether Conductor's Inline task fails with
// FAILED_WITH_TERMINAL_ERROR (no retry) rather than FAILED for this error:
// ScriptEvaluator raises TerminateWorkflowException for script errors, but a
// timeout is a NonTransientException, which Inline marks FAILED. A result too
// large or too hungry fails the same way on every retry, so it is terminal too.
func (e *Error) Terminal() bool { return e.Kind != Timeout }
