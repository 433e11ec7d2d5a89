package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/batonhq/baton/internal/store"
)

// Backup writes a consistent copy of the store's database to dest, a file
// that must not exist yet, with SQLite's VACUUM INTO: it reads one snapshot
// of the database while writers carry on, and writes a compact file that
// holds no write-ahead log of its own. An in-memory store is copied too.
func (s *Store) Backup(ctx context.Context, dest string) error {
	abs, err := backupDest(dest)
	if err != nil {
		return err
	}
	if s.closed.Load() {
		return store.ErrClosed
	}
	if !s.cfg.memory() {
		// The store's readers are query_only, which VACUUM INTO is not.
		return Backup(ctx, s.cfg.Path, abs)
	}
	return s.read(func() error {
		return vacuumInto(ctx, s.w, abs)
	})
}

// Backup copies the Baton database at src to dest, as Store.Backup does,
// from a connection of its own: it runs beside a server that has src open
// (in this process or another), which keeps serving and writing meanwhile.
// VACUUM INTO only reads src, but needs a connection that may write, so
// the connection is not query_only; mode=rw keeps it from creating src.
// src must be an existing Baton database; dest must not exist yet.
func Backup(ctx context.Context, src, dest string) error {
	srcAbs, err := filepath.Abs(src)
	if err != nil {
		return fmt.Errorf("sqlite: backup %s: %w", src, err)
	}
	if fi, err := os.Stat(srcAbs); err != nil {
		return fmt.Errorf("sqlite: backup %s: %w", src, err)
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("sqlite: backup %s: not a regular file", src)
	}
	abs, err := backupDest(dest)
	if err != nil {
		return err
	}
	q := url.Values{}
	q.Set("mode", "rw") // never create src
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(5000)+")")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: srcAbs}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("sqlite: backup %s: %w", src, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var appID int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("sqlite: backup %s: %w", src, explainOpenError(err))
	}
	if appID != applicationID {
		return fmt.Errorf("sqlite: backup %s: not a Baton database", src)
	}
	if err := vacuumInto(ctx, db, abs); err != nil {
		return fmt.Errorf("sqlite: backup %s: %w", src, err)
	}
	return nil
}

// backupDest checks that dest can be created: its directory exists and the
// file does not (VACUUM INTO refuses a file that is not empty, and a
// backup must never overwrite anything).
func backupDest(dest string) (string, error) {
	if dest == "" || dest == MemoryPath {
		return "", errors.New("sqlite: backup: give the file to write the copy to")
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return "", fmt.Errorf("sqlite: backup to %s: %w", dest, err)
	}
	if _, err := os.Stat(abs); err == nil {
		return "", fmt.Errorf("sqlite: backup to %s: the file exists; remove it or name a new one", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("sqlite: backup to %s: %w", dest, err)
	}
	if fi, err := os.Stat(filepath.Dir(abs)); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("sqlite: backup to %s: directory %s does not exist (create it first)", dest, filepath.Dir(abs))
	}
	return abs, nil
}

func vacuumInto(ctx context.Context, db *sql.DB, abs string) error {
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		_ = os.Remove(abs) // a half-written copy is no backup
		return fmt.Errorf("copy to %s: %w", abs, err)
	}
	return nil
}
