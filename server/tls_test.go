package server

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/internal/selfsigned"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// TestTLS: with a key pair the server answers HTTPS over HTTP/2, and a
// Baton client on its own transport, trusting the certificate, polls and
// updates through it.
func TestTLS(t *testing.T) {
	t.Parallel()
	cert, err := selfsigned.Write(t.TempDir())
	require.NoError(t, err)
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB, TLSCertFile: cert.Cert, TLSKeyFile: cert.Key})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Stop(context.Background())) })
	require.NoError(t, s.Start(t.Context()))
	require.True(t, strings.HasPrefix(s.URL(), "https://127.0.0.1:"), s.URL())

	tr := client.NewTransport()
	tr.TLSClientConfig = &tls.Config{RootCAs: cert.Pool}
	t.Cleanup(tr.CloseIdleConnections)
	hc := client.NewHTTPClient(tr)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://"+s.Addr()+"/health", http.NoBody)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "HTTP/2.0", resp.Proto)
	require.JSONEq(t, `{"healthResults":[],"suppressedHealthResults":[],"healthy":true}`, string(body))

	ctx := t.Context()
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(s.URL()), HTTPClient: hc})
	require.NoError(t, err)
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef("wf", model.WorkflowTask{Name: "task_1", TaskReferenceName: "t1"}), false))
	id, err := api.Workflows().StartByName(ctx, "wf", map[string]any{}, client.StartOptions{})
	require.NoError(t, err)
	task, err := api.Tasks().Poll(ctx, "task_1", client.PollOptions{WorkerID: "w"})
	require.NoError(t, err)
	require.NotNil(t, task)
	result := model.NewTaskResultFromTask(task)
	result.Status = model.CompletedTask
	_, err = api.Tasks().Update(ctx, result)
	require.NoError(t, err)
	wf, err := api.Workflows().Get(ctx, id, false)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, wf.Status)

	// A client that does not trust the certificate is refused.
	untrusted := &http.Transport{}
	t.Cleanup(untrusted.CloseIdleConnections)
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, "https://"+s.Addr()+"/health", http.NoBody)
	require.NoError(t, err)
	_, err = (&http.Client{Transport: untrusted}).Do(req) //nolint:bodyclose // no answer: the handshake fails
	require.ErrorContains(t, err, "certificate")
}

func TestTLSConfigErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert, err := selfsigned.Write(dir)
	require.NoError(t, err)
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a key\n"), 0o600))
	for _, tc := range []struct {
		certFile, keyFile string
		want              string
	}{
		{cert.Cert, "", "set both to serve HTTPS, or neither"},
		{"", cert.Key, "set both to serve HTTPS, or neither"},
		{cert.Cert, filepath.Join(dir, "missing.pem"), "missing.pem: no such file or directory"},
		{cert.Cert, notPEM, "failed to find any PEM data in key input"},
		{cert.Key, cert.Cert, "server: TLS certificate"},
	} {
		_, err := New(&Config{Addr: "127.0.0.1:0", DBPath: MemoryDB, TLSCertFile: tc.certFile, TLSKeyFile: tc.keyFile})
		require.ErrorContains(t, err, tc.want)
	}
}
