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

// NewHttpSettings returns settings for the API at baseURL; a trailing slash
// is dropped and an empty baseURL means DefaultBaseURL.
func NewHttpSettings(baseURL string) *HttpSettings {
	baseURL = strings.TrimRight(strings.TrimSpace(baseURL), "/")
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &HttpSettings{BaseUrl: baseURL, Headers: map[string]string{}, Timeout: DefaultTimeout}
}

// NewHttpDefaultSettings returns settings for DefaultBaseURL.
func NewHttpDefaultSettings() *HttpSettings { return NewHttpSettings(DefaultBaseURL) }

// Validate reports whether the base URL is an absolute http or https URL.
func (s *HttpSettings) Validate() error {
	if s == nil {
		return fmt.Errorf("settings: nil HttpSettings")
	}
	u, err := url.Parse(s.BaseUrl)
	if err != nil {
		return fmt.Errorf("settings: base URL %q: %w", s.BaseUrl, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("settings: base URL %q must be absolute http(s), e.g. %s", s.BaseUrl, DefaultBaseURL)
	}
	if s.Timeout < 0 {
		return fmt.Errorf("settings: timeout %v must not be negative", s.Timeout)
	}
	return nil
}
