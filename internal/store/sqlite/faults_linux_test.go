//go:build linux

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Storage faults. A full disk and a read-only file system are made by the
// kernel where the machine lets the test mount file systems (root or
// CAP_SYS_ADMIN): a small tmpfs, and an ext4 image that turns read-only on
// an error (errors=remount-ro); those tests skip, saying why, elsewhere. A
// stalled commit is made by a hook in the writer (see
// TestStalledCommitRefusesQueuedWrites).

// mountTmpfs mounts a tmpfs of size bytes on a new directory.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs on this machine (needs root or CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() { require.NoError(t, syscall.Unmount(dir, 0)) })
	return dir
}

// mountExt4 makes a 32 MiB ext4 image and mounts it (errors=remount-ro) on
// a new directory; it returns the directory and the kernel's name of the
// file system's device (its /sys/fs/ext4 entry).
func mountExt4(t *testing.T) (dir, dev string) {
	t.Helper()
	base := t.TempDir()
	img, dir := filepath.Join(base, "fs.img"), filepath.Join(base, "mnt")
	require.NoError(t, os.Mkdir(dir, 0o755))
	f, err := os.Create(img)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(32<<20))
	require.NoError(t, f.Close())
	if out, err := exec.Command("mkfs.ext4", "-q", "-F", img).CombinedOutput(); err != nil {
		t.Skipf("cannot make an ext4 image on this machine (mkfs.ext4): %v: %s", err, out)
	}
	if out, err := exec.Command("mount", "-o", "loop,errors=remount-ro", img, dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount an ext4 image on this machine (needs root and loop devices): %v: %s", err, out)
	}
	t.Cleanup(func() {
		out, err := exec.Command("umount", dir).CombinedOutput()
		require.NoError(t, err, "umount: %s", out)
	})
	out, err := exec.Command("findmnt", "-n", "-o", "SOURCE", dir).Output()
	require.NoError(t, err)
	return dir, filepath.Base(strings.TrimSpace(string(out)))
}

// payloadBatch is a workflow and its task carrying about size bytes.
func payloadBatch(id string, size int) *store.Batch {
	b := wfBatch(id)
	b.Workflows[0].Input = map[string]any{"pad": strings.Repeat("x", size)}
	return b
}

// requireAcked checks that every id in acked is stored with its task.
func requireAcked(t *testing.T, s *Store, acked []string) {
	t.Helper()
	ctx := context.Background()
	for _, id := range acked {
		_, err := s.GetWorkflow(ctx, id)
		require.NoError(t, err, "acknowledged workflow %s", id)
		tasks, err := s.GetWorkflowTasks(ctx, id)
		require.NoError(t, err)
		require.Len(t, tasks, 1, "task of acknowledged workflow %s", id)
	}
}

// integrityCheck runs PRAGMA integrity_check on a closed database file.
func integrityCheck(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer func() { require.NoError(t, db.Close()) }()
	var res string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&res))
	require.Equal(t, "ok", res)
}

