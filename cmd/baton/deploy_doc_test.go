package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeploymentDocShowsDeployFiles: docs/deployment.md shows the systemd
// unit and the Dockerfile in deploy/ as they are, so a reader copying from
// the page gets the files that are built and checked.
func TestDeploymentDocShowsDeployFiles(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "deployment.md"))
	require.NoError(t, err)
	for file, fence := range map[string]string{"baton.service": "```ini\n", "Dockerfile": "```dockerfile\n"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "deploy", file))
		require.NoError(t, err)
		require.Contains(t, string(doc), fence+string(b)+"```\n",
			"docs/deployment.md must show deploy/%s exactly, in a %q block: copy the file into the page", file, fence)
	}
}

// TestSystemdUnitVerifies runs systemd-analyze verify on deploy/baton.service,
// with ExecStart pointed at a file that exists, where systemd is installed.
func TestSystemdUnitVerifies(t *testing.T) {
	t.Parallel()
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	unit, err := os.ReadFile(filepath.Join("..", "..", "deploy", "baton.service"))
	require.NoError(t, err)
	self, err := os.Executable()
	require.NoError(t, err)
	const execStart = "ExecStart=/usr/local/bin/baton server"
	require.Contains(t, string(unit), execStart)
	path := filepath.Join(t.TempDir(), "baton.service")
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(unit), execStart, "ExecStart="+self+" server", 1)), 0o644))
	out, err := exec.CommandContext(t.Context(), analyze, "verify", path).CombinedOutput()
	require.NoError(t, err, "systemd-analyze verify: %s", out)
	require.Empty(t, string(out), "systemd-analyze verify has remarks")
}
