package script

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// FuzzEval: any expression on a small input returns a value or an error,
// never panics, and never runs much past the time limit.
func FuzzEval(f *testing.F) {
	for _, seed := range []string{
		"$.x > 5 ? 'big' : 'small'",
		"(function(){ return {a: [1, 2.5, 'x', null, true]} })()",
		"while(true){}",
		"function f(){ return f() } f()",
		"var a = {}; a.a = a; a",
		"'x'.repeat(1e9)",
		"new Map([[{}, 1]])",
		"throw {toString(){ throw 1 }}",
		"[].constructor.constructor('return this')()",
		"1 +",
	} {
		f.Add(seed, `{"x": 7, "list": [1, 2], "s": "str"}`)
	}
	sb := New(Config{Timeout: 50 * time.Millisecond, MaxOutputSize: 64 << 10, MaxStringLength: 1 << 20, MaxHeapGrowth: 64 << 20})
	f.Fuzz(func(t *testing.T, expr, inputJSON string) {
		var input map[string]any
		_ = json.Unmarshal([]byte(inputJSON), &input)
		start := time.Now()
		got, err := sb.Eval(context.Background(), expr, input)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Eval(%q) took %s with a 50ms limit", expr, d)
		}
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("Eval(%q): %T %v is not an *Error", expr, err, err)
			}
			return
		}
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("Eval(%q) = %#v, not JSON: %v", expr, got, err)
		}
	})
}
