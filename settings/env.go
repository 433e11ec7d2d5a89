package settings

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by FromEnv, named as in Conductor's SDKs.
const (
	EnvServerURL   = "CONDUCTOR_SERVER_URL"
	EnvAuthKey     = "CONDUCTOR_AUTH_KEY"
	EnvAuthSecret  = "CONDUCTOR_AUTH_SECRET"
	EnvHTTPTimeout = "CONDUCTOR_CLIENT_HTTP_TIMEOUT"
)

// ErrMissingServerURL is returned by FromEnv when CONDUCTOR_SERVER_URL is unset.
var ErrMissingServerURL = errors.New("settings: " + EnvServerURL + " is not set (e.g. " + DefaultBaseURL + ")")

// FromEnv reads the server URL, the optional key and secret and the optional
// HTTP timeout (whole seconds, or a Go duration such as 1m30s) from the
// process environment. It returns an error, never exits, for a missing URL,
// a key without its secret, or a malformed value.
func FromEnv() (*HttpSettings, *AuthenticationSettings, error) {
	return FromLookup(os.LookupEnv)
}

// FromLookup is FromEnv with the variables read through lookup.
func FromLookup(lookup func(string) (string, bool)) (*HttpSettings, *AuthenticationSettings, error) {
	raw, ok := lookup(EnvServerURL)
	if !ok || strings.TrimSpace(raw) == "" {
		return nil, nil, ErrMissingServerURL
	}
	h := NewHttpSettings(raw)
	if err := h.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", EnvServerURL, err)
	}
	if v, ok := lookup(EnvHTTPTimeout); ok && strings.TrimSpace(v) != "" {
		d, err := parseTimeout(strings.TrimSpace(v))
		if err != nil {
			return nil, nil, fmt.Errorf("settings: %s=%q: %w", EnvHTTPTimeout, v, err)
		}
		h.Timeout = d
	}
	key, _ := lookup(EnvAuthKey)
	secret, _ := lookup(EnvAuthSecret)
	if (key == "") != (secret == "") {
		return nil, nil, fmt.Errorf("settings: set both %s and %s, or neither", EnvAuthKey, EnvAuthSecret)
	}
	return h, NewAuthenticationSettings(key, secret), nil
}

func parseTimeout(v string) (time.Duration, error) {
	if n, err := strconv.Atoi(v); err == nil {
		if n <= 0 {
			return 0, errors.New("must be a positive number of seconds")
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, errors.New("want whole seconds (30) or a duration (1m30s)")
	}
	if d <= 0 {
		return 0, errors.New("must be positive")
	}
	return d, nil
}
