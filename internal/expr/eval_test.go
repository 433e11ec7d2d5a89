package expr

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// pathDoc is the document for the JSONPath tables. Expected values are what
// Jayway 2.4.0 returns with SUPPRESS_EXCEPTIONS.
func pathDoc(t testing.TB) map[string]any {
	return decode(t, `{
		"store": {
			"name": "corner",
			"book": [
				{"title": "A", "price": 8, "tags": ["x", "y"], "isbn": "1"},
				{"title": "B", "price": 12.5, "tags": []},
				{"title": "C", "price": 5, "tags": ["y"], "isbn": null},
				{"title": "D", "price": "9", "author": {"name": "Ann"}}
			],
			"bike": {"color": "red", "price": 20},
			"odd keys": {"a b": 1, "w.v": 2, "q'r": 3}
		},
		"nums": [3, 1.5, -2, 10],
		"negs": [-3, -1],
		"empty": []
	}`)
}

func TestEvalPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want any
	}{
		// Definite paths.
		{path: "store.name", want: "corner"},
		{path: "$.store.name", want: "corner"},
		{path: "store.book[0].title", want: "A"},
		{path: "store.book[-1].title", want: "D"},
		{path: "store.book[9].title", want: nil},
		{path: "store.book[0].nope", want: nil},
		{path: "store.name.nope", want: nil},
		{path: "store.book.title", want: nil},
		{path: "store.book[2].isbn", want: nil},
		{path: "store['odd keys']['a b']", want: 1.0},
		{path: `store['odd keys']["w.v"]`, want: 2.0},
		{path: `store['odd keys']['q\'r']`, want: 3.0},
		{path: "store.bike['color','price']", want: map[string]any{"color": "red", "price": 20.0}},
		{path: "$", want: pathDoc(t)},
		{path: "store.book[0]x", want: pathDoc(t)["store"].(map[string]any)["book"].([]any)[0]}, // Jayway ignores one stray character
		// Indefinite paths are lists, even when empty.
		{path: "store.book[*].title", want: []any{"A", "B", "C", "D"}},
		{path: "store.bike.*", want: []any{"red", 20.0}},
		{path: "store.book[0,2].title", want: []any{"A", "C"}},
		{path: "store.book[1:3].title", want: []any{"B", "C"}},
		{path: "store.book[-2:].title", want: []any{"C", "D"}},
		{path: "store.book[:1].title", want: []any{"A"}},
		{path: "nums[-2:1]", want: []any{-2.0, 10.0, 3.0}}, // Jayway does not adjust a negative start here
		{path: "store.book[*].isbn", want: []any{"1", nil}},
		{path: "store.book[*].nope", want: []any{}},
		{path: "nope[*]", want: []any{}},
		{path: "$..price", want: []any{20.0, 8.0, 12.5, 5.0, "9"}}, // map keys in sorted order
		{path: "store..name", want: []any{"corner", "Ann"}},
		{path: "$..book[0].title", want: []any{"A"}},
		// Functions.
		{path: "store.book.length()", want: 4},
		{path: "store.bike.size()", want: 2},
		{path: "store.name.length()", want: nil},
		{path: "nums.sum()", want: 12.5},
		{path: "nums.min()", want: -2.0},
		{path: "nums.max()", want: 10.0},
		{path: "nums.avg()", want: 3.125},
		{path: "negs.max()", want: 4.9e-324}, // Jayway's max starts at Double.MIN_VALUE
		{path: "empty.sum()", want: nil},
		{path: "store.book[*].tags.length()", want: []any{2, 0, 1}},
		{path: "store.book[0].tags.concat()", want: "xy"},
		{path: "nums.length(1)", want: 4}, // Jayway reads no argument here
		{path: "nums.nope()", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			got, err := Eval(tt.path, pathDoc(t))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestEvalSyntaxError(t *testing.T) {
	t.Parallel()
	for _, path := range []string{
		"", "a b", "store.", "store..", ".", "store...x", "store[x]", "store[*", "store[1.5]", "store[1 :2]",
		"store[::2]", "$x", "store['a,b']", "store['a'", "store['a' 'b']", "store[?(@.a ==)]", "store[?(@.a == 'x)]",
		"store.sum(1, 2)", "store.sum(1, 2", "store[?(@.a =~ /(/)]", "store[?(@.a in [1,)]",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			_, err := Eval(path, pathDoc(t))
			var syntaxErr *SyntaxError
			require.ErrorAs(t, err, &syntaxErr)
			require.Equal(t, path, syntaxErr.Path)
		})
	}
}
