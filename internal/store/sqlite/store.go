package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/batonhq/baton/internal/store"
)

// Store is a store.Store on one SQLite database. Create it with Open.
type Store struct {
	cfg Config
	log *slog.Logger

	w *sql.DB // the writer: one connection, used only by the writer goroutine
	r *sql.DB // readers; the same *sql.DB as w for an in-memory database

	ws writeStmts
	rs readStmts

	reqs    chan *request // to the writer goroutine; holds up to one group
	closing chan struct{} // closed by Close: the writer stops taking requests
	stopped chan struct{} // closed when the writer goroutine has returned

	writes, commits atomic.Int64 // see Stats

	// beforeCommit, set by tests before the first write, runs on the
	// writer between a group's last write and its COMMIT (where SQLite
	// writes and fsyncs the log): blocking in it stalls the writer as a
	// stuck fsync would.
	beforeCommit func()

	closed    atomic.Bool
	readers   sync.RWMutex // reads hold it shared; Close takes it to wait for them
	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Open opens (creating when missing) the database at cfg.Path, brings its
// schema up to date and starts the writer. Close releases it.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	abs, err := checkPath(cfg)
	if err != nil {
		return nil, err
	}
	s := &Store{
		cfg:     cfg,
		log:     cfg.Logger,
		reqs:    make(chan *request, cfg.MaxBatch),
		closing: make(chan struct{}),
		stopped: make(chan struct{}),
	}
	if err := s.open(ctx, abs); err != nil {
		_ = s.closeDBs() // the open error says more
		return nil, fmt.Errorf("sqlite: open %s: %w", cfg.Path, explainOpenError(err))
	}
	go s.writeLoop()
	return s, nil
}

// checkPath returns the absolute path of a file database, or an error that
// says what is wrong with it. SQLite's own message for these cases is only
// "unable to open database file".
func checkPath(cfg Config) (string, error) {
	if cfg.memory() {
		return "", nil
	}
	abs, err := filepath.Abs(cfg.Path)
	if err != nil {
		return "", fmt.Errorf("sqlite: open %s: %w", cfg.Path, err)
	}
	dir := filepath.Dir(abs)
	if fi, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("sqlite: open %s: directory %s: %w (create it first)", cfg.Path, dir, err)
	} else if !fi.IsDir() {
		return "", fmt.Errorf("sqlite: open %s: %s is not a directory", cfg.Path, dir)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.Mode().IsRegular() {
		return "", fmt.Errorf("sqlite: open %s: not a regular file", cfg.Path)
	}
	return abs, nil
}

func (s *Store) open(ctx context.Context, abs string) error {
	var err error
	if s.w, err = sql.Open("sqlite", s.cfg.dsn(abs, true)); err != nil {
		return err
	}
	// One connection: SQLite has one writer anyway, and for :memory: the
	// connection is the database, so it must never be closed or replaced.
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if err := s.w.PingContext(ctx); err != nil {
		return err
	}
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		return err
	}
	if err := migrate(ctx, s.w, ms, s.log); err != nil {
		return err
	}
	if s.cfg.memory() {
		s.r = s.w
	} else {
		if s.r, err = sql.Open("sqlite", s.cfg.dsn(abs, false)); err != nil {
			return err
		}
		s.r.SetMaxOpenConns(s.cfg.Readers)
		s.r.SetMaxIdleConns(s.cfg.Readers)
		if err := s.r.PingContext(ctx); err != nil {
			return err
		}
	}
	if err := s.ws.prepare(ctx, s.w); err != nil {
		return err
	}
	return s.rs.prepare(ctx, s.r)
}

// explainOpenError adds what to do to SQLite's terse errors for files that
// are not databases.
func explainOpenError(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: the file is not a SQLite database or is damaged; restore it from a backup or use another path", err)
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY:
			return fmt.Errorf("%w: check that the file and its directory are writable", err)
		}
	}
	return err
}

// Close stops the writer, waits for reads in flight and closes the
// database. Writes still waiting for the writer get store.ErrClosed; every
// later call gets store.ErrClosed. Close is idempotent.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		close(s.closing)
		<-s.stopped
		s.readers.Lock() // wait for reads in flight
		s.closeErr = s.closeDBs()
		s.readers.Unlock()
	})
	return s.closeErr
}

func (s *Store) closeDBs() error {
	errs := []error{s.ws.close(), s.rs.close()}
	if s.r != nil && s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		// Closing the last connection checkpoints the log into the file.
		errs = append(errs, s.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close %s: %w", s.cfg.Path, err)
	}
	return nil
}

// read runs fn unless the store is closed, and keeps Close from closing the
// database under it.
func (s *Store) read(fn func() error) error {
	s.readers.RLock()
	defer s.readers.RUnlock()
	if s.closed.Load() {
		return store.ErrClosed
	}
	return fn()
}
