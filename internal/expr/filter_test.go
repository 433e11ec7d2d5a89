package expr

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEvalFilters(t *testing.T) {
	t.Parallel()
	books := func(filter string) string { return "store.book[?(" + filter + ")].title" }
	tests := []struct {
		path string
		want any
	}{
		{path: books("@.price > 6"), want: []any{"A", "B"}},
		{path: books("@.price >= 8 && @.price < 12.5"), want: []any{"A"}},
		{path: books("@.price <= 5 || @.title == 'D'"), want: []any{"C", "D"}},
		{path: books("@.title != 'A'"), want: []any{"B", "C", "D"}},
		{path: books(`@.title == "B"`), want: []any{"B"}},
		{path: books("!(@.price > 6)"), want: []any{"C", "D"}},
		{path: books("(@.price > 6) && !(@.title == 'B')"), want: []any{"A"}},
		// A bare path tests presence; a key holding null is present.
		{path: books("@.isbn"), want: []any{"A", "C"}},
		{path: books("!@.isbn"), want: []any{"B", "D"}},
		{path: books("@.author.name"), want: []any{"D"}},
		// A missing key equals nothing, so != holds.
		{path: books("@.isbn != '1'"), want: []any{"B", "C", "D"}},
		{path: books("@.isbn == null"), want: []any{"C"}},
		// Numbers and strings: the left side decides how they compare.
		{path: books("@.price == '9'"), want: []any{"D"}},
		{path: books("@.price == 9"), want: []any{"D"}},
		{path: books("@.price == '8.0'"), want: []any{"A"}},
		{path: books("'8.0' == @.price"), want: []any{}},
		{path: books("@.price > '6'"), want: []any{"D"}}, // two strings
		{path: books("@.price === 9"), want: []any{}},
		{path: books("@.title > 'B'"), want: []any{"C", "D"}},
		// Other operators.
		{path: books("@.title in ['A', 'C']"), want: []any{"A", "C"}},
		{path: books("@.title nin ['A', 'C']"), want: []any{"B", "D"}},
		{path: books("@.tags contains 'y'"), want: []any{"A", "C"}},
		{path: books("@.tags size 1"), want: []any{"C"}},
		{path: books("@.tags empty true"), want: []any{"B"}},
		{path: books("@.tags subsetof ['x', 'y', 'z']"), want: []any{"A", "B", "C"}},
		{path: books("@.title =~ /[ab]/i"), want: []any{"A", "B"}},
		{path: books("@.tags.length() > 1"), want: []any{"A"}},
		{path: books("@.tags == ['x', 'y']"), want: []any{"A"}},
		{path: books("['x', 'y'] == @.tags"), want: []any{}}, // Jayway compares a literal's unparsed text
		{path: books("@.price > $.nums[0]"), want: []any{"A", "B", "C"}},
		// An operator Jayway throws for rejects the item, whatever the rest says.
		{path: books("@.title == 'A' || @.title in 'A'"), want: []any{"A"}},
		{path: books("@.title in 'A' || @.title == 'A'"), want: []any{}},
		// ...and one that is not an InvalidPathException ends the read.
		{path: books("@.title exists 'A'"), want: []any{}},
		// Filters on scalars and maps.
		{path: "nums[?(@ > 2)]", want: []any{3.0, 10.0}},
		{path: "store.bike[?(@.color == 'red')].price", want: []any{20.0}},
		{path: "store.name[?(@ == 'x')]", want: []any{}},
		{path: "$..book[?(@.price < 6)].title", want: []any{"C"}},
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
