package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/model"
)

// cliRun runs a client command against url and returns its exit code,
// stdout and stderr.
func cliRun(url string, args ...string) (int, string, string) {
	return runArgs(append(args, "--server", url)...)
}

const (
	cliTaskDefs = `[{"name": "cli_a", "retryCount": 0}, {"name": "cli_b", "retryCount": 0}]`
	cliWorkflow = `{"name": "cli_wf", "version": 1, "schemaVersion": 2, "description": "CLI test",
  "tasks": [
    {"name": "cli_a", "taskReferenceName": "a", "type": "SIMPLE"},
    {"name": "cli_b", "taskReferenceName": "b", "type": "SIMPLE"}
  ]}`
	cliBadWorkflow = `{"name": "cli_bad", "version": 1, "schemaVersion": 2,
  "tasks": [{"name": "cli_a", "type": "SIMPLE"}, {"name": "cli_a", "taskReferenceName": "x", "type": "NOPE_NOT_A_TYPE", "startDelay": -1}]}`
	cliMalformed = "{\n  \"name\": \"cli_wf\",\n  \"tasks\": [,]\n}"
)

// decode parses a command's --json output into T.
func decode[T any](t *testing.T, out string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(out), &v), "output: %s", out)
	return v
}

// requireRun runs a command and checks its exit code, returning stdout.
func requireRun(t *testing.T, url string, code int, args ...string) (string, string) {
	t.Helper()
	got, stdout, stderr := cliRun(url, args...)
	require.Equal(t, code, got, "baton %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), stdout, stderr)
	return stdout, stderr
}

// TestClientCommands drives every client command against an in-process
// server, in the order a person would: definitions, a workflow, its tasks.
func TestClientCommands(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t)
	url := srv.URL()
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	taskDefs, wfDef := file("tasks.json", cliTaskDefs), file("wf.json", cliWorkflow)
	bad, malformed := file("bad.json", cliBadWorkflow), file("malformed.json", cliMalformed)

	// Definitions.
	out, _ := requireRun(t, url, exitOK, "def", "register", "-f", taskDefs)
	require.Equal(t, "registered 2 task definition(s): cli_a, cli_b\n", out)
	out, _ = requireRun(t, url, exitOK, "def", "register", "-f", wfDef, "--json")
	require.Equal(t, defSummary{Kind: "workflow", Names: []string{"cli_wf"}, Version: 1, Valid: true}, decode[defSummary](t, out))
	_, errOut := requireRun(t, url, exitConflict, "def", "register", "-f", wfDef)
	require.Contains(t, errOut, "409")
	requireRun(t, url, exitOK, "def", "register", "-f", wfDef, "--overwrite")
	out, _ = requireRun(t, url, exitOK, "def", "validate", "-f", wfDef)
	require.Contains(t, out, "valid workflow definition cli_wf version 1")
	out, errOut = requireRun(t, url, exitConflict, "def", "validate", "-f", bad)
	require.Contains(t, out, "PATH")
	require.Contains(t, out, "taskReferenceName")
	require.Contains(t, errOut, "problem(s)")
	out, _ = requireRun(t, url, exitConflict, "def", "validate", "-f", bad, "--json")
	v := decode[defSummary](t, out)
	require.False(t, v.Valid)
	require.NotEmpty(t, v.Errors)
	out, _ = requireRun(t, url, exitOK, "def", "validate", "-f", taskDefs, "--json")
	require.Equal(t, defSummary{Kind: "task", Names: []string{"cli_a", "cli_b"}, Valid: true}, decode[defSummary](t, out))
	_, errOut = requireRun(t, url, exitUsage, "def", "validate", "-f", malformed)
	require.Contains(t, errOut, "malformed JSON: line 3, column")
	_, errOut = requireRun(t, url, exitUsage, "def", "register", "-f", malformed)
	require.Contains(t, errOut, "malformed JSON")
	_, errOut = requireRun(t, url, exitUsage, "def", "register")
	require.Contains(t, errOut, "-f FILE is required")
	_, errOut = requireRun(t, url, exitUsage, "def", "register", "-f", filepath.Join(dir, "missing.json"))
	require.Contains(t, errOut, "no such file")

	out, _ = requireRun(t, url, exitOK, "def", "list")
	require.Regexp(t, `(?m)^cli_wf\s+1\s+2\s+CLI test$`, out)
	out, _ = requireRun(t, url, exitOK, "def", "list", "--json")
	require.Contains(t, names(decode[[]model.WorkflowDef](t, out)), "cli_wf")
	out, _ = requireRun(t, url, exitOK, "def", "list", "--tasks")
	require.Regexp(t, `(?m)^cli_a\s+0\s+`, out)
	out, _ = requireRun(t, url, exitOK, "def", "get", "cli_wf")
	require.Equal(t, "cli_wf", decode[model.WorkflowDef](t, out).Name)
	out, _ = requireRun(t, url, exitOK, "def", "get", "cli_a", "--task", "--json")
	require.Equal(t, "cli_a", decode[model.TaskDef](t, out).Name)
	_, errOut = requireRun(t, url, exitNotFound, "def", "get", "nope_wf")
	require.Contains(t, errOut, "404")
	requireRun(t, url, exitNotFound, "def", "get", "nope_task", "--task")

	// Start, read, queue.
	out, _ = requireRun(t, url, exitOK, "workflow", "start", "cli_wf", "--input", `{"x": 1}`, "--correlation-id", "c1")
	id1 := strings.TrimSpace(out)
	out, _ = requireRun(t, url, exitOK, "workflow", "start", "cli_wf", "--json")
	id2 := decode[map[string]string](t, out)["workflowId"]
	require.NotEmpty(t, id2)
	_, errOut = requireRun(t, url, exitUsage, "workflow", "start", "cli_wf", "--input", `{"x":`)
	require.Contains(t, errOut, "--input: not a JSON object")
	requireRun(t, url, exitUsage, "workflow", "start", "cli_wf", "--priority", "100")
	requireRun(t, url, exitNotFound, "workflow", "start", "nope_wf")

	out, _ = requireRun(t, url, exitOK, "workflow", "get", id1)
	require.Regexp(t, `(?m)^Status:\s+RUNNING$`, out)
	require.Regexp(t, `(?m)^Correlation:\s+c1$`, out)
	require.Regexp(t, `(?m)^a\s+cli_a\s+SCHEDULED\s+0\s+`, out)
	out, _ = requireRun(t, url, exitOK, "workflow", "get", id1, "--json")
	wf := decode[model.Workflow](t, out)
	require.Equal(t, id1, wf.WorkflowId)
	require.Len(t, wf.Tasks, 1)
	_, errOut = requireRun(t, url, exitNotFound, "workflow", "get", "no-such-id")
	require.Contains(t, errOut, "no-such-id")

	out, _ = requireRun(t, url, exitOK, "task", "queue", "cli_a", "cli_b")
	require.Regexp(t, `(?m)^cli_a\s+-\s+2$`, out)
	out, _ = requireRun(t, url, exitOK, "task", "queue", "cli_a", "--json")
	require.Equal(t, []queueSize{{TaskType: "cli_a", Size: 2}}, decode[[]queueSize](t, out))

	taskA := wf.Tasks[0].TaskId
	out, _ = requireRun(t, url, exitOK, "task", "get", taskA)
	require.Regexp(t, `(?m)^Status:\s+SCHEDULED$`, out)
	out, _ = requireRun(t, url, exitOK, "task", "get", taskA, "--json")
	require.Equal(t, "a", decode[model.WorkerTask](t, out).ReferenceTaskName)
	requireRun(t, url, exitNotFound, "task", "get", "no-such-task")

	// Complete and fail tasks by hand.
	out, _ = requireRun(t, url, exitOK, "task", "complete", taskA, "--output", `{"ok": true}`)
	require.Equal(t, taskA+" (a): COMPLETED\n", out)
	_, errOut = requireRun(t, url, exitConflict, "task", "complete", taskA)
	require.Contains(t, errOut, "has already ended: COMPLETED")
	out, _ = requireRun(t, url, exitOK, "task", "fail", id1, "b", "--reason", "boom", "--terminal", "--json")
	require.Equal(t, "FAILED_WITH_TERMINAL_ERROR", decode[map[string]string](t, out)["status"])
	_, errOut = requireRun(t, url, exitNotFound, "task", "fail", id1, "nope_ref")
	require.Contains(t, errOut, `no task with reference name "nope_ref"`)
	out, _ = requireRun(t, url, exitOK, "workflow", "get", id1)
	require.Regexp(t, `(?m)^Status:\s+FAILED$`, out)
	require.Regexp(t, `(?m)^b\s+cli_b\s+FAILED_WITH_TERMINAL_ERROR\s+0\s+\S+\s+baton-cli\s+boom$`, out)

	// Steer workflows.
	out, _ = requireRun(t, url, exitOK, "workflow", "retry", id1)
	require.Equal(t, id1+": retry ok\n", out)
	_, errOut = requireRun(t, url, exitConflict, "workflow", "retry", id1)
	require.Contains(t, errOut, "Workflow is still running", "Conductor's 404 for a state, exit 4 as the workflow exists")
	requireRun(t, url, exitOK, "workflow", "pause", id1)
	out, _ = requireRun(t, url, exitOK, "workflow", "get", id1, "--json")
	require.Equal(t, model.WorkflowPaused, decode[model.Workflow](t, out).Status)
	requireRun(t, url, exitOK, "workflow", "resume", id1)
	out, errOut = requireRun(t, url, exitNotFound, "workflow", "terminate", id1, "no-such-id", id2, "--reason", "cli")
	require.Regexp(t, `(?m)^`+id1+`\s+terminate ok$`, out)
	require.Regexp(t, `(?m)^no-such-id\s+conductor: DELETE`, out)
	require.Contains(t, errOut, "terminate: 3/3 ok")
	require.Contains(t, errOut, "1 of 3 failed")
	out, _ = requireRun(t, url, exitConflict, "workflow", "pause", id1, id2, "--json")
	results := decode[[]opResult](t, out)
	require.Len(t, results, 2)
	require.False(t, results[0].OK)
	require.Equal(t, exitConflict, results[0].ExitCode)
	require.NotEmpty(t, results[0].Error)

	requireRun(t, url, exitOK, "workflow", "restart", id2, "--use-latest-definitions")
	out, _ = requireRun(t, url, exitOK, "workflow", "rerun", id1)
	require.Equal(t, id1+"\n", out)
	requireRun(t, url, exitUsage, "workflow", "rerun", id1, "--task-input", `{}`)

	// Search.
	out, errOut = requireRun(t, url, exitOK, "workflow", "search", "--query", "workflowType = 'cli_wf'")
	require.Contains(t, out, id1)
	require.Contains(t, errOut, "of 2 matching workflows")
	out, _ = requireRun(t, url, exitOK, "workflow", "search", "--json", "--size", "1")
	page := decode[model.SearchResult[model.WorkflowSummary]](t, out)
	require.Len(t, page.Results, 1)
	require.Equal(t, int64(2), page.TotalHits)
	out, _ = requireRun(t, url, exitOK, "workflow", "search", "--json", "--all")
	require.Len(t, decode[model.SearchResult[model.WorkflowSummary]](t, out).Results, 2)
}

