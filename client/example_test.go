package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// exampleConductor stands in for a Conductor server in the examples: it
// knows one queued "greet" task and one workflow, wf-1.
func exampleConductor() *httptest.Server {
	var once sync.Once
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if tok := r.Header.Get("X-Authorization"); tok != "" && tok != "example-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.Method + " " + r.URL.Path {
		case "POST /api/token":
			_, _ = io.WriteString(w, `{"token":"example-token"}`)
		case "GET /api/tasks/poll/batch/greet":
			answer := `[]`
			once.Do(func() {
				answer = `[{"taskId":"task-1","workflowInstanceId":"wf-1","taskType":"greet","status":"IN_PROGRESS","inputData":{"name":"Ada"}}]`
			})
			_, _ = io.WriteString(w, answer)
		case "POST /api/tasks":
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			_, _ = io.WriteString(w, "task-1")
		case "POST /api/metadata/workflow":
			if r.URL.Query().Get("overwrite") != "true" {
				w.WriteHeader(http.StatusConflict)
				_, _ = io.WriteString(w, `{"status":409,"message":"Workflow with greetings.1 already exists!","retryable":false}`)
			}
		case "POST /api/workflow/greetings":
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			_, _ = io.WriteString(w, "wf-1")
		case "GET /api/workflow/wf-1/status":
			_, _ = io.WriteString(w, `{"workflowId":"wf-1","status":"COMPLETED","output":{"greeting":"Hello, Ada"}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"status":404,"message":"No such workflow found by id: `+strings.TrimPrefix(r.URL.Path, "/api/workflow/")+`","retryable":false}`)
		}
	}))
}

// A worker's loop in its simplest form: poll, work, report.
func ExampleNewAPIClient() {
	srv := exampleConductor()
	defer srv.Close()

	apiClient := client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api"))
	ctx := context.Background()

	tasks, err := apiClient.Tasks().BatchPoll(ctx, "greet", client.BatchPollOptions{Count: 10, WorkerID: "worker-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range tasks {
		task := &tasks[i]
		result := model.NewTaskResultFromTask(task)
		result.Status = model.CompletedTask
		result.OutputData = map[string]any{"greeting": fmt.Sprint("Hello, ", task.InputData["name"])}
		id, err := apiClient.Tasks().Update(ctx, result)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("completed", id, result.OutputData["greeting"])
	}
	// Output: completed task-1 Hello, Ada
}

// With an application key the client fetches a token and sends it with
// every request; an injected *http.Client and a logger come the same way.
func ExampleNewAPIClientWithConfig() {
	srv := exampleConductor()
	defer srv.Close()

	apiClient, err := client.NewAPIClientWithConfig(client.Config{
		HTTP:       settings.NewHttpSettings(srv.URL + "/api"),
		Auth:       settings.NewAuthenticationSettings("my-key-id", "my-key-secret"),
		HTTPClient: srv.Client(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	state, err := apiClient.Workflows().Status(context.Background(), "wf-1", true, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(state.Status, state.Output["greeting"])
	// Output: COMPLETED Hello, Ada
}

func ExampleWorkflowClient_StartByName() {
	srv := exampleConductor()
	defer srv.Close()
	workflows := client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api")).Workflows()
	ctx := context.Background()

	id, err := workflows.StartByName(ctx, "greetings", map[string]any{"name": "Ada"},
		client.StartOptions{CorrelationID: "order-42"})
	if err != nil {
		fmt.Println(err)
		return
	}
	state, err := workflows.Status(ctx, id, true, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id, state.Status)
	// Output: wf-1 COMPLETED
}

// Registering a definition that exists already is a conflict, which
// errors.Is tells apart; overwrite replaces it.
func ExampleMetadataClient_RegisterWorkflowDef() {
	srv := exampleConductor()
	defer srv.Close()
	metadata := client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api")).Metadata()
	ctx := context.Background()

	def := model.NewWorkflowDef("greetings", model.WorkflowTask{Name: "greet", TaskReferenceName: "greet_ref", Type: model.TaskTypeSimple})
	err := metadata.RegisterWorkflowDef(ctx, def, false)
	fmt.Println("exists already:", errors.Is(err, client.ErrConflict))
	fmt.Println("overwrite:", metadata.RegisterWorkflowDef(ctx, def, true))
	// Output:
	// exists already: true
	// overwrite: <nil>
}

func ExampleAPIError() {
	srv := exampleConductor()
	defer srv.Close()
	apiClient := client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api"))

	_, err := apiClient.Workflows().Get(context.Background(), "wf-404", false)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Response.Message)
	}
	fmt.Println("not found:", errors.Is(err, client.ErrNotFound), "retry:", apiErr.Retryable())
	fmt.Println(err)
	// Output:
	// 404 No such workflow found by id: wf-404
	// not found: true retry: false
	// conductor: GET /workflow/wf-404: 404 Not Found: No such workflow found by id: wf-404
}

// A base URL without the /api root answers 404 to every call; the error
// names the URL that was probably meant.
func ExampleAPIError_APIHint() {
	srv := httptest.NewServer(http.NotFoundHandler()) // what a server answers outside /api
	defer srv.Close()
	api := client.NewAPIClient(settings.NewHttpSettings(srv.URL))
	_, err := api.Tasks().BatchPoll(context.Background(), "greet", client.BatchPollOptions{})
	fmt.Println(strings.ReplaceAll(err.Error(), srv.URL, "http://localhost:8080"))
	// Output:
	// conductor: GET /tasks/poll/batch/greet: 404 Not Found: 404 page not found (the server has no such route; did you mean http://localhost:8080/api?)
}
