package main

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/conductor-sdk/conductor-go/sdk/client"
	"github.com/conductor-sdk/conductor-go/sdk/model"
	"github.com/conductor-sdk/conductor-go/sdk/worker"
	"github.com/conductor-sdk/conductor-go/sdk/workflow"
	"github.com/conductor-sdk/conductor-go/sdk/workflow/executor"
)

// The DSL check: a workflow built with the SDK's sdk/workflow builders out of the system tasks —
// INLINE, SWITCH, FORK_JOIN + JOIN, SUB_WORKFLOW, DO_WHILE, JSON_JQ_TRANSFORM — around SIMPLE tasks
// run by the SDK's TaskRunner. The same shape is built by the JS and Python checks (../README.md).
//
// With input {a: 2, b: 5, name: "gopher", loops: 3}:
//   - inline_ref (javascript) answers {sum: 7, parity: "odd"};
//   - switch_ref on the parity runs odd_ref (word "ODD"), not even_ref or other_ref;
//   - the fork runs word_ref (word "GOPHER") beside sub_ref, a SUB_WORKFLOW whose one task doubles
//     the sum (14); the JOIN waits for both;
//   - loop_ref repeats loop_double_ref while $.loop_ref['iteration'] < $.loops: 3 iterations, the
//     body doubling the iteration it reads from ${loop_ref.output.iteration};
//   - times_ref is the SDK's NewLoopTask(3): its condition has its two operands swapped
//     ($.loop_count['iteration'] < $.times_ref), which is false in JavaScript, so its body runs once
//     on any server that evaluates the condition as Conductor does (DoWhile.evaluateCondition);
//   - jq_ref joins the words and adds the doubled sum to the loop's count.
const (
	dslA, dslB, dslLoops = 2, 5, 3
	dslName              = "gopher"
)

// dslWant is the expected workflow output, computed from the input above.
func dslWant() map[string]any {
	sum := dslA + dslB
	words := []any{"ODD", strings.ToUpper(dslName)}
	return map[string]any{
		"sum":        float64(sum),
		"parity":     "odd",
		"chosen":     "ODD",
		"word":       strings.ToUpper(dslName),
		"doubled":    float64(2 * sum),
		"iterations": float64(dslLoops),
		"lastLoop":   float64(2 * dslLoops),
		"times":      float64(1),
		"jq":         map[string]any{"words": "ODD-" + strings.ToUpper(dslName), "total": float64(2*sum + dslLoops), "all": words},
	}
}

// dslNames are this run's definitions for the DSL check.
type dslNames struct{ word, double, sub, main string }

func (n names) dsl() dslNames {
	return dslNames{
		word:   "sdk_go_dsl_word_" + n.run,
		double: "sdk_go_dsl_double_" + n.run,
		sub:    "sdk_go_dsl_sub_" + n.run,
		main:   "sdk_go_dsl_" + n.run,
	}
}

