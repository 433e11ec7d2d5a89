package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrationFS holds the schema changes, one file per version, named
// NNNN_topic.sql and applied in order. A released file never changes: a
// new schema is a new file.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// applicationID marks a database file as Baton's ("Batn"); migration 1 sets it.
const applicationID = 0x4261746e

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads fsys's migrations sorted by version and checks they
// are numbered 1, 2, 3... without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a version number and '_'", base)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate brings the database to the newest schema in one transaction, so
// a crash mid-way leaves the old schema intact. It refuses files that are
// not Baton's and databases written by a newer Baton.
func migrate(ctx context.Context, db *sql.DB, ms []migration, log *slog.Logger) (err error) {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: two processes do not migrate at once
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()

	var appID, objects int
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return err
	}
	current := 0
	switch {
	case appID == applicationID:
		if err := tx.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&current); err != nil {
			return fmt.Errorf("read schema_version: %w", err)
		}
	case appID == 0 && objects == 0:
		// A new, empty database.
		if _, err := tx.ExecContext(ctx, "CREATE TABLE schema_version (version INTEGER NOT NULL)"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version) VALUES (0)"); err != nil {
			return err
		}
	default:
		return errors.New("not a Baton database (it is a SQLite file with other tables): use another path")
	}

	latest := len(ms)
	if current > latest {
		return fmt.Errorf("database schema version %d is newer than this Baton supports (%d): upgrade Baton, or use another path", current, latest)
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE schema_version SET version = ?", m.version); err != nil {
			return err
		}
		log.Info("sqlite: applied migration", "migration", m.name)
	}
	return tx.Commit()
}
