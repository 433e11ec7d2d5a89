// The snippets of conductor-go v1.5.4's docs/workflow_sdk.md, ported to
// Baton as one program. Changes beyond import paths are marked "Baton:".
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// Baton: the snippets name KEY, SECRET and https://play.orkes.io/api; the
// program reads them from the environment.
var (
	KEY       = os.Getenv("CONDUCTOR_AUTH_KEY")
	SECRET    = os.Getenv("CONDUCTOR_AUTH_SECRET")
	serverURL = os.Getenv("CONDUCTOR_SERVER_URL")
)

type WorkflowInput struct {
	Name    string
	Address []string
}

func main() {
	//API client instance with server address and authentication details
	// Baton: the two-argument client.NewAPIClient is NewAPIClientWithAuth.
	apiClient := client.NewAPIClientWithAuth(
		settings.NewAuthenticationSettings(
			KEY,
			SECRET,
		),
		settings.NewHttpSettings(
			serverURL,
		))

	//Create new workflow executor
	executor := executor.NewWorkflowExecutor(apiClient)

	// Baton: added so the workflow can finish (the snippets start no workers).
	taskRunner := worker.NewTaskRunnerWithApiClient(apiClient)
	done := func(t *model.Task) (interface{}, error) { return map[string]interface{}{"done": t.TaskDefName}, nil }
	taskRunner.StartWorker("simple_task_1", done, 1, 10*time.Millisecond)
	taskRunner.StartWorker("simple_task_2", done, 1, 10*time.Millisecond)

	//Create a new ConductorWorkflow instance
	conductorWorkflow := workflow.NewConductorWorkflow(executor).
		Name("my_first_workflow").
		Version(1).
		OwnerEmail("developers@orkes.io")

	//now, let's add a couple of simple tasks
	conductorWorkflow.
		Add(workflow.NewSimpleTask("simple_task_2", "simple_task_1")).
		Add(workflow.NewSimpleTask("simple_task_1", "simple_task_2"))

	//Register the workflow with server
	conductorWorkflow.Register(true) //Overwrite the existing definition with the new one

	//Input can be either a map or a struct that is serializable to a JSON map
	workflowInput := map[string]interface{}{}

	workflowId, err := executor.StartWorkflow(&model.StartWorkflowRequest{
		Name:  conductorWorkflow.GetName(),
		Input: workflowInput,
	})
	fmt.Println("started", workflowId != "", err)

	// Baton: the snippet's wf and version are not declared in it.
	wf, version := conductorWorkflow, int(conductorWorkflow.GetVersion())
	workflowRun, err := executor.ExecuteWorkflow(&model.StartWorkflowRequest{Name: wf.GetName(), Version: &version, Input: workflowInput}, "")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("executed", workflowRun.Status)

	// Baton: StartWorkflowRequest.Input is a map; a struct input goes
	// through ConductorWorkflow.StartWorkflowWithInput, which takes any.
	workflowId, err = conductorWorkflow.StartWorkflowWithInput(&WorkflowInput{
		Name:    "John Doe",
		Address: []string{"street", "city", "zip"},
	})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	ran, err := executor.WaitForCompletion(context.Background(), workflowId)
	fmt.Println("struct input", ran.Input["Name"], ran.Status, err)

	// Baton: added, so the program ends (conductor-go's runner has no
	// such call; its workers stop with the process).
	taskRunner.Shutdown("simple_task_1")
	taskRunner.Shutdown("simple_task_2")
	taskRunner.WaitWorkers()
}
