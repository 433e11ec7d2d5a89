package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/internal/selfsigned"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// syncBuffer is an io.Writer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runArgs(args ...string) (int, string, string) {
	var out, errOut syncBuffer
	code := run(context.Background(), func() {}, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{nil, exitUsage, "", "Usage: baton <command>"},
		{[]string{"help"}, exitOK, "server   run the Conductor-compatible server", ""},
		{[]string{"--help"}, exitOK, "Commands:", ""},
		{[]string{"help", "server"}, exitOK, "-addr host:port", ""},
		{[]string{"help", "version"}, exitOK, "baton version: print Baton's version", ""},
		{[]string{"help", "health"}, exitOK, "Usage: baton health [--server URL]", ""},
		{[]string{"help", "nope"}, exitUsage, "", `unknown command "nope"`},
		{[]string{"version"}, exitOK, "baton (devel) go", ""},
		{[]string{"version", "x"}, exitUsage, "", "takes no arguments"},
		{[]string{"bogus"}, exitUsage, "", `baton: unknown command "bogus"`},
		{[]string{"server", "--nope"}, exitUsage, "", "flag provided but not defined: -nope"},
		{[]string{"server", "extra"}, exitUsage, "", `unexpected arguments ["extra"]`},
		{[]string{"server", "--log-level", "loud"}, exitUsage, "", `invalid value "loud" for flag -log-level: use debug, info, warn or error`},
		{[]string{"server", "--addr", "nowhere", "--db", ":memory:"}, exitError, "", `Addr "nowhere" is not host:port`},
		{[]string{"server", "--addr", "127.0.0.1:0", "--db", "/nonexistent-dir/x.db"}, exitError, "", "nonexistent-dir"},
		{[]string{"server", "-h"}, exitOK, "", "Usage: baton server"},
		{[]string{"help", "server"}, exitOK, "-tls-cert file", ""},
		{[]string{"server", "--tls-cert", "cert.pem"}, exitUsage, "", "--tls-cert and --tls-key go together"},
		{[]string{"server", "--tls-key", "key.pem"}, exitUsage, "", "--tls-cert and --tls-key go together"},
		{[]string{"server", "--addr", "127.0.0.1:0", "--db", ":memory:", "--tls-cert", "/nonexistent-dir/cert.pem", "--tls-key", "/nonexistent-dir/key.pem"},
			exitError, "", "baton server: server: TLS certificate /nonexistent-dir/cert.pem and key /nonexistent-dir/key.pem: open /nonexistent-dir/cert.pem: no such file or directory"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runArgs(tc.args...)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			require.Contains(t, stdout, tc.stdout)
			require.Contains(t, stderr, tc.stderr)
		})
	}
}

var apiURL = regexp.MustCompile(`Conductor API: (https?://\S+/api)`)

// waitForURL reads the command's output until it names its API URL.
func waitForURL(t *testing.T, out io.Reader) (string, *bufio.Scanner) {
	t.Helper()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := apiURL.FindStringSubmatch(sc.Text()); m != nil {
			return m[1], sc
		}
	}
	t.Fatalf("the server exited without naming its URL: %v", sc.Err())
	return "", nil
}

func health(t *testing.T, apiBase string) {
	t.Helper()
	healthOn(t, &http.Transport{}, apiBase)
}

// healthOn checks GET /health through tr.
func healthOn(t *testing.T, tr *http.Transport, apiBase string) {
	t.Helper()
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(strings.TrimSuffix(apiBase, "/api") + "/health")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, `{"healthResults":[],"suppressedHealthResults":[],"healthy":true}`, string(b))
}

