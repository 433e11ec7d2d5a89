package worker

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestShutdownLetsRunningTasksFinish(t *testing.T) {
	t.Parallel()
	env := setup(t)
	g := newGate(3)
	ids := env.fake.enqueue("t", "", 3, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 3})
	g.waitStarted(t, 3)

	done := make(chan error)
	go func() { done <- env.shutdown(t, 10*time.Second) }()
	<-env.host.stopCh
	later := env.fake.enqueue("t", "", 2, nil)
	for range 3 {
		g.release <- struct{}{}
	}
	require.NoError(t, <-done, env.logs.String())
	for _, id := range ids {
		require.Equal(t, model.TaskCompleted, env.fake.status(id))
	}
	for _, id := range later {
		require.Equal(t, model.TaskScheduled, env.fake.status(id), "no new work is taken once shutdown starts")
	}
	env.fake.checkExactlyOnce(t)
}

func TestShutdownDeadlineHandsBackUnfinishedTasks(t *testing.T) {
	t.Parallel()
	env := setup(t, func(c *HostConfig) { c.HandBackTimeout = time.Second })
	g := newGate(4)
	ids := env.fake.enqueue("t", "", 4, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 4})
	tasks := g.waitStarted(t, 4)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	deadline, _ := ctx.Deadline()
	err := env.host.Shutdown(ctx)
	require.True(t, time.Now().Before(deadline), "Shutdown returns within its deadline")
	require.ErrorContains(t, err, "4 unfinished tasks handed back")
	require.NotContains(t, err.Error(), "dropped")

	for _, task := range tasks {
		require.ErrorIs(t, context.Cause(task.Context()), ErrShutdownDeadline)
	}
	for _, id := range ids {
		res := env.fake.resultsFor(id)
		require.Len(t, res, 1, "exactly the hand-back, not the late result")
		require.Equal(t, model.InProgressTask, res[0].result.Status)
		require.Zero(t, res[0].result.CallbackAfterSeconds)
		require.Equal(t, model.TaskScheduled, env.fake.status(id), "the server queues the task again at once")
	}
	require.Equal(t, 4.0, env.counterValue(t, "task_handed_back_total", "taskType", "t"))
	// Shutdown does not wait for handlers that outlived it: each counts its
	// late result as dropped when it returns.
	wait, cancelWait := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelWait()
	require.NoError(t, env.host.stuck.waitZero(wait), "the handed-back handlers return once cancelled")
	require.Equal(t, 4.0, env.counterValue(t, "task_result_dropped_total", "taskType", "t", "reason", "handed_back"))
}

func TestShutdownCancelledContextHandsBackAtOnce(t *testing.T) {
	t.Parallel()
	env := setup(t)
	g := newGate(2)
	ids := env.fake.enqueue("t", "", 2, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, Concurrency: 2})
	g.waitStarted(t, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := env.host.Shutdown(ctx)
	require.ErrorContains(t, err, "2 unfinished tasks handed back")
	require.ErrorIs(t, err, context.Canceled)
	for _, id := range ids {
		require.Equal(t, model.TaskScheduled, env.fake.status(id))
	}
}

func TestShutdownFlushesPendingResults(t *testing.T) {
	t.Parallel()
	env := setup(t)
	hold := make(chan struct{})
	env.fake.fault = func(r faultReq) fault {
		switch {
		case r.kind == "update" && r.n == 1:
			return fault{status: 503}
		case r.kind == "update" && r.n == 2:
			return fault{hold: hold}
		}
		return fault{}
	}
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, DisableUpdateV2: true})
	env.fake.waitFor(func() bool { return env.fake.requests["update"] == 2 })

	done := make(chan error)
	go func() { done <- env.shutdown(t, 10*time.Second) }()
	<-env.host.stopCh
	close(hold)
	require.NoError(t, <-done)
	require.Equal(t, model.TaskCompleted, env.fake.status(ids[0]))
}

