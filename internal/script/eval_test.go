package script

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// The cases Conductor's own tests hold its evaluators to (InlineTest,
// JavascriptEvaluatorTest, GraalJSEvaluatorTest), then the conversions of
// ScriptEvaluator.getObject.
func TestEvalResults(t *testing.T) {
	t.Parallel()
	sb := New(Config{})
	tests := []struct {
		name  string
		expr  string
		input map[string]any
		want  any
	}{
		{"arithmetic", "$.value * 2", map[string]any{"value": 42}, int64(84)},
		{"nested", "$.level1.level2.value", map[string]any{"level1": map[string]any{"level2": map[string]any{"value": "deep"}}}, "deep"},
		{"template literal", "(function() { const greeting = 'Hello'; return `${greeting}, ${$.name}!`; })()", map[string]any{"name": "Conductor"}, "Hello, Conductor!"},
		{"array methods", "$.numbers.filter(n => n > 2).map(n => n * 2)", map[string]any{"numbers": []any{1, 2, 3, 4, 5}}, []any{int64(6), int64(8), int64(10)}},
		{"reduce", "$.values.reduce((sum, val) => sum + val, 0)", map[string]any{"values": []any{10, 20, 30, 40, 50}}, int64(150)},
		{"null input value", "$.value === null ? 'null value' : $.value", map[string]any{"value": nil}, "null value"},
		{"function statement then call", `function e() { if ($.value == 101){return {"evalResult": true}} else { return {"evalResult": false}}} e();`, map[string]any{"value": 101}, map[string]any{"evalResult": true}},
		{"switch expression", "$.x > 5 ? 'big' : 'small'", map[string]any{"x": 7}, "big"},
		{"missing key is undefined", "$.nope", nil, nil},
		{"undefined is null", "undefined", nil, nil},
		{"integral double is an integer", "3.0", nil, int64(3)},
		{"fraction stays a double", "1.5", nil, 1.5},
		{"division", "$.a / $.b", map[string]any{"a": 1, "b": 4}, 0.25},
		{"long", "Math.pow(2, 40)", nil, int64(1 << 40)},
		{"beyond long is a double", "1e20", nil, 1e20},
		{"negative zero stays a double", "-0", nil, 0.0},
		{"NaN as Jackson writes it", "0/0", nil, "NaN"},
		{"Infinity", "1/0", nil, "Infinity"},
		{"-Infinity", "-1/0", nil, "-Infinity"},
		// A JavaScript number is a double, in goja as in GraalJS: a long past 2^53 rounds.
		{"long input past 2^53 rounds", "$.n", map[string]any{"n": int64(1<<62 + 1)}, int64(1 << 62)},
		{"json.Number input", "$.n + 1", map[string]any{"n": json.Number("41")}, int64(42)},
		{"typed input goes through JSON", "$.tags.length", map[string]any{"tags": []string{"a", "b"}}, int64(2)},
		{"array holes are null", "[1,,3]", nil, []any{int64(1), nil, int64(3)}},
		{"function is an empty map", "(function f() {})", nil, map[string]any{}},
		{"Date is an empty map", "new Date(0)", nil, map[string]any{}},
		{"Error is an empty map", "new Error('x')", nil, map[string]any{}},
		{"Set is an empty map", "new Set([1])", nil, map[string]any{}},
		{"Symbol is an empty map", "Symbol('s')", nil, map[string]any{}},
		{"Map is its entries", "new Map([['a', 1], [2, 'b']])", nil, map[string]any{"a": int64(1), "2": "b"}},
		{"no binary buffers", "typeof Uint8Array + typeof ArrayBuffer", nil, "undefinedundefined"},
		{"BigInt", "10n ** 3n", nil, int64(1000)},
		{"getter runs", "({get a() { return 1 }})", nil, map[string]any{"a": int64(1)}},
		{"only enumerable keys", "Object.defineProperty({b: 2}, 'a', {value: 1})", nil, map[string]any{"b": int64(2)}},
		{"shared reference is copied", "(function(){ var a = {x: 1}; return [a, a]; })()", nil, []any{map[string]any{"x": int64(1)}, map[string]any{"x": int64(1)}}},
		{"keys in sorted order", "Object.keys($).join()", map[string]any{"b": 1, "a": 2, "c": 3}, "a,b,c"},
		{"JSON.stringify of $", "JSON.stringify($)", map[string]any{"a": []any{1, "x", true, nil}}, `{"a":[1,"x",true,null]}`},
		{"let at top level twice", "let x = 1; x", nil, int64(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := sb.Eval(context.Background(), tt.expr, tt.input)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

// A script mutates its own copy of `$` (JavascriptEvaluatorTest
// testDeepCopyProtection), and top-level declarations do not outlive one
// evaluation (Conductor's Context pool is off for that reason).
func TestEvalIsolation(t *testing.T) {
	t.Parallel()
	sb := New(Config{})
	nested := map[string]any{"original": "value"}
	input := map[string]any{"data": nested, "list": []any{1}}
	got, err := sb.Eval(context.Background(), "$.data.newKey = 'new value'; $.list.push(2); $.data.newKey", input)
	require.NoError(t, err)
	require.Equal(t, "new value", got)
	require.Equal(t, map[string]any{"original": "value"}, nested)
	require.Equal(t, []any{1}, input["list"])

	for range 2 {
		got, err := sb.Eval(context.Background(), "const k = 1; globalThis.leak = (globalThis.leak || 0) + 1; leak + k", nil)
		require.NoError(t, err)
		require.Equal(t, int64(2), got)
	}
}

// Lists in `$` answer get(i) as the Java Lists Conductor binds do
// (DoWhileSpec's "$.list.get($.iterator - 1)"), and nothing else changes:
// the method is not enumerable, arrays a script makes do not have it, and
// maps gain nothing.
func TestEvalJavaListGet(t *testing.T) {
	t.Parallel()
	sb := New(Config{})
	input := map[string]any{"list": []any{"a", []any{1, 2}, map[string]any{"k": "v"}}, "i": 2, "m": map[string]any{"x": 1}}
	tests := []struct {
		name string
		expr string
		want any
	}{
		{"get", "$.list.get(0)", "a"},
		{"get with an expression", "function f() { return $.list.get($.i - 1); } f();", []any{int64(1), int64(2)}},
		{"nested list", "$.list.get(1).get(1)", int64(2)},
		{"map inside a list", "$.list.get(2).k", "v"},
		{"index as a string of digits", "$.list.get('0')", "a"},
		{"length and indexing still work", "$.list.length + ':' + $.list[0]", "3:a"},
		{"not enumerable", "Object.keys($.list).join() + ' ' + JSON.stringify($.list.get(1))", "0,1,2 [1,2]"},
		{"for-in sees indexes only", "var ks = []; for (var k in $.list) ks.push(k); ks.join()", "0,1,2"},
		{"returned list converts as an array", "$.list.get(1)", []any{int64(1), int64(2)}},
		{"arrays a script makes have no get", "typeof [1].get + ' ' + typeof $.list.map(x => x).get", "undefined undefined"},
		{"maps gain nothing", "typeof $.m.get + ' ' + typeof $.get", "undefined undefined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := sb.Eval(context.Background(), tt.expr, input)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	for expr, msg := range map[string]string{
		"$.list.get(3)":   "Index 3 out of bounds for length 3",
		"$.list.get(-1)":  "Index -1 out of bounds for length 3",
		"$.list.get(0.5)": "TypeError: get(0.5): the index must be a whole number",
		"$.list.get()":    "TypeError: get(undefined): the index must be a whole number",
	} {
		_, err := sb.Eval(context.Background(), expr, input)
		require.ErrorIs(t, err, ErrRuntime, expr)
		require.Contains(t, err.Error(), msg, expr)
	}
}

// A plain goja runtime offers no I/O; Conductor's InlineTest checks that load
// is gone and Java reflection is out of reach.
func TestEvalHasNoIO(t *testing.T) {
	t.Parallel()
	sb := New(Config{})
	for _, name := range []string{"require", "load", "print", "console", "setTimeout", "setInterval", "setImmediate",
		"fetch", "XMLHttpRequest", "process", "module", "exports", "Java", "Packages", "quit", "exit", "readFile"} {
		got, err := sb.Eval(context.Background(), "typeof "+name, nil)
		require.NoError(t, err)
		require.Equal(t, "undefined", got, name)
	}
	// $ is a plain object: no host class behind it (InlineTest's RCE_EXPRESSION).
	_, err := sb.Eval(context.Background(), "var ck = $.getClass(); ck.getClass()", map[string]any{"a": 1})
	require.ErrorIs(t, err, ErrRuntime)
	require.Contains(t, err.Error(), "TypeError")
}

func TestEvalErrors(t *testing.T) {
	t.Parallel()
	// The time limit is short only where it is what the case checks: on a
	// busy machine a deep recursion may take longer than 50ms.
	short := New(Config{Timeout: 50e6, MaxOutputSize: 1 << 10})
	long := New(Config{Timeout: 30e9, MaxOutputSize: 1 << 10})
	tests := []struct {
		name     string
		expr     string
		kind     error
		message  string
		terminal bool
	}{
		{"throw Error", "throw new Error('boom')", ErrRuntime, "Error evaluating the script `Error: boom` at line 1", true},
		{"throw string", "\n\nthrow 'plain'", ErrRuntime, "Error evaluating the script `plain` at line 3", true},
		{"TypeError", "$.a.b.c", ErrRuntime, "Error evaluating the script `TypeError: Cannot read property 'b' of undefined` at line 1", true},
		{"ReferenceError", "nope + 1", ErrRuntime, "Error evaluating the script `ReferenceError: nope is not defined` at line 1", true},
		{"syntax", "1 +", ErrSyntax, "Error evaluating the script `SyntaxError: ", true},
		{"endless loop", "while(true){}", ErrTimeout, "Script not evaluated within 50ms, interrupted.", false},
		{"endless loop in a catch-all", "for(;;){ try { while(true){} } catch (e) {} }", ErrTimeout, "Script not evaluated within 50ms, interrupted.", false},
		{"runaway recursion", "function f(){ return f() + 1 } f()", ErrRuntime, "Maximum call stack size exceeded", true},
		{"big string", "'x'.repeat(2000)", ErrOutputTooLarge, "Script result is larger than 1024 bytes of JSON", true},
		{"big array", "new Array(1e9)", ErrOutputTooLarge, "Script result is larger than 1024 bytes of JSON", true},
		{"many keys", "var o = {}; for (var i = 0; i < 200; i++) o['k' + i] = i; o", ErrOutputTooLarge, "larger than 1024 bytes", true},
		{"cycle", "var a = {}; a.self = a; a", ErrOutputTooLarge, "contains itself", true},
		{"huge repeat", "'x'.repeat(2 ** 40)", ErrMemoryLimit, "longer than 16777216 characters", true},
		{"huge repeat caught", "try { 'x'.repeat(2 ** 40) } catch (e) { 'caught' }", ErrMemoryLimit, "longer than", true},
		{"huge padStart", "''.padStart(2 ** 40)", ErrMemoryLimit, "longer than", true},
		{"huge sparse join", "new Array(2 ** 32 - 1).join('x')", ErrMemoryLimit, "more than 1048576 elements", true},
		{"huge sparse map", "new Array(2 ** 32 - 1).map(x => x)", ErrMemoryLimit, "more than 1048576 elements", true},
		{"huge array-like", "Array.prototype.fill.call({length: 2 ** 40}, 0)", ErrMemoryLimit, "more than 1048576 elements", true},
		{"huge Array.from", "Array.from({length: 1e9})", ErrMemoryLimit, "more than 1048576 elements", true},
		{"huge replaceAll", "var s = 'x'.repeat(1e6); s.replaceAll('x', s)", ErrMemoryLimit, "longer than", true},
		{"throwing getter in result", "({get a() { throw new Error('in getter') }})", ErrRuntime, "Error evaluating the script `Error: in getter` at line 1", true},
		{"endless getter in result", "({get a() { while(true){} }})", ErrTimeout, "interrupted", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sb := long
			if errors.Is(tt.kind, ErrTimeout) {
				sb = short
			}
			_, err := sb.Eval(context.Background(), tt.expr, nil)
			require.ErrorIs(t, err, tt.kind)
			require.Contains(t, err.Error(), tt.message)
			var se *Error
			require.ErrorAs(t, err, &se)
			require.Equal(t, tt.terminal, se.Terminal())
		})
	}
}

// A string doubled in a loop grows without bound between two interrupt
// checks of nothing; the heap guard stops it well before memory runs out.
func TestEvalStringDoubling(t *testing.T) {
	t.Parallel()
	sb := New(Config{Timeout: 10e9, MaxHeapGrowth: 64 << 20})
	_, err := sb.Eval(context.Background(), "var s = 'x'; while (true) { s += s }", nil)
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrMemoryLimit) || errors.Is(err, ErrTimeout), "%v", err)
	require.ErrorIs(t, err, ErrMemoryLimit)
}

func TestEvalContextCanceled(t *testing.T) {
	t.Parallel()
	sb := New(Config{Timeout: 10e9})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sb.Eval(ctx, "1", nil)
	require.ErrorIs(t, err, context.Canceled)

	ctx, cancel = context.WithCancel(context.Background())
	// The script cancels its own context through a hook: no sleeps needed.
	hook := make(chan struct{})
	go func() { <-hook; cancel() }()
	close(hook)
	_, err = sb.Eval(ctx, "while(true){}", nil)
	require.ErrorIs(t, err, context.Canceled)
	var se *Error
	require.False(t, errors.As(err, &se), "a cancelled caller is not the script's fault")
}

func TestCheck(t *testing.T) {
	t.Parallel()
	sb := New(Config{})
	require.NoError(t, sb.Check("$.a.b.c")) // only the syntax is checked
	err := sb.Check("function (")
	require.ErrorIs(t, err, ErrSyntax)
	var se *Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, 1, se.Line)
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c := Config{}.WithDefaults()
	require.Equal(t, Config{Timeout: 4e9, MaxOutputSize: 1 << 20, MaxCallStackSize: 1024, MaxStringLength: 16 << 20, MaxArrayLength: 1 << 20, MaxHeapGrowth: 128 << 20}, c)
	require.NoError(t, c.Validate())
	require.Error(t, Config{Timeout: -1}.Validate())
	require.Equal(t, c, New(Config{Timeout: -1, MaxOutputSize: -1}).Config())
}
