// Command sampleworker is the worker program of Conductor's Go documentation with
// only its import paths changed to Baton's: workers for task_1 and task_2
// run SampleWorker until SIGINT or SIGTERM, then shut down gracefully.
//
// It talks to the server at CONDUCTOR_SERVER_URL, or http://localhost:8080/api.
package main

import (
	"os"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

type TaskOutput struct {
	Keys    []string
	Message string
	Value   float64
}

func SampleWorker(t *model.WorkerTask) (interface{}, error) {
	taskResult := model.NewTaskResultFromTask(t)
	taskResult.Status = model.CompletedTask
	taskResult.OutputData = map[string]interface{}{"outputKey1": "value", "oddEven": 1, "mod": 4}
	return taskResult, nil
}

func main() {
	httpSettings := settings.NewHttpSettings("http://localhost:8080/api")
	if url := os.Getenv(settings.EnvServerURL); url != "" {
		httpSettings = settings.NewHttpSettings(url)
	}
	apiClient := client.NewAPIClient(httpSettings)
	workerHost := worker.NewWorkerHostWithApiClient(apiClient)
	workerHost.StartWorker("task_1", SampleWorker, 1, 1*time.Second) //nolint:errcheck // the documentation's line, verbatim
	workerHost.StartWorker("task_2", SampleWorker, 1, 1*time.Second) //nolint:errcheck // the documentation's line, verbatim
	// block
	workerHost.WaitWorkers() //nolint:errcheck // the documentation's line, verbatim
}