// runDSL registers the DSL check's task and workflow definitions, starts its workers, runs one
// workflow to completion and checks its output and task rows.
func runDSL(apiClient *client.APIClient, taskRunner *worker.TaskRunner, e *executor.WorkflowExecutor, n names) error {
	d := n.dsl()
	var defs []model.TaskDef
	for _, name := range []string{d.word, d.double} {
		defs = append(defs, model.TaskDef{Name: name, Description: "conductor-go DSL check", RetryCount: 1,
			RetryLogic: "FIXED", RetryDelaySeconds: 1, TimeoutSeconds: 60, TimeoutPolicy: "TIME_OUT_WF",
			ResponseTimeoutSeconds: 20, OwnerEmail: "sdk-check@example.com"})
	}
	if _, err := client.NewMetadataClient(apiClient).RegisterTaskDef(context.Background(), defs); err != nil {
		return fmt.Errorf("MetadataClient.RegisterTaskDef %s, %s: %w", d.word, d.double, err)
	}
	sub, main := dslWorkflows(e, d)
	if err := sub.Register(true); err != nil {
		return fmt.Errorf("register sub-workflow %s: %w", d.sub, err)
	}
	if err := main.Register(true); err != nil {
		return fmt.Errorf("register workflow %s: %w", d.main, err)
	}
	if err := taskRunner.StartWorker(d.word, dslWord, 2, 100*time.Millisecond); err != nil {
		return fmt.Errorf("start worker %s: %w", d.word, err)
	}
	if err := taskRunner.StartWorker(d.double, dslDouble, 2, 100*time.Millisecond); err != nil {
		return fmt.Errorf("start worker %s: %w", d.double, err)
	}

	id, err := e.StartWorkflow(&model.StartWorkflowRequest{Name: d.main, Version: 1,
		Input: map[string]any{"a": dslA, "b": dslB, "name": dslName, "loops": dslLoops}})
	if err != nil {
		return fmt.Errorf("StartWorkflow %s: %w", d.main, err)
	}
	channel, err := e.MonitorExecution(id)
	if err != nil {
		return fmt.Errorf("MonitorExecution %s: %w", id, err)
	}
	if _, err := executor.WaitForWorkflowCompletionUntilTimeout(channel, 60*time.Second); err != nil {
		return fmt.Errorf("DSL workflow %s did not finish: %w", id, err)
	}
	return checkDSL(e, id)
}

// dslWorkflows builds the sub-workflow and the main workflow with the SDK's builders.
func dslWorkflows(e *executor.WorkflowExecutor, d dslNames) (sub, main *workflow.ConductorWorkflow) {
	double := workflow.NewSimpleTask(d.double, "double_ref").Input("n", "${workflow.input.n}")
	sub = workflow.NewConductorWorkflow(e).Name(d.sub).Version(1).OwnerEmail("sdk-check@example.com").
		Description("conductor-go DSL check: doubles n").
		Add(double).
		OutputParameters(map[string]any{"doubled": double.OutputRef("doubled")})

	word := func(ref, text string) *workflow.SimpleTask {
		return workflow.NewSimpleTask(d.word, ref).Input("text", text)
	}
	inline := workflow.NewInlineTask("inline_ref",
		`(function () { var s = $.a + $.b; return {sum: s, parity: s % 2 == 0 ? "even" : "odd"}; })();`).
		Input("a", "${workflow.input.a}").Input("b", "${workflow.input.b}")
	swtch := workflow.NewSwitchTask("switch_ref", "${inline_ref.output.result.parity}").
		SwitchCase("even", word("even_ref", "even")).
		SwitchCase("odd", word("odd_ref", "odd")).
		DefaultCase(word("other_ref", "other"))
	subTask := workflow.NewSubWorkflowTask("sub_ref", d.sub, 1).Input("n", "${inline_ref.output.result.sum}")
	fork := workflow.NewForkTaskWithJoin("fork_ref", workflow.NewJoinTask("join_ref", "word_ref", "sub_ref"),
		[]workflow.TaskInterface{word("word_ref", "${workflow.input.name}")},
		[]workflow.TaskInterface{subTask})
	loop := workflow.NewDoWhileTask("loop_ref",
		"if ($.loop_ref['iteration'] < $.loops) { true; } else { false; }",
		workflow.NewSimpleTask(d.double, "loop_double_ref").Input("n", "${loop_ref.output.iteration}")).
		Input("loops", "${workflow.input.loops}")
	times := workflow.NewLoopTask("times_ref", dslLoops, word("times_word_ref", "again"))
	jq := workflow.NewJQTask("jq_ref", `{words: (.words | join("-")), total: (.doubled + .iterations), all: .words}`).
		Input("words", []string{"${odd_ref.output.word}", "${word_ref.output.word}"}).
		Input("doubled", "${sub_ref.output.doubled}").
		Input("iterations", "${loop_ref.output.iteration}")
	main = workflow.NewConductorWorkflow(e).Name(d.main).Version(1).OwnerEmail("sdk-check@example.com").
		Description("conductor-go DSL check: the system tasks around SIMPLE tasks").
		TimeoutPolicy(workflow.TimeOutWorkflow, 120).
		Add(inline).Add(swtch).Add(fork).Add(loop).Add(times).Add(jq).
		OutputParameters(map[string]any{
			"sum":        "${inline_ref.output.result.sum}",
			"parity":     "${inline_ref.output.result.parity}",
			"chosen":     "${odd_ref.output.word}",
			"word":       "${word_ref.output.word}",
			"doubled":    "${sub_ref.output.doubled}",
			"iterations": "${loop_ref.output.iteration}",
			"lastLoop":   "${loop_double_ref.output.doubled}",
			"times":      "${times_ref.output.iteration}",
			"jq":         "${jq_ref.output.result}",
		})
	return sub, main
}

