package batontest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// step waits for the workflow to match want, then checks it stays that way
// as the clock moves by almost, then exactly, advance: the delay passes no
// earlier than it should, and no later.
type step struct {
	want    batontest.Want
	advance time.Duration
}

// Workers of the scenarios.
var (
	// failOnce fails its first attempt.
	failOnce = func(t *model.WorkerTask) (any, error) {
		if t.RetryCount == 0 {
			return nil, errors.New("busy")
		}
		return map[string]any{"attempt": t.RetryCount + 1}, nil
	}
	// callBackLater asks to be called back in 30 s, then completes.
	callBackLater = func(t *model.WorkerTask) (any, error) {
		if done, _ := t.OutputData["asked"].(bool); done {
			return map[string]any{"asked": true, "done": true}, nil
		}
		r := model.NewTaskResultFromTask(t)
		r.Status = model.InProgressTask
		r.CallbackAfterSeconds = 30
		r.OutputData = map[string]any{"asked": true}
		return r, nil
	}
	// hang works until its task is taken away.
	hang = func(t *model.WorkerTask) (any, error) {
		<-t.Context().Done()
		return nil, t.Context().Err()
	}
)

// TestDelaysPassWhenTheClockIsAdvanced runs each kind of delay the server
// keeps on a fake clock: nothing happens a second before it is due, and it
// has happened when Advance returns.
func TestDelaysPassWhenTheClockIsAdvanced(t *testing.T) {
	t.Parallel()
	task := batontest.Task
	for _, tc := range []struct {
		name    string
		build   func(*workflow.ConductorWorkflow)
		workers map[string]func(*model.WorkerTask) (any, error)
		steps   []step
		final   batontest.Want
	}{{
		name: "retry delay",
		build: func(wf *workflow.ConductorWorkflow) {
			wf.Add(workflow.NewSimpleTask("flaky", "flaky").RetryPolicy(1, workflow.FixedRetry, 60, 1))
		},
		workers: map[string]func(*model.WorkerTask) (any, error){"flaky": failOnce},
		steps: []step{{batontest.Want{Tasks: []batontest.WantTask{
			task("flaky", model.TaskFailed), task("flaky", model.TaskScheduled),
		}}, 60 * time.Second}},
		final: batontest.Want{Status: model.WorkflowCompleted, Tasks: []batontest.WantTask{
			task("flaky", model.TaskFailed), {Ref: "flaky", Status: model.TaskCompleted, Output: map[string]any{"attempt": 2}},
		}},
	}, {
		name:    "callbackAfterSeconds",
		build:   func(wf *workflow.ConductorWorkflow) { wf.Add(workflow.NewSimpleTask("later", "later")) },
		workers: map[string]func(*model.WorkerTask) (any, error){"later": callBackLater},
		steps: []step{{batontest.Want{Tasks: []batontest.WantTask{
			{Ref: "later", Status: model.TaskScheduled, Output: map[string]any{"asked": true}},
		}}, 30 * time.Second}},
		final: batontest.Want{Status: model.WorkflowCompleted, Tasks: []batontest.WantTask{
			{Ref: "later", Status: model.TaskCompleted, Output: map[string]any{"done": true}},
		}},
	}, {
		name:  "WAIT for a duration",
		build: func(wf *workflow.ConductorWorkflow) { wf.Add(workflow.NewWaitForDurationTask("nap", 24*time.Hour)) },
		steps: []step{{batontest.Want{Tasks: []batontest.WantTask{task("nap", model.TaskInProgress)}}, 24 * time.Hour}},
		final: batontest.Want{Status: model.WorkflowCompleted, Tasks: []batontest.WantTask{task("nap", model.TaskCompleted)}},
	}, {
		name: "task response timeout",
		build: func(wf *workflow.ConductorWorkflow) {
			wf.Add(workflow.NewSimpleTask("slow", "slow").RetryPolicy(0, workflow.FixedRetry, 0, 1).ResponseTimeout(30))
		},
		workers: map[string]func(*model.WorkerTask) (any, error){"slow": hang},
		steps:   []step{{batontest.Want{Tasks: []batontest.WantTask{task("slow", model.TaskInProgress)}}, 30 * time.Second}},
		final:   batontest.Want{Status: model.WorkflowTimedOut, Tasks: []batontest.WantTask{task("slow", model.TaskTimedOut)}},
	}, {
		name: "task poll timeout",
		build: func(wf *workflow.ConductorWorkflow) {
			wf.Add(workflow.NewSimpleTask("unpolled", "unpolled").RetryPolicy(0, workflow.FixedRetry, 0, 1).PollTimeout(60))
		},
		steps: []step{{batontest.Want{Tasks: []batontest.WantTask{task("unpolled", model.TaskScheduled)}}, 60 * time.Second}},
		final: batontest.Want{Status: model.WorkflowTimedOut, Tasks: []batontest.WantTask{task("unpolled", model.TaskTimedOut)}},
	}, {
		name: "workflow timeout",
		build: func(wf *workflow.ConductorWorkflow) {
			wf.TimeoutPolicy(workflow.TimeOutWorkflow, 3600).Add(workflow.NewWaitTask("signal"))
		},
		steps: []step{{batontest.Want{Tasks: []batontest.WantTask{task("signal", model.TaskInProgress)}}, time.Hour}},
		final: batontest.Want{Status: model.WorkflowTimedOut},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := batontest.NewServer(t, batontest.WithFakeClock())
			for name, fn := range tc.workers {
				require.NoError(t, srv.StartWorker(name, fn))
			}
			exec := executor.NewWorkflowExecutor(srv.Client())
			t.Cleanup(func() { require.NoError(t, exec.Close()) })
			wf := workflow.NewConductorWorkflow(exec).Name("delays").Version(1)
			tc.build(wf)
			require.NoError(t, wf.Register(true))
			id, err := wf.StartWorkflowWithInput(map[string]any{})
			require.NoError(t, err)

			ctx := t.Context()
			for _, s := range tc.steps {
				_, err := srv.Await(ctx, id, s.want)
				require.NoError(t, err)
				// A second early, the server has not moved on.
				srv.Clock().Advance(s.advance - time.Second)
				got, err := srv.Client().Workflows().Get(ctx, id, true)
				require.NoError(t, err)
				require.NoError(t, batontest.Check(got, s.want), "a second before the delay ends")
				srv.Clock().Advance(time.Second)
			}
			_, err = srv.Await(ctx, id, tc.final)
			require.NoError(t, err)
		})
	}
}

