package batontest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/settings"
)

// stopTimeout bounds the graceful stop at the end of a test.
const stopTimeout = 10 * time.Second

// Server is a Baton server running for one test.
type Server struct {
	srv    *server.Server
	client *client.APIClient
}

// NewServer starts a server on 127.0.0.1 (a free port) with in-memory
// storage and stops it when the test and its subtests have finished
// (t.Cleanup). It fails the test if the server cannot start.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return NewServerWithConfig(t, server.Config{})
}

// NewServerWithConfig is NewServer with settings of your own, e.g. a fake
// Clock to move retry delays and timeouts without sleeping. An empty Addr
// means 127.0.0.1:0 and an empty DBPath means in-memory storage.
func NewServerWithConfig(t testing.TB, cfg server.Config) *Server {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.DBPath == "" {
		cfg.DBPath = server.MemoryDB
	}
	srv, err := server.New(&cfg)
	if err != nil {
		t.Fatalf("batontest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			t.Errorf("batontest: stop server: %v", err)
		}
	})
	if err := srv.Start(context.Background()); err != nil {
		t.Fatalf("batontest: %v", err)
	}
	// A transport of its own, closed before the server stops (cleanups run
	// last-in first-out), so no keep-alive connection outlives the test.
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	api, err := client.NewAPIClientWithConfig(client.Config{
		HTTP:       settings.NewHttpSettings(srv.URL()),
		HTTPClient: &http.Client{Transport: tr},
	})
	if err != nil {
		t.Fatalf("batontest: client: %v", err)
	}
	return &Server{srv: srv, client: api}
}

// URL returns the API's base URL, e.g. http://127.0.0.1:38121/api.
func (s *Server) URL() string { return s.srv.URL() }

// Client returns an API client for this server, shared by the test.
func (s *Server) Client() *client.APIClient { return s.client }

// Server returns the underlying server, e.g. for its Handler.
func (s *Server) Server() *server.Server { return s.srv }
