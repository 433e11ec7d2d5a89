package server

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/batonhq/baton/internal/api"
	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/metrics"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/internal/ui"
)

// Server is a running Baton server. Create it with New.
type Server struct {
	cfg       Config
	tls       *tls.Config // nil for plain HTTP
	log       *slog.Logger
	store     *sqlite.Store
	engine    *engine.Engine
	archive   *os.File         // nil without Config.RetentionArchive
	metrics   *metrics.Metrics // nil when Config.DisableMetrics
	keys      *auth.Keys
	auth      *auth.Auth // nil when authentication is off
	handler   http.Handler
	drain     context.Context // done once Stop begins: long polls and executions answer now
	stopWaits context.CancelFunc

	mu       sync.Mutex
	httpSrv  *http.Server // nil until Start
	ln       net.Listener
	served   chan struct{} // closed when Serve has returned
	stopped  bool
	stopErr  error
	stopDone chan struct{} // closed when the first Stop has finished
}

// New reads the TLS key pair, if any, opens the database at cfg.DBPath,
// brings its schema up to date and starts the engine, which rebuilds its
// queues and timers from what the database holds. The server then serves
// Handler; Start also listens on cfg.Addr. A nil cfg means every default.
// Call Stop to release it.
func New(cfg *Config) (*Server, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	c = c.WithDefaults()
	if err := c.validate(); err != nil {
		return nil, err
	}
	var tlsCfg *tls.Config
	if c.TLSCertFile != "" {
		// Read before the database opens, so a bad pair fails fast and
		// leaves nothing to undo.
		cert, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("server: TLS certificate %s and key %s: %w (both must be readable PEM files of one key pair)", c.TLSCertFile, c.TLSKeyFile, err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	ctx := context.Background() // opening and rebuilding are bounded by the database, not a caller
	var (
		m   *metrics.Metrics
		eng *engine.Engine
	)
	scfg := sqlite.Config{Path: c.DBPath, Logger: c.Logger}
	ecfg := engine.Config{Logger: c.Logger, HTTPTaskAllowedHosts: c.HTTPTaskAllowedHosts, Retention: c.Retention}
	c.Limits.apply(&ecfg)
	acfg := api.Config{Logger: c.Logger, MaxBodyBytes: c.MaxBodyBytes, ServerID: c.ServerID}
	if !c.DisableMetrics {
		m = metrics.New(func() []engine.QueueStat { return eng.QueueStats() }) // scraped only once eng is set
		scfg.OnCommit, ecfg.Observer, acfg.Observe = m.Commit, m, m.Request
	}
	var archive *os.File
	if c.RetentionArchive != "" {
		f, err := os.OpenFile(c.RetentionArchive, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("server: retention archive: %w (its directory must exist and be writable)", err)
		}
		archive, ecfg.RetentionArchive = f, f
	}
	closeArchive := func() error {
		if archive == nil {
			return nil
		}
		return archive.Close()
	}
	st, err := sqlite.Open(ctx, scfg)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("server: %w", err), closeArchive())
	}
	ecfg.Store = st
	if c.Clock != nil {
		ecfg.Clock = c.Clock
	}
	eng, err = engine.New(ecfg)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("server: %w", err), st.Close(), closeArchive())
	}
	if err := eng.Start(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("server: start engine: %w", err), eng.Stop(ctx), st.Close(), closeArchive())
	}
	now := time.Now
	if c.Clock != nil {
		now = c.Clock.Now
	}
	s := &Server{cfg: c, tls: tlsCfg, log: c.Logger, store: st, engine: eng, metrics: m, archive: archive, stopDone: make(chan struct{}),
		keys: auth.NewKeys(st, now)}
	if c.authRequired() {
		open := []string{"/login", "/logout", "/static/"}
		if !c.MetricsRequireAuth {
			open = append(open, "/metrics")
		}
		sid := c.ServerID
		if sid == "" {
			host, _ := os.Hostname() // as the API names itself
			sid = cmp.Or(host, "baton")
		}
		s.auth, err = auth.New(ctx, auth.Config{Keys: s.keys, TokenTTL: c.TokenTTL, Now: now, Logger: c.Logger,
			ServerID: sid, OpenPaths: open, Cookie: auth.CookieName, LoginPath: "/login"})
		if err != nil {
			return nil, errors.Join(fmt.Errorf("server: %w", err), eng.Stop(ctx), st.Close(), closeArchive())
		}
	}
	s.drain, s.stopWaits = context.WithCancel(context.Background())
	acfg.Drain = s.drain
	apiHandler := api.NewHandler(eng, acfg)
	// The web UI at /, in front of the API: it serves its own pages and
	// hands /api/..., /health and unknown paths to the API.
	s.handler = ui.NewHandler(eng, ui.Config{API: apiHandler, Logger: c.Logger, MaxBodyBytes: c.MaxBodyBytes, Auth: s.auth})
	if m != nil {
		s.handler = withMetrics(s.handler, m.Handler())
	}
	if s.auth != nil {
		s.handler = s.auth.Handler(s.handler) // outermost: nothing is served before the token is checked
	}
	return s, nil
}

