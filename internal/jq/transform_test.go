package jq

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The cases of Conductor's JsonJqTransformTest and JsonJQTransformSpec, then
// the number conversions of JsonJqTransform.extractBody.
func TestTransform(t *testing.T) {
	t.Parallel()
	c := NewCache(0)
	transitions := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(`{"request": {"transitions": [{"name": "redeliver"}, {"name": "redeliver_from_validation_error"}, {"name": "redelivery"}]}}`), &transitions))
	tests := []struct {
		name   string
		query  string
		input  map[string]any
		result any
		list   []any
	}{
		{"select", ".inputJson.key[0]", map[string]any{"inputJson": map[string]any{"key": []any{"VALUE"}}}, "VALUE", []any{"VALUE"}},
		{"string result", `if(.data | length >0) then "EXISTS" else "CREATE" end`, map[string]any{"data": []any{}}, "CREATE", []any{"CREATE"}},
		{"list result", ".inputData.request.transitions | map(.name)", map[string]any{"inputData": transitions},
			[]any{"redeliver", "redeliver_from_validation_error", "redelivery"}, []any{[]any{"redeliver", "redeliver_from_validation_error", "redelivery"}}},
		{"map result with alternatives", `{ method: .input.method // "GET", document: .input.document // "rgt_results", successExpression: .input.successExpression // "true" }`,
			map[string]any{"input": map[string]any{"method": "POST", "successExpression": nil}},
			map[string]any{"method": "POST", "document": "rgt_results", "successExpression": "true"}, nil},
		{"null", "null", nil, nil, []any{nil}},
		{"no values", "empty", nil, nil, []any{}},
		{"several values", ".a[]", map[string]any{"a": []any{1, 2, 3}}, int64(1), []any{int64(1), int64(2), int64(3)}},
		{"integer arithmetic", ".a + 1", map[string]any{"a": 41}, int64(42), nil},
		{"int64 input", ".a", map[string]any{"a": int64(1 << 62)}, int64(1 << 62), nil},
		{"json.Number input", ".a * 2", map[string]any{"a": json.Number("21")}, int64(42), nil},
		{"json.Number passes through", ".a", map[string]any{"a": json.Number("12345678901234567")}, int64(12345678901234567), nil},
		{"fraction", ".a / 4", map[string]any{"a": 1}, 0.25, nil},
		{"typed input goes through JSON", ".tags | length", map[string]any{"tags": []string{"a", "b"}}, int64(2), nil},
		{"nan as Jackson writes it", "nan", nil, "NaN", nil},
		{"infinite", "infinite", nil, "Infinity", nil},
		{"no environment", "$ENV | length", nil, int64(0), nil},
		{"no env", "env | length", nil, int64(0), nil},
		{"halt keeps what came before", "1, halt, 2", nil, int64(1), []any{int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			result, list, err := c.Transform(context.Background(), tt.query, tt.input)
			require.NoError(t, err)
			require.Equal(t, tt.result, result)
			if tt.list != nil {
				require.Equal(t, tt.list, list)
			} else {
				require.Equal(t, []any{tt.result}, list)
			}
		})
	}
}

func TestTransformDoesNotChangeInput(t *testing.T) {
	t.Parallel()
	inner := map[string]any{"n": int64(1)}
	input := map[string]any{"a": inner, "l": []any{int32(1)}}
	_, _, err := NewCache(1).Transform(context.Background(), ".a.n = 5 | .l[0] = 2", input)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"n": int64(1)}, inner)
	require.Equal(t, []any{int32(1)}, input["l"])
}

func TestTransformErrors(t *testing.T) {
	t.Parallel()
	c := New(Config{Timeout: 50e6, MaxOutputSize: 1 << 10})
	tests := []struct {
		name    string
		query   string
		input   map[string]any
		kind    error
		message string
	}{
		{"parse", "{", nil, ErrCompile, "jq query does not parse: unexpected EOF"},
		{"unknown function", "nope(1)", nil, ErrCompile, "jq query does not compile: function not defined: nope/1"},
		{"index a string", ".a.array", map[string]any{"a": "abc"}, ErrRuntime, `expected an object but got: string ("abc")`},
		{"error/1", `error("custom")`, nil, ErrRuntime, "custom"},
		{"error with an object", `error({a: 1})`, nil, ErrRuntime, `error: {"a":1}`},
		{"input is not allowed", "input", nil, ErrCompile, "input(s)/0 is not allowed"},
		{"endless", "last(repeat(1))", nil, ErrTimeout, "jq query not evaluated within 50ms, interrupted."},
		{"endless, no output", "last(range(1e18))", nil, ErrTimeout, "interrupted"},
		{"big output", `[range(1000)]`, nil, ErrOutputTooLarge, "larger than 1024 bytes"},
		{"big string", `"x" * 2000`, nil, ErrOutputTooLarge, "larger than 1024 bytes"},
		{"many outputs", `range(1000)`, nil, ErrOutputTooLarge, "larger than 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := c.Transform(context.Background(), tt.query, tt.input)
			require.ErrorIs(t, err, tt.kind)
			require.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestTransformContextCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := NewCache(1).Transform(ctx, "repeat(1)", nil)
	require.ErrorIs(t, err, context.Canceled)
	var je *Error
	require.NotErrorAs(t, err, &je)
}

func TestCacheBounded(t *testing.T) {
	t.Parallel()
	c := NewCache(2)
	for i := range 5 {
		_, _, err := c.Transform(context.Background(), fmt.Sprintf(". + %d", i), nil)
		require.Error(t, err) // {} + number
	}
	require.Equal(t, 2, c.Len())

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			r, _, err := c.Transform(context.Background(), fmt.Sprintf(".a + %d", i%3), map[string]any{"a": 1})
			if err == nil && r != int64(1+i%3) {
				err = fmt.Errorf("got %v", r)
			}
			require.NoError(t, err)
		})
	}
	wg.Wait()
	require.Equal(t, 2, c.Len())
}
