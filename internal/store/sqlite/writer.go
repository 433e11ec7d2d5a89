package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/batonhq/baton/internal/store"
)

// Group commit. Every write — Apply and the definition changes — is a
// request to one writer goroutine, which owns the writer connection. When
// it takes a request it also takes every request already queued (up to
// Config.MaxBatch), runs them all in one transaction and commits once: with
// SyncFull one fsync serves them all. Requests queue while a commit is in
// flight, so the busier the store, the bigger the groups; an idle store
// commits each write at once, with no timer adding latency.

// request is one write waiting for the writer.
type request struct {
	ctx  context.Context // checked once, before the write starts
	fn   func(ctx context.Context, tx *wtx) error
	done chan error // buffered: the writer never blocks on a caller
	// state is queued until the writer takes the request (taken) or its
	// caller stops waiting for a turn (abandoned): whichever comes first
	// decides whether the write may run.
	state atomic.Int32
}

// Request states.
const (
	queued int32 = iota
	taken
	abandoned
)

// unchanged wraps an error after which a write function left the
// transaction as it found it (e.g. ErrConflict from an insert that did
// nothing), so its neighbours in the group can still commit.
type unchanged struct{ err error }

func (u *unchanged) Error() string { return u.err.Error() }
func (u *unchanged) Unwrap() error { return u.err }

// write hands fn to the writer and waits for the commit. A request the
// writer has not taken yet is abandoned when ctx ends or after
// Config.QueueTimeout (store.ErrUnavailable: the writer is stuck, e.g. on
// a stalled fsync); once taken, write waits for the outcome even if ctx
// ends, so that an error always means the change was not made.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *wtx) error) error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var expired <-chan time.Time
	if s.cfg.QueueTimeout > 0 {
		t := time.NewTimer(s.cfg.QueueTimeout)
		defer t.Stop()
		expired = t.C
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.reqs <- r:
	case <-s.closing:
		return store.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	case <-expired:
		return s.queueTimeout()
	}
	for {
		select {
		case err := <-r.done:
			return err
		case <-ctx.Done():
			if r.state.CompareAndSwap(queued, abandoned) {
				return ctx.Err()
			}
			ctx = context.Background() // taken: wait for the outcome
		case <-expired:
			if r.state.CompareAndSwap(queued, abandoned) {
				return s.queueTimeout()
			}
			expired = nil
		case <-s.stopped:
			// The writer answers before it stops: no answer means the
			// request was still queued when Close stopped it, and was not
			// applied.
			select {
			case err := <-r.done:
				return err
			default:
				return store.ErrClosed
			}
		}
	}
}

func (s *Store) queueTimeout() error {
	return fmt.Errorf("%w: the database writer did not take the write within %v (a commit is stuck: slow or stalled disk?)",
		store.ErrUnavailable, s.cfg.QueueTimeout)
}

// storageFault marks the errors after which the same write may succeed
// later, because the trouble is the storage rather than the write: a full
// disk, I/O errors, a read-only or unopenable file, another process
// holding the lock past the busy timeout.
func storageFault(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
		sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_PROTOCOL, sqlite3.SQLITE_NOLFS, sqlite3.SQLITE_PERM:
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}

func (s *Store) writeLoop() {
	defer close(s.stopped)
	group := make([]*request, 0, s.cfg.MaxBatch)
	for {
		select { // Close wins over waiting requests
		case <-s.closing:
			return
		default:
		}
		select {
		case <-s.closing:
			return
		case r := <-s.reqs:
			group = append(group[:0], r)
		}
	fill:
		for len(group) < s.cfg.MaxBatch {
			select {
			case r := <-s.reqs:
				group = append(group, r)
			default:
				break fill
			}
		}
		s.commitGroup(group)
		clear(group)
	}
}

// Stats counts the writer's work since Open.
type Stats struct {
	// Writes is how many writes (Apply calls with changes, definition
	// changes) were committed or failed.
	Writes int64
	// Commits is how many transactions committed. Writes/Commits is the
	// mean group size.
	Commits int64
}

// Stats returns the writer's counters.
func (s *Store) Stats() Stats {
	return Stats{Writes: s.writes.Load(), Commits: s.commits.Load()}
}

// commitGroup runs group in one transaction and answers every request. If a
// write fails, the transaction is rolled back and each write is retried in
// a transaction of its own, so one bad write cannot fail its neighbours.
func (s *Store) commitGroup(group []*request) {
	live := make([]*request, 0, len(group))
	for _, r := range group {
		if r.state.Load() != taken && !r.state.CompareAndSwap(queued, taken) {
			continue // the caller stopped waiting for its turn
		}
		if err := r.ctx.Err(); err != nil {
			r.done <- err // the caller gave up before its write started
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	var start time.Time
	if s.cfg.OnCommit != nil {
		start = time.Now()
	}
	results, failed, err := s.runTx(live)
	err = storageFault(err)
	if err == nil {
		s.commits.Add(1)
		if s.cfg.OnCommit != nil {
			s.cfg.OnCommit(len(live), time.Since(start))
		}
	}
	if err == nil || !failed || len(live) == 1 {
		s.writes.Add(int64(len(live)))
	}
	switch {
	case err == nil:
		for i, r := range live {
			r.done <- results[i]
		}
	case !failed || len(live) == 1:
		// BEGIN or COMMIT failed: the error is the whole group's.
		for _, r := range live {
			r.done <- err
		}
	default:
		s.log.Warn("sqlite: a write failed in a group commit; retrying the group's writes one by one",
			"writes", len(live), "err", err)
		for _, r := range live {
			s.commitGroup([]*request{r})
		}
	}
}

// runTx runs the group's writes in one transaction. It returns each write's
// own result, or the error that rolled the transaction back and whether a
// write (rather than BEGIN or COMMIT) caused it.
func (s *Store) runTx(group []*request) (results []error, writeFailed bool, err error) {
	// Not a caller's context: the transaction is shared, and a write, once
	// started, finishes.
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	defer func() {
		// A bug in a write must not take the writer, and with it every
		// caller, down.
		if p := recover(); p != nil {
			_ = tx.Rollback()
			results, writeFailed, err = nil, true, fmt.Errorf("sqlite: write panicked: %v", p)
		}
	}()
	w := &wtx{tx: tx, bound: make(map[*sql.Stmt]*sql.Stmt)}
	results = make([]error, len(group))
	for i, r := range group {
		err := r.fn(ctx, w)
		var u *unchanged
		switch {
		case err == nil:
		case errors.As(err, &u):
			results[i] = u.err
		default:
			_ = tx.Rollback()
			return nil, true, err
		}
	}
	if s.beforeCommit != nil {
		s.beforeCommit()
	}
	if err := tx.Commit(); err != nil {
		return nil, false, err
	}
	return results, false, nil
}

// wtx is the writer's transaction with its prepared statements bound once.
type wtx struct {
	tx    *sql.Tx
	bound map[*sql.Stmt]*sql.Stmt
}

func (w *wtx) exec(ctx context.Context, st *sql.Stmt, args ...any) (sql.Result, error) {
	b, ok := w.bound[st]
	if !ok {
		b = w.tx.StmtContext(ctx, st)
		w.bound[st] = b
	}
	return b.ExecContext(ctx, args...)
}
