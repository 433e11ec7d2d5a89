package client_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// TestNotFoundHintsAtAPIRoot: a base URL without /api gets 404s for every
// route; the error says which URL was probably meant.
func TestNotFoundHintsAtAPIRoot(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		base   string // below the fake server's root
		status int
		body   string
		hint   bool
	}{
		{"root without /api, bare 404", "", 404, "404 page not found", true},
		{"root without /api, Spring's 404", "", 404, `{"status":404,"message":"No static resource tasks/poll/batch/t."}`, true},
		{"a prefix without /api", "/conductor", 404, "", true},
		{"base with /api", "/api", 404, "", false},
		{"base with /api below a prefix", "/conductor/api/", 404, "", false},
		{"an unknown entity, not a route", "", 404, `{"status":404,"message":"No such workflow found by id: 42"}`, false},
		{"405 is no missing root", "", 405, "", false},
		{"500", "", 500, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			api := client.NewAPIClient(settings.NewHttpSettings(srv.URL + tc.base))
			_, err := api.Tasks().BatchPoll(t.Context(), "t", client.BatchPollOptions{Count: 1})
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			want := "did you mean " + srv.URL + strings.TrimRight(tc.base, "/") + "/api?"
			if tc.hint {
				require.ErrorContains(t, err, want)
				require.Contains(t, apiErr.APIHint(), want)
				require.ErrorIs(t, err, client.ErrUnsupported, "a missing route stays ErrUnsupported")
				require.NotErrorIs(t, err, client.ErrNotFound)
			} else {
				require.NotContains(t, err.Error(), "did you mean")
				require.Empty(t, apiErr.APIHint())
			}
		})
	}
	require.Empty(t, (&client.APIError{StatusCode: 404}).APIHint(), "an error built by hand has no base URL")
}

// TestWebPageHintsAtAPIRoot: Conductor's UI answers a GET outside /api with
// its index page (200, text/html); the error says which URL was meant.
func TestWebPageHintsAtAPIRoot(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "TEXT/HTML; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><html>Conductor UI</html>"))
	}))
	t.Cleanup(srv.Close)
	for base, want := range map[string]string{
		srv.URL:          "did you mean " + srv.URL + "/api?",
		srv.URL + "/ui/": "did you mean " + srv.URL + "/ui/api?",
		srv.URL + "/api": "is the base URL the API root?",
	} {
		api := client.NewAPIClient(settings.NewHttpSettings(base))
		_, err := api.Tasks().BatchPoll(t.Context(), "t", client.BatchPollOptions{})
		require.ErrorContains(t, err, "conductor: GET /tasks/poll/batch/t: the server answered 200 with a web page, not the API")
		require.ErrorContains(t, err, want, "base %s", base)
		_, err = api.Workflows().Get(t.Context(), "wf-1", false)
		require.ErrorContains(t, err, want, "base %s", base)
	}
}

func TestDefaultLogger(t *testing.T) {
	t.Parallel()
	cases := []struct {
		env        string
		set        bool
		info, warn bool
		complaint  bool
	}{
		{set: false, warn: true},
		{env: "", set: true, warn: true},
		{env: "warn", set: true, warn: true},
		{env: "INFO", set: true, info: true, warn: true},
		{env: " debug ", set: true, info: true, warn: true},
		{env: "error", set: true},
		{env: "off", set: true},
		{env: "loud", set: true, warn: true, complaint: true},
	}
	for _, tc := range cases {
		var buf bytes.Buffer
		log := client.NewDefaultLogger(&buf, func(k string) (string, bool) {
			require.Equal(t, client.EnvLogLevel, k)
			return tc.env, tc.set
		})
		require.Equal(t, tc.complaint, strings.Contains(buf.String(), "unknown log level"), "env %q", tc.env)
		buf.Reset()
		log.Info("an info line")
		log.Warn("a warning")
		log.Error("an error")
		out := buf.String()
		require.Equal(t, tc.info, strings.Contains(out, "an info line"), "env %q: %s", tc.env, out)
		require.Equal(t, tc.warn, strings.Contains(out, "a warning"), "env %q: %s", tc.env, out)
		require.Equal(t, tc.env != "off", strings.Contains(out, "an error"), "env %q: %s", tc.env, out)
	}
	require.NotNil(t, client.DefaultLogger())
}

// TestDocsConstructorReportsBadSettings: NewAPIClient cannot return an
// error, so Err and every call return it (and it is logged on stderr).
func TestDocsConstructorReportsBadSettings(t *testing.T) {
	t.Parallel()
	c := client.NewAPIClient(settings.NewHttpSettings("localhost:8080"))
	require.ErrorContains(t, c.Err(), `did you mean "http://localhost:8080/api"?`)
	_, err := c.Tasks().BatchPoll(t.Context(), "t", client.BatchPollOptions{})
	require.Equal(t, c.Err(), err)
	require.NoError(t, client.NewAPIClient(settings.NewHttpSettings("http://localhost:8080/api")).Err())
	require.ErrorContains(t, client.NewAPIClient(settings.NewHttpSettings("")).Err(), "the server URL is empty")
	require.ErrorContains(t, client.NewAPIClient(settings.NewHttpSettings("ftp://x")).Err(), "absolute http(s)")
}
