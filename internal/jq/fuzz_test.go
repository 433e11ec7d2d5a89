package jq

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// FuzzTransform: any query on a small input returns results or an *Error,
// never panics, and never runs much past the time limit.
func FuzzTransform(f *testing.F) {
	for _, seed := range []string{
		".inputJson.key[0]",
		".a[] | select(. > 1)",
		"{a: .x, b: [.list[] * 2]}",
		"last(repeat(1))",
		"[range(1e6)]",
		`"x" * 1000`,
		"{",
		"error({})",
		"$ENV.PATH",
		"def f: f; f",
	} {
		f.Add(seed, `{"x": 7, "list": [1, 2], "a": [1, 2, 3], "s": "str"}`)
	}
	c := New(Config{Size: 16, Timeout: 50 * time.Millisecond, MaxOutputSize: 64 << 10})
	f.Fuzz(func(t *testing.T, query, inputJSON string) {
		var input map[string]any
		_ = json.Unmarshal([]byte(inputJSON), &input)
		start := time.Now()
		result, list, err := c.Transform(context.Background(), query, input)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Transform(%q) took %s with a 50ms limit", query, d)
		}
		if err != nil {
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("Transform(%q): %T %v is not an *Error", query, err, err)
			}
			return
		}
		if len(list) > 0 && !equalJSON(t, result, list[0]) {
			t.Fatalf("Transform(%q): result %v is not resultList[0] %v", query, result, list[0])
		}
		if _, err := json.Marshal(list); err != nil {
			t.Fatalf("Transform(%q) = %#v, not JSON: %v", query, list, err)
		}
	})
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
