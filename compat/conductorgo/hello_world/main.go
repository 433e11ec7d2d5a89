// conductor-go v1.5.4's examples/hello_world/main.go, ported to Baton.
// Changes beyond import paths are marked "Baton:".
package main

import (
	hello_world "github.com/batonhq/baton/compat/conductorgo/hello_world/src"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"

	"github.com/batonhq/baton/worker"
	"github.com/batonhq/baton/workflow/executor"
)

var (
	// Baton: NewAPIClientFromEnv also returns an error (conductor-go's
	// exits the process when CONDUCTOR_SERVER_URL is unset).
	apiClient, _     = client.NewAPIClientFromEnv()
	taskRunner       = worker.NewTaskRunnerWithApiClient(apiClient)
	workflowExecutor = executor.NewWorkflowExecutor(apiClient)
)

func main() {
	// Start the Greet Worker. This worker will process "greet" tasks.
	taskRunner.StartWorker("greet", hello_world.Greet, 1, time.Millisecond*100)

	// This is used to register the Workflow, it's a one-time process. You can comment from here
	wf := hello_world.CreateWorkflow(workflowExecutor)
	err := wf.Register(true)
	if err != nil {
		log.Error(err.Error())
		return
	}
	// Till Here after registering the workflow

	// Baton: StartWorkflowRequest.Version is a *int (nil means the latest,
	// as on the wire) and Input a map[string]any.
	version := 1

	// Start the greetings workflow
	id, err := workflowExecutor.StartWorkflow(
		&model.StartWorkflowRequest{
			Name:    "greetings",
			Version: &version,
			Input: map[string]any{
				"name": "Gopher",
			},
		},
	)

	if err != nil {
		log.Error(err.Error())
		return
	}
	log.Info("Started workflow with Id: ", id)

	// Get a channel to monitor the workflow execution -
	// Note: This is useful in case of short duration workflows that completes in few seconds.
	channel, _ := workflowExecutor.MonitorExecution(id)
	run := <-channel
	log.Info("Output of the workflow: ", run.Output)
}
