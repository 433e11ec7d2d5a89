// Client is an operator's tour of the API client against a running Conductor
// (or Baton) server: it registers definitions, starts workflows, completes a
// task by reference name, pauses, inspects and terminates in bulk.
//
//	CONDUCTOR_SERVER_URL=http://localhost:8080/api go run ./examples/client
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

const (
	taskName     = "baton_example_charge"
	workflowName = "baton_example_order"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	api, err := client.NewAPIClientFromEnv()
	if err == nil {
		err = run(ctx, api, os.Stdout)
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "client example:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, api *client.APIClient, out io.Writer) error {
	// Definitions: a task with no retries and a one-task workflow.
	task := model.NewTaskDef(taskName)
	task.RetryCount = 0
	if err := api.Metadata().RegisterTaskDefs(ctx, *task); err != nil {
		return err
	}
	def := model.NewWorkflowDef(workflowName, model.WorkflowTask{
		Name: taskName, TaskReferenceName: "charge", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"amount": "${workflow.input.amount}"},
	})
	def.OutputParameters = map[string]any{"receipt": "${charge.output.receipt}"}
	if err := api.Metadata().RegisterWorkflowDef(ctx, def, true); err != nil {
		return err
	}
	fmt.Fprintf(out, "registered %s and %s\n", taskName, workflowName)

	// Three orders.
	var ids []string
	for i := 1; i <= 3; i++ {
		id, err := api.Workflows().StartByName(ctx, workflowName, map[string]any{"amount": 10 * i},
			client.StartOptions{CorrelationID: fmt.Sprintf("order-%d", i)})
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	fmt.Fprintf(out, "started %d workflows\n", len(ids))

	// Order 1: complete its task from outside, the way a callback would.
	if _, err := api.Tasks().UpdateByRefName(ctx, ids[0], "charge", model.CompletedTask,
		map[string]any{"receipt": "rcpt-1"}, "example-ops"); err != nil {
		return err
	}
	// Order 2: pause it, then terminate 2 and 3 in one call.
	if err := api.Workflows().Pause(ctx, ids[1]); err != nil {
		return err
	}
	res, err := api.Bulk().Terminate(ctx, ids[1:], "cancelled by the example")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "terminated %d, failed %d\n", len(res.BulkSuccessfulResults), len(res.BulkErrorResults))

	for i, id := range ids {
		state, err := api.Workflows().Status(ctx, id, true, false)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "order-%d: %s", i+1, state.Status)
		if state.Status == model.WorkflowCompleted {
			fmt.Fprintf(out, ", receipt %v", state.Output["receipt"])
		}
		fmt.Fprintln(out)
	}
	found, err := api.Workflows().ByCorrelationID(ctx, workflowName, "order-1", true, true)
	if err != nil {
		return err
	}
	for _, wf := range found {
		if t := wf.TaskByRefName("charge"); t != nil {
			fmt.Fprintf(out, "order-1 by correlation id: task %s %s by %s\n", t.ReferenceTaskName, t.Status, t.WorkerId)
		}
	}
	return nil
}
