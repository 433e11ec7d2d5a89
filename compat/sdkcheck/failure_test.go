package sdkcheck_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// TestWorkerFailures: how a handler's failures reach the real server.
func TestWorkerFailures(t *testing.T) {
	t.Parallel()

	// A terminal error fails the task without retries, although its
	// definition allows two, and fails the workflow with the error's text.
	t.Run("terminal error", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		def := taskDef(e.name("terminal"))
		def.RetryCount = 2
		wf := e.oneTaskWorkflow(def)
		host := e.newHost(e.api, worker.HostConfig{})
		require.NoError(t, host.StartWorker(def.Name, func(*model.WorkerTask) (any, error) {
			return nil, model.NewTerminalError(errors.New("card declined: do not retry"))
		}, 1, 0))
		id := e.start(wf, nil, "")
		w := e.awaitStatus(id, model.WorkflowFailed)
		require.Len(t, w.Tasks, 1, "no retry: %s", describe(w))
		require.Equal(t, model.TaskFailedWithTerminalError, w.Tasks[0].Status)
		require.Equal(t, "card declined: do not retry", w.Tasks[0].ReasonForIncompletion)
		require.Contains(t, w.ReasonForIncompletion, "card declined: do not retry")
	})

	// A panic fails the task (FAILED, so it is retried) with the panic value
	// as reason and the stack in the task's log; the worker keeps running
	// and completes the retry.
	t.Run("panic", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		def := taskDef(e.name("panic"))
		def.RetryCount = 1
		wf := e.oneTaskWorkflow(def)
		host := e.newHost(e.api, worker.HostConfig{})
		require.NoError(t, host.StartWorker(def.Name, func(task *model.WorkerTask) (any, error) {
			if task.RetryCount == 0 {
				panic("boom at attempt 0")
			}
			return map[string]any{"attempt": task.RetryCount}, nil
		}, 1, 0))
		id := e.start(wf, nil, "")
		w := e.awaitStatus(id, model.WorkflowCompleted)
		require.Len(t, w.Tasks, 2, describe(w))
		require.Equal(t, model.TaskFailed, w.Tasks[0].Status)
		require.Equal(t, "panic: boom at attempt 0", w.Tasks[0].ReasonForIncompletion)
		require.Equal(t, model.TaskCompleted, w.Tasks[1].Status)
		require.Equal(t, map[string]any{"attempt": float64(1)}, w.Tasks[1].OutputData)

		logs, err := e.api.Tasks().Logs(e.ctx, w.Tasks[0].TaskId)
		require.NoError(t, err)
		require.NotEmpty(t, logs, "the panic's stack is in the task log")
		require.True(t, strings.HasPrefix(logs[0].Log, "panic: boom at attempt 0\n"), "log: %q", logs[0].Log)
		require.Contains(t, logs[0].Log, "goroutine", "the log holds the stack")
	})

	// Typed decodes the input into a struct: input that fits runs the
	// function and its struct output becomes the task output; input that
	// does not fit fails the task without retries, naming the field.
	t.Run("typed adapter", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		def := taskDef(e.name("typed"))
		def.RetryCount = 2
		e.registerTasks(def)
		wf := def.Name + "_wf"
		e.registerWorkflow(wf, map[string]any{"out": "${a.output}"},
			simple(def.Name, "a", map[string]any{"order": "${workflow.input.order}", "amount": "${workflow.input.amount}"}))
		type charge struct {
			Order  string `json:"order"`
			Amount int    `json:"amount"`
		}
		type receipt struct {
			Receipt string `json:"receipt"`
			Cents   int    `json:"cents"`
		}
		host := e.newHost(e.api, worker.HostConfig{})
		require.NoError(t, host.StartWorker(def.Name, worker.Typed(func(_ context.Context, in charge) (receipt, error) {
			return receipt{Receipt: "r-" + in.Order, Cents: in.Amount * 100}, nil
		}), 1, 0))

		good := e.start(wf, map[string]any{"order": "o-1", "amount": 42}, "")
		bad := e.start(wf, map[string]any{"order": "o-2", "amount": "forty-two"}, "")
		w := e.awaitStatus(good, model.WorkflowCompleted)
		require.Equal(t, map[string]any{"receipt": "r-o-1", "cents": float64(4200)}, w.Output["out"])

		w = e.awaitStatus(bad, model.WorkflowFailed)
		require.Len(t, w.Tasks, 1, "a decode failure is not retried: %s", describe(w))
		require.Equal(t, model.TaskFailedWithTerminalError, w.Tasks[0].Status)
		require.Contains(t, w.Tasks[0].ReasonForIncompletion, `field "amount"`)
		require.Contains(t, w.Tasks[0].ReasonForIncompletion, "cannot decode JSON string into int")
	})
}
