package script

import (
	"context"
	"testing"
)

// BenchmarkEvalSwitch is a typical SWITCH expression: a fresh VM, `$` built
// from a small input, a cached program.
func BenchmarkEvalSwitch(b *testing.B) {
	sb := New(Config{})
	input := map[string]any{"x": 7, "evaluatorType": "javascript", "expression": "$.x > 5 ? 'big' : 'small'"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		got, err := sb.Eval(ctx, "$.x > 5 ? 'big' : 'small'", input)
		if err != nil || got != "big" {
			b.Fatal(got, err)
		}
	}
}

func BenchmarkEvalSwitchParallel(b *testing.B) {
	sb := New(Config{})
	input := map[string]any{"x": 7}
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := sb.Eval(ctx, "$.x > 5 ? 'big' : 'small'", input); err != nil {
				b.Fatal(err)
			}
		}
	})
}
