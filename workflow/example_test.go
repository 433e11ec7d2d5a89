package workflow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// printTasks prints the type, reference and a few fields of each task.
func printTasks(tasks []model.WorkflowTask, indent string) {
	for _, t := range tasks {
		fmt.Printf("%s%s %s", indent, t.Type, t.TaskReferenceName)
		if len(t.JoinOn) > 0 {
			fmt.Printf(" joinOn=%v", t.JoinOn)
		}
		if t.LoopCondition != "" {
			fmt.Printf(" while %s", t.LoopCondition)
		}
		if len(t.InputParameters) > 0 {
			b, _ := json.Marshal(t.InputParameters)
			fmt.Printf(" %s", b)
		}
		fmt.Println()
		for i, branch := range t.ForkTasks {
			fmt.Printf("%s  branch %d:\n", indent, i+1)
			printTasks(branch, indent+"    ")
		}
		for _, name := range []string{"big", "small"} {
			if c, ok := t.DecisionCases[name]; ok {
				fmt.Printf("%s  case %s:\n", indent, name)
				printTasks(c, indent+"    ")
			}
		}
		if len(t.DefaultCase) > 0 {
			fmt.Printf("%s  default:\n", indent)
			printTasks(t.DefaultCase, indent+"    ")
		}
		printTasks(t.LoopOver, indent+"  ")
	}
}

// A workflow of one worker task, its input taken from the workflow's.
func ExampleNewSimpleTask() {
	greet := workflow.NewSimpleTask("greet", "greet_ref").Input("name", "${workflow.input.name}")
	def := workflow.NewConductorWorkflow(nil).Name("greetings").Version(1).
		Add(greet).
		OutputParameters(map[string]any{"greeting": greet.OutputRef("greeting")}).
		ToWorkflowDef()
	b, _ := json.MarshalIndent(map[string]any{"name": def.Name, "version": def.Version, "tasks": def.Tasks, "outputParameters": def.OutputParameters}, "", "  ")
	fmt.Println(string(b))
	// Output:
	// {
	//   "name": "greetings",
	//   "outputParameters": {
	//     "greeting": "${greet_ref.output.greeting}"
	//   },
	//   "tasks": [
	//     {
	//       "name": "greet",
	//       "taskReferenceName": "greet_ref",
	//       "inputParameters": {
	//         "name": "${workflow.input.name}"
	//       },
	//       "type": "SIMPLE",
	//       "startDelay": 0,
	//       "optional": false,
	//       "asyncComplete": false,
	//       "permissive": false
	//     }
	//   ],
	//   "version": 1
	// }
}

// A SWITCH choosing its branch with JavaScript.
func ExampleNewSwitchTask() {
	size := workflow.NewSwitchTask("size", "$.n > 10 ? 'big' : 'small'").UseJavascript(true).
		Input("n", "${workflow.input.n}").
		SwitchCase("big", workflow.NewSimpleTask("bulk_ship", "bulk")).
		SwitchCase("small", workflow.NewSimpleTask("ship", "ship")).
		DefaultCase(workflow.NewTerminateTask("odd", model.WorkflowFailed, "no size"))
	printTasks(workflow.NewConductorWorkflow(nil).Name("w").Add(size).ToWorkflowDef().Tasks, "")
	// Output:
	// SWITCH size {"n":"${workflow.input.n}"}
	//   case big:
	//     SIMPLE bulk
	//   case small:
	//     SIMPLE ship
	//   default:
	//     TERMINATE odd {"terminationReason":"no size","terminationStatus":"FAILED"}
}

// A fork of two branches; the JOIN added after it waits for the last task
// of each.
func ExampleNewForkTask() {
	fork := workflow.NewForkTask("fan",
		[]workflow.TaskInterface{workflow.NewSimpleTask("charge", "charge"), workflow.NewSimpleTask("receipt", "receipt")},
		[]workflow.TaskInterface{workflow.NewSimpleTask("pack", "pack")},
	)
	printTasks(workflow.NewConductorWorkflow(nil).Name("w").Add(fork).ToWorkflowDef().Tasks, "")
	// Output:
	// FORK_JOIN fan
	//   branch 1:
	//     SIMPLE charge
	//     SIMPLE receipt
	//   branch 2:
	//     SIMPLE pack
	// JOIN fan_join joinOn=[receipt pack]
}

// A loop running its tasks three times.
func ExampleNewLoopTask() {
	loop := workflow.NewLoopTask("retry3", 3, workflow.NewSimpleTask("ping", "ping"))
	printTasks(workflow.NewConductorWorkflow(nil).Name("w").Add(loop).ToWorkflowDef().Tasks, "")
	// Output:
	// DO_WHILE retry3 while if ( $.retry3['iteration'] < $.loop_count ) { true; } else { false; } {"loop_count":3}
	//   SIMPLE ping
}

// An HTTP call made by the server.
func ExampleNewHttpTask() {
	call := workflow.NewHttpTask("lookup", &workflow.HttpInput{
		Method: workflow.POST, Uri: "https://example.com/orders/${workflow.input.id}",
		Headers: map[string][]string{"Authorization": {"Bearer ${workflow.input.token}"}},
		Body:    map[string]any{"id": "${workflow.input.id}"},
	})
	printTasks(workflow.NewConductorWorkflow(nil).Name("w").Add(call).ToWorkflowDef().Tasks, "")
	// Output:
	// HTTP lookup {"http_request":{"method":"POST","uri":"https://example.com/orders/${workflow.input.id}","headers":{"Authorization":"Bearer ${workflow.input.token}"},"body":{"id":"${workflow.input.id}"}}}
}

// Validate names each faulty task before anything is sent.
func ExampleConductorWorkflow_Validate() {
	wf := workflow.NewConductorWorkflow(nil).Name("orders").
		Add(workflow.NewSimpleTask("charge", "charge")).
		Add(workflow.NewSimpleTask("refund", "charge")).
		Add(workflow.NewSwitchTask("route", "${workflow.input.kind}")).
		Add(workflow.NewJoinTask("join", "ship"))
	fmt.Println(wf.Validate())
	// Output:
	// workflow "orders": SIMPLE "charge": reference name is used by another task too; SWITCH "route": no cases (add one with SwitchCase); JOIN "join": joinOn names "ship", which is no task of the workflow
}

// Running a workflow and decoding its output: the program a conductor-go
// user writes, with Baton's client.
func ExampleExecute() {
	api := client.NewAPIClient(settings.NewHttpSettings(os.Getenv("CONDUCTOR_SERVER_URL")))
	exec := executor.NewWorkflowExecutor(api)
	defer exec.Close()

	add := workflow.NewSimpleTask("add", "add").Input("a", "${workflow.input.a}").Input("b", "${workflow.input.b}")
	wf := workflow.NewConductorWorkflow(exec).Name("sum").Version(1).Add(add).
		OutputParameters(map[string]any{"sum": add.OutputRef("sum")})
	if err := wf.Register(true); err != nil {
		fmt.Println(err)
		return
	}
	type result struct {
		Sum int `json:"sum"`
	}
	got, err := workflow.Execute[result](context.Background(), wf, map[string]any{"a": 40, "b": 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Sum)
}
