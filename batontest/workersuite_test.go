package batontest_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// These ten tests are worker tests as a user writes them from Conductor's
// docs: a host from worker.NewWorkerHostWithApiClient on the test server's
// client, a synchronous execution, and a graceful Shutdown at the end. They
// also measure the first hour: with the host ending its idle long poll at
// shutdown, the ten take milliseconds each, not the 1 s poll timeout each
// (go test -run TestWorkerSuite -parallel 1 -v ./batontest).

// flow is a workflow of simple tasks in sequence, each with a task
// definition of its own.
type flow struct {
	tasks      []string
	retryCount int
}

// suiteRun registers f as "flow", runs the given workers in a host of
// their own, executes the workflow once per input and returns the answers.
// The host shuts down gracefully when the test ends.
func suiteRun(t *testing.T, f flow, workers map[string]model.WorkerTaskFunction, batchSize int, inputs ...map[string]any) []*model.SignalResponse {
	t.Helper()
	srv := batontest.NewServer(t)
	api := srv.Client()
	ctx := t.Context()
	var defs []model.TaskDef
	var steps []model.WorkflowTask
	for _, name := range f.tasks {
		defs = append(defs, model.TaskDef{Name: name, RetryCount: f.retryCount, RetryLogic: model.RetryFixed,
			ResponseTimeoutSeconds: 60, TimeoutSeconds: 120})
		steps = append(steps, model.WorkflowTask{Name: name, TaskReferenceName: name, Type: model.TaskTypeSimple,
			InputParameters: map[string]any{"in": "${workflow.input}"}})
	}
	require.NoError(t, api.Metadata().RegisterTaskDefs(ctx, defs...))
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, model.NewWorkflowDef("flow", steps...), true))

	host := worker.NewWorkerHostWithApiClient(api)
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, host.Shutdown(sctx))
	})
	for name, fn := range workers {
		require.NoError(t, host.StartWorker(name, fn, batchSize, 100*time.Millisecond))
	}
	out := make([]*model.SignalResponse, len(inputs))
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Go(func() {
			run, err := api.Workflows().Execute(ctx, "flow", 1, &model.StartWorkflowRequest{Input: in},
				client.ExecuteOptions{WaitForSeconds: 10})
			require.NoError(t, err)
			out[i] = run
		})
	}
	wg.Wait()
	return out
}

func in(n int) map[string]any { return map[string]any{"n": n} }

func TestWorkerSuiteMapOutput(t *testing.T) {
	t.Parallel()
	run := suiteRun(t, flow{tasks: []string{"a"}}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) { return map[string]any{"ok": true}, nil },
	}, 1, in(1))[0]
	require.Equal(t, string(model.WorkflowCompleted), run.Status)
}

func TestWorkerSuiteStructOutput(t *testing.T) {
	t.Parallel()
	type out struct {
		Greeting string `json:"greeting"`
	}
	run := suiteRun(t, flow{tasks: []string{"a"}}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) { return out{Greeting: "hi"}, nil },
	}, 1, in(1))[0]
	require.Equal(t, string(model.WorkflowCompleted), run.Status)
	require.Equal(t, "hi", run.Tasks[0].OutputData["greeting"])
}

func TestWorkerSuiteScalarOutput(t *testing.T) {
	t.Parallel()
	run := suiteRun(t, flow{tasks: []string{"a"}}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) { return 42, nil },
	}, 1, in(1))[0]
	require.EqualValues(t, 42, run.Tasks[0].OutputData["result"])
}

func TestWorkerSuiteErrorFails(t *testing.T) {
	t.Parallel()
	run := suiteRun(t, flow{tasks: []string{"a"}}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) { return nil, errors.New("card declined") },
	}, 1, in(1))[0]
	require.Equal(t, string(model.WorkflowFailed), run.Status)
	require.Equal(t, "card declined", run.Tasks[0].ReasonForIncompletion)
}

func TestWorkerSuiteTerminalErrorIsNotRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	run := suiteRun(t, flow{tasks: []string{"a"}, retryCount: 3}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) {
			calls.Add(1)
			return nil, model.NewTerminalError(errors.New("bad input"))
		},
	}, 1, in(1))[0]
	require.Equal(t, string(model.WorkflowFailed), run.Status)
	require.Len(t, run.Tasks, 1)
	require.Equal(t, int32(1), calls.Load())
}

func TestWorkerSuiteRetryThenSucceed(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	run := suiteRun(t, flow{tasks: []string{"a"}, retryCount: 2}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) {
			if calls.Add(1) == 1 {
				return nil, errors.New("flaky")
			}
			return map[string]any{"ok": true}, nil
		},
	}, 1, in(1))[0]
	require.Equal(t, string(model.WorkflowCompleted), run.Status)
	require.Len(t, run.Tasks, 2)
}

func TestWorkerSuitePanicFailsTheTaskOnly(t *testing.T) {
	t.Parallel()
	runs := suiteRun(t, flow{tasks: []string{"a"}}, map[string]model.WorkerTaskFunction{
		"a": func(t *model.WorkerTask) (any, error) {
			if in, _ := t.InputData["in"].(map[string]any); in["n"] == 1.0 {
				panic("boom")
			}
			return nil, nil
		},
	}, 1, in(1), in(2))
	require.Equal(t, string(model.WorkflowFailed), runs[0].Status)
	require.Contains(t, runs[0].Tasks[0].ReasonForIncompletion, "boom")
	require.Equal(t, string(model.WorkflowCompleted), runs[1].Status, "the worker kept running")
}

func TestWorkerSuiteTyped(t *testing.T) {
	t.Parallel()
	type In struct {
		In struct {
			N int `json:"n"`
		} `json:"in"`
	}
	type Out struct {
		Double int `json:"double"`
	}
	run := suiteRun(t, flow{tasks: []string{"a"}}, map[string]model.WorkerTaskFunction{
		"a": worker.Typed(func(_ context.Context, in In) (Out, error) { return Out{Double: 2 * in.In.N}, nil }),
	}, 1, in(21))[0]
	require.EqualValues(t, 42, run.Tasks[0].OutputData["double"])
}

func TestWorkerSuiteBatchOfThree(t *testing.T) {
	t.Parallel()
	runs := suiteRun(t, flow{tasks: []string{"a"}}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) { return nil, nil },
	}, 3, in(1), in(2), in(3))
	for _, run := range runs {
		require.Equal(t, string(model.WorkflowCompleted), run.Status)
	}
}

func TestWorkerSuiteTwoWorkersInSequence(t *testing.T) {
	t.Parallel()
	run := suiteRun(t, flow{tasks: []string{"a", "b"}}, map[string]model.WorkerTaskFunction{
		"a": func(*model.WorkerTask) (any, error) { return map[string]any{"step": "a"}, nil },
		"b": func(*model.WorkerTask) (any, error) { return map[string]any{"step": "b"}, nil },
	}, 1, in(1))[0]
	require.Equal(t, string(model.WorkflowCompleted), run.Status)
	require.Len(t, run.Tasks, 2)
	require.Equal(t, "b", run.Tasks[1].OutputData["step"])
}
