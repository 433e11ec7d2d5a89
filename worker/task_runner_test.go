package worker_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// TestTaskRunnerAsInConductorGo runs a worker through conductor-go's names:
// Shutdown of every task name ends WaitWorkers.
func TestTaskRunnerAsInConductorGo(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t)
	runner := worker.NewTaskRunner(settings.NewAuthenticationSettings("", ""), settings.NewHttpSettings(srv.URL()))
	require.NoError(t, runner.SetPollTimeout(50*time.Millisecond))
	require.NoError(t, runner.SetPollTimeoutForTask("greet", 20*time.Millisecond))
	greet := func(task *model.Task) (interface{}, error) {
		return map[string]interface{}{"hello": "Hello, " + task.InputData["name"].(string)}, nil
	}
	require.NoError(t, runner.StartWorker("greet", greet, 2, 10*time.Millisecond))
	require.Equal(t, 2, runner.GetBatchSizeForTask("greet"))
	require.NoError(t, runner.IncreaseBatchSize("greet", 1))
	require.Equal(t, map[string]int{"greet": 3}, runner.GetBatchSizeForAll())
	d, err := runner.GetPollTimeoutForTask("greet")
	require.NoError(t, err)
	require.Equal(t, 20*time.Millisecond, d)
	require.Equal(t, 50*time.Millisecond, runner.GetPollTimeout())
	d, err = runner.GetPollIntervalForTask("greet")
	require.NoError(t, err)
	require.Equal(t, 10*time.Millisecond, d)
	_, err = runner.GetPollIntervalForTask("nobody")
	require.ErrorIs(t, err, worker.ErrUnknownTask)
	require.ErrorContains(t, runner.SetPollTimeoutForTask("greet", time.Second), "set it before StartWorker")
	require.Error(t, runner.SetPollTimeout(6*time.Second))

	def := model.NewWorkflowDef("greet_flow", model.WorkflowTask{
		Name: "greet", TaskReferenceName: "greet", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"name": "${workflow.input.name}"},
	})
	require.NoError(t, srv.Client().Metadata().RegisterWorkflowDef(t.Context(), def, true))
	run, err := srv.Client().Workflows().Execute(t.Context(), "greet_flow", 1,
		model.NewStartWorkflowRequest("greet_flow", 1, "", map[string]any{"name": "Gopher"}),
		client.ExecuteOptions{WaitForSeconds: 10})
	require.NoError(t, err)
	require.Equal(t, string(model.CompletedWorkflow), run.Status)

	require.NoError(t, runner.Pause("greet"))
	require.NoError(t, runner.Resume("greet"))
	runner.Shutdown("greet")
	require.NoError(t, runner.WaitWorkers(), "every task name is shut down, so WaitWorkers returns")
}
