package settings_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/settings"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNewHttpSettings(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"http://localhost:8080/api", "http://localhost:8080/api"},
		{"http://localhost:8080/api/", "http://localhost:8080/api"},
		{"http://localhost:8080/api///", "http://localhost:8080/api"},
		{"  https://conductor.example.com/api/ ", "https://conductor.example.com/api"},
	}
	for _, c := range cases {
		s := settings.NewHttpSettings(c.in)
		require.Equal(t, c.want, s.BaseUrl, "input %q", c.in)
		require.Equal(t, settings.DefaultTimeout, s.Timeout)
		require.NoError(t, s.Validate())
	}
	require.Equal(t, settings.DefaultBaseURL, settings.NewHttpDefaultSettings().BaseUrl)
}

func TestHttpSettingsValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"localhost:8080/api", `did you mean "http://localhost:8080/api"?`},
		{"localhost:8080", `did you mean "http://localhost:8080/api"?`},
		{"ftp://host/api", "absolute http(s) URL with a host"},
		{"http://", "absolute http(s) URL with a host"},
		{"::not a url", "missing protocol scheme"},
		{"/api", "absolute http(s) URL with a host"},
		{"", "the server URL is empty"},
		{"   ", "the server URL is empty"},
		{"http://[::1", "want an absolute http(s) URL"},
	} {
		err := settings.NewHttpSettings(c.in).Validate()
		require.ErrorContains(t, err, c.want, "base URL %q", c.in)
		require.ErrorContains(t, err, settings.DefaultBaseURL, "the error shows a good URL")
		s, perr := settings.Parse(c.in)
		require.Nil(t, s)
		require.Equal(t, err.Error(), perr.Error(), "Parse returns Validate's error")
	}
	s, err := settings.Parse(" https://h:8443/api/ ")
	require.NoError(t, err)
	require.Equal(t, "https://h:8443/api", s.BaseUrl)
	s = settings.NewHttpSettings("http://h/api")
	s.Timeout = -time.Second
	require.ErrorContains(t, s.Validate(), "timeout")
	var nilSettings *settings.HttpSettings
	require.Error(t, nilSettings.Validate())
}

func TestAuthenticationSettings(t *testing.T) {
	t.Parallel()
	a := settings.NewAuthenticationSettings("id", "secret")
	require.False(t, a.IsEmpty())
	require.Equal(t, "id", a.KeyID())
	require.Equal(t, "secret", a.KeySecret())
	require.Equal(t, map[string]string{"keyId": "id", "keySecret": "secret"}, a.GetBody())
	require.NotContains(t, a.String(), "secret", "the secret never reaches a log")

	require.True(t, settings.NewAuthenticationSettings("id", "").IsEmpty())
	require.True(t, settings.NewAuthenticationSettings("", "s").IsEmpty())
	var nilAuth *settings.AuthenticationSettings
	require.True(t, nilAuth.IsEmpty())
	require.Equal(t, "AuthenticationSettings{}", nilAuth.String())
}

func TestFromLookup(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
		url     string
		timeout time.Duration
		auth    bool
	}{
		{name: "url only", env: map[string]string{"CONDUCTOR_SERVER_URL": "http://h:8080/api/"}, url: "http://h:8080/api", timeout: settings.DefaultTimeout},
		{name: "all set", env: map[string]string{"CONDUCTOR_SERVER_URL": "https://h/api", "CONDUCTOR_AUTH_KEY": "k", "CONDUCTOR_AUTH_SECRET": "s", "CONDUCTOR_CLIENT_HTTP_TIMEOUT": "45"},
			url: "https://h/api", timeout: 45 * time.Second, auth: true},
		{name: "duration timeout", env: map[string]string{"CONDUCTOR_SERVER_URL": "http://h/api", "CONDUCTOR_CLIENT_HTTP_TIMEOUT": "1m30s"}, url: "http://h/api", timeout: 90 * time.Second},
		{name: "missing url", env: map[string]string{}, wantErr: "CONDUCTOR_SERVER_URL is not set"},
		{name: "blank url", env: map[string]string{"CONDUCTOR_SERVER_URL": "  "}, wantErr: "CONDUCTOR_SERVER_URL is not set"},
		{name: "relative url", env: map[string]string{"CONDUCTOR_SERVER_URL": "localhost:8080"}, wantErr: "CONDUCTOR_SERVER_URL"},
		{name: "bad timeout", env: map[string]string{"CONDUCTOR_SERVER_URL": "http://h/api", "CONDUCTOR_CLIENT_HTTP_TIMEOUT": "soon"}, wantErr: "CONDUCTOR_CLIENT_HTTP_TIMEOUT"},
		{name: "zero timeout", env: map[string]string{"CONDUCTOR_SERVER_URL": "http://h/api", "CONDUCTOR_CLIENT_HTTP_TIMEOUT": "0"}, wantErr: "positive"},
		{name: "negative duration", env: map[string]string{"CONDUCTOR_SERVER_URL": "http://h/api", "CONDUCTOR_CLIENT_HTTP_TIMEOUT": "-5s"}, wantErr: "positive"},
		{name: "key without secret", env: map[string]string{"CONDUCTOR_SERVER_URL": "http://h/api", "CONDUCTOR_AUTH_KEY": "k"}, wantErr: "CONDUCTOR_AUTH_SECRET"},
		{name: "secret without key", env: map[string]string{"CONDUCTOR_SERVER_URL": "http://h/api", "CONDUCTOR_AUTH_SECRET": "s"}, wantErr: "CONDUCTOR_AUTH_KEY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h, a, err := settings.FromLookup(func(k string) (string, bool) { v, ok := c.env[k]; return v, ok })
			if c.wantErr != "" {
				require.ErrorContains(t, err, c.wantErr)
				require.Nil(t, h)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.url, h.BaseUrl)
			require.Equal(t, c.timeout, h.Timeout)
			require.Equal(t, c.auth, !a.IsEmpty())
		})
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv("CONDUCTOR_SERVER_URL", "http://127.0.0.1:9/api")
	t.Setenv("CONDUCTOR_AUTH_KEY", "")
	t.Setenv("CONDUCTOR_AUTH_SECRET", "")
	t.Setenv("CONDUCTOR_CLIENT_HTTP_TIMEOUT", "")
	h, a, err := settings.FromEnv()
	require.NoError(t, err)
	require.Equal(t, "http://127.0.0.1:9/api", h.BaseUrl)
	require.True(t, a.IsEmpty())
}
