package jq

import (
	"context"
	"errors"
	"fmt"

	"github.com/itchyny/gojq"
)

// Transform runs queryExpression on input as JsonJqTransform does and
// returns what Conductor puts in the task output: result, the first value
// (nil when there is none), and resultList, all of them ([] when none). The
// error is an *Error whose message is for reasonForIncompletion, or the
// error of ctx when ctx ended first.
func (c *Cache) Transform(ctx context.Context, queryExpression string, input map[string]any) (result any, resultList []any, err error) {
	code, err := c.compile(queryExpression)
	if err != nil {
		return nil, nil, err
	}
	in, err := normalize(input)
	if err != nil {
		return nil, nil, err
	}
	if in == nil {
		in = map[string]any{}
	}
	runCtx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	defer func() {
		if r := recover(); r != nil { // a gojq bug must not take the server down
			result, resultList, err = nil, nil, &Error{Kind: Runtime, Message: fmt.Sprintf("jq query failed: %v", r)}
		}
	}()
	conv := converter{left: c.cfg.MaxOutputSize, limit: c.cfg.MaxOutputSize}
	resultList = []any{}
	iter := code.RunWithContext(runCtx, in)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if e, ok := v.(error); ok {
			var halt *gojq.HaltError
			if errors.As(e, &halt) && halt.Value() == nil {
				break // halt: stop quietly, keeping what came before
			}
			if errors.Is(e, context.DeadlineExceeded) || errors.Is(e, context.Canceled) {
				if ctx.Err() != nil {
					return nil, nil, fmt.Errorf("jq: %w", context.Cause(ctx))
				}
				return nil, nil, &Error{Kind: Timeout, Message: fmt.Sprintf(
					"jq query not evaluated within %s, interrupted.", c.cfg.Timeout)}
			}
			return nil, nil, runtimeError(e)
		}
		out, err := conv.value(v, 0)
		if err != nil {
			return nil, nil, err
		}
		resultList = append(resultList, out)
	}
	if len(resultList) > 0 {
		result = resultList[0]
	}
	return result, resultList, nil
}
