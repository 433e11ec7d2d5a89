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

	// Limits bounds what scripts, definitions and payloads may take. Zero
	// fields take the defaults written on them.
	Limits Limits

	// Retention, when positive, is how long an ended workflow (COMPLETED,
	// FAILED, TIMED_OUT, TERMINATED) is kept after its last update; a
	// background sweep then removes it with its tasks and their logs, a
	// few at a time. Defaults to 0: nothing is removed.
	Retention time.Duration
	// RetentionArchive, when set with Retention, is a file each removed
	// workflow (tasks included) is appended to as one line of JSON before
	// it is removed. It is created when missing; New opens it.
	RetentionArchive string

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

// Limits bounds the work one request or one workflow can make the server
// do. A limit that is reached fails what reached it with a message that
// names the limit and its value; the server carries on.
type Limits struct {
	// ScriptTimeout bounds one JavaScript evaluation (INLINE, LAMBDA,
	// SWITCH and DECISION expressions, DO_WHILE loopCondition): an endless
	// loop fails its task. Defaults to 4s, as Conductor's
	// CONDUCTOR_SCRIPT_MAX_EXECUTION_SECONDS.
	ScriptTimeout time.Duration
	// ScriptMaxCallStack bounds the JavaScript call depth: runaway
	// recursion is a RangeError. Defaults to 1024 frames.
	ScriptMaxCallStack int
	// ScriptMaxStringLength bounds the string one builtin call
	// (repeat, padStart, padEnd, replace, replaceAll) may build, in UTF-16
	// units. Defaults to 16M.
	ScriptMaxStringLength int
	// ScriptMaxArrayLength bounds the arrays a script may hand to Array
	// methods and Array.from. Defaults to 1M elements.
	ScriptMaxArrayLength int
	// ScriptMaxHeapGrowth bounds how much the Go heap may grow while a
	// script runs, in bytes: a string doubled in a loop or an array pushed
	// without end fails its task. The heap is sampled every millisecond,
	// so a script that allocates in big steps can overshoot it several
	// times before it stops (docs/configuration.md has measurements). Defaults to 128 MiB; negative turns the
	// guard off.
	ScriptMaxHeapGrowth int64
	// ScriptMaxOutputSize bounds a script's result, in bytes of JSON.
	// Defaults to 1 MiB.
	ScriptMaxOutputSize int
	// JQTimeout bounds one JSON_JQ_TRANSFORM query. Defaults to
	// ScriptTimeout.
	JQTimeout time.Duration
	// MaxWorkflowTasks bounds the tasks of a workflow definition, nested
	// ones included; a larger one is a 400. Defaults to 1000.
	MaxWorkflowTasks int
	// MaxForkWidth bounds the branches of a FORK_JOIN (a 400 at
	// registration) and of a FORK_JOIN_DYNAMIC (its workflow fails).
	// Defaults to 1000.
	MaxForkWidth int
	// MaxLoopIterationsKept bounds the DO_WHILE iterations whose tasks
	// are kept; older ones are removed as keepLastN removes them, and a
	// keepLastN above it is a 400. Defaults to 1000.
	MaxLoopIterationsKept int
	// MaxWorkflowInputSize bounds a workflow's input in bytes of JSON; a
	// larger start is a 400. Defaults to 8 MiB.
	MaxWorkflowInputSize int
	// MaxTaskOutputSize bounds a task's output in bytes of JSON; a larger
	// one fails the task with FAILED_WITH_TERMINAL_ERROR. Defaults to 8 MiB.
	MaxTaskOutputSize int
	// MaxTaskInputSize bounds a worker task's resolved input in bytes of
	// JSON; a larger one fails the task with FAILED_WITH_TERMINAL_ERROR
	// before a worker sees it. Defaults to 8 MiB.
	MaxTaskInputSize int
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
	if c.Retention < 0 {
		errs = append(errs, fmt.Errorf("retention %v must not be negative (0 keeps every workflow)", c.Retention))
	}
	if c.RetentionArchive != "" && c.Retention == 0 {
		errs = append(errs, fmt.Errorf("RetentionArchive %q needs a Retention: nothing is removed, so nothing would be archived", c.RetentionArchive))
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
