package main

import (
	"bufio"
	"net/http"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// buildBaton builds this package's binary into a temporary directory, or
// skips the test when there is no go tool to build it with.
func buildBaton(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build the binary with")
	}
	bin := filepath.Join(t.TempDir(), "baton")
	out, err := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// childServer is a `baton server` process started by a test. The process
// is the binary itself (no shell, no `go run`), so a signal sent to it
// reaches the server and nothing else.
type childServer struct {
	cmd    *exec.Cmd
	url    string
	rest   *bufio.Scanner // stdout after the URL line
	stderr *syncBuffer
	waited bool
}

// startChild starts `baton server` on a free loopback port with the
// database at db and waits until it names its API URL. Whatever happens to
// the test, the process is gone when it ends.
func startChild(t *testing.T, bin, db string) *childServer {
	t.Helper()
	c := &childServer{stderr: &syncBuffer{}}
	c.cmd = exec.Command(bin, "server", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "warn")
	c.cmd.Stderr = c.stderr
	stdout, err := c.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, c.cmd.Start())
	t.Cleanup(func() {
		if !c.waited {
			_ = c.cmd.Process.Kill()
			_ = c.wait() // killed on purpose: the exit status says nothing
		}
	})
	c.url, c.rest = waitForURL(t, stdout)
	return c
}

// wait reads the rest of stdout (Wait closes the pipe, so it must be read
// first) and reaps the process.
func (c *childServer) wait() error {
	for c.rest != nil && c.rest.Scan() {
	}
	c.waited = true
	return c.cmd.Wait()
}

// kill sends SIGKILL to the server and checks that SIGKILL is what ended
// it: no shutdown code ran.
func (c *childServer) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, c.cmd.Process.Kill()) // SIGKILL on Unix
	err := c.wait()
	require.Error(t, err, "a killed process does not exit 0")
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	require.True(t, ok, "no wait status on this platform")
	require.True(t, ws.Signaled(), "the server exited by itself (%v) before SIGKILL; stderr:\n%s", err, c.stderr)
	require.Equal(t, syscall.SIGKILL, ws.Signal())
}

// stop ends the server with SIGTERM and checks that it shut down cleanly.
func (c *childServer) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, c.wait(), "stderr:\n%s", c.stderr)
}

// apiClient returns a client of the child on a transport of its own, whose
// idle connections are closed when the test ends (goleak checks).
func (c *childServer) apiClient(t *testing.T) *client.APIClient {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	t.Cleanup(tr.CloseIdleConnections)
	api, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(c.url), HTTPClient: &http.Client{Transport: tr},
	})
	require.NoError(t, err)
	return api
}
