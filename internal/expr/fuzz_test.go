package expr

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzResolve checks that no input string makes Resolve, Eval or Refs panic,
// that text without "${" comes back unchanged, and that the fast path for
// simple references agrees with the full compiler.
func FuzzResolve(f *testing.F) {
	for _, seed := range []string{
		"${workflow.input.count}", "x ${workflow.input.tags} y", "$${a} ${b}", "${${${a}}}", "${a.${b}[${c}]}",
		"${workflow.input.items[?(@.qty > 1 && @.id in ['a','b'] || !@.x)].id}", "${$..id}", "${a[-1:2]}",
		"${a['b','c']}", "${a.length()}", "${a.sum(1,2)}", "${x{${y}", "}${{a${a}", "${a[?(@.b =~ /x/i)]}",
		"${workflow.secrets.X}", "${CPEWF_TASK_ID}", "${ }", "${a[?(@ == {'x':[1]})]}", "${['a\\'b']}",
	} {
		f.Add(seed)
	}
	doc := testDoc(f)
	opts := Options{TaskID: "t", Env: func(name string) (string, bool) { return "env", name == "HOSTNAME" }}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Resolve(map[string]any{"k": s, "l": []any{s}}, doc, opts)
		if err == nil && !strings.Contains(s, "${") {
			require.Equal(t, s, got["k"])
		}
		Refs(s)
		_, _ = Eval(s, doc)

		if fast, ok := fastRead(s, doc); ok {
			p, perr := compilePath(javaTrim(s))
			require.Nil(t, perr, "%q", s)
			require.Equal(t, p.read(doc, doc), fast, "%q", s)
		}
	})
}
