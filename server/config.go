package server

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// Defaults of Config.
const (
	DefaultAddr   = "127.0.0.1:8080"
	DefaultDBPath = "baton.db"
	// DefaultTokenTTL is how long a token is valid unless Config.TokenTTL
	// says otherwise.
	DefaultTokenTTL = time.Hour
	// MemoryDB is the DBPath of a throwaway in-memory database.
	MemoryDB = ":memory:"
)

// Clock is the server's source of time: every retry delay, callback and
// timeout is measured on it. Tests pass a fake to move time without
// sleeping.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once d has passed; stop cancels it and reports
	// whether it did.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// Config configures a Server. The zero value (or a nil *Config) serves
// plain HTTP on 127.0.0.1:8080 from ./baton.db.
type Config struct {
	// Addr is the TCP address to listen on, host:port. Defaults to
	// "127.0.0.1:8080"; port 0 ("127.0.0.1:0") picks a free port, which
	// Server.Addr and Server.URL then report.
	Addr string
	// DBPath is the SQLite database file, created when missing (its
	// directory must exist). Defaults to "baton.db" in the working
	// directory. MemoryDB (":memory:") keeps everything in memory, gone at
	// Stop.
	DBPath string
	// Logger receives the server's logs: engine events, server faults
	// (5xx) and recovered panics. Defaults to a logger that discards
	// everything.
	Logger *slog.Logger
	// Clock drives the engine's timers. Defaults to the wall clock.
	Clock Clock
	// MaxBodyBytes bounds a request body; larger ones are answered 413.
	// Defaults to 8 MiB.
	MaxBodyBytes int64
	// ServerID is the "instance" named in error answers, as Conductor names
	// its host there. Defaults to the host name.
	ServerID string
	// ReadHeaderTimeout bounds how long a client may take to send request
	// headers. Defaults to 10s. (No overall request timeout is set: long
	// polls and synchronous executions hold requests open on purpose.)
	ReadHeaderTimeout time.Duration
	// HTTPTaskAllowedHosts, when not empty, lists the hosts HTTP tasks may
	// call: names ("api.example.com"), leading wildcards
	// ("*.example.com") or IP addresses; a task naming another host (or
	// redirected to one) fails without a request. Empty, the default, lets
	// HTTP tasks call anything, as Conductor does. Set it on any server
	// that runs workflow definitions written by people you would not hand
	// a shell on the server's network: otherwise an HTTP task can reach
	// the server's own API, cloud metadata endpoints and internal hosts.
	HTTPTaskAllowedHosts []string
	// TLSCertFile and TLSKeyFile are PEM files of a certificate (its chain
	// after it) and its private key. Set both to serve HTTPS, HTTP/2 and
	// HTTP/1.1, through net/http's ServeTLS; New reads them. Defaults to
	// neither: plain HTTP.
	TLSCertFile, TLSKeyFile string
	// DisableMetrics turns off the Prometheus metrics: GET /metrics is then
	// not served and nothing is measured. Defaults to false: the metrics
	// listed in the README are kept on a registry of the server's own (never
	// Prometheus' global one) and served at /metrics, next to /health.
	DisableMetrics bool

	// Auth says whether requests need a token from POST /api/token (keys
	// are made with `baton keys create` or Server.CreateAPIKey). Defaults
	// to AuthAuto: required unless Addr is a loopback address.
	Auth AuthMode
	// InsecureNoAuth lets a server on a non-loopback address run without
	// authentication, for a network where something in front of Baton
	// already authenticates. Without it, such a server refuses to start
	// with auth off, and Start refuses to listen with auth on and no active
	// key. Defaults to false.
	InsecureNoAuth bool
	// TokenTTL is how long a token from POST /api/token is valid. Defaults
	// to 1h, as on Orkes. The official Go SDK renews its token every 30
	// minutes whatever the token says and never on a 401, so do not go
	// below that if it is among the clients.
	TokenTTL time.Duration
	// MetricsRequireAuth makes GET /metrics need a token too when
	// authentication is on. Defaults to false: metrics stay open to
	// scrapers, as /health does.
	MetricsRequireAuth bool
}

// ErrNoAuth is Start's refusal to listen on a non-loopback address without
// authentication (see Config.InsecureNoAuth).
var ErrNoAuth = errors.New("server: refusing to serve a non-loopback address without authentication")

// insecure is ErrNoAuth with why and what to do.
func insecure(addr, why string) error {
	return fmt.Errorf("%w: %s, and %s is not a loopback address: anyone who can reach it could define and run workflows "+
		"(and HTTP tasks reach the server's own network). Create a key (`baton keys create --db FILE`) so that requests "+
		"need a token, or pass --insecure-no-auth (Config.InsecureNoAuth) if something in front of Baton already authenticates",
		ErrNoAuth, why, addr)
}

// AuthMode says whether a server requires tokens.
type AuthMode string

const (
	// AuthAuto requires tokens unless the server listens on a loopback
	// address only (127.0.0.1, ::1, localhost).
	AuthAuto AuthMode = ""
	// AuthOn always requires tokens.
	AuthOn AuthMode = "on"
	// AuthOff never does; on a non-loopback address it needs
	// InsecureNoAuth as well.
	AuthOff AuthMode = "off"
)

// WithDefaults returns a copy of c with zero fields filled in.
func (c Config) WithDefaults() Config {
	c.Addr = cmp.Or(c.Addr, DefaultAddr)
	c.DBPath = cmp.Or(c.DBPath, DefaultDBPath)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.ReadHeaderTimeout = cmp.Or(c.ReadHeaderTimeout, 10*time.Second)
	if c.Auth == "auto" {
		c.Auth = AuthAuto
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("Addr %q is not host:port (e.g. %s, or 127.0.0.1:0 for a free port)", c.Addr, DefaultAddr))
	}
	if c.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("MaxBodyBytes %d must not be negative (0 means 8 MiB)", c.MaxBodyBytes))
	}
	if c.ReadHeaderTimeout < 0 {
		errs = append(errs, fmt.Errorf("ReadHeaderTimeout %v must not be negative", c.ReadHeaderTimeout))
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, fmt.Errorf("TLSCertFile %q and TLSKeyFile %q: set both to serve HTTPS, or neither for plain HTTP", c.TLSCertFile, c.TLSKeyFile))
	}
	switch c.Auth {
	case AuthAuto, AuthOn, AuthOff:
	default:
		errs = append(errs, fmt.Errorf("unknown Auth %q: use %q (the default), %q or %q", c.Auth, "auto", AuthOn, AuthOff))
	}
	if c.Auth == AuthOn && c.InsecureNoAuth {
		errs = append(errs, errors.New("both Auth on and InsecureNoAuth: they contradict each other, choose one"))
	}
	if c.Auth == AuthOff && !c.InsecureNoAuth && !loopback(c.Addr) {
		errs = append(errs, insecure(c.Addr, "authentication is off"))
	}
	if c.TokenTTL < 0 {
		errs = append(errs, fmt.Errorf("TokenTTL %v must not be negative (0 means 1h)", c.TokenTTL))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("server: invalid config: %w", err)
	}
	return nil
}

// authRequired reports whether requests need a token under c.
func (c Config) authRequired() bool {
	switch c.Auth {
	case AuthOn:
		return true
	case AuthOff:
		return false
	default:
		return !c.InsecureNoAuth && !loopback(c.Addr)
	}
}

// loopback reports whether addr listens on a loopback address only. An
// empty host (all interfaces) and host names other than localhost are not.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
