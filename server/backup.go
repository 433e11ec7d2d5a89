package server

import (
	"context"
	"fmt"

	"github.com/batonhq/baton/internal/store/sqlite"
)

// Backup writes a consistent copy of the server's database to dest, a file
// that must not exist yet, while the server keeps running: SQLite's VACUUM
// INTO reads one snapshot of the database and writes a compact copy. To
// restore, stop the server and put the copy in place of Config.DBPath
// (removing the old file's -wal and -shm companions), or start a server
// with DBPath set to the copy. An in-memory server is copied too.
func (s *Server) Backup(ctx context.Context, dest string) error {
	if err := s.store.Backup(ctx, dest); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// Backup copies the Baton database file at dbPath to dest, as
// Server.Backup does, from a connection of its own: it runs beside a server
// (in this process or another) that has dbPath open and keeps writing. dest
// must not exist yet.
func Backup(ctx context.Context, dbPath, dest string) error {
	return sqlite.Backup(ctx, dbPath, dest)
}
