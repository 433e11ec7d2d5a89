package engine

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// taskTypesDoc is the adopters' list of task types this test keeps true.
var taskTypesDoc = filepath.Join("..", "..", "docs", "task-types.md")

// docTypeRows returns, for the table under the heading titled section in
// taskTypesDoc, each row's type (its first cell, in backquotes) and its
// second cell.
func docTypeRows(t *testing.T, section string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(taskTypesDoc)
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(b), "\n## "+section+"\n")
	require.True(t, ok, "%s has no section %q", taskTypesDoc, section)
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	rows := map[string]string{}
	for line := range strings.Lines(rest) {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), " | ")
		require.GreaterOrEqual(t, len(cells), 2, "%s: %q", taskTypesDoc, line)
		typ := strings.Trim(strings.TrimSpace(cells[0]), "`")
		require.NotContains(t, rows, typ, "%s lists %s twice under %q", taskTypesDoc, typ, section)
		rows[typ] = strings.TrimSpace(cells[1])
	}
	return rows
}

// TestTaskTypesDoc: docs/task-types.md lists exactly the task types the
// engine runs, each with where it runs, and exactly the types it refuses.
func TestTaskTypesDoc(t *testing.T) {
	t.Parallel()
	runs := docTypeRows(t, "Task types Baton runs")
	kinds := newTaskKinds()
	want := map[string]string{}
	for typ, kind := range kinds.m {
		if typ == taskTypeFork { // a task row's type, not one a definition uses
			continue
		}
		switch {
		case !kind.system() && typ == "SIMPLE":
			want[typ] = "worker"
		case !kind.system():
			want[typ] = "expands"
		case kind.async():
			want[typ] = "server, async"
		default:
			want[typ] = "server"
		}
	}
	require.Equal(t, want, runs, "%s's table of the task types Baton runs, and the 'runs' column, must match the engine's task kinds", taskTypesDoc)

	refused := docTypeRows(t, "Task types Baton refuses")
	var got, wantRefused []string
	for typ, why := range refused {
		got = append(got, typ)
		require.Equal(t, unsupportedTypes[typ], "it needs "+why, "%s: why %s is refused", taskTypesDoc, typ)
	}
	for typ := range unsupportedTypes {
		wantRefused = append(wantRefused, typ)
	}
	slices.Sort(got)
	slices.Sort(wantRefused)
	require.Equal(t, wantRefused, got, "%s's table of refused task types must match the engine's", taskTypesDoc)
}
