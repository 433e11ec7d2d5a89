package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/server"
)

func TestLimitFlagsRefuseBadValues(t *testing.T) {
	t.Parallel()
	mem := []string{"server", "--addr", "127.0.0.1:0", "--db", ":memory:"}
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{append(mem, "--max-fork-width", "-1"), exitError, "MaxForkWidth must not be negative"},
		{append(mem, "--max-workflow-tasks", "-5"), exitError, "MaxWorkflowTasks must not be negative"},
		{append(mem, "--script-timeout", "-1s"), exitError, "Timeout must be positive"},
		{append(mem, "--jq-timeout", "-1s"), exitError, "JQTimeout must not be negative"},
		{append(mem, "--max-body-bytes", "-1"), exitError, "MaxBodyBytes -1 must not be negative"},
		{append(mem, "--retention", "-1h"), exitError, "retention -1h0m0s must not be negative"},
		{append(mem, "--retention-archive", "a.jsonl"), exitError, `RetentionArchive "a.jsonl" needs a Retention`},
		{append(mem, "--retention", "1h", "--retention-archive", "/nonexistent-dir/a.jsonl"), exitError, "retention archive: open /nonexistent-dir/a.jsonl"},
		{append(mem, "--max-task-output-size", "lots"), exitUsage, `invalid value "lots" for flag -max-task-output-size`},
		{[]string{"backup"}, exitUsage, "give one file to write the copy to"},
		{[]string{"backup", "a", "b"}, exitUsage, "give one file to write the copy to"},
		{[]string{"backup", "--db", ":memory:", "out.db"}, exitUsage, "has no file to copy"},
		{[]string{"backup", "--db", "/nonexistent-dir/baton.db", filepath.Join(t.TempDir(), "out.db")}, exitError, "no such file or directory"},
		{[]string{"backup", "-h"}, exitOK, "Usage: baton backup"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runArgs(tc.args...)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			require.Contains(t, stderr, tc.stderr)
		})
	}
	code, stdout, _ := runArgs("help", "server")
	require.Equal(t, exitOK, code)
	for _, f := range []string{"-script-timeout", "-script-max-stack", "-script-max-string", "-script-max-array", "-script-max-heap-growth",
		"-script-max-output", "-jq-timeout", "-max-workflow-tasks", "-max-fork-width", "-max-loop-iterations-kept",
		"-max-workflow-input-size", "-max-task-output-size", "-max-task-input-size", "-max-body-bytes", "-retention", "-retention-archive"} {
		require.Contains(t, stdout, f)
	}
	code, stdout, _ = runArgs("help", "backup")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "-db path")
}

// startServer runs `baton server` with args in this process until the
// test ends, and returns its API URL.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		code := run(ctx, func() {}, append([]string{"server", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...), pw, &stderr)
		pw.Close()
		done <- code
	}()
	url, sc := waitForURL(t, pr)
	t.Cleanup(func() {
		cancel()
		for sc.Scan() { // drain stdout until the command closes it
		}
		require.Equal(t, exitOK, <-done, "stderr: %s", stderr.String())
	})
	return url
}

func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestLimitFlagsReachTheServer(t *testing.T) {
	t.Parallel()
	url := startServer(t, "--db", ":memory:", "--max-workflow-tasks", "1", "--max-workflow-input-size", "64", "--max-body-bytes", "4096")

	two := `{"name":"two","schemaVersion":2,"tasks":[{"name":"a","taskReferenceName":"a","type":"SIMPLE"},{"name":"b","taskReferenceName":"b","type":"SIMPLE"}]}`
	code, body := call(t, "POST", url+"/metadata/workflow", two)
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, "WorkflowDef two has 2 tasks, more than the 1 this server allows (MaxWorkflowTasks, flag --max-workflow-tasks)")

	one := `{"name":"one","schemaVersion":2,"tasks":[{"name":"a","taskReferenceName":"a","type":"SIMPLE"}]}`
	code, body = call(t, "POST", url+"/metadata/workflow", one)
	require.Equal(t, http.StatusOK, code, body)

	code, body = call(t, "POST", url+"/workflow/one", `{"x":"`+strings.Repeat("y", 100)+`"}`)
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, "Workflow input is more than 64 bytes of JSON, the limit of this server (MaxWorkflowInputSize, flag --max-workflow-input-size)")

	code, body = call(t, "POST", url+"/workflow/one", `{"x":"`+strings.Repeat("y", 5000)+`"}`)
	require.Equal(t, http.StatusRequestEntityTooLarge, code, body)
	require.Contains(t, body, "request body is larger than the server's limit of 4 KiB (MaxBodyBytes, flag --max-body-bytes)")

	code, body = call(t, "POST", url+"/workflow/one", `{"x":"small"}`)
	require.Equal(t, http.StatusOK, code, body)
}

// TestBackupCommand copies the database of a running server, then opens
// the copy as a server of its own: the workflows are there.
func TestBackupCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "baton.db")
	url := startServer(t, "--db", db)
	one := `{"name":"one","schemaVersion":2,"tasks":[{"name":"a","taskReferenceName":"a","type":"SIMPLE"}]}`
	code, body := call(t, "POST", url+"/metadata/workflow", one)
	require.Equal(t, http.StatusOK, code, body)
	var ids []string
	for range 3 {
		code, id := call(t, "POST", url+"/workflow/one", `{}`)
		require.Equal(t, http.StatusOK, code, id)
		ids = append(ids, id)
	}

	out := filepath.Join(dir, "copy.db")
	code, stdout, stderr := runArgs("backup", "--db", db, out)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "copied "+db+" to "+out)
	code, _, stderr = runArgs("backup", "--db", db, out)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "the file exists")

	check, err := sql.Open("sqlite", out)
	require.NoError(t, err)
	var ok string
	require.NoError(t, check.QueryRow("PRAGMA integrity_check").Scan(&ok))
	require.Equal(t, "ok", ok)
	require.NoError(t, check.Close())

	// Restore: a server started on the copy has every workflow.
	restored, err := server.New(&server.Config{Addr: "127.0.0.1:0", DBPath: out})
	require.NoError(t, err)
	defer func() { require.NoError(t, restored.Stop(context.Background())) }()
	for _, id := range ids {
		rec := httpRecorder(t, restored.Handler(), "/api/workflow/"+id)
		var wf struct{ Status string }
		require.NoError(t, json.Unmarshal(rec, &wf))
		require.Equal(t, "RUNNING", wf.Status)
	}
	_, err = os.Stat(out)
	require.NoError(t, err)
}

func httpRecorder(t *testing.T, h http.Handler, path string) []byte {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), "GET", path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return rec.Body.Bytes()
}