func TestFullDiskRefusesWritesAndRecovers(t *testing.T) {
	t.Parallel()
	dir := mountTmpfs(t, 4<<20)
	path := filepath.Join(dir, "baton.db")
	s, err := Open(context.Background(), Config{Path: path})
	require.NoError(t, err)
	ctx := context.Background()

	var acked []string
	for i := range 10 {
		id := fmt.Sprintf("before-%d", i)
		require.NoError(t, s.Apply(ctx, payloadBatch(id, 1000)))
		acked = append(acked, id)
	}
	// Take every free byte.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	require.NoError(t, err)
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			require.ErrorIs(t, err, syscall.ENOSPC)
			break
		}
	}
	require.NoError(t, f.Close())

	// Writes succeed while the log has room left in pages already taken,
	// then fail: every failure is ErrUnavailable, never a bare error.
	var refused error
	for i := 0; refused == nil; i++ {
		require.Less(t, i, 10000, "the full disk never refused a write")
		id := fmt.Sprintf("full-%d", i)
		if err := s.Apply(ctx, payloadBatch(id, 20000)); err != nil {
			refused = err
			_, gerr := s.GetWorkflow(ctx, id)
			require.ErrorIs(t, gerr, store.ErrNotFound, "a refused write left nothing")
			continue
		}
		acked = append(acked, id)
	}
	require.ErrorIs(t, refused, store.ErrUnavailable)
	require.ErrorContains(t, refused, "full")
	require.ErrorIs(t, s.PutTaskDef(ctx, &model.TaskDef{Name: "big", Description: strings.Repeat("d", 100000)}), store.ErrUnavailable)
	requireAcked(t, s, acked) // reads go on

	// Space returns: the same store takes writes again, nothing reopened.
	require.NoError(t, os.Remove(filler))
	require.NoError(t, s.Apply(ctx, payloadBatch("after", 20000)))
	acked = append(acked, "after")
	requireAcked(t, s, acked)
	require.NoError(t, s.Close())
	integrityCheck(t, path)

	s2, err := Open(ctx, Config{Path: path})
	require.NoError(t, err)
	defer func() { require.NoError(t, s2.Close()) }()
	requireAcked(t, s2, acked)
}

// TestStalledCommitRefusesQueuedWrites holds the writer between a group's
// last write and its COMMIT, where SQLite writes and fsyncs the log: what a
// stalled disk does to it. The commit in flight is waited for and
// acknowledged once it goes through; writes queued behind it are refused
// with ErrUnavailable after QueueTimeout, or when their caller gives up,
// and are not applied.
//
// The stall is the test's hook, not the kernel's: a file system frozen
// with FIFREEZE also blocks the page faults of SQLite's shared-memory WAL
// index (the -shm file is mapped), and a goroutine held in a page fault
// cannot be stopped for garbage collection, so the whole test binary would
// hang until the thaw.
func TestStalledCommitRefusesQueuedWrites(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.db")
	s, err := Open(context.Background(), Config{Path: path, QueueTimeout: 50 * time.Millisecond})
	require.NoError(t, err)
	ctx := context.Background()
	atCommit, release := make(chan struct{}), make(chan struct{})
	var stalls atomic.Int32
	s.beforeCommit = func() {
		if stalls.Add(1) == 2 { // the first commit is "before"'s
			close(atCommit)
			<-release
		}
	}
	require.NoError(t, s.Apply(ctx, payloadBatch("before", 1000)))
	stalled := make(chan error, 1)
	go func() { stalled <- s.Apply(ctx, payloadBatch("stalled", 1000)) }()
	<-atCommit

	err = s.Apply(ctx, payloadBatch("queued", 1000))
	require.ErrorIs(t, err, store.ErrUnavailable)
	require.ErrorContains(t, err, "did not take the write")
	cctx, cancel := context.WithCancel(ctx)
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- s.Apply(cctx, payloadBatch("gave-up", 1000)) }()
	cancel()
	require.ErrorIs(t, <-gaveUp, context.Canceled)
	requireAcked(t, s, []string{"before"}) // reads go on

	close(release)
	require.NoError(t, <-stalled, "the stalled commit is acknowledged once it goes through")
	require.NoError(t, s.Apply(ctx, payloadBatch("after", 1000)))
	for _, id := range []string{"queued", "gave-up"} {
		_, err := s.GetWorkflow(ctx, id)
		require.ErrorIs(t, err, store.ErrNotFound, "refused write %s was not applied", id)
	}
	requireAcked(t, s, []string{"before", "stalled", "after"})
	require.NoError(t, s.Close())
	integrityCheck(t, path)
}

