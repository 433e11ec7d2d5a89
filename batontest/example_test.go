package batontest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// Greet is the worker under test.
func Greet(t *model.WorkerTask) (interface{}, error) {
	name, _ := t.InputData["name"].(string)
	if name == "" {
		return nil, model.NewTerminalError(fmt.Errorf("input name is empty"))
	}
	return map[string]any{"greeting": "Hello, " + name}, nil
}

// A worker test: a real server in the test process, the worker running in a
// WorkerHost as in production, and a synchronous execution that waits for
// the workflow to finish (no sleeps, no polling). In a test,
// srv := batontest.NewServer(t) does what Start and Close do here.
func Example_workerTest() {
	srv, err := batontest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close() //nolint:errcheck // NewServer(t) checks it in a test
	api := srv.Client()
	ctx := context.Background()

	def := model.NewWorkflowDef("greet_flow", model.WorkflowTask{
		Name: "greet", TaskReferenceName: "greet_ref", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"name": "${workflow.input.name}"},
	})
	def.OutputParameters = map[string]any{"greeting": "${greet_ref.output.greeting}"}
	if err := api.Metadata().RegisterWorkflowDef(ctx, def, false); err != nil {
		fmt.Println(err)
		return
	}
	// The worker runs in the test's WorkerHost; Close stops it.
	if err := srv.StartWorker("greet", Greet); err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"Ada", ""} {
		run, err := api.Workflows().Execute(ctx, "greet_flow", 1,
			&model.StartWorkflowRequest{Input: map[string]any{"name": name}},
			client.ExecuteOptions{WaitForSeconds: 10})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%q: %s %v\n", name, run.Status, run.Output["greeting"])
	}
	// Output:
	// "Ada": COMPLETED Hello, Ada
	// "": FAILED <nil>
}

// A worker host of your own, written as in Conductor's docs, on the test
// server's client: its graceful Shutdown returns at once, because the
// server ends the host's idle long poll when asked rather than letting it
// run out its 1 s timeout. Nothing is lost: a released poll takes no task.
func Example_ownWorkerHost() {
	srv, err := batontest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close() //nolint:errcheck // NewServer(t) checks it in a test

	workerHost := worker.NewWorkerHostWithApiClient(srv.Client())
	if err := workerHost.StartWorker("greet", Greet, 1, time.Second); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("poll release:", srv.Client().CanReleasePolls())
	fmt.Println("shutdown:", workerHost.Shutdown(context.Background()))
	// Output:
	// poll release: true
	// shutdown: <nil>
}