func TestShutdownHandsBackTasksOfAPollInFlight(t *testing.T) {
	t.Parallel()
	env := setup(t)
	hold := make(chan struct{})
	env.fake.fault = func(r faultReq) fault {
		if r.kind == "poll" {
			return fault{hold: hold}
		}
		return fault{}
	}
	var ran atomic.Int32
	env.start(t, WorkerConfig{TaskName: "t", Func: func(*model.WorkerTask) (any, error) { ran.Add(1); return nil, nil }})
	env.fake.waitFor(func() bool { return env.fake.requests["poll"] == 1 })
	// A Conductor server cannot end a poll on request, so the host waits
	// for it rather than cut it and lose what it brings.
	require.False(t, env.fake.api.CanReleasePolls())

	done := make(chan error)
	go func() { done <- env.shutdown(t, 10*time.Second) }()
	<-env.host.stopCh
	ids := env.fake.enqueue("t", "", 1, nil)
	close(hold) // the poll now picks up the task
	require.NoError(t, <-done)
	require.Zero(t, ran.Load(), "a task polled during shutdown is not run")
	res := env.fake.resultsFor(ids[0])
	require.Len(t, res, 1)
	require.Equal(t, model.InProgressTask, res[0].result.Status)
	require.Equal(t, model.TaskScheduled, env.fake.status(ids[0]))
}

func TestShutdownReportsHandlersThatIgnoreTheirContext(t *testing.T) {
	t.Parallel()
	env := setup(t, func(c *HostConfig) { c.HandBackTimeout = 50 * time.Millisecond })
	stuck, release := make(chan struct{}), make(chan struct{})
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: func(*model.WorkerTask) (any, error) {
		close(stuck)
		<-release // ignores its context
		return nil, nil
	}})
	<-stuck
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := env.host.Shutdown(ctx)
	require.ErrorContains(t, err, "1 task functions ignored their cancelled context")
	require.Equal(t, model.TaskScheduled, env.fake.status(ids[0]), "the task was still handed back")
	close(release)
	_ = env.host.stuck.waitZero(context.Background()) // the late result is discarded and the goroutine ends
	require.Len(t, env.fake.resultsFor(ids[0]), 1)
}

func TestShutdownIsIdempotentAndConcurrent(t *testing.T) {
	t.Parallel()
	env := setup(t)
	g := newGate(1)
	env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler})
	g.waitStarted(t, 1)

	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- env.shutdown(t, 10*time.Second) }()
	}
	<-env.host.stopCh
	g.release <- struct{}{}
	for range 3 {
		require.NoError(t, <-errs)
	}
	require.NoError(t, env.shutdown(t, time.Second))
	require.NoError(t, env.host.WaitWorkers(), "WaitWorkers returns after a finished shutdown")
	require.ErrorIs(t, env.host.Shutdown(context.Background()), nil)
	require.ErrorContains(t, env.host.Shutdown(nil), "nil context") //nolint:staticcheck // hostile input
}

func TestWaitWorkersShutsDownOnSignal(t *testing.T) {
	t.Parallel()
	sig, sigCancel := context.WithCancel(context.Background())
	defer sigCancel()
	var gotSignals []os.Signal
	env := setup(t, func(c *HostConfig) {
		c.notify = func(parent context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc) {
			gotSignals = sigs
			ctx, cancel := context.WithCancel(parent)
			stop := context.AfterFunc(sig, cancel)
			return ctx, func() { stop(); cancel() }
		}
	})
	g := newGate(1)
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler})
	g.waitStarted(t, 1)

	done := make(chan error)
	go func() { done <- env.host.WaitWorkers() }()
	sigCancel() // SIGTERM
	<-env.host.stopCh
	g.release <- struct{}{}
	require.NoError(t, <-done)
	require.Equal(t, model.TaskCompleted, env.fake.status(ids[0]))
	require.Len(t, gotSignals, 2, "SIGINT and SIGTERM by default")
}

func TestWaitWorkersReturnsAfterShutdown(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed})
	done := make(chan error)
	go func() { done <- env.host.WaitWorkers() }()
	require.NoError(t, env.shutdown(t, 5*time.Second))
	require.NoError(t, <-done)
}
