package e2e

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

type greetIn struct {
	Name  string `json:"name"`
	Times int    `json:"times"`
}

type greetOut struct {
	Greeting string `json:"greeting"`
	Attempt  int    `json:"attempt"`
}

// TestTypedWorkerAndTerminalErrors runs a worker.Typed handler on a task
// whose definition allows two retries, and checks the rows Baton keeps: a
// decoded input and typed output complete the task; input that does not fit
// and a terminal error fail it with FAILED_WITH_TERMINAL_ERROR and no retry
// row; a plain error fails it as FAILED and Baton retries it.
func TestTypedWorkerAndTerminalErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, server.Config{})
	require.NoError(t, e.admin.Metadata().RegisterTaskDefs(t.Context(),
		taskDef("greet", func(d *model.TaskDef) { d.RetryCount, d.RetryDelaySeconds = 2, 0 })))
	def := model.NewWorkflowDef("greet_flow", model.WorkflowTask{
		Name: "greet", TaskReferenceName: "greet_ref", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"name": "${workflow.input.name}", "times": "${workflow.input.times}"},
	})
	def.OutputParameters = map[string]any{"greeting": "${greet_ref.output.greeting}"}
	require.NoError(t, e.admin.Metadata().RegisterWorkflowDef(t.Context(), def, false))

	var mu sync.Mutex
	attempts := map[string]int{}
	host := e.newHost()
	e.startWorker(host, worker.WorkerConfig{TaskName: "greet", Concurrency: 2, Func: worker.Typed(
		func(ctx context.Context, in greetIn) (greetOut, error) {
			mu.Lock()
			attempts[in.Name]++
			n := attempts[in.Name]
			mu.Unlock()
			switch {
			case in.Name == "terminal":
				return greetOut{}, model.NewTerminalError(errors.New("no greeting for terminal"))
			case in.Name == "flaky" && n == 1:
				return greetOut{}, errors.New("flaky fails once")
			}
			return greetOut{Greeting: strings.Repeat("hi ", in.Times) + in.Name, Attempt: n}, nil
		})})

	for _, tc := range []struct {
		name     string
		input    map[string]any
		workflow model.WorkflowStatus
		rows     []model.TaskStatus
		reason   string         // in the first row's reasonForIncompletion
		output   map[string]any // of the last row
	}{
		{"typed input and output", map[string]any{"name": "Ada", "times": 2}, model.WorkflowCompleted,
			[]model.TaskStatus{model.TaskCompleted}, "", map[string]any{"greeting": "hi hi Ada", "attempt": float64(1)}},
		{"input that does not fit", map[string]any{"name": "Bob", "times": "two"}, model.WorkflowFailed,
			[]model.TaskStatus{model.TaskFailedWithTerminalError}, `field "times"`, nil},
		{"terminal error", map[string]any{"name": "terminal", "times": 1}, model.WorkflowFailed,
			[]model.TaskStatus{model.TaskFailedWithTerminalError}, "no greeting for terminal", nil},
		{"plain error is retried", map[string]any{"name": "flaky", "times": 1}, model.WorkflowCompleted,
			[]model.TaskStatus{model.TaskFailed, model.TaskCompleted}, "flaky fails once", map[string]any{"greeting": "hi flaky", "attempt": float64(2)}},
	} {
		run, err := e.admin.Workflows().Execute(t.Context(), "greet_flow", 0,
			&model.StartWorkflowRequest{Input: tc.input}, client.ExecuteOptions{WaitForSeconds: 10})
		require.NoError(t, err, tc.name)
		wf := e.workflow(run.WorkflowId)
		require.Equal(t, tc.workflow, wf.Status, tc.name)
		var statuses []model.TaskStatus
		for _, row := range wf.Tasks {
			statuses = append(statuses, row.Status)
		}
		require.Equal(t, tc.rows, statuses, "%s: task rows", tc.name)
		require.Contains(t, wf.Tasks[0].ReasonForIncompletion, tc.reason, tc.name)
		if tc.output != nil {
			require.Equal(t, tc.output, wf.Tasks[len(wf.Tasks)-1].OutputData, tc.name)
			require.Equal(t, map[string]any{"greeting": tc.output["greeting"]}, wf.Output, tc.name)
		}
	}
	mu.Lock()
	require.Equal(t, map[string]int{"Ada": 1, "terminal": 1, "flaky": 2}, attempts, "Bob's input never reached the function")
	mu.Unlock()
	require.NoError(t, shutdown(host))
}
