// Quickstart runs a two-task Conductor workflow end to end in one process:
// it starts an embedded Baton server (or uses the Conductor server in
// CONDUCTOR_SERVER_URL), registers the workflow, runs the SampleWorker
// of Conductor's Go documentation and a second worker through a WorkerHost, starts a few
// workflows, shows their progress and prints their results.
//
//	go run ./examples/quickstart
//	CONDUCTOR_SERVER_URL=http://localhost:8080/api go run ./examples/quickstart
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

const (
	workflowName = "baton_quickstart"
	workflows    = 3
	// waitLimit bounds the whole run, in case no worker ever picks a task up.
	waitLimit = 30 * time.Second
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// TaskOutput is the documentation's output type; task_2's worker returns one and the
// WorkerHost sends it as the task's output.
type TaskOutput struct {
	Keys    []string
	Message string
	Value   float64
}

// SampleWorker is the documentation's worker: it completes every task with a fixed
// output.
func SampleWorker(t *model.WorkerTask) (interface{}, error) {
	taskResult := model.NewTaskResultFromTask(t)
	taskResult.Status = model.CompletedTask
	taskResult.OutputData = map[string]interface{}{"outputKey1": "value", "oddEven": 1, "mod": 4}
	return taskResult, nil
}

// SummaryWorker runs task_2: it sums up what task_1 produced.
func SummaryWorker(t *model.WorkerTask) (interface{}, error) {
	prev, _ := t.InputData["previous"].(map[string]any)
	if prev == nil {
		return nil, model.NewTerminalError(errors.New("input previous (task_1's output) is missing"))
	}
	mod, _ := prev["mod"].(float64)
	return TaskOutput{
		Keys:    slices.Sorted(maps.Keys(prev)),
		Message: fmt.Sprintf("order %v done", t.InputData["orderId"]),
		Value:   mod * 2.5,
	}, nil
}

// run does the whole quickstart, writing what happens to out.
func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()

	api, stopServer, err := connect(ctx, out)
	if err != nil {
		return err
	}
	defer stopServer()

	if err := register(ctx, api); err != nil {
		return err
	}
	fmt.Fprintf(out, "Registered workflow %s: task_1 -> task_2\n", workflowName)

	host := worker.NewWorkerHostWithApiClient(api)
	if err := host.StartWorker("task_1", SampleWorker, 1, 100*time.Millisecond); err != nil {
		return err
	}
	if err := host.StartWorker("task_2", SummaryWorker, 2, 100*time.Millisecond); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := host.Shutdown(sctx); err != nil {
			fmt.Fprintln(out, "worker shutdown:", err)
		}
	}()
	fmt.Fprintln(out, "Workers running: task_1 (SampleWorker), task_2 (SummaryWorker)")

	var ids []string
	for i := 1; i <= workflows; i++ {
		id, err := api.Workflows().StartByName(ctx, workflowName, map[string]any{"orderId": fmt.Sprintf("order-%d", i)},
			client.StartOptions{Version: 1, CorrelationID: fmt.Sprintf("quickstart-%d", i)})
		if err != nil {
			return fmt.Errorf("start workflow %d: %w", i, err)
		}
		ids = append(ids, id)
		fmt.Fprintf(out, "Started workflow %d: %s\n", i, id)
	}

	done, err := follow(ctx, api, ids, out)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "Results:")
	completed := 0
	for i, wf := range done {
		output, _ := json.Marshal(wf.Output)
		fmt.Fprintf(out, "  workflow %d %s: %s %s\n", i+1, wf.WorkflowId, wf.Status, output)
		if wf.Status == model.WorkflowCompleted {
			completed++
		}
	}
	fmt.Fprintf(out, "%d of %d workflows completed\n", completed, len(done))
	if completed != len(done) {
		return fmt.Errorf("%d workflows did not complete", len(done)-completed)
	}
	return nil
}

