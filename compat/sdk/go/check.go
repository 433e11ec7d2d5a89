package main

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/conductor-sdk/conductor-go/sdk/client"
	"github.com/conductor-sdk/conductor-go/sdk/model"
	"github.com/conductor-sdk/conductor-go/sdk/workflow/executor"
)

// wantOutput is the workflow output for input name, as the two workers compute it. JSON numbers
// arrive as float64.
func wantOutput(name string) map[string]any {
	hello := "Hello, " + name
	return map[string]any{"greetings": hello, "loud": strings.ToUpper(hello) + "!", "length": float64(len(hello))}
}

// checkDefinitions reads both kinds of definition back with the SDK's MetadataClient.
func checkDefinitions(metadata client.MetadataClient, n names) error {
	ctx := context.Background()
	for _, name := range []string{n.greet, n.shout} {
		def, _, err := metadata.GetTaskDef(ctx, name)
		if err != nil {
			return fmt.Errorf("MetadataClient.GetTaskDef %s: %w", name, err)
		}
		if def.Name != name || def.RetryCount != 1 || def.ResponseTimeoutSeconds != 20 || def.TimeoutSeconds != 60 {
			return fmt.Errorf("MetadataClient.GetTaskDef %s: got name %q retryCount %d responseTimeoutSeconds %d timeoutSeconds %d, want %q 1 20 60",
				name, def.Name, def.RetryCount, def.ResponseTimeoutSeconds, def.TimeoutSeconds, name)
		}
	}
	def, _, err := metadata.Get(ctx, n.workflow, nil)
	if err != nil {
		return fmt.Errorf("MetadataClient.Get %s: %w", n.workflow, err)
	}
	if def.Name != n.workflow || def.Version != 1 || len(def.Tasks) != 2 ||
		def.Tasks[0].TaskReferenceName != "greet_ref" || def.Tasks[1].TaskReferenceName != "shout_ref" ||
		def.Tasks[1].InputParameters["text"] != "${greet_ref.output.hello}" {
		return fmt.Errorf("MetadataClient.Get %s: definition does not read back as registered: %+v", n.workflow, def)
	}
	return nil
}

// checkRun checks the answer of the synchronous execute call.
func checkRun(run *model.WorkflowRun, name string) error {
	if run == nil || run.WorkflowId == "" {
		return fmt.Errorf("answer has no workflowId: %+v", run)
	}
	if run.Status != "COMPLETED" {
		return fmt.Errorf("workflow %s: status %q, want COMPLETED (output %v)", run.WorkflowId, run.Status, run.Output)
	}
	if !reflect.DeepEqual(run.Output, wantOutput(name)) {
		return fmt.Errorf("workflow %s: output %v, want %v", run.WorkflowId, run.Output, wantOutput(name))
	}
	if len(run.Tasks) != 2 {
		return fmt.Errorf("workflow %s: %d tasks in the answer, want 2", run.WorkflowId, len(run.Tasks))
	}
	return nil
}

// checkWorkflow checks a finished workflow: status, output, correlation id, and its tasks when present.
func checkWorkflow(wf *model.Workflow, name, correlationID string) error {
	if wf.Status != model.CompletedWorkflow {
		return fmt.Errorf("status %q, want COMPLETED (reason %q)", wf.Status, wf.ReasonForIncompletion)
	}
	if !reflect.DeepEqual(wf.Output, wantOutput(name)) {
		return fmt.Errorf("output %v, want %v", wf.Output, wantOutput(name))
	}
	if wf.CorrelationId != correlationID {
		return fmt.Errorf("correlationId %q, want %q", wf.CorrelationId, correlationID)
	}
	if wf.Input["name"] != name {
		return fmt.Errorf("input %v, want name %q", wf.Input, name)
	}
	return nil
}

