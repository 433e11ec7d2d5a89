package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

func TestOpenRejectsBadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		name string
		cfg  sqlite.Config
		want string
	}{
		{"no path", sqlite.Config{}, "no Path"},
		{"unknown sync", sqlite.Config{Path: filepath.Join(dir, "a.db"), Sync: "SOMETIMES"}, `unknown Sync "SOMETIMES"`},
		{"negative batch", sqlite.Config{Path: filepath.Join(dir, "a.db"), MaxBatch: -1}, "invalid MaxBatch -1"},
		{"negative readers", sqlite.Config{Path: filepath.Join(dir, "a.db"), Readers: -2}, "invalid Readers -2"},
		{"tiny busy timeout", sqlite.Config{Path: filepath.Join(dir, "a.db"), BusyTimeout: time.Microsecond}, "BusyTimeout"},
		{"missing directory", sqlite.Config{Path: filepath.Join(dir, "no", "such", "dir", "a.db")}, "create it first"},
		{"parent is a file", sqlite.Config{Path: filepath.Join(writeFile(t, dir, "plain", []byte("x")), "a.db")}, "not a directory"},
		{"path is a directory", sqlite.Config{Path: dir}, "not a regular file"},
		{"garbage file", sqlite.Config{Path: writeFile(t, dir, "garbage.db", bytes.Repeat([]byte("not sqlite "), 1000))}, "not a SQLite database or is damaged"},
		{"another program's database", sqlite.Config{Path: foreignDB(t, dir)}, "not a Baton database"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, err := sqlite.Open(context.Background(), tc.cfg)
			require.Error(t, err)
			require.Nil(t, st)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := os.Stat(filepath.Join(dir, "a.db"))
	require.ErrorIs(t, err, os.ErrNotExist, "a rejected config creates no file")
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

// foreignDB creates a SQLite database that some other program made.
func foreignDB(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite", p)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
	require.NoError(t, err)
	return p
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.db")
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	require.NoError(t, err)
	require.NoError(t, st.Close())

	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec("UPDATE schema_version SET version = 99")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	_, err = sqlite.Open(context.Background(), sqlite.Config{Path: path})
	require.ErrorContains(t, err, "schema version 99 is newer than this Baton supports")
}

// TestReopenKeepsData also checks that paths with URI syntax in them are
// taken literally, and that migrations run once.
func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "a dir?x=1#frag%20", "baton.db")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))
	ctx := context.Background()

	st, err := sqlite.Open(ctx, sqlite.Config{Path: path, Logger: logger})
	require.NoError(t, err)
	require.NoError(t, st.PutTaskDef(ctx, model.NewTaskDef("task_1")))
	require.NoError(t, st.Apply(ctx, &store.Batch{Workflows: []*model.Workflow{{WorkflowId: "w", Status: model.WorkflowRunning}}}))
	require.NoError(t, st.Close())
	_, err = os.Stat(path)
	require.NoError(t, err, "the file is where Path says")
	mu.Lock()
	require.Contains(t, logs.String(), "0001_init.sql")
	logs.Reset()
	mu.Unlock()

	st, err = sqlite.Open(ctx, sqlite.Config{Path: path, Logger: logger})
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()
	_, err = st.GetTaskDef(ctx, "task_1")
	require.NoError(t, err)
	_, err = st.GetWorkflow(ctx, "w")
	require.NoError(t, err)
	mu.Lock()
	require.NotContains(t, logs.String(), "migration", "migrations run once")
	mu.Unlock()
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestMemoryStoresAreIndependent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, err := sqlite.Open(ctx, sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	defer a.Close()
	b, err := sqlite.Open(ctx, sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, a.PutTaskDef(ctx, model.NewTaskDef("only_in_a")))
	_, err = b.GetTaskDef(ctx, "only_in_a")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestApplyRejectsUnencodableValues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	defer st.Close()
	w := &model.Workflow{WorkflowId: "w", Status: model.WorkflowRunning, Input: map[string]any{"x": math.NaN()}}
	err = st.Apply(ctx, &store.Batch{Workflows: []*model.Workflow{w},
		Tasks: []*model.WorkerTask{{TaskId: "t", WorkflowInstanceId: "w", Status: model.TaskScheduled}}})
	require.ErrorIs(t, err, store.ErrInvalid)
	_, err = st.GetTask(ctx, "t")
	require.ErrorIs(t, err, store.ErrNotFound)
	def := model.NewTaskDef("d")
	def.InputTemplate = map[string]any{"f": func() {}}
	require.ErrorIs(t, st.PutTaskDef(ctx, def), store.ErrInvalid)
}

// TestApplyRacingClose closes a file store while writers are busy: every
// Apply returns nil or ErrClosed, and each nil is in the file afterwards.
func TestApplyRacingClose(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.db")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: path, Sync: sqlite.SyncNormal})
	require.NoError(t, err)

	progress := make(chan struct{}, 50)
	var (
		mu     sync.Mutex
		acked  []string
		others []error
		wg     sync.WaitGroup
	)
	for g := range 6 {
		wg.Go(func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("w-%d-%d", g, i)
				err := st.Apply(ctx, &store.Batch{Workflows: []*model.Workflow{{WorkflowId: id, Status: model.WorkflowRunning}}})
				mu.Lock()
				if err == nil {
					acked = append(acked, id)
				} else if !errors.Is(err, store.ErrClosed) {
					others = append(others, err)
				}
				mu.Unlock()
				if err != nil {
					return
				}
				select {
				case progress <- struct{}{}:
				default:
				}
			}
		})
	}
	for range cap(progress) {
		<-progress
	}
	require.NoError(t, st.Close())
	wg.Wait()
	require.Empty(t, others, "Apply racing Close returns nil or ErrClosed")
	require.GreaterOrEqual(t, len(acked), cap(progress))

	st, err = sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	defer st.Close()
	for _, id := range acked {
		_, err := st.GetWorkflow(ctx, id)
		require.NoError(t, err, id)
	}
}
