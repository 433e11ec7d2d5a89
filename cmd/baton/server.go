package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/batonhq/baton/server"
)

// serverOptions are the flags of `baton server`.
type serverOptions struct {
	addr, db         string
	logLevel         levelFlag
	httpAllowedHosts string
	tlsCert, tlsKey  string
	stopTimeout      time.Duration
	metrics          bool
	maxBodyBytes     int64
	limits           server.Limits
	retention        time.Duration
	retentionArchive string
	auth             string
	insecureNoAuth   bool
	tokenTTL         time.Duration
	metricsAuth      bool
}

func serverFlags(out io.Writer) (*flag.FlagSet, *serverOptions) {
	o := &serverOptions{}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.addr, "addr", server.DefaultAddr, "listen on `host:port`; port 0 picks a free port")
	fs.StringVar(&o.db, "db", server.DefaultDBPath, "SQLite database `path`, created if missing; :memory: keeps nothing")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS (HTTP/2 and HTTP/1.1) with the PEM certificate (chain) in `file`; needs --tls-key")
	fs.StringVar(&o.tlsKey, "tls-key", "", "PEM private key `file` of --tls-cert")
	fs.Var(&o.logLevel, "log-level", "log `level` on stderr: debug, info (the default), warn or error")
	fs.StringVar(&o.httpAllowedHosts, "http-task-allowed-hosts", "", "comma-separated `hosts` HTTP tasks may call (name, *.domain or IP); empty allows all, as Conductor does — set it on a shared server")
	fs.BoolVar(&o.metrics, "metrics", true, "serve Prometheus metrics at GET /metrics; --metrics=false measures nothing")
	fs.StringVar(&o.auth, "auth", "auto", "require tokens from POST /api/token: `mode` auto (on unless --addr is loopback), on or off")
	fs.BoolVar(&o.insecureNoAuth, "insecure-no-auth", false, "serve a non-loopback --addr WITHOUT authentication (only behind something that authenticates)")
	fs.DurationVar(&o.tokenTTL, "token-ttl", server.DefaultTokenTTL, "how long a token is valid; the official Go SDK needs at least 30m")
	fs.BoolVar(&o.metricsAuth, "metrics-auth", false, "with authentication on, GET /metrics needs a token too")
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 30*time.Second, "on SIGINT/SIGTERM, how long requests in flight may take to finish")
	fs.Int64Var(&o.maxBodyBytes, "max-body-bytes", 8<<20, "largest request body in `bytes`; a larger one is answered 413")
	l := &o.limits
	fs.DurationVar(&l.ScriptTimeout, "script-timeout", 4*time.Second, "time limit of one JavaScript evaluation (INLINE, LAMBDA, SWITCH, DO_WHILE condition)")
	fs.IntVar(&l.ScriptMaxCallStack, "script-max-stack", 1024, "JavaScript call-depth limit in `frames`; deeper recursion fails the task")
	fs.IntVar(&l.ScriptMaxStringLength, "script-max-string", 16<<20, "longest string one JavaScript builtin call (repeat, padStart, replaceAll...) may build, in `characters`")
	fs.IntVar(&l.ScriptMaxArrayLength, "script-max-array", 1<<20, "longest array JavaScript Array methods and Array.from may walk, in `elements`")
	fs.Int64Var(&l.ScriptMaxHeapGrowth, "script-max-heap-growth", 128<<20, "how much the heap may grow while a script runs, in `bytes`; past it the task fails (-1 turns the guard off)")
	fs.IntVar(&l.ScriptMaxOutputSize, "script-max-output", 1<<20, "largest JavaScript result, in `bytes` of JSON")
	fs.DurationVar(&l.JQTimeout, "jq-timeout", 0, "time limit of one JSON_JQ_TRANSFORM query; 0 uses --script-timeout")
	fs.IntVar(&l.MaxWorkflowTasks, "max-workflow-tasks", 1000, "most `tasks` a workflow definition may hold, nested ones included")
	fs.IntVar(&l.MaxForkWidth, "max-fork-width", 1000, "most `branches` of a FORK_JOIN or FORK_JOIN_DYNAMIC")
	fs.IntVar(&l.MaxLoopIterationsKept, "max-loop-iterations-kept", 1000, "most DO_WHILE `iterations` whose tasks are kept; older ones are removed")
	fs.IntVar(&l.MaxWorkflowInputSize, "max-workflow-input-size", 8<<20, "largest workflow input, in `bytes` of JSON; a larger start is a 400")
	fs.IntVar(&l.MaxTaskOutputSize, "max-task-output-size", 8<<20, "largest task output, in `bytes` of JSON; a larger one fails the task")
	fs.IntVar(&l.MaxTaskInputSize, "max-task-input-size", 8<<20, "largest worker task input once resolved, in `bytes` of JSON; a larger one fails the task")
	fs.DurationVar(&o.retention, "retention", 0, "remove ended workflows (with their tasks and logs) this long after their last update; 0 keeps them all")
	fs.StringVar(&o.retentionArchive, "retention-archive", "", "append each workflow --retention removes to `file` as a line of JSON first")
	fs.Usage = func() {
		fmt.Fprintln(out, "Usage: baton server [--addr host:port] [--db path] [--tls-cert file --tls-key file]")
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Serves Conductor's REST API at http://<addr>/api, GET /health and GET /metrics until SIGINT or SIGTERM,")
		fmt.Fprintln(out, "then finishes requests in flight and exits 0. With --tls-cert and --tls-key it serves")
		fmt.Fprintln(out, "https://<addr>/api instead. docs/configuration.md explains the limits, --retention and backups.")
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Each flag can also be set from the environment: BATON_ and the flag's name in upper case with _ for -")
		fmt.Fprintln(out, "(BATON_DB, BATON_HTTP_TASK_ALLOWED_HOSTS). A flag on the command line wins over its variable.")
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Off loopback, requests need a token (X-Authorization) from POST /api/token, for a key made with")
		fmt.Fprintln(out, "`baton keys create --db FILE`; the server refuses to start there without one unless --insecure-no-auth.")
		fmt.Fprintln(out)
		fs.PrintDefaults()
	}
	return fs, o
}

