// Command baton runs Baton's Conductor-compatible server and, later, client
// tools.
//
//	baton server [--addr 127.0.0.1:8080] [--db baton.db] [--tls-cert cert.pem --tls-key key.pem]
//	baton version
//	baton help
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

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // the command line is wrong
)

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, stopSignals func(), args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"server", "run the Conductor-compatible server (Ctrl-C or SIGTERM stops it gracefully)", runServer},
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
}

func runHelp(_ context.Context, _ func(), args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return exitOK
	}
	if args[0] == "server" {
		fs, _ := serverFlags(stdout)
		fs.Usage()
		return exitOK
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
