package clicheck_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Exit codes of `baton` (cmd/baton/main.go).
const (
	exitOK       = 0
	exitUsage    = 2
	exitNotFound = 3
	exitConflict = 4
)

// TestCommands runs every client command against the server, with the
// exit codes and --json shapes cmd/baton's own tests check against Baton.
func TestCommands(t *testing.T) {
	t.Parallel()
	url := requireServer(t)
	sfx := randomHex(4)
	taskName, waitName, wfName := "cli_a_"+sfx, "cli_w_"+sfx, "cli_wf_"+sfx
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	taskDefs := file("tasks.json", `[{"name": "`+taskName+`", "retryCount": 0, "responseTimeoutSeconds": 600, "timeoutSeconds": 0}]`)
	wfDef := file("wf.json", `{"name": "`+wfName+`", "version": 1, "schemaVersion": 2, "ownerEmail": "cli@example.com",
  "tasks": [
    {"name": "`+waitName+`", "taskReferenceName": "w", "type": "WAIT"},
    {"name": "`+taskName+`", "taskReferenceName": "a", "type": "SIMPLE"}
  ]}`)
	malformed := file("malformed.json", "{\n  \"name\": \"x\",\n  \"tasks\": [,]\n}")

	// Definitions.
	want(t, url, exitOK, "def", "register", "-f", taskDefs)
	r := want(t, url, exitOK, "def", "register", "-f", wfDef, "--json")
	require.Equal(t, "workflow", decode[map[string]any](t, r.stdout)["kind"])
	want(t, url, exitConflict, "def", "register", "-f", wfDef)
	want(t, url, exitOK, "def", "register", "-f", wfDef, "--overwrite")
	want(t, url, exitUsage, "def", "register", "-f", malformed)
	r = want(t, url, exitOK, "def", "get", wfName, "--json")
	require.Equal(t, wfName, decode[map[string]any](t, r.stdout)["name"])
	want(t, url, exitNotFound, "def", "get", "nope_"+sfx)
	want(t, url, exitNotFound, "def", "get", "nope_"+sfx, "--task")
	r = want(t, url, exitOK, "def", "list", "--json")
	require.Contains(t, r.stdout, `"name": "`+wfName+`"`)
	r = want(t, url, exitOK, "def", "list", "--tasks")
	require.Contains(t, r.stdout, taskName)

	// A workflow: WAIT completed by hand, then a SIMPLE task failed by hand.
	r = want(t, url, exitOK, "workflow", "start", wfName, "--input", `{"n": 1}`, "--correlation-id", "c-"+sfx)
	id := strings.TrimSpace(r.stdout)
	require.NotEmpty(t, id)
	want(t, url, exitNotFound, "workflow", "start", "nope_"+sfx)
	want(t, url, exitNotFound, "workflow", "get", "00000000-0000-0000-0000-000000000000")
	r = want(t, url, exitOK, "workflow", "get", id, "--json")
	wf := decode[struct {
		Status string `json:"status"`
		Tasks  []struct {
			TaskID string `json:"taskId"`
			Ref    string `json:"referenceTaskName"`
		} `json:"tasks"`
	}](t, r.stdout)
	require.Equal(t, "RUNNING", wf.Status)
	require.Len(t, wf.Tasks, 1)
	r = want(t, url, exitOK, "task", "get", wf.Tasks[0].TaskID, "--json")
	require.Equal(t, "w", decode[map[string]any](t, r.stdout)["referenceTaskName"])
	want(t, url, exitNotFound, "task", "get", "00000000-0000-0000-0000-000000000000")
	want(t, url, exitOK, "task", "complete", id, "w", "--output", `{"ok": true}`)
	want(t, url, exitConflict, "task", "complete", wf.Tasks[0].TaskID)
	r = want(t, url, exitOK, "task", "queue", taskName, "--json")
	require.Equal(t, float64(1), decode[[]map[string]any](t, r.stdout)[0]["size"])
	want(t, url, exitOK, "task", "fail", id, "a", "--reason", "cli", "--terminal")
	r = want(t, url, exitOK, "workflow", "get", id)
	require.Regexp(t, `(?m)^Status:\s+FAILED$`, r.stdout)

	// Steering.
	want(t, url, exitOK, "workflow", "retry", id)
	want(t, url, exitConflict, "workflow", "retry", id)
	want(t, url, exitOK, "workflow", "pause", id)
	want(t, url, exitOK, "workflow", "resume", id)
	r = want(t, url, exitNotFound, "workflow", "terminate", id, "00000000-0000-0000-0000-000000000000", "--reason", "cli", "--json")
	results := decode[[]map[string]any](t, r.stdout)
	require.Len(t, results, 2)
	require.Equal(t, true, results[0]["ok"])
	require.Equal(t, float64(exitNotFound), results[1]["exitCode"])
	want(t, url, exitConflict, "workflow", "pause", id)
	want(t, url, exitOK, "workflow", "restart", id)
	want(t, url, exitOK, "workflow", "terminate", id)
	r = want(t, url, exitOK, "workflow", "rerun", id, "--json")
	require.Equal(t, id, decode[map[string]any](t, r.stdout)["workflowId"])
	want(t, url, exitOK, "workflow", "terminate", id)

	// Search: the shape only, as Conductor indexes asynchronously.
	r = want(t, url, exitOK, "workflow", "search", "--free-text", id, "--json", "--size", "5")
	page := decode[map[string]any](t, r.stdout)
	require.Contains(t, page, "totalHits")
	require.Contains(t, page, "results")
}
