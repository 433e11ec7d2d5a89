package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/server"
)

// `baton keys create|list|revoke --db FILE` manages the application keys
// of a server's database directly (the server may be running: SQLite lets
// both use the file). A key's secret is printed once, at creation.

const keysUsage = `Usage: baton keys <create|list|revoke> --db FILE [flags]

  baton keys create --db baton.db [--name "what it is for"]   print a new key id and secret (shown once)
  baton keys list   --db baton.db                             list the keys, revoked ones included
  baton keys revoke --db baton.db KEY_ID                      revoke a key: no new token, its tokens refused within 1s

Clients exchange a key for a token at POST /api/token, with the SDKs' usual key settings
(CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET, or settings.NewAuthenticationSettings).`

func runKeys(ctx context.Context, _ func(), args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, keysUsage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, keysUsage)
		return exitOK
	}
	sub := args[0]
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", server.DefaultDBPath, "the server's SQLite database `path`")
	name := ""
	if sub == "create" {
		fs.StringVar(&name, "name", "", "what the key is for, shown by list (`text`)")
	}
	fs.Usage = func() { fmt.Fprintln(stderr, keysUsage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	var want int
	switch sub {
	case "create", "list":
	case "revoke":
		want = 1
	default:
		fmt.Fprintf(stderr, "baton keys: unknown subcommand %q\n\n%s\n", sub, keysUsage)
		return exitUsage
	}
	if fs.NArg() != want {
		fmt.Fprintf(stderr, "baton keys %s: want %d argument(s), got %q\n", sub, want, fs.Args())
		return exitUsage
	}
	if *db == server.MemoryDB {
		fmt.Fprintln(stderr, "baton keys: --db :memory: would keep nothing; give the server's database file")
		return exitUsage
	}
	st, err := sqlite.Open(ctx, sqlite.Config{Path: *db})
	if err != nil {
		fmt.Fprintf(stderr, "baton keys: %v\n", err)
		return exitError
	}
	defer func() {
		if err := st.Close(); err != nil {
			fmt.Fprintf(stderr, "baton keys: %v\n", err)
		}
	}()
	keys := auth.NewKeys(st, nil)
	switch sub {
	case "create":
		k, err := keys.Create(ctx, name)
		if err != nil {
			fmt.Fprintf(stderr, "baton keys create: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "Key id:     %s\nKey secret: %s\n\n", k.ID, k.Secret)
		fmt.Fprintln(stdout, "The secret is shown only now: Baton keeps only its hash. Give both to the client, e.g.")
		fmt.Fprintf(stdout, "  CONDUCTOR_AUTH_KEY=%s CONDUCTOR_AUTH_SECRET=<the secret>\n", k.ID)
		return exitOK
	case "list":
		ks, err := keys.List(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "baton keys list: %v\n", err)
			return exitError
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tCREATED\tSTATUS")
		for _, k := range ks {
			status := "active"
			if k.Revoked() {
				status = "revoked " + k.RevokeTime.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, k.Name, k.CreateTime.UTC().Format(time.RFC3339), status)
		}
		if err := tw.Flush(); err != nil {
			return exitError
		}
		return exitOK
	default: // revoke
		id := fs.Arg(0)
		if err := keys.Revoke(ctx, id); err != nil {
			fmt.Fprintf(stderr, "baton keys revoke: %v\n", err)
			if errors.Is(err, store.ErrNotFound) {
				return exitNotFound
			}
			return exitError
		}
		fmt.Fprintf(stdout, "Key %s revoked: no new token is issued for it, and a running server refuses its tokens within a second.\n", id)
		return exitOK
	}
}
