//go:build linux

package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestFullDiskAnswers503AndRecovers runs the server on a small tmpfs and
// takes every free byte: starts it cannot commit are answered 503 with
// Retry-After in Conductor's error shape (not 500), nothing acknowledged
// is lost, the server takes work again by itself once space returns, and
// the database passes PRAGMA integrity_check after.
func TestFullDiskAnswers503AndRecovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=8388608"); err != nil {
		t.Skipf("cannot mount a tmpfs on this machine (needs root or CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() { require.NoError(t, syscall.Unmount(dir, 0)) })
	path := filepath.Join(dir, "baton.db")
	s, err := New(&Config{DBPath: path, ServerID: "test"})
	require.NoError(t, err)
	ts := httptest.NewServer(s.Handler())
	stopped := false
	t.Cleanup(func() {
		ts.Close()
		if !stopped {
			require.NoError(t, s.Stop(context.Background()))
		}
	})
	ctx := t.Context()
	api := apiClient(t, ts.URL+"/api")
	require.NoError(t, api.Metadata().RegisterTaskDefs(ctx, *model.NewTaskDef("task_1")))
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef("wf",
		model.WorkflowTask{Name: "task_1", TaskReferenceName: "t1", Type: model.TaskTypeSimple}), false))

	pad := strings.Repeat("x", 20000)
	start := func() (*http.Response, string) {
		body, _ := json.Marshal(map[string]any{"pad": pad})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/api/workflow/wf", strings.NewReader(string(body)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, string(b)
	}
	var acked []string
	for range 5 {
		resp, id := start()
		require.Equal(t, http.StatusOK, resp.StatusCode, id)
		acked = append(acked, id)
	}

	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	require.NoError(t, err)
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			require.ErrorIs(t, err, syscall.ENOSPC)
			break
		}
	}
	require.NoError(t, f.Close())

	var refused *http.Response
	var body string
	for i := 0; refused == nil; i++ {
		require.Less(t, i, 2000, "the full disk never refused a start")
		resp, b := start()
		if resp.StatusCode == http.StatusOK {
			acked = append(acked, b)
			continue
		}
		refused, body = resp, b
	}
	require.Equal(t, http.StatusServiceUnavailable, refused.StatusCode, body)
	require.Equal(t, "5", refused.Header.Get("Retry-After"))
	require.Equal(t, "application/json", refused.Header.Get("Content-Type"))
	var e model.ErrorResponse
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	require.Equal(t, http.StatusServiceUnavailable, e.Status)
	require.True(t, e.Retryable)
	require.Equal(t, "test", e.Instance)
	require.Contains(t, e.Message, "full")
	for _, id := range acked { // reads go on
		wf, err := api.Workflows().Get(ctx, id, false)
		require.NoError(t, err, "acknowledged workflow %s", id)
		require.Equal(t, model.WorkflowRunning, wf.Status)
	}

	// Space returns: the same server takes work again.
	require.NoError(t, os.Remove(filler))
	resp, id := start()
	require.Equal(t, http.StatusOK, resp.StatusCode, id)
	acked = append(acked, id)
	for range acked {
		task, err := api.Tasks().Poll(ctx, "task_1", client.PollOptions{WorkerID: "w"})
		require.NoError(t, err)
		require.NotNil(t, task, "every acknowledged workflow's task is queued once")
		r := model.NewTaskResultFromTask(task)
		r.Status = model.CompletedTask
		_, err = api.Tasks().Update(ctx, r)
		require.NoError(t, err)
	}
	for _, id := range acked {
		wf, err := api.Workflows().Get(ctx, id, false)
		require.NoError(t, err)
		require.Equal(t, model.WorkflowCompleted, wf.Status, "workflow %s", id)
	}
	page, err := api.Workflows().Search(ctx, client.SearchOptions{Query: "workflowType = 'wf'"})
	require.NoError(t, err)
	require.Equal(t, int64(len(acked)), page.TotalHits, "a refused start left no workflow")

	ts.Close()
	require.NoError(t, s.Stop(ctx))
	stopped = true
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer func() { require.NoError(t, db.Close()) }()
	var res string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&res))
	require.Equal(t, "ok", res, fmt.Sprintf("integrity of %s", path))
}
