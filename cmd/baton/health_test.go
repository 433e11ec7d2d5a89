package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHealthCommand(t *testing.T) {
	t.Parallel()
	answer := func(code int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/health" || r.Method != http.MethodGet {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(code)
			_, _ = w.Write([]byte(body))
		}
	}
	healthy := answer(http.StatusOK, `{"healthResults":[],"suppressedHealthResults":[],"healthy":true}`)
	for _, tc := range []struct {
		name    string
		handler http.Handler
		suffix  string // appended to the test server's URL for --server
		args    []string
		code    int
		stdout  string
		stderr  string
	}{
		{name: "healthy, URL with /api", handler: healthy, suffix: "/api", code: exitOK, stdout: "healthy: "},
		{name: "healthy, URL with /api/", handler: healthy, suffix: "/api/", code: exitOK, stdout: "/health\n"},
		{name: "healthy, bare URL", handler: healthy, code: exitOK, stdout: "healthy: "},
		{name: "unhealthy", handler: answer(http.StatusOK, `{"healthy":false}`), suffix: "/api", code: exitError, stderr: `not healthy: {"healthy":false}`},
		{name: "503", handler: answer(http.StatusServiceUnavailable, `{"healthy":false}`), suffix: "/api", code: exitError, stderr: "answered 503 Service Unavailable"},
		{name: "no health report", handler: answer(http.StatusOK, `<html>`), suffix: "/api", code: exitError, stderr: "without a health report"},
		{name: "a report without healthy", handler: answer(http.StatusOK, `{}`), suffix: "/api", code: exitError, stderr: "without a health report"},
		{name: "not found", handler: http.NotFoundHandler(), suffix: "/api", code: exitError, stderr: "answered 404 Not Found"},
		{name: "hangs past the timeout", handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }),
			suffix: "/api", args: []string{"--timeout", "1ms"}, code: exitError, stderr: "context deadline exceeded"},
		{name: "bad timeout", handler: healthy, args: []string{"--timeout", "0s"}, code: exitUsage, stderr: "--timeout 0s must be positive"},
		{name: "extra argument", handler: healthy, args: []string{"now"}, code: exitUsage, stderr: `unexpected arguments ["now"]`},
		{name: "unknown flag", handler: healthy, args: []string{"--nope"}, code: exitUsage, stderr: "flag provided but not defined: -nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			args := append([]string{"health", "--server", srv.URL + tc.suffix}, tc.args...)
			code, stdout, stderr := runArgs(args...)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			require.Contains(t, stdout, tc.stdout)
			require.Contains(t, stderr, tc.stderr)
		})
	}
}

func TestHealthCommandBadServer(t *testing.T) {
	t.Parallel()
	code, _, stderr := runArgs("health", "--server", "localhost:8080")
	require.Equal(t, exitUsage, code, stderr)
	require.Contains(t, stderr, "check --server")

	// Nothing listens: a closed test server's address.
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	code, _, stderr = runArgs("health", "--server", srv.URL+"/api")
	require.Equal(t, exitError, code, stderr)
	require.Contains(t, stderr, "connection refused")
}