// connect returns a client for CONDUCTOR_SERVER_URL, or starts an embedded
// server and returns a client for it; stop releases what it started.
func connect(ctx context.Context, out io.Writer) (*client.APIClient, func(), error) {
	if strings.TrimSpace(os.Getenv(settings.EnvServerURL)) != "" {
		api, err := client.NewAPIClientFromEnv()
		if err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(out, "Using the Conductor server at %s\n", api.BaseURL())
		return api, func() {}, nil
	}
	srv, err := server.New(&server.Config{Addr: "127.0.0.1:0", DBPath: server.MemoryDB})
	if err != nil {
		return nil, nil, err
	}
	if err := srv.Start(ctx); err != nil {
		return nil, nil, errors.Join(err, srv.Stop(ctx))
	}
	fmt.Fprintf(out, "Started an embedded Baton server at %s (set %s to use another server)\n", srv.URL(), settings.EnvServerURL)
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Stop(sctx); err != nil {
			fmt.Fprintln(out, "server stop:", err)
		}
	}
	return client.NewAPIClient(settings.NewHttpSettings(srv.URL())), stop, nil
}

// register defines task_1, task_2 and the workflow that runs them in turn.
func register(ctx context.Context, api *client.APIClient) error {
	t1, t2 := model.NewTaskDef("task_1"), model.NewTaskDef("task_2")
	for _, d := range []*model.TaskDef{t1, t2} {
		d.RetryCount, d.RetryDelaySeconds, d.ResponseTimeoutSeconds = 2, 1, 60
		d.OwnerEmail = "quickstart@baton.example"
	}
	if err := api.Metadata().RegisterTaskDefs(ctx, *t1, *t2); err != nil {
		return fmt.Errorf("register task definitions: %w", err)
	}
	def := model.NewWorkflowDef(workflowName,
		model.WorkflowTask{Name: "task_1", TaskReferenceName: "task_1_ref", Type: model.TaskTypeSimple,
			InputParameters: map[string]any{"orderId": "${workflow.input.orderId}"}},
		model.WorkflowTask{Name: "task_2", TaskReferenceName: "task_2_ref", Type: model.TaskTypeSimple,
			InputParameters: map[string]any{"orderId": "${workflow.input.orderId}", "previous": "${task_1_ref.output}"}},
	)
	def.Description = "Baton quickstart: the SampleWorker of Conductor's Go documentation, then a summary"
	def.OwnerEmail = "quickstart@baton.example"
	def.OutputParameters = map[string]any{"mod": "${task_1_ref.output.mod}", "summary": "${task_2_ref.output}"}
	if err := api.Metadata().RegisterWorkflowDef(ctx, def, true); err != nil {
		return fmt.Errorf("register workflow definition: %w", err)
	}
	return nil
}

// follow prints each workflow's progress as it changes and returns them all
// once every one has ended.
func follow(ctx context.Context, api *client.APIClient, ids []string, out io.Writer) ([]*model.Workflow, error) {
	last := make([]string, len(ids))
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		all := make([]*model.Workflow, len(ids))
		ended := 0
		for i, id := range ids {
			wf, err := api.Workflows().Get(ctx, id, true)
			if err != nil {
				return nil, fmt.Errorf("get workflow %s: %w", id, err)
			}
			all[i] = wf
			if p := progress(wf); p != last[i] {
				fmt.Fprintf(out, "  workflow %d: %s\n", i+1, p)
				last[i] = p
			}
			if wf.Status.IsTerminal() {
				ended++
			}
		}
		if ended == len(ids) {
			return all, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the workflows: %w (are the workers reaching the server?)", ctx.Err())
		case <-tick.C:
		}
	}
}

// progress is one line: the workflow's status and each task's.
func progress(wf *model.Workflow) string {
	var b strings.Builder
	b.WriteString(string(wf.Status))
	for _, t := range wf.Tasks {
		fmt.Fprintf(&b, " %s=%s", t.ReferenceTaskName, t.Status)
	}
	return b.String()
}
