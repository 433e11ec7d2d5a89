package batontest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// stopTimeout bounds the graceful stop at the end of a test.
const stopTimeout = 10 * time.Second

// DefaultAwaitTimeout bounds Server.Await when its context has no deadline.
const DefaultAwaitTimeout = 10 * time.Second

// Server is a Baton server running for one test.
type Server struct {
	srv          *server.Server
	client       *client.APIClient
	transport    *http.Transport
	clock        *Clock // nil on the wall clock
	awaitTimeout time.Duration
	keyID        string // set WithAuth
	keySecret    string

	mu     sync.Mutex
	host   *worker.WorkerHost // created by the first Workers call
	closed bool
}

// Option changes how NewServer, NewServerWithConfig and Start set up a
// server. (batontest takes options rather than a config struct so that
// NewServer(t) stays the whole call for most tests; the server's own
// settings are server.Config, passed with NewServerWithConfig or WithConfig.)
type Option func(*options)

type options struct {
	cfg          server.Config
	fakeClock    bool
	auth         bool
	awaitTimeout time.Duration
}

// WithFakeClock runs the server on a fake Clock that reads the current time
// (to the millisecond) and moves only when the test calls
// Server.Clock().Advance. A config with a Clock of its own keeps it.
func WithFakeClock() Option { return func(o *options) { o.fakeClock = true } }

// WithAuth runs the server with authentication on (server.AuthOn) and one
// application key, which Client and Workers use (Server.APIKey returns it
// for clients of your own). Without it a test server, on loopback, needs no
// token.
func WithAuth() Option { return func(o *options) { o.auth = true } }

// WithConfig starts the server with cfg; see NewServerWithConfig.
func WithConfig(cfg server.Config) Option { return func(o *options) { o.cfg = cfg } }

// WithAwaitTimeout bounds Server.Await when its context has no deadline.
// Defaults to DefaultAwaitTimeout (10s) of wall time.
func WithAwaitTimeout(d time.Duration) Option { return func(o *options) { o.awaitTimeout = d } }

// NewServer starts a server on 127.0.0.1 (a free port) with in-memory
// storage and stops it when the test and its subtests have finished
// (t.Cleanup), with the test's workers (Workers) before it. It fails the
// test if the server cannot start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("batontest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("batontest: %v", err)
		}
	})
	return s
}

// NewServerWithConfig is NewServer with settings of your own, e.g. a
// Clock made with NewClock. An empty Addr means 127.0.0.1:0 and an empty
// DBPath means in-memory storage.
func NewServerWithConfig(t testing.TB, cfg server.Config, opts ...Option) *Server {
	t.Helper()
	return NewServer(t, append([]Option{WithConfig(cfg)}, opts...)...)
}

// Start is NewServer for code without a testing.TB (an Example, TestMain,
// a program): the caller stops the server with Close.
func Start(opts ...Option) (*Server, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg := o.cfg
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.DBPath == "" {
		cfg.DBPath = server.MemoryDB
	}
	if o.fakeClock && cfg.Clock == nil {
		cfg.Clock = NewClock(time.Now().Truncate(time.Millisecond))
	}
	clock, _ := cfg.Clock.(*Clock)
	if o.auth {
		cfg.Auth = server.AuthOn
	}
	srv, err := server.New(&cfg)
	if err != nil {
		return nil, err
	}
	var keyID, keySecret string
	var authSettings *settings.AuthenticationSettings
	if o.auth {
		if keyID, keySecret, err = srv.CreateAPIKey(context.Background(), "batontest"); err != nil {
			return nil, errors.Join(err, stop(srv))
		}
		authSettings = settings.NewAuthenticationSettings(keyID, keySecret)
	}
	if err := srv.Start(context.Background()); err != nil {
		return nil, errors.Join(err, stop(srv))
	}
	// A transport of its own, closed before the server stops, so no
	// keep-alive connection outlives the test.
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	api, err := client.NewAPIClientWithConfig(client.Config{
		HTTP:       settings.NewHttpSettings(srv.URL()),
		Auth:       authSettings,
		HTTPClient: &http.Client{Transport: tr},
		// Worker hosts on this client end their idle long polls at
		// shutdown rather than wait them out (see the package doc).
		PollRelease: true,
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("client: %w", err), stop(srv))
	}
	if clock != nil {
		clock.attach(srv.RunDueTimers)
	}
	awaitTimeout := o.awaitTimeout
	if awaitTimeout <= 0 {
		awaitTimeout = DefaultAwaitTimeout
	}
	return &Server{srv: srv, client: api, transport: tr, clock: clock, awaitTimeout: awaitTimeout, keyID: keyID, keySecret: keySecret}, nil
}

func stop(srv *server.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	return srv.Stop(ctx)
}

// Close stops the test's workers, then the server. NewServer calls it when
// the test ends; it is idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	host := s.host
	s.mu.Unlock()
	var errs []error
	if host != nil {
		errs = append(errs, stopWorkers(host))
	}
	s.transport.CloseIdleConnections()
	if s.clock != nil {
		s.clock.attach(nil) // an Advance after Close moves time only
	}
	if err := stop(s.srv); err != nil {
		errs = append(errs, fmt.Errorf("stop server: %w", err))
	}
	return errors.Join(errs...)
}

// URL returns the API's base URL, e.g. http://127.0.0.1:38121/api.
func (s *Server) URL() string { return s.srv.URL() }

// Client returns an API client for this server, shared by the test.
func (s *Server) Client() *client.APIClient { return s.client }

// APIKey returns the application key made for WithAuth, for
// settings.NewAuthenticationSettings; empty strings without it.
func (s *Server) APIKey() (keyID, keySecret string) { return s.keyID, s.keySecret }

// Server returns the underlying server, e.g. for its Handler.
func (s *Server) Server() *server.Server { return s.srv }

// Clock returns the server's fake clock, or nil when the server runs on the
// wall clock (then Advance panics saying so). See WithFakeClock.
func (s *Server) Clock() *Clock { return s.clock }