func names(defs []model.WorkflowDef) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.Name
	}
	return out
}

// TestClientCommandLine covers help and the mistakes that never reach a
// server.
func TestClientCommandLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"workflow"}, exitUsage, "", "Usage: baton workflow <command>"},
		{[]string{"workflow", "nope"}, exitUsage, "", `baton workflow: unknown command "nope"`},
		{[]string{"workflow", "help"}, exitOK, "rerun ID", ""},
		{[]string{"workflow", "get"}, exitUsage, "", "missing arguments: want ID"},
		{[]string{"workflow", "get", "a", "b"}, exitUsage, "", `too many arguments ["a" "b"]`},
		{[]string{"workflow", "get", "-h"}, exitOK, "Usage: baton workflow get ID", ""},
		{[]string{"workflow", "search", "--size", "0"}, exitUsage, "", "--size must be positive"},
		{[]string{"workflow", "get", "x", "--bogus"}, exitUsage, "", "flag provided but not defined: -bogus\nusage: baton workflow get ID"},
		{[]string{"task", "complete"}, exitUsage, "", "missing arguments"},
		{[]string{"task", "fail", "a", "b", "c"}, exitUsage, "", "too many arguments"},
		{[]string{"task", "queue"}, exitUsage, "", "missing arguments"},
		{[]string{"def", "get"}, exitUsage, "", "missing arguments"},
		{[]string{"def", "list", "extra"}, exitUsage, "", "too many arguments"},
		{[]string{"def", "validate", "-h"}, exitOK, "nothing is sent", ""},
		{[]string{"help", "workflow"}, exitOK, "Exit codes: 0 ok", ""},
		{[]string{"help", "task", "complete"}, exitOK, "Usage: baton task complete TASK_ID | WORKFLOW_ID TASK_REF", ""},
		{[]string{"help", "def", "nope"}, exitUsage, "", "unknown command"},
		{[]string{"help"}, exitOK, "workflow", ""},
		{[]string{"workflow", "get", "x", "--server", "not a url"}, exitUsage, "", "baton workflow get:"},
		{[]string{"workflow", "get", "x", "--server", "http://127.0.0.1:1/api"}, exitError, "", "baton workflow get:"},
		{[]string{"workflow", "get", "x", "--key-id", "k", "--server", "http://127.0.0.1:1/api"}, exitUsage, "", "set both"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runArgs(tc.args...)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			if code == exitOK {
				require.Empty(t, stderr, "help goes to stdout, once")
			}
			if tc.stdout != "" {
				require.Contains(t, stdout, tc.stdout)
			}
			if tc.stderr != "" {
				require.Contains(t, stderr, tc.stderr)
			}
		})
	}
}

