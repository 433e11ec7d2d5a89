package client

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/batonhq/baton/settings"
)

// Config configures an APIClient. Every field's zero value stands for the
// default written on it, so Config{} is a client for a local server.
type Config struct {
	// HTTP says where the server is. Defaults to settings.NewHttpDefaultSettings().
	HTTP *settings.HttpSettings
	// Auth is the application key for servers that require a token. Nil or
	// empty sends no token.
	Auth *settings.AuthenticationSettings
	// HTTPClient sends the requests. Defaults to a client on a shared
	// keep-alive transport sized for hundreds of concurrent workers, which
	// does not forward the token when redirected to another host. Each
	// request is bounded by HTTP.Timeout plus any long-poll wait; the
	// client's own Timeout must be 0 or longer than that.
	HTTPClient *http.Client
	// Logger receives debug lines about token fetches, and the error of a
	// malformed setting given to NewAPIClient. Defaults to DefaultLogger
	// (warnings and errors on stderr).
	Logger *slog.Logger
	// UserAgent is sent with every request. Defaults to "baton-go".
	UserAgent string
	// PollRelease says the server is Baton's, which ends a worker's idle
	// long polls on request, so a worker host's shutdown need not wait
	// them out (see CanReleasePolls). batontest sets it; otherwise the
	// client learns it from the first answer of a Baton server. Leave it
	// false for Conductor.
	PollRelease bool
	// TokenRefreshMargin is how long before a token's expiry it is renewed
	// (a token that lives less than twice as long is renewed at half its
	// life). Defaults to 1 minute.
	TokenRefreshMargin time.Duration
}

// WithDefaults returns a copy of c with zero fields filled in.
func (c Config) WithDefaults() Config {
	if c.HTTP == nil {
		c.HTTP = settings.NewHttpDefaultSettings()
	}
	if c.HTTPClient == nil {
		c.HTTPClient = NewHTTPClient(sharedTransport)
	}
	if c.Logger == nil {
		c.Logger = DefaultLogger()
	}
	c.UserAgent = cmp.Or(c.UserAgent, "baton-go")
	c.TokenRefreshMargin = cmp.Or(c.TokenRefreshMargin, time.Minute)
	return c
}

func (c Config) validate() error {
	if err := c.HTTP.Validate(); err != nil {
		return fmt.Errorf("client: %w", err)
	}
	if c.TokenRefreshMargin < 0 {
		return fmt.Errorf("client: TokenRefreshMargin %v must not be negative", c.TokenRefreshMargin)
	}
	return nil
}

// APIClient talks to a Conductor server's REST API. It is safe for
// concurrent use; share one per server.
type APIClient struct {
	cfg     Config
	baseURL string
	headers http.Header
	timeout time.Duration // bound on one request, before any long-poll wait
	tokens  *tokenSource  // nil without authentication
	err     error         // configuration error, returned by every call
	decoder *taskDecoder  // tasks in poll and update answers (taskjson.go)

	pollRelease atomic.Bool // an answer announced poll-release (capabilities.go)
}

// NewAPIClient returns a client for the server in httpSettings (nil means the
// default local server), without authentication. It keeps the signature of
// Conductor's SDK and so returns no error: a malformed setting (a server URL
// without scheme or host, say) is logged on stderr at once (DefaultLogger)
// and returned by Err and by every call. NewAPIClientWithConfig returns it
// instead.
func NewAPIClient(httpSettings *settings.HttpSettings) *APIClient {
	return newOrUnusable(Config{HTTP: httpSettings})
}

// NewAPIClientWithAuth returns a client that authenticates with the given
// key; a malformed setting is reported as by NewAPIClient.
func NewAPIClientWithAuth(auth *settings.AuthenticationSettings, httpSettings *settings.HttpSettings) *APIClient {
	return newOrUnusable(Config{HTTP: httpSettings, Auth: auth})
}

// newOrUnusable returns a client for cfg, or else, after logging why, one
// that returns the configuration error from every call: the constructors of
// Conductor's Go documentation have no error to return.
func newOrUnusable(cfg Config) *APIClient {
	c, err := NewAPIClientWithConfig(cfg)
	if err == nil {
		return c
	}
	cfg = cfg.WithDefaults()
	cfg.Logger.Error("baton: the client's settings are unusable; every call will fail", "error", err)
	return &APIClient{cfg: cfg, err: err}
}

// Err returns the configuration error every call of c returns (see
// NewAPIClient), or nil for a usable client.
func (c *APIClient) Err() error { return c.err }

// NewAPIClientFromEnv returns a client configured by settings.FromEnv.
func NewAPIClientFromEnv() (*APIClient, error) {
	h, a, err := settings.FromEnv()
	if err != nil {
		return nil, err
	}
	return NewAPIClientWithConfig(Config{HTTP: h, Auth: a})
}

// NewAPIClientWithConfig returns a client for cfg, or an error saying which
// setting is wrong.
func NewAPIClientWithConfig(cfg Config) (*APIClient, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &APIClient{
		cfg:     cfg,
		baseURL: settings.NewHttpSettings(cfg.HTTP.BaseUrl).BaseUrl,
		headers: http.Header{},
		timeout: cmp.Or(cfg.HTTP.Timeout, settings.DefaultTimeout),
		decoder: newTaskDecoder(),
	}
	for k, v := range cfg.HTTP.Headers {
		c.headers.Set(k, v)
	}
	c.headers.Set("User-Agent", cfg.UserAgent)
	if !cfg.Auth.IsEmpty() {
		c.tokens = newTokenSource(c, cfg.Auth, cfg.TokenRefreshMargin, time.Now, cfg.Logger)
	}
	return c, nil
}

// BaseURL returns the API root requests go to.
func (c *APIClient) BaseURL() string { return c.baseURL }

// Timeout returns the bound on each request before any long-poll wait:
// HttpSettings.Timeout, or settings.DefaultTimeout.
func (c *APIClient) Timeout() time.Duration { return c.timeout }

// Tasks returns the client for /api/tasks: polling, results, logs, queues.
// It is the official SDK's TaskClient (client.NewTaskClient).
func (c *APIClient) Tasks() *TaskClient { return &TaskClient{c: c} }

// Workflows returns the client for /api/workflow: start, inspect and steer
// executions. It is the official SDK's WorkflowClient (client.NewWorkflowClient).
func (c *APIClient) Workflows() *WorkflowClient { return &WorkflowClient{c: c} }

// Metadata returns the client for /api/metadata: task and workflow
// definitions. It is the official SDK's MetadataClient (client.NewMetadataClient).
func (c *APIClient) Metadata() *MetadataClient { return &MetadataClient{c: c} }

// Bulk returns the client for /api/workflow/bulk: one call for many
// workflows. It is the official SDK's WorkflowBulkClient.
func (c *APIClient) Bulk() *BulkClient { return &BulkClient{c: c} }
