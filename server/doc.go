// Package server runs Baton's Conductor-compatible server inside a Go
// program: the Conductor REST API (under /api, plus /health) on Baton's
// workflow engine, stored in SQLite.
//
//	srv, err := server.New(&server.Config{Addr: "127.0.0.1:0", DBPath: ":memory:"})
//	if err != nil { ... }
//	if err := srv.Start(ctx); err != nil { ... }
//	defer srv.Stop(context.Background())
//	api := client.NewAPIClient(settings.NewHttpSettings(srv.URL()))
//
// New opens the database and starts the engine, so Handler can be mounted
// on a mux of your own without Start. Start listens on Config.Addr; Stop
// shuts everything down in this order: end long polls and synchronous
// executions (they answer "nothing yet"), stop accepting connections and
// let requests in flight finish, stop the engine's timers, close the
// database. A Server cannot be started again after Stop. With
// Config.TLSCertFile and TLSKeyFile it serves HTTPS (HTTP/2 and HTTP/1.1)
// through net/http's ServeTLS, and URL says https.
//
// Beyond Conductor's API the server has one addition, for Baton's workers:
// a poll may carry a Baton-Poller-Id header, and POST
// /api/tasks/poll/release?pollerId=... ends that poller's waiting polls
// with no task (204), so a worker's shutdown need not wait out an idle long
// poll. Every API answer says so in its Baton-Capabilities header
// ("poll-release"). A poll whose client has gone takes no task from the
// queue.
// Off loopback, requests need a token (Config.Auth): clients exchange an
// application key (CreateAPIKey, or `baton keys create`) for one at POST
// /api/token and send it in X-Authorization, as with Orkes. Start refuses a
// non-loopback address that nobody could authenticate to, unless
// Config.InsecureNoAuth says so.
//
// For tests, package batontest wraps this in one call; for a standalone
// process, `baton server` (cmd/baton) runs it from the command line.
package server
