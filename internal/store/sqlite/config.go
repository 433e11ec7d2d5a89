package sqlite

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"time"
)

// MemoryPath is the Config.Path of a private in-memory database.
const MemoryPath = ":memory:"

// SyncMode says when a commit reaches the disk (SQLite's PRAGMA synchronous
// in WAL mode).
type SyncMode string

const (
	// SyncFull fsyncs the write-ahead log on every commit: an acknowledged
	// write survives a power loss or kernel crash as well as a killed
	// process. Group commit shares one fsync among every batch in the
	// transaction, which keeps this affordable.
	SyncFull SyncMode = "FULL"
	// SyncNormal writes the log on every commit but fsyncs only at
	// checkpoints: an acknowledged write survives SIGKILL of the process
	// (the data is in the kernel's page cache) but the last commits may be
	// lost on power loss. The database is never corrupted either way.
	SyncNormal SyncMode = "NORMAL"
)

// Config configures Open. Only Path is required.
type Config struct {
	// Path is the database file, created with its tables when missing, or
	// MemoryPath (":memory:") for a private in-memory database that lives
	// until Close. The file's directory must exist.
	Path string
	// Logger receives migrations and group-commit fallbacks. Defaults to a
	// logger that discards everything.
	Logger *slog.Logger
	// Sync says when a commit reaches the disk. Defaults to SyncFull.
	// Ignored for MemoryPath.
	Sync SyncMode
	// MaxBatch caps how many writes (Apply calls and definition changes)
	// share one transaction. 1 turns group commit off: every write then
	// pays for its own commit. Defaults to 128.
	MaxBatch int
	// Readers is how many connections serve reads of a file database, in
	// parallel with the one writer. Defaults to 4. An in-memory database
	// has a single connection for reads and writes.
	Readers int
	// OnCommit, when set, is called by the writer after each transaction
	// commits, with how many writes it held and how long it took from BEGIN
	// to the end of COMMIT (the fsync included). It runs on the writer
	// goroutine, so it must be fast: metrics, not I/O. Defaults to nil.
	OnCommit func(writes int, d time.Duration)
	// BusyTimeout is how long a connection waits for a lock held by
	// another connection or process before failing. Defaults to 5s.
	BusyTimeout time.Duration
	// QueueTimeout is how long a write may wait for the writer to take it
	// before it is refused with store.ErrUnavailable, so that callers are
	// answered while a commit is stuck (a stalled disk) instead of queueing
	// behind it without end. A write the writer has taken is waited for
	// however long its commit takes. Defaults to 10s; negative waits forever.
	QueueTimeout time.Duration
}

// WithDefaults returns a copy of c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	c.Sync = cmp.Or(c.Sync, SyncFull)
	c.MaxBatch = cmp.Or(c.MaxBatch, 128)
	c.Readers = cmp.Or(c.Readers, 4)
	c.BusyTimeout = cmp.Or(c.BusyTimeout, 5*time.Second)
	c.QueueTimeout = cmp.Or(c.QueueTimeout, 10*time.Second)
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	if c.Path == "" {
		errs = append(errs, errors.New(`no Path: give a database file path or ":memory:"`))
	}
	if c.Sync != SyncFull && c.Sync != SyncNormal {
		errs = append(errs, fmt.Errorf("unknown Sync %q: want %q or %q", c.Sync, SyncFull, SyncNormal))
	}
	if c.MaxBatch < 1 {
		errs = append(errs, fmt.Errorf("invalid MaxBatch %d: want 1 or more", c.MaxBatch))
	}
	if c.Readers < 1 {
		errs = append(errs, fmt.Errorf("invalid Readers %d: want 1 or more", c.Readers))
	}
	if c.BusyTimeout < time.Millisecond {
		errs = append(errs, fmt.Errorf("invalid BusyTimeout %v: want at least 1ms", c.BusyTimeout))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: invalid config: %w", err)
	}
	return nil
}

func (c Config) memory() bool { return c.Path == MemoryPath }

// dsn returns the modernc.org/sqlite data source name for absPath. The path
// goes into a file: URI so that '?', '#' and '%' in it are not taken for
// URI syntax.
func (c Config) dsn(absPath string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(c.BusyTimeout.Milliseconds(), 10)+")")
	if c.memory() {
		// One connection serves reads and writes: it is the database.
		q.Set("_txlock", "immediate")
		return MemoryPath + "?" + q.Encode()
	}
	q.Add("_pragma", "synchronous("+string(c.Sync)+")")
	if writer {
		// IMMEDIATE takes the write lock at BEGIN, so a busy database is
		// waited for there rather than failing a half-done transaction.
		q.Set("_txlock", "immediate")
		q.Add("_pragma", "journal_mode(WAL)")
		// Keep the log from staying at its high-water mark after a burst.
		q.Add("_pragma", "journal_size_limit(67108864)")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + (&url.URL{Path: absPath}).EscapedPath() + "?" + q.Encode()
}