// withMetrics serves GET /metrics with metrics and everything else with
// next. A path comparison rather than a second ServeMux keeps the API's
// requests from paying for another route lookup.
func withMetrics(next, scrape http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			scrape.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Metrics returns the registry behind GET /metrics, for a program that
// embeds the server and gathers or forwards the metrics itself; nil when
// Config.DisableMetrics is set.
func (s *Server) Metrics() prometheus.Gatherer {
	if s.metrics == nil {
		return nil
	}
	return s.metrics.Gatherer()
}

// Handler returns the HTTP API (/api/... and /health), the web UI (/,
// /executions, /definitions, /queues, /static/) and, unless
// Config.DisableMetrics, /metrics. Mount it on your own server to serve
// Baton next to other routes; it works without Start.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on Config.Addr and serves the API in the background until
// Stop, over HTTPS when Config has a TLS key pair. ctx bounds only the start itself. Starting a started server does
// nothing; starting a stopped one is an error.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.stopped:
		return errors.New("server: Start after Stop; create a new Server")
	case s.httpSrv != nil:
		return nil
	}
	if err := s.checkAuth(ctx); err != nil {
		return err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w (is another server using the port? use 127.0.0.1:0 for a free one)", s.cfg.Addr, err)
	}
	s.ln = ln
	s.httpSrv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		IdleTimeout:       2 * time.Minute, // keep-alive for pollers, not forever
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		TLSConfig:         s.tls, // ServeTLS adds HTTP/2 to a copy
	}
	s.served = make(chan struct{})
	go func(srv *http.Server, served chan struct{}) {
		defer close(served)
		var err error
		if srv.TLSConfig != nil {
			err = srv.ServeTLS(ln, "", "") // the key pair is in TLSConfig
		} else {
			err = srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("server: stopped serving", "addr", ln.Addr().String(), "err", err)
		}
	}(s.httpSrv, s.served)
	s.log.Info("server: listening", "url", s.url())
	return nil
}

// Addr returns the address the server listens on, with the port it got
// for port 0; "" before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// URL returns the API's base URL, e.g. http://127.0.0.1:8080/api (https
// with TLS), ready for settings.NewHttpSettings; "" before Start. A wildcard listen address
// (0.0.0.0, ::) is reported as loopback.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url()
}

func (s *Server) url() string {
	if s.ln == nil {
		return ""
	}
	scheme := "http://"
	if s.tls != nil {
		scheme = "https://"
	}
	host, port, err := net.SplitHostPort(s.ln.Addr().String())
	if err != nil {
		return scheme + s.ln.Addr().String() + "/api"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.To4() == nil {
			host = "::1"
		}
	}
	return scheme + net.JoinHostPort(host, port) + "/api"
}

// Stop shuts the server down gracefully: long polls and synchronous
// executions answer at once, the listener closes, requests in flight
// finish, then the engine stops and the database closes. If ctx ends first,
// open connections are closed and the shutdown completes without them.
// Stop is idempotent (later calls wait for the first and return its
// result) and safe without Start.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		<-s.stopDone
		return s.stopErr
	}
	s.stopped = true
	srv, served := s.httpSrv, s.served
	s.mu.Unlock()

	s.stopWaits()
	var errs []error
	if srv != nil {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("server: drain connections: %w", err), srv.Close())
		}
		<-served
	}
	if err := s.engine.Stop(ctx); err != nil {
		errs = append(errs, fmt.Errorf("server: stop engine: %w", err))
	}
	if err := s.store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("server: %w", err))
	}
	if s.archive != nil {
		if err := s.archive.Close(); err != nil {
			errs = append(errs, fmt.Errorf("server: retention archive: %w", err))
		}
	}
	s.stopErr = errors.Join(errs...)
	close(s.stopDone)
	s.log.Info("server: stopped")
	return s.stopErr
}
