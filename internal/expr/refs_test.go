package expr

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRefs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{name: "workflow and task", in: "${workflow.input.a} ${fetch.output.b}", want: []string{"workflow", "fetch"}},
		{name: "repeats once", in: []any{"${t1.output.a}", "${t1.output.b}"}, want: []string{"t1"}},
		{name: "nested", in: "${workflow.input.${t1.output.key}}", want: []string{"workflow", "t1"}},
		{name: "computed first segment", in: "${${t1.output.ref}.output}", want: []string{"t1"}},
		{name: "root prefix and brackets", in: "${$.t1.output} ${['t 2'].output} ${$['t3']}", want: []string{"t1", "t 2", "t3"}},
		{name: "names and functions", in: "${CPEWF_TASK_ID} ${items.length()} ${HOSTNAME}", want: []string{"CPEWF_TASK_ID", "items", "HOSTNAME"}},
		{name: "nothing to name", in: "${} ${$..id} ${[0]} ${*} $${escaped.x} ${unclosed", want: nil},
		{name: "maps in key order", in: map[string]any{"b": "${tb.output}", "a": []any{"${ta.output}", 3.0}}, want: []string{"ta", "tb"}},
		{name: "non-strings", in: []any{1.0, true, nil}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, Refs(tt.in))
		})
	}
}
