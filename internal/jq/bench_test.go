package jq

import (
	"context"
	"testing"
)

// BenchmarkTransform is a typical JSON_JQ_TRANSFORM: a cached query that
// reshapes a small task input.
func BenchmarkTransform(b *testing.B) {
	c := NewCache(0)
	input := map[string]any{
		"queryExpression": "{names: [.data.items[] | .name], total: (.data.items | length)}",
		"data": map[string]any{"items": []any{
			map[string]any{"name": "a", "qty": 1}, map[string]any{"name": "b", "qty": 2}, map[string]any{"name": "c", "qty": 3},
		}},
	}
	query := input["queryExpression"].(string)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Transform(ctx, query, input); err != nil {
			b.Fatal(err)
		}
	}
}
