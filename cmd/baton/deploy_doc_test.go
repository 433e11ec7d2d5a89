package main

import (
	"os"
	"path/filepath"
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
