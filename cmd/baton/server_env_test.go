package main

import (
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestEnvName(t *testing.T) {
	t.Parallel()
	for flagName, want := range map[string]string{
		"addr":                    "BATON_ADDR",
		"db":                      "BATON_DB",
		"http-task-allowed-hosts": "BATON_HTTP_TASK_ALLOWED_HOSTS",
		"tls-cert":                "BATON_TLS_CERT",
	} {
		require.Equal(t, want, envName(flagName))
	}
}

// mapEnv is an environment holding only env, recording every name asked for.
func mapEnv(env map[string]string, asked *[]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if asked != nil {
			*asked = append(*asked, name)
		}
		v, ok := env[name]
		return v, ok
	}
}

// TestApplyEnvEveryFlag: every flag of `baton server`, including any added
// later, is read from its variable; nothing else is read.
func TestApplyEnvEveryFlag(t *testing.T) {
	t.Parallel()
	fs, _ := serverFlags(io.Discard)
	require.NoError(t, fs.Parse(nil))
	var asked, want []string
	fs.VisitAll(func(f *flag.Flag) { want = append(want, envName(f.Name)) })
	_, err := applyEnv(fs, mapEnv(nil, &asked))
	require.NoError(t, err)
	require.Equal(t, want, asked)
	require.GreaterOrEqual(t, len(want), 8)
}

func TestApplyEnv(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    serverOptions
		fromEnv []string
		err     string
	}{
		{name: "defaults", want: serverOptions{auth: "auto", tokenTTL: time.Hour, addr: "127.0.0.1:8080", db: "baton.db", metrics: true, stopTimeout: 30 * time.Second}},
		{
			name: "every kind of flag from the environment",
			env: map[string]string{"BATON_ADDR": "0.0.0.0:9090", "BATON_DB": "/var/lib/baton/baton.db", "BATON_METRICS": "false",
				"BATON_STOP_TIMEOUT": "5s", "BATON_LOG_LEVEL": "warn", "BATON_HTTP_TASK_ALLOWED_HOSTS": "a.example.com,*.b.example.com",
				"BATON_AUTH": "on", "BATON_TOKEN_TTL": "2h", "BATON_METRICS_AUTH": "true"},
			want: serverOptions{addr: "0.0.0.0:9090", db: "/var/lib/baton/baton.db", stopTimeout: 5 * time.Second,
				logLevel: levelFlag{4}, httpAllowedHosts: "a.example.com,*.b.example.com", auth: "on", tokenTTL: 2 * time.Hour, metricsAuth: true},
			fromEnv: []string{"addr", "db", "http-task-allowed-hosts", "log-level", "metrics", "stop-timeout", "auth", "token-ttl", "metrics-auth"},
		},
		{
			name: "the command line wins",
			args: []string{"--addr", "127.0.0.1:0", "--metrics=true", "--db=:memory:"},
			env:  map[string]string{"BATON_ADDR": "0.0.0.0:9090", "BATON_METRICS": "false", "BATON_DB": "x.db", "BATON_STOP_TIMEOUT": "1m"},
			want: serverOptions{auth: "auto", tokenTTL: time.Hour, addr: "127.0.0.1:0", db: ":memory:", metrics: true, stopTimeout: time.Minute}, fromEnv: []string{"stop-timeout"},
		},
		{
			name: "an empty variable leaves the default",
			env:  map[string]string{"BATON_ADDR": "", "BATON_METRICS": "", "BATON_STOP_TIMEOUT": ""},
			want: serverOptions{auth: "auto", tokenTTL: time.Hour, addr: "127.0.0.1:8080", db: "baton.db", metrics: true, stopTimeout: 30 * time.Second},
		},
		{name: "bad bool", env: map[string]string{"BATON_METRICS": "maybe"},
			err: `environment variable BATON_METRICS="maybe" (sets --metrics): parse error (want true or false)`},
		{name: "bad duration", env: map[string]string{"BATON_STOP_TIMEOUT": "30"},
			err: `environment variable BATON_STOP_TIMEOUT="30" (sets --stop-timeout): parse error (want a duration with its unit, e.g. 30s or 2m)`},
		{name: "bad level", env: map[string]string{"BATON_LOG_LEVEL": "loud"},
			err: `environment variable BATON_LOG_LEVEL="loud" (sets --log-level): use debug, info, warn or error`},
		{name: "a bad variable is refused even beside good ones", env: map[string]string{"BATON_ADDR": "x:1", "BATON_STOP_TIMEOUT": "soon"},
			err: `BATON_STOP_TIMEOUT="soon"`},
		{name: "a bad variable under a flag given on the command line is not read", args: []string{"--metrics=false"},
			env:  map[string]string{"BATON_METRICS": "maybe"},
			want: serverOptions{auth: "auto", tokenTTL: time.Hour, addr: "127.0.0.1:8080", db: "baton.db", stopTimeout: 30 * time.Second}},
		{name: "names are exact", env: map[string]string{"baton_addr": "x:1", "BATON-ADDR": "x:3", "BATONADDR": "x:4"},
			want: serverOptions{auth: "auto", tokenTTL: time.Hour, addr: "127.0.0.1:8080", db: "baton.db", metrics: true, stopTimeout: 30 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs, o := serverFlags(io.Discard)
			require.NoError(t, fs.Parse(tc.args))
			fromEnv, err := applyEnv(fs, mapEnv(tc.env, nil))
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			// The limits and retention keep their defaults in every case.
			_, def := serverFlags(io.Discard)
			want := tc.want
			want.maxBodyBytes, want.limits = def.maxBodyBytes, def.limits
			want.retention, want.retentionArchive = def.retention, def.retentionArchive
			require.Equal(t, want, *o)
			var got []string
			for name := range fromEnv {
				got = append(got, name)
			}
			require.ElementsMatch(t, tc.fromEnv, got)
		})
	}
}