// TestReadOnlyFileSystemRefusesWrites turns the database's file system
// read-only under the store, as the kernel does after a disk error
// (errors=remount-ro). Writes are refused with ErrUnavailable, reads go
// on, and nothing acknowledged is lost. (A chmod or a plain
// `mount -o remount,ro` cannot do this to a running server: open files
// keep their access, and Linux refuses to remount a file system read-only
// while a file on it is open for writing.)
func TestReadOnlyFileSystemRefusesWrites(t *testing.T) {
	t.Parallel()
	dir, dev := mountExt4(t)
	trigger := filepath.Join("/sys/fs/ext4", dev, "trigger_fs_error")
	if _, err := os.Stat(trigger); err != nil {
		t.Skipf("this kernel cannot raise an ext4 error on demand (%s): %v", trigger, err)
	}
	path := filepath.Join(dir, "baton.db")
	s, err := Open(context.Background(), Config{Path: path})
	require.NoError(t, err)
	ctx := context.Background()
	var acked []string
	for i := range 20 {
		id := fmt.Sprintf("before-%d", i)
		require.NoError(t, s.Apply(ctx, payloadBatch(id, 1000)))
		acked = append(acked, id)
	}

	require.NoError(t, os.WriteFile(trigger, []byte("1"), 0o200))
	err = s.Apply(ctx, payloadBatch("refused", 1000))
	require.ErrorIs(t, err, store.ErrUnavailable)
	require.ErrorIs(t, s.PutTaskDef(ctx, &model.TaskDef{Name: "t"}), store.ErrUnavailable)
	requireAcked(t, s, acked)
	_, err = s.GetWorkflow(ctx, "refused")
	require.ErrorIs(t, err, store.ErrNotFound)
	closeErr := s.Close()
	if closeErr != nil { // the final checkpoint cannot be written either
		require.True(t, errors.Is(closeErr, syscall.EROFS) || strings.Contains(closeErr.Error(), "disk I/O error") ||
			strings.Contains(closeErr.Error(), "readonly"), "close: %v", closeErr)
	}

	// The operator's fix: unmount, check, mount again. What was
	// acknowledged is all there.
	out, err := exec.Command("umount", dir).CombinedOutput()
	require.NoError(t, err, "umount: %s", out)
	img := filepath.Join(filepath.Dir(dir), "fs.img")
	_ = exec.Command("e2fsck", "-fy", img).Run() // exit 1: errors corrected (the error the test raised)
	out, err = exec.Command("mount", "-o", "loop,errors=remount-ro", img, dir).CombinedOutput()
	require.NoError(t, err, "mount: %s", out)
	s2, err := Open(ctx, Config{Path: path})
	require.NoError(t, err)
	requireAcked(t, s2, acked)
	require.NoError(t, s2.Apply(ctx, payloadBatch("after", 1000)))
	require.NoError(t, s2.Close())
	integrityCheck(t, path)
}

// TestOpenOnReadOnlyFileSystemSaysWhy: a database on a file system
// remounted read-only while no server had it open (the remount is refused
// while one does) cannot be opened for writing; Open says what to check,
// and opens it again, with everything in it, once it is writable.
func TestOpenOnReadOnlyFileSystemSaysWhy(t *testing.T) {
	t.Parallel()
	dir := mountTmpfs(t, 4<<20)
	path := filepath.Join(dir, "baton.db")
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: path})
	require.NoError(t, err)
	require.NoError(t, s.Apply(ctx, payloadBatch("kept", 1000)))
	require.NoError(t, s.Close())

	require.NoError(t, syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""))
	_, err = Open(ctx, Config{Path: path})
	require.ErrorContains(t, err, "check that the file and its directory are writable")

	require.NoError(t, syscall.Mount("", dir, "", syscall.MS_REMOUNT, "size=4194304"))
	s, err = Open(ctx, Config{Path: path})
	require.NoError(t, err)
	requireAcked(t, s, []string{"kept"})
	require.NoError(t, s.Apply(ctx, payloadBatch("after", 1000)))
	require.NoError(t, s.Close())
	integrityCheck(t, path)
}
