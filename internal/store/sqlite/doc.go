// Package sqlite is the store.Store of Baton's server, on SQLite through
// the pure-Go driver modernc.org/sqlite (no cgo).
//
// Open a file database, or ":memory:" for tests and throwaway runs:
//
//	st, err := sqlite.Open(ctx, sqlite.Config{Path: "baton.db"})
//	...
//	defer st.Close()
//
// # Durability
//
// A file database runs in WAL mode. Apply returns after its transaction has
// committed; with the default Config.Sync, SyncFull, the commit fsyncs the
// log, so an acknowledged write survives a killed process and a power loss.
// SyncNormal skips that fsync: acknowledged writes still survive SIGKILL
// (the log is written before Apply returns, and the kernel keeps it), but
// the last ones may be lost if the machine itself goes down.
//
// # Connections and group commit
//
// One connection writes and a pool of connections reads; WAL lets reads
// proceed while a write commits. Every write is handed to one writer
// goroutine, which runs all the writes waiting at that moment in a single
// transaction and commits once (group commit). Under load this turns many
// small commits, each with its own fsync, into few; Config.MaxBatch = 1
// turns it off. If one write in a group fails, the group is rolled back and
// its writes retried one by one, so a bad write fails alone.
//
// An in-memory database is a single connection shared by reads and writes
// (the connection is the database), private to its Store.
//
// # Storage faults
//
// A write the storage cannot take now fails with store.ErrUnavailable and
// changes nothing: a full disk (SQLITE_FULL), I/O errors, a file system
// turned read-only, a lock another process holds past Config.BusyTimeout.
// The same Store takes writes again once the storage recovers (space
// freed); nothing is reopened. A commit that hangs (a stalled disk) is
// waited for, since its outcome is unknown until it returns; writes queued
// behind it are refused with store.ErrUnavailable after
// Config.QueueTimeout, or as soon as their caller gives up. The server
// answers all of these 503 with Retry-After.
//
// Linux does not let a running server's database turn read-only by a
// chmod (open files keep their access) or by `mount -o remount,ro` (refused
// while a file is open for writing); the kernel itself does it after a disk
// error (ext4 errors=remount-ro). A file system frozen with fsfreeze stalls
// more than the writer: the log index (the -shm file) is memory-mapped, and
// a goroutine blocked in a page fault on it cannot be stopped for garbage
// collection, so the whole process waits for the thaw.
//
// # Schema
//
// The schema lives in migrations/NNNN_*.sql, embedded in the binary and
// applied in one transaction at Open; the schema_version table records the
// last one applied. Open refuses a database written by a newer Baton and a
// SQLite file that is not Baton's (PRAGMA application_id). Each record is
// stored whole as the JSON of its model type, next to copies of the fields
// that lookups, searches and sorts use.
package sqlite