func dslWord(t *model.Task) (any, error) {
	text, ok := t.InputData["text"].(string)
	if !ok {
		return nil, fmt.Errorf("input text is %T %v, want a string", t.InputData["text"], t.InputData["text"])
	}
	return map[string]any{"word": strings.ToUpper(text)}, nil
}

func dslDouble(t *model.Task) (any, error) {
	n, ok := t.InputData["n"].(float64)
	if !ok {
		return nil, fmt.Errorf("input n is %T %v, want a number", t.InputData["n"], t.InputData["n"])
	}
	return map[string]any{"doubled": 2 * n}, nil
}

// checkDSL reads the finished workflow back and checks its output, the task rows the branches
// chose, and the sub-workflow.
func checkDSL(e *executor.WorkflowExecutor, id string) error {
	wf, err := e.GetWorkflow(id, true)
	if err != nil {
		return fmt.Errorf("GetWorkflow %s: %w", id, err)
	}
	if wf.Status != model.CompletedWorkflow {
		return fmt.Errorf("DSL workflow %s: status %q, want COMPLETED (reason %q); tasks %s",
			id, wf.Status, wf.ReasonForIncompletion, taskList(wf.Tasks))
	}
	if want := dslWant(); !reflect.DeepEqual(wf.Output, want) {
		return fmt.Errorf("DSL workflow %s: output\n  %v\nwant\n  %v\ntasks %s", id, wf.Output, want, taskList(wf.Tasks))
	}
	count := map[string]int{}
	var subID string
	for _, task := range wf.Tasks {
		if task.Status != model.CompletedTask {
			return fmt.Errorf("DSL workflow %s: task %s is %s, want COMPLETED", id, task.ReferenceTaskName, task.Status)
		}
		count[strings.SplitN(task.ReferenceTaskName, "__", 2)[0]]++
		if task.ReferenceTaskName == "sub_ref" {
			subID = task.SubWorkflowId
		}
	}
	wantCount := map[string]int{"inline_ref": 1, "switch_ref": 1, "odd_ref": 1, "fork_ref": 1, "word_ref": 1,
		"sub_ref": 1, "join_ref": 1, "loop_ref": 1, "loop_double_ref": dslLoops, "times_ref": 1,
		"times_word_ref": 1, "jq_ref": 1}
	if !reflect.DeepEqual(count, wantCount) {
		return fmt.Errorf("DSL workflow %s: tasks by reference %v, want %v", id, count, wantCount)
	}
	sub, err := e.GetWorkflow(subID, true)
	if err != nil {
		return fmt.Errorf("GetWorkflow %s (the sub-workflow of sub_ref): %w", subID, err)
	}
	if sub.Status != model.CompletedWorkflow || sub.ParentWorkflowId != id ||
		!reflect.DeepEqual(sub.Output, map[string]any{"doubled": float64(2 * (dslA + dslB))}) {
		return fmt.Errorf("sub-workflow %s: status %s, parent %q, output %v; want COMPLETED, %s, doubled %d",
			subID, sub.Status, sub.ParentWorkflowId, sub.Output, id, 2*(dslA+dslB))
	}
	return nil
}
