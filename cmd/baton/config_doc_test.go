package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// configDoc is the server configuration reference this test keeps true.
var configDoc = filepath.Join("..", "..", "docs", "configuration.md")

// docFlagRows returns the rows of configDoc's flag tables, by flag name:
// the cells after the first of each row "| `--name` | `BATON_...` | ...".
func docFlagRows(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(configDoc)
	require.NoError(t, err)
	rows := map[string][]string{}
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "| `--") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		name := strings.TrimSuffix(strings.TrimPrefix(cells[0], "`--"), "`")
		require.NotContains(t, rows, name, "%s documents --%s twice", configDoc, name)
		rows[name] = cells[1:]
	}
	return rows
}

// TestConfigurationDoc: every flag of `baton server` has a row in
// docs/configuration.md naming its variable and its default, and every row
// there is a flag that exists.
func TestConfigurationDoc(t *testing.T) {
	t.Parallel()
	rows := docFlagRows(t)
	fs, _ := serverFlags(io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		row, ok := rows[f.Name]
		if !ok {
			t.Errorf("%s has no row for --%s: add `| `--%s` | `%s` | default | meaning |` to the table of its topic",
				configDoc, f.Name, f.Name, envName(f.Name))
			return
		}
		delete(rows, f.Name)
		if len(row) != 3 {
			t.Errorf("%s: the row of --%s has %d cells after the flag; want variable, default, meaning", configDoc, f.Name, len(row))
			return
		}
		if want := "`" + envName(f.Name) + "`"; row[0] != want {
			t.Errorf("%s: --%s's variable is %s, documented as %s", configDoc, f.Name, want, row[0])
		}
		wantDefault := "`" + f.DefValue + "`"
		if f.DefValue == "" || f.DefValue == "[]" {
			wantDefault = "(none)"
		}
		if row[1] != wantDefault {
			t.Errorf("%s: --%s defaults to %s, documented as %s", configDoc, f.Name, wantDefault, row[1])
		}
		if row[2] == "" {
			t.Errorf("%s: --%s has no meaning written", configDoc, f.Name)
		}
	})
	for name := range rows {
		t.Errorf("%s documents --%s, which `baton server` does not have", configDoc, name)
	}
}
