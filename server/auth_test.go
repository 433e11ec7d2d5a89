package server

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoopback(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.5:0": true, "[::1]:8080": true, "localhost:8080": true, "LOCALHOST:1": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:8080": false, "10.0.0.1:8080": false, "example.com:8080": false,
		"localhost.example.com:80": false, "garbage": false,
	} {
		assert.Equal(t, want, loopback(addr), addr)
	}
}

func TestAuthDefaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg  Config
		want bool
	}{
		{Config{Addr: "127.0.0.1:0"}, false},
		{Config{Addr: "0.0.0.0:0"}, true},
		{Config{Addr: "0.0.0.0:0", InsecureNoAuth: true}, false},
		{Config{Addr: "127.0.0.1:0", Auth: AuthOn}, true},
		{Config{Addr: "127.0.0.1:0", Auth: "auto"}, false},
	} {
		assert.Equal(t, tc.want, tc.cfg.WithDefaults().authRequired(), "%+v", tc.cfg)
	}
}

func TestInvalidAuthConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"unknown mode":        {Addr: "127.0.0.1:0", DBPath: MemoryDB, Auth: "maybe"},
		"on and insecure":     {Addr: "127.0.0.1:0", DBPath: MemoryDB, Auth: AuthOn, InsecureNoAuth: true},
		"negative token life": {Addr: "127.0.0.1:0", DBPath: MemoryDB, TokenTTL: -1},
	} {
		_, err := New(&cfg)
		require.ErrorContains(t, err, "invalid config", name)
	}
}

// A server off loopback refuses to run without authentication unless told
// so in as many words.
func TestRefusesToServeOffLoopbackWithoutAuth(t *testing.T) {
	t.Parallel()
	_, err := New(&Config{Addr: "0.0.0.0:0", DBPath: MemoryDB, Auth: AuthOff})
	require.ErrorIs(t, err, ErrNoAuth)
	require.ErrorContains(t, err, "--insecure-no-auth")

	s, err := New(&Config{Addr: "0.0.0.0:0", DBPath: MemoryDB})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Stop(context.Background())) })
	require.True(t, s.AuthRequired())
	err = s.Start(t.Context())
	require.ErrorIs(t, err, ErrNoAuth, "no key: nobody could authenticate")
	require.ErrorContains(t, err, "baton keys create")
	require.Empty(t, s.Addr(), "nothing listens")

	id, secret, err := s.CreateAPIKey(t.Context(), "ops")
	require.NoError(t, err)
	require.NotEmpty(t, id)
	require.NotEmpty(t, secret)
	require.NoError(t, s.RevokeAPIKey(t.Context(), id))
	require.ErrorIs(t, s.Start(t.Context()), ErrNoAuth, "a revoked key does not count")

	_, _, err = s.CreateAPIKey(t.Context(), "ops")
	require.NoError(t, err)
	require.NoError(t, s.Start(t.Context()))
	status, body := get(t, s.URL()+"/metadata/taskdefs")
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, body, `"error":"INVALID_TOKEN"`)
}

func TestInsecureNoAuth(t *testing.T) {
	t.Parallel()
	s, err := New(&Config{Addr: "0.0.0.0:0", DBPath: MemoryDB, Auth: AuthOff, InsecureNoAuth: true})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Stop(context.Background())) })
	require.False(t, s.AuthRequired())
	require.NoError(t, s.Start(t.Context()))
	status, _ := get(t, s.URL()+"/metadata/taskdefs")
	require.Equal(t, http.StatusOK, status)
	status, _ = get(t, s.URL()+"/token")
	require.Equal(t, http.StatusNotFound, status, "as Conductor OSS: the SDKs then know to send no token")
}

func TestOpenAndProtectedPaths(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB, Auth: AuthOn, MetricsRequireAuth: protect})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Stop(context.Background())) })
		require.NoError(t, s.Start(t.Context()))
		root := "http://" + s.Addr()
		status, _ := get(t, root+"/health")
		require.Equal(t, http.StatusOK, status)
		status, _ = get(t, root+"/login")
		require.Equal(t, http.StatusOK, status)
		status, _ = get(t, root+"/static/app.css")
		require.Equal(t, http.StatusOK, status)
		status, _ = get(t, root+"/metrics")
		if protect {
			require.Equal(t, http.StatusUnauthorized, status)
		} else {
			require.Equal(t, http.StatusOK, status)
		}
		status, _ = get(t, root+"/api/health")
		require.Equal(t, http.StatusOK, status)
		// An open prefix does not open what a dot-segment reaches from it.
		for _, p := range []string{"/static/../api/metadata/taskdefs", "/static/%2e%2e/api/metadata/taskdefs", "/login/../api/metadata/taskdefs"} {
			status, body := get(t, root+p)
			require.NotEqual(t, http.StatusOK, status, "%s: %s", p, body)
			require.NotContains(t, body, "[]", p)
		}
		for _, p := range []string{"/executions", "/api/workflow/x", "/nope"} {
			status, _ = get(t, root+p)
			require.Equal(t, http.StatusUnauthorized, status, p)
		}
	}
}
