package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

// writeWorkflows applies workflows w<from>..w<to-1>, each with one task
// and one log line.
func writeWorkflows(ctx context.Context, st store.Store, from, to int) error {
	for i := from; i < to; i++ {
		id := fmt.Sprintf("w%d", i)
		err := st.Apply(ctx, &store.Batch{
			Workflows: []*model.Workflow{{WorkflowId: id, WorkflowName: "wf", Status: model.WorkflowCompleted, CreateTime: int64(i)}},
			Tasks:     []*model.WorkerTask{{TaskId: id + "-t", WorkflowInstanceId: id, Status: model.TaskCompleted}},
			Logs:      []model.TaskExecLog{{TaskId: id + "-t", Log: "line"}},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// checkCopy opens a backup with a plain connection (integrity_check) and
// then as a store, and returns how many workflows it holds.
func checkCopy(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	var ok string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&ok))
	require.Equal(t, "ok", ok)
	var n int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM workflows").Scan(&n))
	var tasks int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM tasks").Scan(&tasks))
	require.Equal(t, n, tasks, "every workflow's task is in the copy with it")
	require.NoError(t, db.Close())

	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	require.NoError(t, err, "the copy opens as a Baton database")
	defer func() { require.NoError(t, st.Close()) }()
	_, err = st.GetWorkflow(context.Background(), "w0")
	require.NoError(t, err)
	return n
}

// TestBackupWhileWriting copies a database, from the open store and from a
// connection of its own, while another goroutine keeps writing to it.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "baton.db")
	st, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()
	require.NoError(t, writeWorkflows(ctx, st, 0, 50))

	// The writer runs until both copies are made; each copy is taken
	// after at least one more write landed.
	stop := make(chan struct{})
	wrote := make(chan int, 1)
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 50; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if writeErr = writeWorkflows(ctx, st, i, i+1); writeErr != nil {
				return
			}
			select {
			case wrote <- i:
			default:
			}
		}
	}()
	<-wrote
	fromStore := filepath.Join(dir, "from-store.db")
	require.NoError(t, st.Backup(ctx, fromStore))
	<-wrote
	fromFile := filepath.Join(dir, "from-file.db")
	require.NoError(t, sqlite.Backup(ctx, path, fromFile))
	close(stop)
	wg.Wait()
	require.NoError(t, writeErr)

	require.GreaterOrEqual(t, checkCopy(t, fromStore), 51)
	require.GreaterOrEqual(t, checkCopy(t, fromFile), 51)
}

func TestBackupOfMemoryStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()
	require.NoError(t, writeWorkflows(ctx, st, 0, 3))
	dest := filepath.Join(t.TempDir(), "copy.db")
	require.NoError(t, st.Backup(ctx, dest))
	require.Equal(t, 3, checkCopy(t, dest))
}

func TestBackupRefusesBadPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "baton.db")
	st, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	require.NoError(t, st.Close())
	exists := filepath.Join(dir, "exists.db")
	require.NoError(t, os.WriteFile(exists, []byte("keep me"), 0o600))
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	require.NoError(t, err)
	_, err = db.Exec("CREATE TABLE customers (id INTEGER)")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	for _, tc := range []struct{ src, dest, msg string }{
		{path, exists, "the file exists; remove it or name a new one"},
		{path, "", "give the file to write the copy to"},
		{path, filepath.Join(dir, "no-such-dir", "x.db"), "does not exist (create it first)"},
		{filepath.Join(dir, "missing.db"), filepath.Join(dir, "a.db"), "no such file or directory"},
		{dir, filepath.Join(dir, "b.db"), "not a regular file"},
		{other, filepath.Join(dir, "c.db"), "not a Baton database"},
		{exists, filepath.Join(dir, "d.db"), "not a SQLite database"},
	} {
		err := sqlite.Backup(ctx, tc.src, tc.dest)
		require.ErrorContains(t, err, tc.msg, "%s -> %s", tc.src, tc.dest)
	}
	b, err := os.ReadFile(exists)
	require.NoError(t, err)
	require.Equal(t, "keep me", string(b), "a backup never overwrites a file")
	_, err = os.Stat(filepath.Join(dir, "missing.db"))
	require.ErrorIs(t, err, os.ErrNotExist, "a backup never creates its source")
}
