package batontest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// start registers and starts a workflow of the given tasks.
func start(t *testing.T, srv *batontest.Server, tasks ...workflow.TaskInterface) string {
	t.Helper()
	exec := executor.NewWorkflowExecutor(srv.Client())
	t.Cleanup(func() { require.NoError(t, exec.Close()) })
	wf := workflow.NewConductorWorkflow(exec).Name("awaited").Version(1)
	for _, task := range tasks {
		wf.Add(task)
	}
	require.NoError(t, wf.Register(true))
	id, err := wf.StartWorkflowWithInput(map[string]any{})
	require.NoError(t, err)
	return id
}

func TestAwaitStopsAtOnceWhenTheWorkflowEndsOtherwise(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t)
	require.NoError(t, srv.StartWorker("refuse", func(*model.WorkerTask) (any, error) {
		return nil, model.NewTerminalError(errors.New("card declined"))
	}))
	id := start(t, srv, workflow.NewSimpleTask("refuse", "pay"))

	// No deadline of the test's: the answer comes when the workflow fails,
	// not when the wait runs out.
	_, err := srv.Await(context.Background(), id, batontest.Want{
		Status: model.WorkflowCompleted,
		Tasks:  []batontest.WantTask{batontest.Task("pay", model.TaskCompleted), batontest.Task("ship", "")},
	})
	var mismatch *batontest.MismatchError
	require.ErrorAs(t, err, &mismatch)
	require.Equal(t, model.WorkflowFailed, mismatch.Workflow.Status)
	require.Equal(t, []string{
		"status: want COMPLETED, got FAILED",
		"task 1 (pay): want status COMPLETED, got FAILED_WITH_TERMINAL_ERROR",
		"task 2: want ship, got no task",
	}, mismatch.Problems)
	msg := err.Error()
	require.Contains(t, msg, "ended FAILED; want vs. got:")
	require.Regexp(t, `(?m)^  #\s+ref\s+type\s+status\s+retry\s+detail$`, msg)
	require.Regexp(t, `(?m)^  1\s+pay\s+refuse\s+FAILED_WITH_TERMINAL_ERROR\s+0\s+card declined$`, msg)
}

func TestAwaitOnAFakeClockSaysTimersArePending(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t, batontest.WithFakeClock(), batontest.WithAwaitTimeout(50*time.Millisecond))
	id := start(t, srv, workflow.NewWaitForDurationTask("nap", time.Hour))
	_, err := srv.Await(t.Context(), id, batontest.Want{Status: model.WorkflowCompleted})
	require.ErrorContains(t, err, "did not get there in time")
	require.ErrorContains(t, err, "wait on the fake clock, the next in 1h0m0s: Clock().Advance?")
	require.Regexp(t, `(?m)^  1\s+nap\s+WAIT\s+IN_PROGRESS\s+0\s+\{\}$`, err.Error())
}

func TestCheckComparesOutputsAsJSON(t *testing.T) {
	t.Parallel()
	wf := &model.Workflow{WorkflowId: "w1", Status: model.WorkflowCompleted,
		Output: map[string]any{"n": float64(1), "list": []any{"a"}},
		Tasks:  []model.WorkerTask{{ReferenceTaskName: "a", Status: model.TaskCompleted, OutputData: map[string]any{"ok": true}}},
	}
	for _, tc := range []struct {
		name     string
		want     batontest.Want
		problems []string
	}{
		{"ints equal floats", batontest.Want{Output: map[string]any{"n": 1, "list": []string{"a"}}}, nil},
		{"other keys are not checked", batontest.Want{Tasks: []batontest.WantTask{{Ref: "a"}}}, nil},
		{"a missing key", batontest.Want{Output: map[string]any{"m": 2}}, []string{`output "m": want 2, got no such key`}},
		{"another value", batontest.Want{Tasks: []batontest.WantTask{{Ref: "a", Output: map[string]any{"ok": false}}}},
			[]string{`task 1 (a) output "ok": want false, got true`}},
		{"an extra task", batontest.Want{Tasks: []batontest.WantTask{}}, []string{"task 1: want none, got a COMPLETED"}},
		{"another reference", batontest.Want{Tasks: []batontest.WantTask{batontest.Task("b", model.TaskCompleted)}},
			[]string{"task 1: want b COMPLETED, got a COMPLETED"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := batontest.Check(wf, tc.want)
			if tc.problems == nil {
				require.NoError(t, err)
				return
			}
			var mismatch *batontest.MismatchError
			require.ErrorAs(t, err, &mismatch)
			require.Equal(t, tc.problems, mismatch.Problems)
		})
	}
}
