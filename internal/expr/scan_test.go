package expr

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Every expected span below is what java.util.regex finds with
// ParametersUtils.PATTERN.
func TestNextSpan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []span
	}{
		{in: "${a}", want: []span{{0, 4}}},
		{in: "${a} ${b}", want: []span{{0, 4}, {5, 9}}},
		{in: "${a}${b}", want: []span{{0, 4}, {4, 8}}},
		{in: "a${}", want: []span{{1, 4}}},
		{in: "${a.${b}}", want: []span{{0, 9}}},
		{in: "${map.${key}[${idx}]}", want: []span{{0, 21}}},
		{in: "${{}}", want: []span{{0, 5}}},
		{in: "${a{b}c}", want: []span{{0, 8}}},
		{in: "${a}b}", want: []span{{0, 4}}},
		{in: "${a}}${", want: []span{{0, 4}}},
		{in: "${{a}b}{c}", want: []span{{0, 7}}},
		{in: "${${a}}${b}", want: []span{{0, 7}, {7, 11}}},
		{in: "{${}", want: []span{{1, 4}}},
		{in: "$${a} ${b}", want: []span{{6, 10}}},
		// Nothing: escapes, unclosed braces.
		{in: "$${}"},
		{in: "$$${a}"},
		{in: "a$${b}}"},
		{in: "${a"},
		{in: "x}"},
		{in: "${{b}"},
		// A ${ that never closes leaves Java's regex groups set, which hides
		// the balanced ${...} after it.
		{in: "${${}"},
		{in: "${${a}"},
		{in: "}${{a${a}"},
		{in: "${x{${y}"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var got []span
			for m, ok := nextSpan(tt.in, 0); ok; m, ok = nextSpan(tt.in, m.end) {
				got = append(got, m)
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestIsBlank(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"": true, "  ": true, "\t\n\r\v\f": true, "\u2003\u3000": true, "\u001c": true,
		"\u00a0": false, "\u202f": false, " a ": false,
	} {
		require.Equal(t, want, isBlank(in), "%q", in)
	}
}