// TestClientBinaryEnv runs the built binary with the server named only in
// the environment, as scripts do.
func TestClientBinaryEnv(t *testing.T) {
	t.Parallel()
	bin := buildBaton(t)
	srv := batontest.NewServer(t)
	require.NoError(t, srv.Client().Metadata().RegisterWorkflowDef(t.Context(), &model.WorkflowDef{Name: "env_wf", Version: 1,
		SchemaVersion: 2, Tasks: []model.WorkflowTask{{Name: "env_wait", TaskReferenceName: "w", Type: "WAIT"}}}, false))
	run := func(args ...string) (int, string, string) {
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Env = append(os.Environ(), "CONDUCTOR_SERVER_URL="+srv.URL(), "CONDUCTOR_AUTH_KEY=", "CONDUCTOR_AUTH_SECRET=")
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee := (*exec.ExitError)(nil); err != nil {
			require.ErrorAs(t, err, &ee)
			code = ee.ExitCode()
		}
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := run("workflow", "start", "env_wf")
	require.Equal(t, exitOK, code, errOut)
	id := strings.TrimSpace(out)
	code, _, errOut = run("task", "complete", id, "w")
	require.Equal(t, exitOK, code, errOut)
	code, out, _ = run("workflow", "get", id, "--json")
	require.Equal(t, exitOK, code)
	require.Equal(t, model.WorkflowCompleted, decode[model.Workflow](t, out).Status)
	code, _, errOut = run("workflow", "get", "no-such-id")
	require.Equal(t, exitNotFound, code)
	require.Contains(t, errOut, "404")
}
