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
// # Schema
//
// The schema lives in migrations/NNNN_*.sql, embedded in the binary and
// applied in one transaction at Open; the schema_version table records the
// last one applied. Open refuses a database written by a newer Baton and a
// SQLite file that is not Baton's (PRAGMA application_id). Each record is
// stored whole as the JSON of its model type, next to copies of the fields
// that lookups, searches and sorts use.
package sqlite
