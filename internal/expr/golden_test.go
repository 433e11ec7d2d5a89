package expr

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testdata/jayway_golden.json holds expressions with the results that
// Conductor's resolution gives them: an out-of-tree Java harness replays
// ParametersUtils.replaceVariables (its PATTERN, nested resolution, env and
// secret rules) on json-path 2.4.0 with SUPPRESS_EXCEPTIONS and records each
// result's Java type and value. Map keys are sorted in that harness, as Go
// maps are printed here. Where Conductor substitutes null for an invalid path
// (type "error"), Resolve must return a *SyntaxError.
type goldenGroup struct {
	Doc    map[string]any    `json:"doc"`
	Env    map[string]string `json:"env"`
	TaskID string            `json:"taskId"`
	Cases  []struct {
		Expr string `json:"expr"`
		Type string `json:"type"` // string, number, bool, null, map, list, jsonarray or error
		Want any    `json:"want"`
	} `json:"cases"`
}

func TestJaywayGolden(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/jayway_golden.json")
	require.NoError(t, err)
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber() // keeps 2.0 apart from 2, as Jackson does
	var groups []goldenGroup
	require.NoError(t, dec.Decode(&groups))

	for _, g := range groups {
		opts := Options{TaskID: g.TaskID, Env: func(name string) (string, bool) {
			v, ok := g.Env[name]
			return v, ok
		}}
		for _, c := range g.Cases {
			got, err := Resolve(map[string]any{"k": c.Expr}, g.Doc, opts)
			if c.Type == "error" {
				var syntaxErr *SyntaxError
				require.ErrorAs(t, err, &syntaxErr, "%q", c.Expr)
				continue
			}
			require.NoError(t, err, "%q", c.Expr)
			if c.Type == "string" {
				require.Equal(t, c.Want, got["k"], "%q", c.Expr)
				continue
			}
			require.JSONEq(t, jsonText(t, c.Want), jsonText(t, got["k"]), "%q", c.Expr)
			_, isString := got["k"].(string)
			require.False(t, isString, "%q: want a %s", c.Expr, c.Type)
		}
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	require.NoError(t, enc.Encode(v))
	return b.String()
}
