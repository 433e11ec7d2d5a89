package batontest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// Greet is the worker under test.
func Greet(t *model.WorkerTask) (interface{}, error) {
	name, _ := t.InputData["name"].(string)
	if name == "" {
		return nil, model.NewTerminalError(fmt.Errorf("input name is empty"))
	}
	return map[string]any{"greeting": "Hello, " + name}, nil
}

// TestGreetWorker shows a worker test: a real server in the test process,
// the worker running in a WorkerHost as in production, and a synchronous
// execution that waits for the workflow to finish (no sleeps, no polling).
func TestGreetWorker(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t)
	api := srv.Client()
	ctx := t.Context()

	def := model.NewWorkflowDef("greet_flow", model.WorkflowTask{
		Name: "greet", TaskReferenceName: "greet_ref", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"name": "${workflow.input.name}"},
	})
	def.OutputParameters = map[string]any{"greeting": "${greet_ref.output.greeting}"}
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, def, false))

	// The worker runs in a WorkerHost as in production; the server stops
	// it when the test ends.
	require.NoError(t, srv.StartWorker("greet", Greet))

	for _, tc := range []struct {
		name   string
		status model.WorkflowStatus
		output map[string]any
	}{
		{"Ada", model.WorkflowCompleted, map[string]any{"greeting": "Hello, Ada"}},
		{"", model.WorkflowFailed, nil},
	} {
		run, err := api.Workflows().Execute(ctx, "greet_flow", 1,
			&model.StartWorkflowRequest{Input: map[string]any{"name": tc.name}},
			client.ExecuteOptions{WaitForSeconds: 10})
		require.NoError(t, err)
		require.Equal(t, string(tc.status), run.Status, "name %q", tc.name)
		if tc.output != nil {
			require.Equal(t, tc.output, run.Output)
		}
	}
}
