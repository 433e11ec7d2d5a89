package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestSIGKILLKeepsEventMessages kills `baton server` with SIGKILL while
// messages published by EVENT tasks wait on a conductor queue (its handler
// is inactive, so nothing reads them), restarts it on the same file and
// activates the handler: every message is handled, once.
func TestSIGKILLKeepsEventMessages(t *testing.T) {
	t.Parallel()
	const n = 12
	bin := buildBaton(t)
	db := filepath.Join(t.TempDir(), "baton.db")
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	first := startChild(t, bin, db)
	api := first.apiClient(t)
	wait := model.WorkflowTask{Name: "wait", TaskReferenceName: "wait", Type: model.TaskTypeWait}
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef("evt_target", wait), true))
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef("evt_pub", model.WorkflowTask{
		Name: "ev", TaskReferenceName: "ev", Type: model.TaskTypeEvent, Sink: "conductor:orders",
		InputParameters: map[string]any{"key": "${workflow.input.key}"}}), true))
	handler := &model.EventHandler{Name: "evt_start", Event: "conductor:evt_pub:orders", Active: false,
		Actions: []model.EventAction{{Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{
			Name: "evt_target", CorrelationId: "${key}", Input: map[string]any{"key": "${key}"}}}}}
	require.NoError(t, api.Events().AddEventHandler(ctx, handler))
	for i := range n {
		id, err := api.Workflows().StartByName(ctx, "evt_pub", map[string]any{"key": fmt.Sprintf("k%d", i)}, client.StartOptions{})
		require.NoError(t, err)
		wf, err := api.Workflows().Get(ctx, id, false)
		require.NoError(t, err)
		require.Equal(t, model.WorkflowCompleted, wf.Status, "the EVENT task published and completed")
	}
	first.kill(t)

	second := startChild(t, bin, db)
	api = second.apiClient(t)
	handler.Active = true
	require.NoError(t, api.Events().UpdateEventHandler(ctx, handler))
	for i := range n {
		key := fmt.Sprintf("k%d", i)
		got := waitForCorrelated(ctx, t, api, "evt_target", key)
		require.Len(t, got, 1, "message %s handled once", key)
		require.Equal(t, key, got[0].Input["key"])
		require.Equal(t, "conductor:evt_pub:orders", got[0].Input["conductor.event.name"])
	}
	second.stop(t)
}

// waitForCorrelated polls the API until a workflow with the correlation
// id exists, and returns them all.
func waitForCorrelated(ctx context.Context, t *testing.T, api *client.APIClient, name, corr string) []model.Workflow {
	t.Helper()
	for {
		wfs, err := api.Workflows().ByCorrelationID(ctx, name, corr, true, false)
		require.NoError(t, err)
		if len(wfs) > 0 {
			return wfs
		}
		require.NoError(t, ctx.Err(), "no %s workflow with correlation id %s", name, corr)
		time.Sleep(20 * time.Millisecond) // polls the API; the server handles the message on its own
	}
}
