package engine

import (
	"context"

	"github.com/batonhq/baton/internal/expr"
)

// Evaluators of SWITCH expressions (execution/evaluators): value-param
// reads an input key; javascript and graaljs run the expression in the
// engine's script sandbox with $ bound to the input.

const (
	evaluatorValueParam = "value-param"
	evaluatorJavascript = "javascript"
	evaluatorGraalJS    = "graaljs"
)

func knownEvaluator(name string) bool {
	switch name {
	case evaluatorValueParam, evaluatorJavascript, evaluatorGraalJS:
		return true
	}
	return false
}

// evaluate runs a SWITCH expression with the named evaluator, one of those
// knownEvaluator accepts.
func (e *Engine) evaluate(ctx context.Context, evaluator, expression string, input map[string]any) (any, error) {
	if evaluator == evaluatorValueParam {
		return input[expression], nil // ValueParamEvaluator
	}
	return e.evalScript(ctx, expression, input)
}

// caseString is Java's "" + value, which Conductor uses to turn an
// evaluation result into a case key: null is "null", integral numbers
// print as integers.
func caseString(v any) string { return expr.JavaString(v) }

// truthy is ScriptEvaluator.toBoolean: a boolean as is, a number when
// positive, anything else false.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x > 0
	case float32:
		return x > 0
	case int:
		return x > 0
	case int64:
		return x > 0
	case int32:
		return x > 0
	}
	return false
}

// evalScript runs a JavaScript expression with $ bound to input in the
// engine's sandbox. Its errors (*script.Error: syntax, runtime, timeout,
// output too large) read as they are, with the script's own message.
func (e *Engine) evalScript(ctx context.Context, expression string, input map[string]any) (any, error) {
	return e.scripts.Eval(ctx, expression, input)
}
