package worker

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// sampleWorker is SampleWorker of the worker program of Conductor's Go documentation.
func sampleWorker(t *model.WorkerTask) (interface{}, error) {
	taskResult := model.NewTaskResultFromTask(t)
	taskResult.Status = model.CompletedTask
	taskResult.OutputData = map[string]interface{}{"outputKey1": "value", "oddEven": 1, "mod": 4}
	return taskResult, nil
}

func TestSampleWorkerCompletesTasks(t *testing.T) {
	t.Parallel()
	env := setup(t)
	ids := env.fake.enqueue("task_1", "", 3, nil)
	require.NoError(t, env.host.StartWorker("task_1", sampleWorker, 1, time.Second))
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.NoError(t, env.shutdown(t, 5*time.Second))

	for _, id := range ids {
		res := env.fake.resultsFor(id)
		require.Len(t, res, 1)
		require.Equal(t, model.CompletedTask, res[0].result.Status)
		require.Equal(t, map[string]any{"outputKey1": "value", "oddEven": 1.0, "mod": 4.0}, res[0].result.OutputData)
		require.Equal(t, model.Hostname(), res[0].result.WorkerId)
	}
	env.fake.checkExactlyOnce(t)
}

func TestStartWorkerRejectsBadInput(t *testing.T) {
	t.Parallel()
	env := setup(t)
	cases := []struct {
		name string
		cfg  WorkerConfig
		want string
	}{
		{"empty name", WorkerConfig{Func: completed}, "task name (TaskName) is required"},
		{"blank name", WorkerConfig{TaskName: "  ", Func: completed}, "task name (TaskName) is required"},
		{"nil func", WorkerConfig{TaskName: "t"}, "function (Func) is required"},
		{"negative concurrency", WorkerConfig{TaskName: "t", Func: completed, Concurrency: -2}, "must be at least 1"},
		{"negative interval", WorkerConfig{TaskName: "t", Func: completed, PollInterval: -time.Second}, "must not be negative"},
		{"poll timeout over limit", WorkerConfig{TaskName: "t", Func: completed, PollTimeout: 6 * time.Second}, "above Conductor's limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := env.host.StartWorkerWithConfig(tc.cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}
	require.ErrorContains(t, env.host.StartWorker("t", completed, 0, time.Second), "batchSize 0 must be at least 1")
	require.ErrorContains(t, env.host.StartWorker("t", completed, -1, time.Second), "batchSize -1")
	require.Empty(t, env.host.GetBatchSizeForAll(), "no worker may start from bad input")
}

func TestHostConfigRejectsBadInput(t *testing.T) {
	t.Parallel()
	api := client.NewAPIClient(settings.NewHttpSettings("http://127.0.0.1:1/api"))
	cases := []struct {
		name string
		cfg  HostConfig
		want string
	}{
		{"no client", HostConfig{}, "client (Client, from client.NewAPIClient) is required"},
		{"negative timeout", HostConfig{Client: api, ShutdownTimeout: -1}, "ShutdownTimeout"},
		{"retry bounds", HostConfig{Client: api, RetryMin: time.Second, RetryMax: time.Millisecond}, "RetryMin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewWorkerHostWithConfig(tc.cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestNewWorkerHostWithNilClientReportsOnEveryCall(t *testing.T) {
	t.Parallel()
	h := NewWorkerHostWithApiClient(nil)
	require.ErrorContains(t, h.StartWorker("t", completed, 1, time.Second), "client (Client, from client.NewAPIClient) is required")
	require.ErrorContains(t, h.Pause("t"), "client (Client, from client.NewAPIClient) is required")
	require.ErrorContains(t, h.WaitWorkers(), "client (Client, from client.NewAPIClient) is required")
	require.ErrorContains(t, h.Shutdown(context.Background()), "client (Client, from client.NewAPIClient) is required")
	require.Zero(t, h.GetBatchSizeForTask("t"))
}

func TestSecondWorkerForSameTaskName(t *testing.T) {
	t.Parallel()
	env := setup(t)
	other := func(t *model.WorkerTask) (any, error) { return map[string]any{"by": "other"}, nil }

	require.NoError(t, env.host.StartWorker("t", completed, 1, time.Second))
	require.NoError(t, env.host.StartWorker("t", completed, 2, time.Second), "the same function adds slots")
	require.Equal(t, 3, env.host.GetBatchSizeForTask("t"))

	err := env.host.StartWorker("t", other, 1, time.Second)
	require.ErrorIs(t, err, ErrDuplicateWorker)

	// Two closures of one literal are two workers: what they captured may
	// differ. The same closure value passed again is the same worker.
	handlerFor := func(region string) model.WorkerTaskFunction {
		return func(*model.WorkerTask) (any, error) { return map[string]any{"region": region}, nil }
	}
	eu, us := handlerFor("eu"), handlerFor("us")
	require.NoError(t, env.host.StartWorker("regional", eu, 1, time.Second))
	require.ErrorIs(t, env.host.StartWorker("regional", us, 1, time.Second), ErrDuplicateWorker)
	echo := func(_ context.Context, m map[string]any) (map[string]any, error) { return m, nil }
	require.NoError(t, env.host.StartWorker("typed", Typed(echo), 1, time.Second))
	require.ErrorIs(t, env.host.StartWorker("typed", Typed(echo), 1, time.Second), ErrDuplicateWorker,
		"each Typed adapter is a closure of its own")
	require.NoError(t, env.host.StartWorker("regional", eu, 1, time.Second), "the same closure adds slots")
	require.Equal(t, 2, env.host.GetBatchSizeForTask("regional"))

	require.NoError(t, env.host.StartWorkerWithDomain("t", other, 1, time.Second, "blue"))
	require.Equal(t, 4, env.host.GetBatchSizeForTask("t"))

	ids := env.fake.enqueue("t", "blue", 2, nil)
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	for _, id := range ids {
		res := env.fake.resultsFor(id)
		require.Len(t, res, 1)
		require.Equal(t, map[string]any{"by": "other"}, res[0].result.OutputData, "the blue task ran the blue worker's function")
	}
}

func TestHostileTaskNames(t *testing.T) {
	t.Parallel()
	env := setup(t)
	for _, name := range []string{"with space", "slash/name", "percent%2F", "ünïcode", "query?x=1&y"} {
		ids := env.fake.enqueue(name, "", 1, nil)
		require.NoError(t, env.host.StartWorker(name, completed, 1, time.Second), name)
		env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	}
}

func TestControlsOnUnknownTask(t *testing.T) {
	t.Parallel()
	env := setup(t)
	require.ErrorIs(t, env.host.Pause("nope"), ErrUnknownTask)
	require.ErrorIs(t, env.host.Resume("nope"), ErrUnknownTask)
	require.ErrorIs(t, env.host.SetBatchSize("nope", 2), ErrUnknownTask)
	require.ErrorIs(t, env.host.IncreaseBatchSize("nope", 2), ErrUnknownTask)
	require.ErrorIs(t, env.host.DecreaseBatchSize("nope", 2), ErrUnknownTask)
	require.Zero(t, env.host.GetBatchSizeForTask("nope"))
	require.False(t, env.host.IsPaused("nope"))

	env.start(t, WorkerConfig{TaskName: "t", Func: completed, Concurrency: 2})
	require.ErrorContains(t, env.host.SetBatchSize("t", -1), "must not be negative")
	require.ErrorContains(t, env.host.IncreaseBatchSize("t", 0), "at least 1")
	require.ErrorContains(t, env.host.DecreaseBatchSize("t", -3), "at least 1")
	require.NoError(t, env.host.IncreaseBatchSize("t", 3))
	require.Equal(t, 5, env.host.GetBatchSizeForTask("t"))
	require.NoError(t, env.host.DecreaseBatchSize("t", 10))
	require.Equal(t, 0, env.host.GetBatchSizeForTask("t"))
	require.NoError(t, env.host.SetBatchSize("t", 4))
	require.Equal(t, map[string]int{"t": 4}, env.host.GetBatchSizeForAll())
}

func TestHostsAreIndependent(t *testing.T) {
	t.Parallel()
	a, b := setup(t), setup(t)
	idsA := a.fake.enqueue("t", "", 2, nil)
	idsB := b.fake.enqueue("t", "", 5, nil)
	a.start(t, WorkerConfig{TaskName: "t", Func: completed})
	b.start(t, WorkerConfig{TaskName: "t", Func: completed})
	a.fake.waitFor(func() bool { return a.fake.allDoneLocked(idsA) })
	b.fake.waitFor(func() bool { return b.fake.allDoneLocked(idsB) })
	require.NoError(t, a.shutdown(t, 5*time.Second))
	require.NoError(t, b.shutdown(t, 5*time.Second))
	require.Equal(t, 2.0, a.counterValue(t, "task_execution_started_total", "taskType", "t"))
	require.Equal(t, 5.0, b.counterValue(t, "task_execution_started_total", "taskType", "t"))
}

func TestNoRegistererRegistersNothing(t *testing.T) {
	t.Parallel()
	env := setup(t, func(c *HostConfig) { c.Registerer = nil })
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	mfs, err := prometheus.DefaultGatherer.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		require.NotEqual(t, "task_poll_total", mf.GetName(), "the global registry must stay untouched")
	}
}

func TestStartAfterShutdown(t *testing.T) {
	t.Parallel()
	env := setup(t)
	require.NoError(t, env.shutdown(t, time.Second))
	err := env.host.StartWorker("t", completed, 1, time.Second)
	require.True(t, errors.Is(err, ErrStopped), err)
}
