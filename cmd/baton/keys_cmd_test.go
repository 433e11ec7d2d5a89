package main

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

var (
	keyIDLine     = regexp.MustCompile(`(?m)^Key id: +(\S+)$`)
	keySecretLine = regexp.MustCompile(`(?m)^Key secret: +(\S+)$`)
)

// createKey runs `baton keys create` on db and returns the key.
func createKey(t *testing.T, db string) (id, secret string) {
	t.Helper()
	code, out, errOut := runArgs("keys", "create", "--db", db, "--name", "ci runner")
	require.Equal(t, exitOK, code, errOut)
	id, secret = keyIDLine.FindStringSubmatch(out)[1], keySecretLine.FindStringSubmatch(out)[1]
	require.Len(t, secret, 43)
	return id, secret
}

func TestKeysCommand(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "baton.db")
	id, secret := createKey(t, db)

	code, out, _ := runArgs("keys", "list", "--db", db)
	require.Equal(t, exitOK, code)
	require.Contains(t, out, id)
	require.Contains(t, out, "ci runner")
	require.Contains(t, out, "active")
	require.NotContains(t, out, secret, "the secret is shown once, at creation")

	code, _, errOut := runArgs("keys", "revoke", "--db", db, "no-such-key")
	require.Equal(t, exitNotFound, code, errOut)
	code, out, _ = runArgs("keys", "revoke", "--db", db, id)
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "revoked")
	_, out, _ = runArgs("keys", "list", "--db", db)
	require.Contains(t, out, "revoked 20")

	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"keys"}, exitUsage, "Usage: baton keys"},
		{[]string{"keys", "bogus", "--db", db}, exitUsage, `unknown subcommand "bogus"`},
		{[]string{"keys", "revoke", "--db", db}, exitUsage, "want 1 argument"},
		{[]string{"keys", "list", "--db", db, "extra"}, exitUsage, "want 0 argument"},
		{[]string{"keys", "list", "--name", "x"}, exitUsage, "not defined"},
		{[]string{"keys", "create", "--db", ":memory:"}, exitUsage, "keep nothing"},
		{[]string{"keys", "create", "--db", db, "--name", "two\nlines"}, exitUsage, "printable"},
		{[]string{"keys", "list", "--db", "/nonexistent-dir/x.db"}, exitError, "nonexistent-dir"},
	} {
		code, _, errOut := runArgs(tc.args...)
		require.Equal(t, tc.code, code, "%q: %s", tc.args, errOut)
		require.Contains(t, errOut, tc.stderr, "%q", tc.args)
	}
	code, out, _ = runArgs("help", "keys")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "baton keys create")
}

// `baton server` will not serve a non-loopback address that nobody has to
// authenticate to, and says what to do instead.
func TestServerRefusesToServeWithoutAuth(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "baton.db")
	for _, args := range [][]string{
		{"--addr", "0.0.0.0:0", "--db", db},
		{"--addr", ":0", "--db", db},
		{"--addr", "0.0.0.0:0", "--db", db, "--auth", "off"},
		{"--addr", "0.0.0.0:0", "--db", db, "--auth", "on"},
	} {
		code, out, errOut := runArgs(append([]string{"server"}, args...)...)
		require.Equal(t, exitUsage, code, "%q: %s", args, errOut)
		require.Contains(t, errOut, "refusing to serve a non-loopback address without authentication", "%q", args)
		require.Contains(t, errOut, "baton keys create")
		require.Contains(t, errOut, "--insecure-no-auth")
		require.NotContains(t, out, "listening")
	}
	code, _, errOut := runArgs("server", "--addr", "127.0.0.1:0", "--db", db, "--auth", "maybe")
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, `--auth "maybe"`)
	code, _, errOut = runArgs("server", "--addr", "127.0.0.1:0", "--db", db, "--auth", "on", "--insecure-no-auth")
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "contradict")
}

// runServerUntil runs `baton server args...` in this process until the
// test's end, and returns its API URL and the line saying whether it
// requires authentication.
func runServerUntil(t *testing.T, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		code := run(ctx, func() {}, append([]string{"server", "--log-level", "warn"}, args...), pw, &stderr)
		pw.Close()
		done <- code
	}()
	url, sc := waitForURL(t, pr)
	authLine := ""
	for authLine == "" && sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Authentication:") {
			authLine = sc.Text()
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	t.Cleanup(func() {
		cancel()
		require.Equal(t, exitOK, <-done, stderr.String())
	})
	return url, authLine
}

func TestServerWithKey(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "baton.db")
	id, secret := createKey(t, db)
	url, authLine := runServerUntil(t, "--addr", "0.0.0.0:0", "--db", db)
	require.Contains(t, authLine, "Authentication: on")

	ctx := t.Context()
	withKey := apiClientAuth(t, url, settings.NewAuthenticationSettings(id, secret))
	_, err := withKey.Metadata().ListTaskDefs(ctx)
	require.NoError(t, err)
	_, err = apiClientAuth(t, url, nil).Metadata().ListTaskDefs(ctx)
	require.ErrorIs(t, err, client.ErrUnauthorized)
	health(t, url) // open

	// Revoked from another process while the server runs: no new token at
	// once (the tokens issued go within auth.RecheckInterval, tested with a
	// fake clock in internal/auth).
	code, _, errOut := runArgs("keys", "revoke", "--db", db, id)
	require.Equal(t, exitOK, code, errOut)
	_, err = apiClientAuth(t, url, settings.NewAuthenticationSettings(id, secret)).Metadata().ListTaskDefs(ctx)
	require.ErrorIs(t, err, client.ErrUnauthorized)
}

func TestServerInsecureNoAuth(t *testing.T) {
	t.Parallel()
	url, authLine := runServerUntil(t, "--addr", "0.0.0.0:0", "--db", ":memory:", "--insecure-no-auth")
	require.Contains(t, authLine, "Authentication: OFF (--insecure-no-auth)")
	_, err := apiClientAuth(t, url, nil).Metadata().ListTaskDefs(t.Context())
	require.NoError(t, err)
}

func apiClientAuth(t *testing.T, url string, auth *settings.AuthenticationSettings) *client.APIClient {
	t.Helper()
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(url), Auth: auth})
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}
