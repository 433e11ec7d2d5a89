package settings

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is where a local Conductor server answers.
const DefaultBaseURL = "http://localhost:8080/api"

// DefaultTimeout bounds one HTTP request that is not a long poll.
const DefaultTimeout = 30 * time.Second

// HttpSettings says where the Conductor API is.
type HttpSettings struct {
	// BaseUrl is the API root, e.g. http://localhost:8080/api, without a
	// trailing slash.
	BaseUrl string
	// Headers are sent with every request.
	Headers map[string]string
	// Timeout bounds one request (a long poll gets its wait added). Defaults
	// to DefaultTimeout.
	Timeout time.Duration
}

// NewHttpSettings returns settings for the API at baseURL; surrounding
// space and a trailing slash are dropped. It keeps the signature of
// Conductor's SDK and so returns no error: a baseURL that is not an
// absolute http(s) URL (empty, "localhost:8080", "ftp://x") is reported by
// Validate, by every call of a client made from these settings, and by
// StartWorker. Use Parse to get the error at once.
func NewHttpSettings(baseURL string) *HttpSettings {
	baseURL = strings.TrimRight(strings.TrimSpace(baseURL), "/")
	return &HttpSettings{BaseUrl: baseURL, Headers: map[string]string{}, Timeout: DefaultTimeout}
}

// Parse is NewHttpSettings that returns Validate's error, for code that
// wants a malformed URL to stop it at the first line.
func Parse(baseURL string) (*HttpSettings, error) {
	s := NewHttpSettings(baseURL)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// NewHttpDefaultSettings returns settings for DefaultBaseURL.
func NewHttpDefaultSettings() *HttpSettings { return NewHttpSettings(DefaultBaseURL) }

// Validate reports whether the base URL is an absolute http or https URL.
func (s *HttpSettings) Validate() error {
	if s == nil {
		return fmt.Errorf("settings: nil HttpSettings")
	}
	if s.BaseUrl == "" {
		return fmt.Errorf("settings: the server URL is empty; want an absolute http(s) URL such as %s", DefaultBaseURL)
	}
	u, err := url.Parse(s.BaseUrl)
	if err != nil {
		return fmt.Errorf("settings: base URL %q: %w; want an absolute http(s) URL such as %s", s.BaseUrl, err, DefaultBaseURL)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("settings: base URL %q must be an absolute http(s) URL with a host, such as %s%s",
			s.BaseUrl, DefaultBaseURL, schemeHint(s.BaseUrl, u))
	}
	if s.Timeout < 0 {
		return fmt.Errorf("settings: timeout %v must not be negative", s.Timeout)
	}
	return nil
}

// schemeHint suggests the URL the user probably meant when the scheme is
// missing ("localhost:8080/api" parses as scheme "localhost").
func schemeHint(raw string, u *url.URL) string {
	if u.Scheme == "http" || u.Scheme == "https" || strings.Contains(raw, "://") {
		return ""
	}
	meant := "http://" + raw
	if !strings.Contains(raw, "/api") {
		meant += "/api"
	}
	return fmt.Sprintf(" (did you mean %q?)", meant)
}
