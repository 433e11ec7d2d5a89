// The snippets of conductor-go v1.5.4's docs/workers_sdk.md, ported to
// Baton as one program. Changes beyond import paths are marked "Baton:".
// It runs its workers until SIGINT or SIGTERM.
package main

import (
	"math/rand"
	"os"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// Baton: the snippets name KEY, SECRET and https://play.orkes.io/api; the
// program reads them from the environment.
var (
	KEY       = os.Getenv("CONDUCTOR_AUTH_KEY")
	SECRET    = os.Getenv("CONDUCTOR_AUTH_SECRET")
	serverURL = os.Getenv("CONDUCTOR_SERVER_URL")
)

// TaskOutput struct that represents the output of the task execution
type TaskOutput struct {
	Keys    []string
	Message string
	Value   float64
}

// SimpleWorker function accepts Task as input and returns TaskOutput as result
// If there is a failure, error can be returned and the task will be marked as FAILED
func SimpleWorker(t *model.Task) (interface{}, error) {
	taskResult := &TaskOutput{
		Keys:    []string{"Key1", "Key2"},
		Message: "Hello World",
		Value:   rand.ExpFloat64(),
	}
	return taskResult, nil
}

func LongRunningTaskWorker(t *model.Task) (interface{}, error) {
	// Baton: the docs' NewTaskResult(t) and task_result_status package are
	// older than conductor-go v1.5.4 (which has NewTaskResultFromTask and
	// model.InProgressTask); Baton has v1.5.4's names.
	taskResult := model.NewTaskResultFromTask(t)
	taskResult.OutputData = map[string]interface{}{}

	//Keep the status as IN_PROGRESS
	taskResult.Status = model.InProgressTask
	//Time after which the task should be sent back to worker
	taskResult.CallbackAfterSeconds = 60
	return taskResult, nil
}

func main() {
	// Baton: client.NewAPIClient takes the HTTP settings only; the
	// two-argument form is NewAPIClientWithAuth.
	apiClient := client.NewAPIClientWithAuth(
		settings.NewAuthenticationSettings(
			KEY,
			SECRET,
		),
		settings.NewHttpSettings(
			serverURL,
		))

	taskRunner := worker.NewTaskRunnerWithApiClient(apiClient)
	//Start polling for a task by name "simple_task", with a batch size of 1 and 1 second interval
	//Between polls if there are no tasks available to execute
	taskRunner.StartWorker("simple_task", SimpleWorker, 1, time.Second*1)
	//Add more StartWorker calls as needed
	taskRunner.StartWorker("long_running_task", LongRunningTaskWorker, 1, time.Second*1)

	//Block
	taskRunner.WaitWorkers()
}
