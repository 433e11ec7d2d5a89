package batontest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

func echo(t *model.WorkerTask) (interface{}, error) { return t.InputData, nil }

func registerOneTaskFlow(t *testing.T, api *client.APIClient, name, taskName string) {
	t.Helper()
	def := model.NewWorkflowDef(name, model.WorkflowTask{
		Name: taskName, TaskReferenceName: taskName + "_ref", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"n": "${workflow.input.n}"},
	})
	require.NoError(t, api.Metadata().RegisterWorkflowDef(t.Context(), def, true))
}

// TestShutdownEndsIdleLongPoll: a host written as in Conductor's docs, on
// the test server's client, shuts down without waiting out its idle long
// poll. On the fake clock that poll's timeout never passes, so Shutdown
// returns only because the server ended the poll when asked.
func TestShutdownEndsIdleLongPoll(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t, batontest.WithFakeClock())
	require.True(t, srv.Client().CanReleasePolls())
	host := worker.NewWorkerHostWithApiClient(srv.Client())
	require.NoError(t, host.StartWorker("idle", echo, 1, time.Second))
	done := make(chan error, 1)
	go func() { done <- host.Shutdown(context.Background()) }()
	// Without the release the poll would end only at its client-side bound
	// (the 1 s wait plus the 30 s request timeout): the watchdog is only a
	// safety net far below that.
	watchdog := time.NewTimer(10 * time.Second)
	defer watchdog.Stop()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-watchdog.C:
		t.Fatal("Shutdown is waiting out the idle long poll")
	}
}

// TestShutdownAsATaskIsHandedOut starts a workflow at the moment its worker
// shuts down, again and again: whichever comes first, the task is either
// run by the worker or pollable at once afterwards, never held by a poll
// nobody reads.
func TestShutdownAsATaskIsHandedOut(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t, batontest.WithFakeClock())
	api := srv.Client()
	registerOneTaskFlow(t, api, "race_flow", "race")
	ctx := t.Context()
	for i := range 20 {
		host := worker.NewWorkerHostWithApiClient(api)
		require.NoError(t, host.StartWorker("race", echo, 1, time.Second))
		var id string
		var wg sync.WaitGroup
		wg.Go(func() {
			var err error
			id, err = api.Workflows().StartByName(ctx, "race_flow", map[string]any{"n": i}, client.StartOptions{})
			require.NoError(t, err)
		})
		err := host.Shutdown(context.Background())
		wg.Wait()
		require.NoError(t, err, "round %d", i)

		wf, err := api.Workflows().Get(ctx, id, true)
		require.NoError(t, err)
		if wf.Status == model.WorkflowCompleted {
			continue // the worker ran it before it stopped
		}
		// Not run: the task must be back in the queue, pollable now.
		got, err := api.Tasks().BatchPoll(ctx, "race", client.BatchPollOptions{Count: 1})
		require.NoError(t, err)
		require.Len(t, got, 1, "round %d: the task is pollable, not held by an abandoned poll", i)
		require.Equal(t, id, got[0].WorkflowInstanceId)
		res := model.NewTaskResultFromTask(&got[0])
		res.Status = model.CompletedTask
		_, err = api.Tasks().Update(ctx, res)
		require.NoError(t, err)
	}
}