// TestServerInProcess runs `baton server` in this process and stops it the
// way a signal does, by ending its context.
func TestServerInProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		code := run(ctx, func() {}, []string{"server", "--addr", "127.0.0.1:0", "--db", ":memory:", "--log-level", "warn"}, pw, &stderr)
		pw.Close()
		done <- code
	}()
	url, sc := waitForURL(t, pr)
	health(t, url)
	code, stdout, errOut := runArgs("health", "--server", url)
	require.Equal(t, exitOK, code, "baton health: %s", errOut)
	require.Equal(t, "healthy: "+strings.TrimSuffix(url, "/api")+"/health\n", stdout)
	cancel()
	var rest []string
	for sc.Scan() {
		rest = append(rest, sc.Text())
	}
	require.Equal(t, exitOK, <-done, "stderr: %s", stderr.String())
	require.Equal(t, []string{"Health: " + strings.TrimSuffix(url, "/api") + "/health",
		"Metrics: " + strings.TrimSuffix(url, "/api") + "/metrics", "Database: :memory: (in memory: nothing is kept)",
		"Authentication: off (loopback only)", "baton server stopping: finishing requests in flight", "baton server stopped"}, rest)
}

// TestServerInProcessTLS: with --tls-cert and --tls-key the server names
// an https URL and answers there to a client that trusts the certificate.
func TestServerInProcessTLS(t *testing.T) {
	t.Parallel()
	cert, err := selfsigned.Write(t.TempDir())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		code := run(ctx, func() {}, []string{"server", "--addr", "127.0.0.1:0", "--db", ":memory:", "--log-level", "warn",
			"--tls-cert", cert.Cert, "--tls-key", cert.Key}, pw, &stderr)
		pw.Close()
		done <- code
	}()
	url, sc := waitForURL(t, pr)
	require.True(t, strings.HasPrefix(url, "https://127.0.0.1:"), url)
	tr := client.NewTransport()
	tr.TLSClientConfig = &tls.Config{RootCAs: cert.Pool}
	healthOn(t, tr, url)
	cancel()
	for sc.Scan() { // drain stdout until the command closes it
	}
	require.Equal(t, exitOK, <-done, "stderr: %s", stderr.String())
}

// TestBinary builds the real binary, starts it on port 0, checks /health and
// stops it with SIGTERM: it must exit 0.
func TestBinary(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build the binary with")
	}
	bin := filepath.Join(t.TempDir(), "baton")
	// Built as deploy/Dockerfile builds it: without cgo, so the binary is
	// static and runs on an image with no C library.
	build := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		require.NoError(t, err)
		for _, p := range f.Progs {
			require.NotEqual(t, elf.PT_INTERP, p.Type, "a CGO_ENABLED=0 build must be static, yet it names a dynamic loader")
		}
		libs, err := f.ImportedLibraries()
		require.NoError(t, err)
		require.Empty(t, libs)
		require.NoError(t, f.Close())
	}

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.CommandContext(t.Context(), bin, "server", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "baton.db"))
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			var stderr syncBuffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			url, sc := waitForURL(t, stdout)
			health(t, url)

			require.NoError(t, cmd.Process.Signal(sig))
			for sc.Scan() { // drain stdout until the process closes it
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				t.Fatalf("exit code %d; stderr:\n%s", exit.ExitCode(), stderr.String())
			}
			require.NoError(t, err)
			require.Contains(t, stderr.String(), "server: listening")
			require.FileExists(t, filepath.Join(dir, "baton.db"))
		})
	}
}

// TestServerMetricsFlag: /metrics is served by default and gone with
// --metrics=false.
func TestServerMetricsFlag(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprint("metrics=", on), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			pr, pw := io.Pipe()
			var stderr syncBuffer
			done := make(chan int)
			go func() {
				code := run(ctx, func() {}, []string{"server", "--addr", "127.0.0.1:0", "--db", ":memory:", "--log-level", "warn",
					fmt.Sprint("--metrics=", on)}, pw, &stderr)
				pw.Close()
				done <- code
			}()
			url, sc := waitForURL(t, pr)
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr}).Get(strings.TrimSuffix(url, "/api") + "/metrics")
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body.Close()
			cancel()
			var rest []string
			for sc.Scan() {
				rest = append(rest, sc.Text())
			}
			require.Equal(t, exitOK, <-done, "stderr: %s", stderr.String())
			if on {
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.Contains(t, string(body), "# TYPE baton_sqlite_commit_duration_seconds histogram")
				require.Contains(t, rest, "Metrics: "+strings.TrimSuffix(url, "/api")+"/metrics")
			} else {
				require.Equal(t, http.StatusNotFound, resp.StatusCode)
				require.NotContains(t, strings.Join(rest, "\n"), "Metrics:")
			}
		})
	}
}
