package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// The client commands (`baton workflow|task|def ...`) talk to any Conductor
// server through the SDK's client package, so they work against Conductor
// OSS and Orkes as well as Baton. This file holds what they share: the
// connection flags, output as tables or JSON, and the exit codes.

// lookupEnv reads the environment: CONDUCTOR_* for the client commands,
// BATON_* for the flags of `baton server`. Tests replace nothing here; they
// pass flags, or set variables with t.Setenv.
var lookupEnv = os.LookupEnv

// usageError is a command line (or input file) the command cannot use:
// exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// stateError is a request the command refuses itself for the state or
// content it names (a task that has already ended, a definition that
// fails validation): exit code 4, as for the server's 409.
type stateError struct {
	msg string
	err error // the server's answer, if any
}

func (e *stateError) Error() string { return e.msg }
func (e *stateError) Unwrap() error { return e.err }

// exitCode maps a command's error to the documented exit codes.
func exitCode(err error) int {
	var ue *usageError
	var se *stateError
	var nf *notFoundError
	var ae *client.APIError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &nf):
		return exitNotFound
	case errors.As(err, &se):
		return exitConflict
	case errors.Is(err, client.ErrNotFound):
		return exitNotFound
	case errors.As(err, &ae) && (ae.StatusCode == http.StatusConflict || ae.StatusCode == http.StatusBadRequest ||
		ae.StatusCode == http.StatusPreconditionFailed || ae.StatusCode == http.StatusUnprocessableEntity):
		return exitConflict
	default:
		return exitError
	}
}

// cli is what a client command runs with.
type cli struct {
	stdout, stderr io.Writer
	json           bool
	conn           connFlags
	client         *client.APIClient // nil for commands that need no server
}

// connFlags are the flags every client command takes.
type connFlags struct {
	server, keyID, keySecret string
	timeout                  time.Duration
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.server, "server", "", "Conductor API `URL`, e.g. http://localhost:8080/api; default $"+settings.EnvServerURL+", else "+settings.DefaultBaseURL)
	fs.StringVar(&c.keyID, "key-id", "", "application key `id` for servers that need a token; default $"+settings.EnvAuthKey)
	fs.StringVar(&c.keySecret, "key-secret", "", "application key `secret`; default $"+settings.EnvAuthSecret)
	fs.DurationVar(&c.timeout, "timeout", 0, "bound on each request; default $"+settings.EnvHTTPTimeout+", else 30s")
}

// newClient builds the API client from the flags, falling back on the
// environment as settings.FromEnv reads it.
func (c *connFlags) newClient() (*client.APIClient, error) {
	lookup := func(k string) (string, bool) {
		flagValue := map[string]string{settings.EnvServerURL: c.server, settings.EnvAuthKey: c.keyID, settings.EnvAuthSecret: c.keySecret}[k]
		if flagValue != "" {
			return flagValue, true
		}
		if v, ok := lookupEnv(k); ok && v != "" {
			return v, true
		}
		if k == settings.EnvServerURL {
			return settings.DefaultBaseURL, true
		}
		return "", false
	}
	h, a, err := settings.FromLookup(lookup)
	if err != nil {
		return nil, usagef("%v (check --server, --key-id and --key-secret)", err)
	}
	if c.timeout < 0 {
		return nil, usagef("--timeout %v must not be negative", c.timeout)
	}
	if c.timeout > 0 {
		h.Timeout = c.timeout
	}
	cl, err := client.NewAPIClientWithConfig(client.Config{HTTP: h, Auth: a, UserAgent: "baton-cli"})
	if err != nil {
		return nil, usagef("%v", err)
	}
	return cl, nil
}

// clientCmd is one `baton <group> <name>` command.
type clientCmd struct {
	name, synopsis, summary string
	minArgs, maxArgs        int  // maxArgs < 0: any number
	offline                 bool // needs no server (def validate)
	// setup adds the command's own flags and returns what runs once they
	// are parsed.
	setup func(fs *flag.FlagSet) func(ctx context.Context, c *cli, args []string) error
}

