package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// flow is a workflow the server comparison drives: its worker task types,
// the last of which ends a workflow's work for the starters' windows.
type flow struct {
	key    string // in serverLoad.Flow
	name   string // the workflow definition's name
	tasks  []string
	last   string
	define func(ctx context.Context, api *client.APIClient) error
	work   model.WorkerTaskFunction // the tasks before last; nil answers no output
	// want is the output a workflow started with input {"s": 0} must end
	// with; nil skips the check.
	want map[string]any
}

const (
	flowThree = "three-task"
	flowSys   = "system-task"
)

// flows are the workflows of the server comparison, in the order they run
// on each server.
var flows = []flow{
	{
		key: flowThree, name: flowName, tasks: []string{task1, task2, task3}, last: task3,
		define: func(ctx context.Context, api *client.APIClient) error {
			return defineFlow(ctx, api, flowName, task1, task2, task3)
		},
	},
	{
		key: flowSys, name: sysFlowName, tasks: []string{sysA, sysB, sysC, sysEnd}, last: sysEnd,
		define: defineSysFlow, work: branchOutput, want: sysFlowOutput(),
	},
}

const (
	sysFlowName = "bench_sys"
	sysA        = "bench_sys_a"
	sysB        = "bench_sys_b"
	sysC        = "bench_sys_c"
	sysEnd      = "bench_sys_end"
	sysLoops    = 5
)

// sysFlowDef is the system-task workflow: a SWITCH (JavaScript) whose case
// forks three SIMPLE tasks and joins them, then a DO_WHILE of sysLoops
// iterations of an INLINE (JavaScript) and a JSON_JQ_TRANSFORM reading it,
// then a SIMPLE task: its start is the moment the starters count the
// workflow done, as the last task is in the three-task workflow, because no
// worker sees a system task end.
func sysFlowDef() *model.WorkflowDef {
	simple := func(name string) model.WorkflowTask {
		return model.WorkflowTask{Name: name, TaskReferenceName: name, Type: model.TaskTypeSimple,
			InputParameters: map[string]any{"s": "${workflow.input.s}"}}
	}
	def := model.NewWorkflowDef(sysFlowName,
		model.WorkflowTask{
			Name: "route", TaskReferenceName: "route", Type: model.TaskTypeSwitch,
			InputParameters: map[string]any{"s": "${workflow.input.s}"},
			EvaluatorType:   "javascript", Expression: "$.s >= 0 ? 'fan' : 'none'",
			DecisionCases: map[string][]model.WorkflowTask{"fan": {
				{Name: "fan", TaskReferenceName: "fan", Type: model.TaskTypeForkJoin,
					ForkTasks: [][]model.WorkflowTask{{simple(sysA)}, {simple(sysB)}, {simple(sysC)}}},
				{Name: "fan_join", TaskReferenceName: "fan_join", Type: model.TaskTypeJoin, JoinOn: []string{sysA, sysB, sysC}},
			}},
		},
		model.WorkflowTask{
			Name: "loop", TaskReferenceName: "loop", Type: model.TaskTypeDoWhile,
			InputParameters: map[string]any{"n": sysLoops},
			LoopCondition:   "$.loop['iteration'] < $.n",
			LoopOver: []model.WorkflowTask{
				{Name: "calc", TaskReferenceName: "calc", Type: model.TaskTypeInline, InputParameters: map[string]any{
					"evaluatorType": "javascript", "i": "${loop.output.iteration}", "expression": "$.i * 2",
				}},
				{Name: "shape", TaskReferenceName: "shape", Type: model.TaskTypeJSONJQTransform, InputParameters: map[string]any{
					"v": "${calc.output.result}", "i": "${loop.output.iteration}", "queryExpression": "{sum: (.v + .i)}",
				}},
			},
		},
		simple(sysEnd),
	)
	def.OwnerEmail = "bench@example.com"
	def.OutputParameters = map[string]any{
		"case": "${route.output.selectedCase}", "joined": "${fan_join.output}", "loop": "${loop.output}",
	}
	return def
}

// sysFlowOutput is the output sysFlowDef must end with: the case taken, the
// three branches' outputs (each worker answers {"b": its task}), and every
// iteration's INLINE and JSON_JQ_TRANSFORM outputs.
func sysFlowOutput() map[string]any {
	loop := map[string]any{"iteration": sysLoops}
	for i := 1; i <= sysLoops; i++ {
		loop[fmt.Sprint(i)] = map[string]any{
			"calc":  map[string]any{"result": 2 * i},
			"shape": map[string]any{"result": map[string]any{"sum": 3 * i}, "resultList": []any{map[string]any{"sum": 3 * i}}},
		}
	}
	joined := map[string]any{}
	for _, t := range []string{sysA, sysB, sysC} {
		joined[t] = map[string]any{"b": t}
	}
	return map[string]any{"case": "fan", "joined": joined, "loop": loop}
}

// branchOutput is what the fork branches' workers answer.
func branchOutput(t *model.WorkerTask) (any, error) { return map[string]any{"b": t.TaskDefName}, nil }

func defineSysFlow(ctx context.Context, api *client.APIClient) error {
	var defs []model.TaskDef
	for _, name := range []string{sysA, sysB, sysC, sysEnd} {
		d := model.NewTaskDef(name)
		d.RetryCount = 0
		d.ResponseTimeoutSeconds = 300
		d.TimeoutSeconds = 600
		defs = append(defs, *d)
	}
	if err := api.Metadata().RegisterTaskDefs(ctx, defs...); err != nil {
		return fmt.Errorf("register task defs: %w", err)
	}
	if err := api.Metadata().RegisterWorkflowDef(ctx, sysFlowDef(), true); err != nil {
		return fmt.Errorf("register workflow %s: %w", sysFlowName, err)
	}
	return nil
}

// checkFlow starts one workflow of f with the rig's workers running and
// fails unless it completes within timeout with f.want as its output; it
// returns how long the workflow took (createTime → endTime).
func checkFlow(ctx context.Context, api *client.APIClient, f flow, timeout time.Duration) (time.Duration, error) {
	if f.want == nil {
		return 0, nil
	}
	id, err := api.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: f.name, Input: map[string]any{"s": 0}})
	if err != nil {
		return 0, fmt.Errorf("check %s: start: %w", f.key, err)
	}
	deadline := time.Now().Add(timeout)
	for {
		wf, err := api.Workflows().Get(ctx, id, false)
		if err != nil {
			return 0, fmt.Errorf("check %s: get %s: %w", f.key, id, err)
		}
		switch {
		case wf.Status == model.WorkflowCompleted:
			return time.Duration(wf.EndTime-wf.CreateTime) * time.Millisecond, compareOutput(f, id, wf.Output)
		case wf.Status != model.WorkflowRunning:
			return 0, fmt.Errorf("check %s: workflow %s ended %s: %s", f.key, id, wf.Status, wf.ReasonForIncompletion)
		case time.Now().After(deadline):
			return 0, fmt.Errorf("check %s: workflow %s still %s after %v", f.key, id, wf.Status, timeout)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// compareOutput compares through JSON, so that 2 and 2.0 are the same.
func compareOutput(f flow, id string, got map[string]any) error {
	norm := func(v any) (any, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		var out any
		return out, json.Unmarshal(b, &out)
	}
	g, err1 := norm(got)
	w, err2 := norm(f.want)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("check %s: %w", f.key, err)
	}
	if !reflect.DeepEqual(g, w) {
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(w)
		return fmt.Errorf("check %s: workflow %s completed with output\n  %s\nwant\n  %s", f.key, id, gb, wb)
	}
	return nil
}
