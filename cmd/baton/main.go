// Command baton runs Baton's Conductor-compatible server, and talks to any
// Conductor server (Baton's, Conductor OSS, Orkes) from the command line.
//
//	baton server [--addr 127.0.0.1:8080] [--db baton.db] [--tls-cert cert.pem --tls-key key.pem] [--metrics=false]
//	baton workflow start|get|search|terminate|pause|resume|retry|restart|rerun ...
//	baton task get|complete|fail|queue ...
//	baton def list|get|register|validate ...
//	baton health [--server URL]
//	baton backup [--db baton.db] OUT
//	baton keys create|list|revoke --db baton.db
//	baton version
//	baton help [command]
//
// Each flag of baton server can also be set from the environment, as
// BATON_ and the flag's name in upper case with _ for - (BATON_ADDR,
// BATON_HTTP_TASK_ALLOWED_HOSTS); a flag on the command line wins.
// docs/configuration.md lists them all.
//
// The client commands read the server's URL and key from --server,
// --key-id and --key-secret, or else from CONDUCTOR_SERVER_URL,
// CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET. They print tables, or JSON
// with --json, and exit 0 (ok), 1 (server or transport error), 2 (usage
// error), 3 (not found) or 4 (conflict or invalid).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, stop, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes, documented for scripts.
const (
	exitOK       = 0
	exitError    = 1 // the command failed: server or transport error
	exitUsage    = 2 // the command line (or an input file) is wrong
	exitNotFound = 3 // the workflow, task or definition does not exist
	exitConflict = 4 // refused for the state or content it names: 409, 400, or validate's findings
)

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, stopSignals func(), args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"server", "run the Conductor-compatible server (Ctrl-C or SIGTERM stops it gracefully)", runServer},
		{"workflow", "start, get, search, terminate, pause, resume, retry, restart, rerun workflows", workflowGroup().run},
		{"task", "get, complete or fail a task; print queue sizes", taskGroup().run},
		{"def", "list, get, register and validate definitions", defGroup().run},
		{"health", "check a server's GET /health: exit 0 when healthy (for container health checks)", runHealth},
		{"backup", "copy the server's database to a new file, also while the server runs", runBackup},
		{"keys", "create, list and revoke the server's application keys (--db FILE)", runKeys},
		{"version", "print Baton's version", runVersion},
		{"help", "list the commands, or show one command's flags: baton help server", runHelp},
	}
}

// run runs the command line args; ctx ends on SIGINT/SIGTERM, and
// stopSignals restores their default handling (a second signal then ends
// the process at once).
func run(ctx context.Context, stopSignals func(), args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, stopSignals, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "baton: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: baton <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "baton help <command> (or baton <command> -h) shows a command's flags.")
	fmt.Fprintln(w, "The client commands (workflow, task, def) talk to any Conductor server: --server URL or $CONDUCTOR_SERVER_URL.")
	fmt.Fprintln(w, exitCodesHelp)
}

func runHelp(_ context.Context, _ func(), args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return exitOK
	}
	switch args[0] {
	case "server":
		fs, _ := serverFlags(stdout)
		fs.Usage()
		return exitOK
	case "health":
		return runHealth(context.Background(), nil, []string{"-h"}, stdout, stdout)
	case "backup":
		return runBackup(context.Background(), nil, []string{"-h"}, stdout, stdout)
	case "keys":
		fmt.Fprintln(stdout, keysUsage)
		return exitOK
	}
	for _, g := range []group{workflowGroup(), taskGroup(), defGroup()} {
		if g.name != args[0] {
			continue
		}
		if len(args) == 1 {
			g.usage(stdout)
			return exitOK
		}
		return g.run(context.Background(), nil, []string{args[1], "-h"}, stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			fmt.Fprintf(stdout, "baton %s: %s (no flags)\n", c.name, c.summary)
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "baton help: unknown command %q\n", args[0])
	return exitUsage
}