// TestAdvanceStepsThroughEachDeadline checks that timers set by work the
// clock started fire within the same Advance, each at its own time.
func TestAdvanceStepsThroughEachDeadline(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t, batontest.WithFakeClock())
	exec := executor.NewWorkflowExecutor(srv.Client())
	t.Cleanup(func() { require.NoError(t, exec.Close()) })
	wf := workflow.NewConductorWorkflow(exec).Name("naps").Version(1).
		Add(workflow.NewWaitForDurationTask("short", 10*time.Minute)).
		Add(workflow.NewWaitForDurationTask("long", time.Hour))
	require.NoError(t, wf.Register(true))
	start := srv.Clock().Now()
	id, err := wf.StartWorkflowWithInput(map[string]any{})
	require.NoError(t, err)

	srv.Clock().Advance(2 * time.Hour)
	// No Await: everything was due within the Advance, so it has happened.
	got, err := srv.Client().Workflows().Get(t.Context(), id, true)
	require.NoError(t, err)
	require.NoError(t, batontest.Check(got, batontest.Want{Status: model.WorkflowCompleted, Tasks: []batontest.WantTask{
		batontest.Task("short", model.TaskCompleted), batontest.Task("long", model.TaskCompleted),
	}}))
	require.Equal(t, start.Add(10*time.Minute).UnixMilli(), got.Tasks[0].EndTime)
	require.Equal(t, start.Add(70*time.Minute).UnixMilli(), got.Tasks[1].EndTime)
	require.Equal(t, start.Add(2*time.Hour), srv.Clock().Now())
}
