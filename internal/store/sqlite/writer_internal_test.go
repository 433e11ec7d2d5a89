package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// These tests drive the writer goroutine directly: they hold it inside a
// blocking write, queue requests behind it, then let it go, so the group
// it forms next is known exactly.

func openTest(t *testing.T, cfg Config) *Store {
	t.Helper()
	if cfg.Path == "" {
		cfg.Path = filepath.Join(t.TempDir(), "baton.db")
	}
	s, err := Open(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

// block queues a write that holds the writer until release is closed, and
// returns once the writer is inside it.
func block(t *testing.T, s *Store) (release func(), done chan error) {
	t.Helper()
	started, rel := make(chan struct{}), make(chan struct{})
	r := &request{ctx: context.Background(), done: make(chan error, 1), fn: func(context.Context, *wtx) error {
		close(started)
		<-rel
		return nil
	}}
	s.reqs <- r
	<-started
	return func() { close(rel) }, r.done
}

func applyReq(t *testing.T, s *Store, ctx context.Context, b *store.Batch) *request {
	t.Helper()
	e, err := encodeBatch(b)
	require.NoError(t, err)
	return &request{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *wtx) error {
		return s.applyBatch(ctx, tx, e)
	}}
}

func wfBatch(id string) *store.Batch {
	return &store.Batch{
		Workflows: []*model.Workflow{{WorkflowId: id, Status: model.WorkflowRunning}},
		Tasks:     []*model.WorkerTask{{TaskId: id + "-t", WorkflowInstanceId: id, Status: model.TaskScheduled}},
	}
}

func TestGroupCommitsQueuedWritesOnce(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", MemoryPath} {
		s := openTest(t, Config{Path: path, MaxBatch: 8})
		release, blockerDone := block(t, s)
		var reqs []*request
		for _, id := range []string{"a", "b", "c", "d", "e"} {
			r := applyReq(t, s, context.Background(), wfBatch(id))
			s.reqs <- r
			reqs = append(reqs, r)
		}
		before := s.Stats()
		release()
		require.NoError(t, <-blockerDone)
		for _, r := range reqs {
			require.NoError(t, <-r.done)
		}
		after := s.Stats()
		// The blocker's commit, then one for the five queued writes.
		require.Equal(t, int64(2), after.Commits-before.Commits, "five queued writes, one commit")
		require.Equal(t, int64(6), after.Writes-before.Writes)
		for _, id := range []string{"a", "b", "c", "d", "e"} {
			_, err := s.GetWorkflow(context.Background(), id)
			require.NoError(t, err)
		}
	}
}

func TestGroupCommitRespectsMaxBatch(t *testing.T) {
	t.Parallel()
	s := openTest(t, Config{MaxBatch: 2})
	release, blockerDone := block(t, s)
	var reqs []*request
	for _, id := range []string{"a", "b"} { // the queue holds MaxBatch requests
		r := applyReq(t, s, context.Background(), wfBatch(id))
		s.reqs <- r
		reqs = append(reqs, r)
	}
	before := s.Stats()
	release()
	require.NoError(t, <-blockerDone)
	for _, r := range reqs {
		require.NoError(t, <-r.done)
	}
	r := applyReq(t, s, context.Background(), wfBatch("c"))
	s.reqs <- r
	require.NoError(t, <-r.done)
	// The blocker, {a, b}, {c}.
	require.Equal(t, int64(3), s.Stats().Commits-before.Commits)
}

// TestGroupCommitIsolatesAFailedWrite puts a write that changes a row and
// then fails between good writes: the good ones commit, the bad one's
// change is rolled back and only its caller sees the error.
func TestGroupCommitIsolatesAFailedWrite(t *testing.T) {
	t.Parallel()
	s := openTest(t, Config{MaxBatch: 8})
	boom := errors.New("boom")
	good := applyReq(t, s, context.Background(), wfBatch("good1"))
	badBatch := applyReq(t, s, context.Background(), wfBatch("bad"))
	bad := &request{ctx: context.Background(), done: make(chan error, 1), fn: func(ctx context.Context, tx *wtx) error {
		if err := badBatch.fn(ctx, tx); err != nil {
			return err
		}
		return boom
	}}
	good2 := applyReq(t, s, context.Background(), wfBatch("good2"))
	panics := &request{ctx: context.Background(), done: make(chan error, 1), fn: func(context.Context, *wtx) error {
		panic("bug")
	}}
	conflict := &request{ctx: context.Background(), done: make(chan error, 1), fn: func(context.Context, *wtx) error {
		return &unchanged{store.ErrConflict}
	}}

	release, blockerDone := block(t, s)
	for _, r := range []*request{good, bad, panics, conflict, good2} {
		s.reqs <- r
	}
	release()
	require.NoError(t, <-blockerDone)
	require.NoError(t, <-good.done)
	require.ErrorIs(t, <-bad.done, boom)
	require.ErrorContains(t, <-panics.done, "write panicked: bug")
	require.ErrorIs(t, <-conflict.done, store.ErrConflict)
	require.NoError(t, <-good2.done)

	ctx := context.Background()
	for _, id := range []string{"good1", "good2"} {
		_, err := s.GetWorkflow(ctx, id)
		require.NoError(t, err)
	}
	_, err := s.GetWorkflow(ctx, "bad")
	require.ErrorIs(t, err, store.ErrNotFound, "the failed write was rolled back")
	_, err = s.GetTask(ctx, "bad-t")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestWriterSkipsRequestsWhoseCallerGaveUp(t *testing.T) {
	t.Parallel()
	s := openTest(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	r := applyReq(t, s, ctx, wfBatch("late"))
	release, blockerDone := block(t, s)
	s.reqs <- r
	cancel() // before the writer takes it
	release()
	require.NoError(t, <-blockerDone)
	require.ErrorIs(t, <-r.done, context.Canceled)
	_, err := s.GetWorkflow(context.Background(), "late")
	require.ErrorIs(t, err, store.ErrNotFound)
}

// TestCloseAnswersWaitingWrites closes the store while writes wait behind a
// long one: the long one commits, the waiting ones get ErrClosed and are not
// applied.
func TestCloseAnswersWaitingWrites(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.db")
	s, err := Open(context.Background(), Config{Path: path})
	require.NoError(t, err)
	release, blockerDone := block(t, s)

	const waiting = 4
	results := make(chan error, waiting)
	for i := range waiting {
		go func() { results <- s.Apply(context.Background(), wfBatch(string(rune('a'+i)))) }()
	}
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	<-s.closing // Close has begun: the writer will stop after the current group
	release()
	require.NoError(t, <-blockerDone)
	require.NoError(t, <-closed)
	for range waiting {
		require.ErrorIs(t, <-results, store.ErrClosed)
	}

	s2, err := Open(context.Background(), Config{Path: path})
	require.NoError(t, err)
	defer func() { require.NoError(t, s2.Close()) }()
	_, total, err := s2.SearchWorkflows(context.Background(), store.WorkflowQuery{})
	require.NoError(t, err)
	require.Zero(t, total)
}
