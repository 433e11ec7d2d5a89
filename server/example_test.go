package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// A server embedded in a program: a workflow of one worker task, run by a
// worker written as in Conductor's docs, and the graceful stop. The worker
// host ends its idle long poll at once when it shuts down, since the server
// is Baton's.
func Example() {
	ctx := context.Background()
	srv, err := server.New(&server.Config{Addr: "127.0.0.1:0", DBPath: server.MemoryDB})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Stop(ctx) //nolint:errcheck // the example ends here

	api := client.NewAPIClient(settings.NewHttpSettings(srv.URL()))
	def := model.NewWorkflowDef("hello", model.WorkflowTask{
		Name: "greet", TaskReferenceName: "greet", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"name": "${workflow.input.name}"},
	})
	def.OutputParameters = map[string]any{"greeting": "${greet.output.greeting}"}
	if err := api.Metadata().RegisterWorkflowDef(ctx, def, true); err != nil {
		fmt.Println(err)
		return
	}

	workerHost := worker.NewWorkerHostWithApiClient(api)
	err = workerHost.StartWorker("greet", func(t *model.WorkerTask) (interface{}, error) {
		return map[string]any{"greeting": fmt.Sprintf("Hello, %v", t.InputData["name"])}, nil
	}, 1, time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	run, err := api.Workflows().Execute(ctx, "hello", 1,
		&model.StartWorkflowRequest{Input: map[string]any{"name": "Ada"}}, client.ExecuteOptions{WaitForSeconds: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(run.Status, run.Output["greeting"])
	fmt.Println("shutdown:", workerHost.Shutdown(ctx))
	// Output:
	// COMPLETED Hello, Ada
	// shutdown: <nil>
}

// The server's API mounted on a mux of your own, without Start: Handler
// serves /api and /health.
func ExampleServer_Handler() {
	srv, err := server.New(&server.Config{DBPath: server.MemoryDB})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Stop(context.Background()) //nolint:errcheck // the example ends here

	mux := http.NewServeMux()
	mux.Handle("/conductor/", http.StripPrefix("/conductor", srv.Handler()))
	web := httptest.NewServer(mux)
	defer web.Close()

	api := client.NewAPIClient(settings.NewHttpSettings(web.URL + "/conductor/api"))
	defs, err := api.Metadata().ListWorkflowDefs(context.Background())
	fmt.Println(len(defs), err)

	// The same server without the /api root: the error says which URL was meant.
	wrong := client.NewAPIClient(settings.NewHttpSettings(web.URL + "/conductor"))
	_, err = wrong.Metadata().ListWorkflowDefs(context.Background())
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, strings.Replace(apiErr.APIHint(), web.URL, "http://host", 1))
	}
	// Output:
	// 0 <nil>
	// 404 the server has no such route; did you mean http://host/conductor/api?
}
