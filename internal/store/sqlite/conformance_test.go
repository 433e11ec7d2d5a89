package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	cases := map[string]func(t *testing.T) sqlite.Config{
		"File": func(t *testing.T) sqlite.Config {
			return sqlite.Config{Path: filepath.Join(t.TempDir(), "baton.db")}
		},
		"Memory": func(*testing.T) sqlite.Config { return sqlite.Config{Path: sqlite.MemoryPath} },
		// Every write in its own transaction: the path without group commit.
		"FileUngrouped": func(t *testing.T) sqlite.Config {
			return sqlite.Config{Path: filepath.Join(t.TempDir(), "baton.db"), MaxBatch: 1, Sync: sqlite.SyncNormal}
		},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t *testing.T) store.Store {
				st, err := sqlite.Open(t.Context(), cfg(t))
				require.NoError(t, err)
				return st
			})
		})
	}
}
