package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/conductor-sdk/conductor-go/sdk/client"
	"github.com/conductor-sdk/conductor-go/sdk/model"
	"github.com/conductor-sdk/conductor-go/sdk/workflow"
	"github.com/conductor-sdk/conductor-go/sdk/workflow/executor"
)

// names are this run's definition names. Each run gets its own suffix so that reruns against the
// same server, and the other SDKs' checks, never collide with earlier definitions or queues.
type names struct {
	run, greet, shout, workflow string
}

func newNames(runID string) names {
	if runID == "" {
		runID = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	return names{
		run:      runID,
		greet:    "sdk_go_greet_" + runID,
		shout:    "sdk_go_shout_" + runID,
		workflow: "sdk_go_greetings_" + runID,
	}
}

func (n names) correlation(i int) string { return "sdk-go-" + n.run + "-" + strconv.Itoa(i) }

// registerTaskDefs registers both task definitions in one call (POST /metadata/taskdefs).
func registerTaskDefs(metadata client.MetadataClient, n names) error {
	defs := []model.TaskDef{
		{Name: n.greet, Description: "conductor-go check: greets", RetryCount: 1, RetryLogic: "FIXED",
			RetryDelaySeconds: 1, TimeoutSeconds: 60, TimeoutPolicy: "TIME_OUT_WF", ResponseTimeoutSeconds: 20,
			OwnerEmail: "sdk-check@example.com"},
		{Name: n.shout, Description: "conductor-go check: shouts", RetryCount: 1, RetryLogic: "FIXED",
			RetryDelaySeconds: 1, TimeoutSeconds: 60, TimeoutPolicy: "TIME_OUT_WF", ResponseTimeoutSeconds: 20,
			OwnerEmail: "sdk-check@example.com"},
	}
	if _, err := metadata.RegisterTaskDef(context.Background(), defs); err != nil {
		return fmt.Errorf("MetadataClient.RegisterTaskDef %s, %s: %w", n.greet, n.shout, err)
	}
	return nil
}

// greetingsWorkflow is the README's "greetings" workflow with a second task fed by the first's output.
func greetingsWorkflow(e *executor.WorkflowExecutor, n names) *workflow.ConductorWorkflow {
	greet := workflow.NewSimpleTask(n.greet, "greet_ref").
		Input("person_to_be_greeted", "${workflow.input.name}")
	shout := workflow.NewSimpleTask(n.shout, "shout_ref").
		Input("text", greet.OutputRef("hello"))
	return workflow.NewConductorWorkflow(e).
		Name(n.workflow).
		Version(1).
		Description("conductor-go check: greets, then shouts the greeting").
		OwnerEmail("sdk-check@example.com").
		TimeoutPolicy(workflow.TimeOutWorkflow, 60).
		Add(greet).
		Add(shout).
		OutputParameters(map[string]any{
			"greetings": greet.OutputRef("hello"),
			"loud":      shout.OutputRef("loud"),
			"length":    shout.OutputRef("length"),
		})
}

// greet returns a plain map, which the TaskRunner turns into a COMPLETED result.
func greet(t *model.Task) (any, error) {
	return map[string]any{"hello": "Hello, " + fmt.Sprint(t.InputData["person_to_be_greeted"])}, nil
}

// shout returns a full TaskResult, the SDK's other supported worker shape.
func shout(t *model.Task) (any, error) {
	text, ok := t.InputData["text"].(string)
	if !ok {
		return nil, fmt.Errorf("input text is %T %v, want a string", t.InputData["text"], t.InputData["text"])
	}
	result := model.NewTaskResultFromTask(t)
	result.Status = model.CompletedTask
	result.OutputData = map[string]any{"loud": strings.ToUpper(text) + "!", "length": len(text)}
	result.Logs = []model.TaskExecLog{{Log: "shouted " + strconv.Itoa(len(text)) + " characters"}}
	return result, nil
}
