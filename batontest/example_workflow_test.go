package batontest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// Charge is the worker under test: the card network is busy on the first
// attempt, and the retry goes through.
func Charge(t *model.WorkerTask) (any, error) {
	if t.RetryCount == 0 {
		return nil, errors.New("card network busy")
	}
	return map[string]any{"charged": t.InputData["amount"]}, nil
}

// A workflow whose worker fails once, waits 60 s for its retry and then a
// whole day, tested in a fraction of a second: the server runs on a fake
// clock that the test advances, and Await waits for the workers (woken by
// each change of the workflow, without polling or sleeping) before each
// step. In a test, batontest.NewServer(t, batontest.WithFakeClock()) does
// what Start and Close do here.
func Example() {
	srv, err := batontest.Start(batontest.WithFakeClock())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	if err := srv.StartWorker("charge", Charge); err != nil {
		fmt.Println(err)
		return
	}
	exec := executor.NewWorkflowExecutor(srv.Client())
	defer exec.Close()

	payment := workflow.NewConductorWorkflow(exec).Name("payment").Version(1).
		Add(workflow.NewSimpleTask("charge", "charge").
			Input("amount", "${workflow.input.amount}").
			RetryPolicy(1, workflow.FixedRetry, 60, 1)).
		Add(workflow.NewWaitForDurationTask("cool_off", 24*time.Hour)).
		OutputParameters(map[string]any{"charged": "${charge.output.charged}"})
	if err := payment.Register(true); err != nil {
		fmt.Println(err)
		return
	}
	id, err := payment.StartWorkflowWithInput(map[string]any{"amount": 42})
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	steps := []struct {
		want    batontest.Want
		advance time.Duration
	}{
		// The first attempt fails; its retry waits 60 s.
		{batontest.Want{Tasks: []batontest.WantTask{
			batontest.Task("charge", model.TaskFailed),
			batontest.Task("charge", model.TaskScheduled),
		}}, 60 * time.Second},
		// The retry goes through; the workflow waits a day.
		{batontest.Want{Tasks: []batontest.WantTask{
			batontest.Task("charge", model.TaskFailed),
			batontest.Task("charge", model.TaskCompleted),
			batontest.Task("cool_off", model.TaskInProgress),
		}}, 24 * time.Hour},
	}
	for _, step := range steps {
		if _, err := srv.Await(ctx, id, step.want); err != nil {
			fmt.Println(err)
			return
		}
		srv.Clock().Advance(step.advance)
	}
	run, err := srv.Await(ctx, id, batontest.Want{
		Status: model.WorkflowCompleted,
		Output: map[string]any{"charged": 42},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(run.Status, run.Output)
	for _, t := range run.Tasks {
		fmt.Println(strings.TrimSpace(fmt.Sprint(t.ReferenceTaskName, " ", t.Status, " ", t.ReasonForIncompletion)))
	}
	// Output:
	// COMPLETED map[charged:42]
	// charge FAILED card network busy
	// charge COMPLETED
	// cool_off COMPLETED
}