func runServer(ctx context.Context, stopSignals func(), args []string, stdout, stderr io.Writer) int {
	fs, o := serverFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fromEnv, err := applyEnv(fs, lookupEnv)
	if err != nil {
		fmt.Fprintf(stderr, "baton server: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "baton server: unexpected arguments %q (see baton server -h for the flags)\n", fs.Args())
		return exitUsage
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		fmt.Fprintf(stderr, "baton server: %s and %s go together: give both to serve HTTPS, or neither for plain HTTP\n",
			flagRef("tls-cert", fromEnv), flagRef("tls-key", fromEnv))
		return exitUsage
	}
	switch o.auth {
	case "auto", "on", "off":
	default:
		fmt.Fprintf(stderr, "baton server: %s %q: use auto, on or off\n", flagRef("auth", fromEnv), o.auth)
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: o.logLevel.level}))

	var allowed []string
	for _, h := range strings.Split(o.httpAllowedHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			allowed = append(allowed, h)
		}
	}
	srv, err := server.New(&server.Config{Addr: o.addr, DBPath: o.db, Logger: logger, HTTPTaskAllowedHosts: allowed,
		TLSCertFile: o.tlsCert, TLSKeyFile: o.tlsKey, DisableMetrics: !o.metrics, MaxBodyBytes: o.maxBodyBytes,
		Limits: o.limits, Retention: o.retention, RetentionArchive: o.retentionArchive,
		Auth: server.AuthMode(o.auth), InsecureNoAuth: o.insecureNoAuth, TokenTTL: o.tokenTTL, MetricsRequireAuth: o.metricsAuth})
	if err != nil {
		fmt.Fprintf(stderr, "baton server: %v\n", err)
		if errors.Is(err, server.ErrNoAuth) {
			return exitUsage
		}
		return exitError
	}
	if err := srv.Start(ctx); err != nil {
		fmt.Fprintf(stderr, "baton server: %v\n", err)
		if errors.Is(err, server.ErrNoAuth) {
			_ = srv.Stop(context.Background())
			return exitUsage
		}
		_ = srv.Stop(context.Background())
		return exitError
	}
	db := o.db
	if db == server.MemoryDB {
		db += " (in memory: nothing is kept)"
	}
	root := strings.TrimSuffix(srv.URL(), "/api")
	fmt.Fprintf(stdout, "baton server listening on %s\nConductor API: %s\nHealth: %s/health\n", srv.Addr(), srv.URL(), root)
	if o.metrics {
		fmt.Fprintf(stdout, "Metrics: %s/metrics\n", root)
	}
	fmt.Fprintf(stdout, "Database: %s\n", db)
	switch {
	case srv.AuthRequired():
		fmt.Fprintf(stdout, "Authentication: on (tokens from POST %s/token, valid %v)\n", srv.URL(), o.tokenTTL)
	case o.insecureNoAuth:
		fmt.Fprintln(stdout, "Authentication: OFF (--insecure-no-auth): anyone who can reach this address can run workflows")
	default:
		fmt.Fprintln(stdout, "Authentication: off (loopback only)")
	}

	<-ctx.Done()
	stopSignals() // a second signal now ends the process at once
	fmt.Fprintln(stdout, "baton server stopping: finishing requests in flight")
	stopCtx, cancel := context.WithTimeout(context.Background(), o.stopTimeout)
	defer cancel()
	if err := srv.Stop(stopCtx); err != nil {
		fmt.Fprintf(stderr, "baton server: stop: %v\n", err)
		return exitError
	}
	fmt.Fprintln(stdout, "baton server stopped")
	return exitOK
}