// TestServerFromEnvironment runs `baton server` configured by the process's
// environment only. It sets variables, so it cannot run in parallel.
func TestServerFromEnvironment(t *testing.T) {
	t.Setenv("BATON_ADDR", "127.0.0.1:0")
	t.Setenv("BATON_DB", ":memory:")
	t.Setenv("BATON_LOG_LEVEL", "warn")
	t.Setenv("BATON_METRICS", "false")

	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		code := run(ctx, func() {}, []string{"server"}, pw, &stderr)
		pw.Close()
		done <- code
	}()
	url, sc := waitForURL(t, pr)
	require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
	health(t, url)
	cancel()
	var rest []string
	for sc.Scan() {
		rest = append(rest, sc.Text())
	}
	require.Equal(t, exitOK, <-done, "stderr: %s", stderr.String())
	require.NotContains(t, strings.Join(rest, "\n"), "Metrics:", "BATON_METRICS=false turns metrics off")
	require.Contains(t, rest, "Database: :memory: (in memory: nothing is kept)")
	require.Empty(t, stderr.String(), "BATON_LOG_LEVEL=warn keeps info lines out")
}

// TestServerEnvironmentErrors: a variable the server cannot use stops it
// with a usage error that names the variable.
func TestServerEnvironmentErrors(t *testing.T) {
	for _, tc := range []struct {
		env    map[string]string
		args   []string
		stderr string
	}{
		{map[string]string{"BATON_METRICS": "maybe"}, nil,
			`baton server: environment variable BATON_METRICS="maybe" (sets --metrics): parse error (want true or false)`},
		{map[string]string{"BATON_TLS_CERT": "cert.pem"}, nil,
			"baton server: --tls-cert (from BATON_TLS_CERT) and --tls-key go together"},
		{map[string]string{"BATON_TLS_KEY": "key.pem"}, []string{"--tls-cert", "c.pem", "--tls-key", ""},
			"baton server: --tls-cert and --tls-key go together"},
		{map[string]string{"BATON_LOG_LEVEL": "loud"}, []string{"--db", ":memory:"},
			`BATON_LOG_LEVEL="loud" (sets --log-level): use debug, info, warn or error`},
	} {
		t.Run(tc.stderr, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runArgs(append([]string{"server"}, tc.args...)...)
			require.Equal(t, exitUsage, code, "stdout: %s\nstderr: %s", stdout, stderr)
			require.Contains(t, stderr, tc.stderr)
			require.Empty(t, stdout)
		})
	}
}