// checkExecution reads one execution back (GET /workflow/{id}?includeTasks=true and
// GET /workflow/{id}/status) and checks every task row.
func checkExecution(e *executor.WorkflowExecutor, id, name, correlationID string) error {
	wf, err := e.GetWorkflow(id, true)
	if err != nil {
		return fmt.Errorf("GetWorkflow %s: %w", id, err)
	}
	if wf.WorkflowId != id {
		return fmt.Errorf("GetWorkflow %s: answered workflow %q", id, wf.WorkflowId)
	}
	if err := checkWorkflow(wf, name, correlationID); err != nil {
		return fmt.Errorf("GetWorkflow %s: %w", id, err)
	}
	hello := "Hello, " + name
	want := []struct {
		ref    string
		input  map[string]any
		output map[string]any
	}{
		{"greet_ref", map[string]any{"person_to_be_greeted": name}, map[string]any{"hello": hello}},
		{"shout_ref", map[string]any{"text": hello}, map[string]any{"loud": strings.ToUpper(hello) + "!", "length": float64(len(hello))}},
	}
	if len(wf.Tasks) != len(want) {
		return fmt.Errorf("GetWorkflow %s: %d tasks, want %d: %s", id, len(wf.Tasks), len(want), taskList(wf.Tasks))
	}
	for i, w := range want {
		task := wf.Tasks[i]
		if task.ReferenceTaskName != w.ref || task.Status != model.CompletedTask || task.WorkflowInstanceId != id {
			return fmt.Errorf("GetWorkflow %s: task %d is %s, want %s COMPLETED", id, i, taskList(wf.Tasks[i:i+1]), w.ref)
		}
		for k, v := range w.input {
			if task.InputData[k] != v {
				return fmt.Errorf("GetWorkflow %s: task %s input %v, want %s=%v", id, w.ref, task.InputData, k, v)
			}
		}
		if !reflect.DeepEqual(task.OutputData, w.output) {
			return fmt.Errorf("GetWorkflow %s: task %s output %v, want %v", id, w.ref, task.OutputData, w.output)
		}
	}
	state, err := e.GetWorkflowStatus(id, true, false)
	if err != nil {
		return fmt.Errorf("GetWorkflowStatus %s: %w", id, err)
	}
	if state == nil {
		return fmt.Errorf("GetWorkflowStatus %s: no status and no error", id)
	}
	if state.Status != "COMPLETED" || state.WorkflowId != id || !reflect.DeepEqual(state.Output, wantOutput(name)) {
		return fmt.Errorf("GetWorkflowStatus %s: got %+v, want COMPLETED with output %v", id, *state, wantOutput(name))
	}
	return nil
}

// checkLogs reads back the log line the shout worker sent inside its TaskResult.
func checkLogs(tasks client.TaskClient, e *executor.WorkflowExecutor, id string) error {
	wf, err := e.GetWorkflow(id, true)
	if err != nil {
		return fmt.Errorf("GetWorkflow %s: %w", id, err)
	}
	for _, task := range wf.Tasks {
		if task.ReferenceTaskName != "shout_ref" {
			continue
		}
		logs, _, err := tasks.GetTaskLogs(context.Background(), task.TaskId)
		if err != nil {
			return fmt.Errorf("TaskClient.GetTaskLogs %s: %w", task.TaskId, err)
		}
		if len(logs) != 1 || !strings.HasPrefix(logs[0].Log, "shouted ") || logs[0].TaskId != task.TaskId {
			return fmt.Errorf("TaskClient.GetTaskLogs %s: got %+v, want one line \"shouted N characters\"", task.TaskId, logs)
		}
		return nil
	}
	return fmt.Errorf("GetWorkflow %s: no shout_ref task", id)
}

func taskList(tasks []model.Task) string {
	parts := make([]string, len(tasks))
	for i, t := range tasks {
		parts[i] = fmt.Sprintf("%s(%s %s)", t.ReferenceTaskName, t.TaskType, t.Status)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func summarize(wfs []model.Workflow) string {
	parts := make([]string, len(wfs))
	for i, w := range wfs {
		parts[i] = w.WorkflowId + " " + string(w.Status)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
