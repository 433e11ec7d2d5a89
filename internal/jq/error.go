package jq

import (
	"errors"
	"fmt"
	"strings"

	"github.com/itchyny/gojq"
)

// Kind says why a transform failed.
type Kind int

const (
	// Compile is a query that does not parse or names an unknown function.
	Compile Kind = iota + 1
	// Runtime is an error raised while the query ran (a type error, error/1).
	Runtime
	// Timeout is a query still running when Config.Timeout passed.
	Timeout
	// OutputTooLarge is results larger than Config.MaxOutputSize.
	OutputTooLarge
)

// Sentinels for errors.Is.
var (
	ErrCompile        = errors.New("jq: compile error")
	ErrRuntime        = errors.New("jq: runtime error")
	ErrTimeout        = errors.New("jq: timed out")
	ErrOutputTooLarge = errors.New("jq: result too large")
)

// Error is a failed transform; its message is what goes into the task's
// reasonForIncompletion and output "error" (JsonJqTransform).
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, ErrTimeout) and the other sentinels work.
func (e *Error) Is(target error) bool {
	switch e.Kind {
	case Compile:
		return target == ErrCompile
	case Runtime:
		return target == ErrRuntime
	case Timeout:
		return target == ErrTimeout
	case OutputTooLarge:
		return target == ErrOutputTooLarge
	}
	return false
}

func compileError(query string, err error) *Error {
	var pe *gojq.ParseError
	if errors.As(err, &pe) {
		return &Error{Kind: Compile, Message: fmt.Sprintf(
			"jq query does not parse: %v at offset %d of %q", err, pe.Offset, query)}
	}
	return &Error{Kind: Compile, Message: "jq query does not compile: " + err.Error()}
}

// runtimeError is jq's own message: error("x") gives "x", as jackson-jq's
// does; an error whose value is not a string is written as JSON.
func runtimeError(err error) *Error {
	var ve gojq.ValueError
	if errors.As(err, &ve) {
		if s, ok := ve.Value().(string); ok {
			return &Error{Kind: Runtime, Message: s}
		}
	}
	return &Error{Kind: Runtime, Message: strings.TrimSpace(err.Error())}
}
