package server_test

import (
	"bufio"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
)

// TestRetentionArchivesAndRemoves: with Retention and RetentionArchive, an
// ended workflow is appended to the archive file and then removed once the
// clock passes the retention; a running one stays.
func TestRetentionArchivesAndRemoves(t *testing.T) {
	t.Parallel()
	archive := filepath.Join(t.TempDir(), "archive.jsonl")
	srv := batontest.NewServerWithConfig(t, server.Config{Retention: 24 * time.Hour, RetentionArchive: archive}, batontest.WithFakeClock())
	c, ctx := srv.Client(), t.Context()
	require.NoError(t, c.Metadata().RegisterWorkflowDef(ctx, &model.WorkflowDef{Name: "ret_wf", Version: 1, SchemaVersion: 2,
		Tasks: []model.WorkflowTask{{Name: "ret_a", TaskReferenceName: "a", Type: "SIMPLE"}}}, false))
	ended, err := c.Workflows().StartByName(ctx, "ret_wf", nil, client.StartOptions{})
	require.NoError(t, err)
	require.NoError(t, c.Workflows().Terminate(ctx, ended, "done with it"))
	running, err := c.Workflows().StartByName(ctx, "ret_wf", nil, client.StartOptions{})
	require.NoError(t, err)

	srv.Clock().Advance(23 * time.Hour)
	_, err = c.Workflows().Get(ctx, ended, false)
	require.NoError(t, err, "kept until the retention has passed")

	srv.Clock().Advance(2 * time.Hour)
	_, err = c.Workflows().Get(ctx, ended, false)
	var apiErr *client.APIError
	require.True(t, errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound, "removed: %v", err)
	_, err = c.Workflows().Get(ctx, running, false)
	require.NoError(t, err, "a running workflow is never removed")

	f, err := os.Open(archive)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	require.True(t, sc.Scan())
	require.Contains(t, sc.Text(), `"workflowId":"`+ended+`"`)
	require.Contains(t, sc.Text(), `"status":"TERMINATED"`)
	require.False(t, sc.Scan(), "one workflow archived")
}