// group is `baton workflow`, `baton task` or `baton def`.
type group struct {
	name, summary string
	cmds          []clientCmd
}

func (g group) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: baton %s <command> [flags] [args]\n\n%s\n\nCommands:\n", g.name, g.summary)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range g.cmds {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.synopsis, c.summary)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nEvery command takes --server, --key-id, --key-secret, --timeout and --json; see baton %s <command> -h.\n", g.name)
	fmt.Fprintln(w, exitCodesHelp)
}

const exitCodesHelp = `
Exit codes: 0 ok; 1 server or transport error; 2 usage error (flags, arguments, unreadable input);
3 not found (workflow, task or definition); 4 conflict or invalid (the server refused the request
for the state or content it names, or validate found problems).`

// run runs `baton <group> args...`.
func (g group) run(ctx context.Context, _ func(), args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		g.usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		g.usage(stdout)
		return exitOK
	}
	for _, c := range g.cmds {
		if c.name == args[0] {
			return g.runCmd(ctx, c, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "baton %s: unknown command %q\n\n", g.name, args[0])
	g.usage(stderr)
	return exitUsage
}

func (g group) runCmd(ctx context.Context, cmd clientCmd, args []string, stdout, stderr io.Writer) int {
	prog := "baton " + g.name + " " + cmd.name
	c := &cli{stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.conn.register(fs)
	fs.BoolVar(&c.json, "json", false, "print JSON for scripts instead of a table")
	action := cmd.setup(fs)
	// flag prints its error line itself; the usage is printed here, on
	// stdout when asked for.
	fs.Usage = func() {}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fmt.Fprintf(stdout, "Usage: %s %s\n\n%s.\n\nFlags:\n", prog, cmd.synopsis, strings.ToUpper(cmd.summary[:1])+cmd.summary[1:])
			fs.PrintDefaults()
			fmt.Fprintln(stdout, exitCodesHelp)
			return exitOK
		}
		fmt.Fprintf(stderr, "usage: %s %s (see %s -h)\n", prog, cmd.synopsis, prog)
		return exitUsage
	}
	switch {
	case len(pos) < cmd.minArgs:
		fmt.Fprintf(stderr, "%s: missing arguments: want %s (see %s -h)\n", prog, cmd.synopsis, prog)
		return exitUsage
	case cmd.maxArgs >= 0 && len(pos) > cmd.maxArgs:
		fmt.Fprintf(stderr, "%s: too many arguments %q: want %s (see %s -h)\n", prog, pos, cmd.synopsis, prog)
		return exitUsage
	}
	if !cmd.offline {
		if c.client, err = c.conn.newClient(); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", prog, err)
			return exitCode(err)
		}
		defer c.client.CloseIdleConnections()
	}
	if err := action(ctx, c, pos); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return exitCode(err)
	}
	return exitOK
}

// parseInterspersed parses flags wherever they are among the arguments
// (`baton workflow get ID --json`) and returns the positional ones.
// Everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		// flag stops at "--" and drops it: if the argument before rest was
		// "--", everything left is positional.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// printJSON writes v as indented JSON.
func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// table returns a tabwriter on stdout; the caller flushes it.
func (c *cli) table() *tabwriter.Writer { return tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0) }

// progress writes a progress line to stderr, for long operations; stdout
// stays clean for the result.
func (c *cli) progress(format string, args ...any) { fmt.Fprintf(c.stderr, format+"\n", args...) }

// jsonObject parses a flag's JSON object value; "@file" reads the file.
func jsonObject(flagName, v string) (map[string]any, error) {
	if v == "" {
		return nil, nil
	}
	data := []byte(v)
	if strings.HasPrefix(v, "@") {
		b, err := os.ReadFile(v[1:])
		if err != nil {
			return nil, usagef("--%s: %v", flagName, err)
		}
		data = b
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, usagef("--%s: not a JSON object: %v", flagName, err)
	}
	return m, nil
}

// millis formats epoch milliseconds for a table; "-" for none.
func millis(ms int64) string {
	if ms <= 0 {
		return "-"
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339)
}

// orDash returns s, or "-" when it is empty, so table columns stay aligned.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
