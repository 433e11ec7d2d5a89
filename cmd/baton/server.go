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
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 30*time.Second, "on SIGINT/SIGTERM, how long requests in flight may take to finish")
	fs.Usage = func() {
		fmt.Fprintln(out, "Usage: baton server [--addr host:port] [--db path] [--tls-cert file --tls-key file]")
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Serves Conductor's REST API at http://<addr>/api, GET /health and GET /metrics until SIGINT or SIGTERM,")
		fmt.Fprintln(out, "then finishes requests in flight and exits 0. With --tls-cert and --tls-key it serves")
		fmt.Fprintln(out, "https://<addr>/api instead.")
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Each flag can also be set from the environment: BATON_ and the flag's name in upper case with _ for -")
		fmt.Fprintln(out, "(BATON_DB, BATON_HTTP_TASK_ALLOWED_HOSTS). A flag on the command line wins over its variable.")
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
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: o.logLevel.level}))

	var allowed []string
	for _, h := range strings.Split(o.httpAllowedHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			allowed = append(allowed, h)
		}
	}
	srv, err := server.New(&server.Config{Addr: o.addr, DBPath: o.db, Logger: logger, HTTPTaskAllowedHosts: allowed,
		TLSCertFile: o.tlsCert, TLSKeyFile: o.tlsKey, DisableMetrics: !o.metrics})
	if err != nil {
		fmt.Fprintf(stderr, "baton server: %v\n", err)
		return exitError
	}
	if err := srv.Start(ctx); err != nil {
		fmt.Fprintf(stderr, "baton server: %v\n", err)
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
