package worker_test

import (
	"context"
	"fmt"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// TaskOutput is the output type of the worker program of Conductor's Go documentation.
type TaskOutput struct {
	Keys    []string
	Message string
	Value   float64
}

// SampleWorker is the worker of the worker program of Conductor's Go documentation.
func SampleWorker(t *model.WorkerTask) (interface{}, error) {
	taskResult := model.NewTaskResultFromTask(t)
	taskResult.Status = model.CompletedTask
	taskResult.OutputData = map[string]interface{}{"outputKey1": "value", "oddEven": 1, "mod": 4}
	return taskResult, nil
}

// The worker program of Conductor's Go documentation: two workers, then block until SIGINT/SIGTERM. Here a
// stand-in server plays Conductor and Shutdown plays the signal.
func Example() {
	server := newExampleServer(
		model.WorkerTask{TaskType: "task_1", TaskId: "t1", WorkflowInstanceId: "wf"},
		model.WorkerTask{TaskType: "task_2", TaskId: "t2", WorkflowInstanceId: "wf"},
	)
	defer server.Close()

	httpSettings := settings.NewHttpSettings(server.URL + "/api")
	apiClient := client.NewAPIClient(httpSettings)
	workerHost := worker.NewWorkerHostWithApiClient(apiClient)
	workerHost.StartWorker("task_1", SampleWorker, 1, 1*time.Second) //nolint:errcheck // the documentation's line, verbatim
	workerHost.StartWorker("task_2", SampleWorker, 1, 1*time.Second) //nolint:errcheck // the documentation's line, verbatim

	go func() {
		for range 2 {
			r := <-server.results
			fmt.Println(r.TaskId, r.Status, r.OutputData["outputKey1"])
		}
		_ = workerHost.Shutdown(context.Background())
	}()
	workerHost.WaitWorkers() //nolint:errcheck // the documentation's line, verbatim
	// Unordered output:
	// t1 COMPLETED value
	// t2 COMPLETED value
}

// A struct output is sent as a JSON object; errors fail the task.
func ExampleWorkerHost_StartWorker() {
	server := newExampleServer(
		model.WorkerTask{TaskType: "report", TaskId: "t1", WorkflowInstanceId: "wf", InputData: map[string]any{"ok": true}},
		model.WorkerTask{TaskType: "report", TaskId: "t2", WorkflowInstanceId: "wf", InputData: map[string]any{"ok": false}},
	)
	defer server.Close()
	host := worker.NewWorkerHostWithApiClient(client.NewAPIClient(settings.NewHttpSettings(server.URL + "/api")))
	err := host.StartWorker("report", func(t *model.WorkerTask) (interface{}, error) {
		if t.InputData["ok"] != true {
			return nil, fmt.Errorf("input says no")
		}
		return TaskOutput{Keys: []string{"a"}, Message: "done", Value: 1.5}, nil
	}, 1, 10*time.Millisecond)
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 2 {
		r := <-server.results
		fmt.Printf("%s %s %v %q\n", r.TaskId, r.Status, r.OutputData, r.ReasonForIncompletion)
	}
	_ = host.Shutdown(context.Background())
	// Output:
	// t1 COMPLETED map[Keys:[a] Message:done Value:1.5] ""
	// t2 FAILED map[] "input says no"
}

// Typed decodes the task's input into a struct and sends the result back as
// the task's output. Input that does not fit fails the task for good.
func ExampleTyped() {
	type In struct {
		Name string `json:"name"`
	}
	type Out struct {
		Greeting string `json:"greeting"`
	}
	server := newExampleServer(
		model.WorkerTask{TaskType: "greet", TaskId: "t1", WorkflowInstanceId: "wf", InputData: map[string]any{"name": "Ada"}},
		model.WorkerTask{TaskType: "greet", TaskId: "t2", WorkflowInstanceId: "wf", InputData: map[string]any{"name": 7}},
	)
	defer server.Close()
	host := worker.NewWorkerHostWithApiClient(client.NewAPIClient(settings.NewHttpSettings(server.URL + "/api")))
	greet := worker.Typed(func(ctx context.Context, in In) (Out, error) {
		return Out{Greeting: "Hello, " + in.Name}, nil
	})
	if err := host.StartWorker("greet", greet, 1, 10*time.Millisecond); err != nil {
		fmt.Println(err)
		return
	}
	for range 2 {
		r := <-server.results
		fmt.Printf("%s %s %v %q\n", r.TaskId, r.Status, r.OutputData["greeting"], r.ReasonForIncompletion)
	}
	_ = host.Shutdown(context.Background())
	// Output:
	// t1 COMPLETED Hello, Ada ""
	// t2 FAILED_WITH_TERMINAL_ERROR <nil> "worker: task input field \"name\": cannot decode JSON number into string"
}

// A handler that takes long reads its context: it ends when the task's lease
// is lost or the shutdown deadline passes.
func ExampleWorkerHost_StartWorkerWithConfig() {
	server := newExampleServer()
	defer server.Close()
	host, err := worker.NewWorkerHostWithConfig(worker.HostConfig{
		Client:          client.NewAPIClient(settings.NewHttpSettings(server.URL + "/api")),
		ShutdownTimeout: 30 * time.Second,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName:    "resize_image",
		Concurrency: 8,
		Domain:      "gpu",
		Func: func(t *model.WorkerTask) (interface{}, error) {
			select {
			case <-time.After(time.Minute): // the work
				return map[string]any{"resized": true}, nil
			case <-t.Context().Done():
				return nil, context.Cause(t.Context())
			}
		},
	})
	fmt.Println(err, host.GetBatchSizeForTask("resize_image"))
	_ = host.Shutdown(context.Background())
	// Output: <nil> 8
}
