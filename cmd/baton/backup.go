package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/batonhq/baton/server"
)

// runBackup copies a database file while a server may be using it.
func runBackup(ctx context.Context, _ func(), args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", server.DefaultDBPath, "SQLite database `path` to copy (the server's --db)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: baton backup [--db baton.db] OUT")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Writes a consistent copy of the database to the new file OUT, also while a server")
		fmt.Fprintln(stderr, "runs on it and keeps writing. To restore, stop the server, remove the database file")
		fmt.Fprintln(stderr, "and its -wal and -shm files, and copy OUT in its place (or start with --db OUT).")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "baton backup: give one file to write the copy to, got %q (see baton backup -h)\n", fs.Args())
		return exitUsage
	}
	if *db == server.MemoryDB {
		fmt.Fprintln(stderr, "baton backup: --db :memory: has no file to copy; an embedding program can call Server.Backup")
		return exitUsage
	}
	out := fs.Arg(0)
	if err := server.Backup(ctx, *db, out); err != nil {
		fmt.Fprintf(stderr, "baton backup: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "baton backup: copied %s to %s\n", *db, out)
	return exitOK
}
