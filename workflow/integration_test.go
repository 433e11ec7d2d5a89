package workflow_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// setup starts a server, a WorkerHost running the test workers and an
// executor, all stopped when the test ends.
func setup(t *testing.T) *executor.WorkflowExecutor {
	t.Helper()
	srv := batontest.NewServer(t)
	api := srv.Client()
	host := worker.NewWorkerHostWithApiClient(api)
	for name, fn := range testWorkers {
		require.NoError(t, host.StartWorker(name, fn, 4, 5*time.Millisecond))
	}
	exec := executor.NewWorkflowExecutor(api)
	t.Cleanup(func() {
		require.NoError(t, exec.Close())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, host.Shutdown(ctx))
	})
	return exec
}

var testWorkers = map[string]model.WorkerTaskFunction{
	// add returns a+b.
	"add": func(t *model.WorkerTask) (any, error) {
		a, _ := t.InputData["a"].(float64)
		b, _ := t.InputData["b"].(float64)
		return map[string]any{"sum": a + b}, nil
	},
	// echo returns its input.
	"echo": func(t *model.WorkerTask) (any, error) { return t.InputData, nil },
	// fail fails without retries.
	"fail": func(t *model.WorkerTask) (any, error) {
		return nil, model.NewTerminalError(fmt.Errorf("failed on purpose"))
	},
}

func TestSimpleInlineJQSetVariable(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	add := workflow.NewSimpleTask("add", "add").Input("a", "${workflow.input.a}").Input("b", "${workflow.input.b}")
	double := workflow.NewInlineTask("double", "$.sum * 2").Input("sum", add.OutputRef("sum"))
	graal := workflow.NewInlineGraalJSTask("graal", "(function(){ return $.x + 1; })()").Input("x", "${double.output.result}")
	jq := workflow.NewJQTask("jq", "{total: (.a + .b)}").Input("a", add.OutputRef("sum")).Input("b", "${graal.output.result}")
	setVar := workflow.NewSetVariableTask("var").Input("seen", "${jq.output.result.total}")
	wf := workflow.NewConductorWorkflow(exec).Name("simple_chain").Version(1).
		Add(add).Add(double).Add(graal).Add(jq).Add(setVar).
		OutputParameters(map[string]any{"sum": add.OutputRef("sum"), "total": "${jq.output.result.total}", "seen": "${workflow.variables.seen}"})
	require.NoError(t, wf.Register(true))

	type out struct {
		Sum   float64 `json:"sum"`
		Total float64 `json:"total"`
		Seen  float64 `json:"seen"`
	}
	got, err := workflow.Execute[out](t.Context(), wf, map[string]any{"a": 2, "b": 3})
	require.NoError(t, err)
	// sum 5, double 10, graal 11, total 5+11.
	require.Equal(t, out{Sum: 5, Total: 16, Seen: 16}, got)
}

func TestSwitch(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	byValue := workflow.NewSwitchTask("kind", "${workflow.input.kind}").
		SwitchCase("sum", workflow.NewSimpleTask("add", "add").Input("a", 1).Input("b", 2)).
		SwitchCase("nothing").
		DefaultCase(workflow.NewSetVariableTask("dflt").Input("branch", "default"))
	byJS := workflow.NewSwitchTask("size", "$.n > 10 ? 'big' : 'small'").UseJavascript(true).Input("n", "${workflow.input.n}").
		SwitchCase("big", workflow.NewSetVariableTask("big").Input("size", "big")).
		SwitchCase("small", workflow.NewSetVariableTask("small").Input("size", "small"))
	wf := workflow.NewConductorWorkflow(exec).Name("switches").Add(byValue).Add(byJS).
		OutputParameters(map[string]any{"sum": "${add.output.sum}", "branch": "${workflow.variables.branch}", "size": "${workflow.variables.size}"})

	for _, tc := range []struct {
		input map[string]any
		want  map[string]any
	}{
		{map[string]any{"kind": "sum", "n": 50}, map[string]any{"sum": 3.0, "branch": nil, "size": "big"}},
		{map[string]any{"kind": "nothing", "n": 5}, map[string]any{"sum": nil, "branch": nil, "size": "small"}},
		{map[string]any{"kind": "other", "n": 5}, map[string]any{"sum": nil, "branch": "default", "size": "small"}},
	} {
		got, err := workflow.Execute[map[string]any](t.Context(), wf, tc.input)
		require.NoError(t, err, "input %v", tc.input)
		require.Equal(t, tc.want, got, "input %v", tc.input)
	}
}

func TestForks(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	// A fork whose second branch holds a fork of its own: both JOINs are kept.
	inner := workflow.NewForkTask("inner",
		[]workflow.TaskInterface{workflow.NewSimpleTask("add", "in1").Input("a", 1).Input("b", 1)},
		[]workflow.TaskInterface{workflow.NewSimpleTask("add", "in2").Input("a", 2).Input("b", 2)})
	outer := workflow.NewForkTask("outer",
		[]workflow.TaskInterface{workflow.NewSimpleTask("add", "o1").Input("a", 10).Input("b", 1), workflow.NewSimpleTask("echo", "o1b").Input("x", "${o1.output.sum}")},
		[]workflow.TaskInterface{inner})
	// A dynamic fork prepared by an INLINE task: one echo per item.
	prep := workflow.NewInlineTask("prep", `(function(){
		var tasks = [], inputs = {};
		for (var i = 0; i < $.items.length; i++) {
			var ref = 'dyn_' + i;
			tasks.push({name: 'echo', taskReferenceName: ref, type: 'SIMPLE'});
			inputs[ref] = {item: $.items[i]};
		}
		return {forkedTasks: tasks, forkedTasksInputs: inputs};
	})()`).Input("items", "${workflow.input.items}")
	// conductor-go's prepare task must output forkedTasks at the top level;
	// an INLINE task outputs under result, so point the fork there.
	dyn := workflow.NewDynamicForkTaskWithoutPrepareTask("dfork").
		Input("forkedTasks", "${prep.output.result.forkedTasks}").
		Input("forkedTasksInputs", "${prep.output.result.forkedTasksInputs}")
	wf := workflow.NewConductorWorkflow(exec).Name("forks").Add(outer).Add(prep).Add(dyn).
		OutputParameters(map[string]any{
			"o1b": "${o1b.output.x}", "in2": "${in2.output.sum}", "outerJoin": "${outer_join.output}",
			"dyn": "${dfork_join.output}",
		})
	got, err := workflow.Execute[map[string]any](t.Context(), wf, map[string]any{"items": []any{"a", "b"}})
	require.NoError(t, err)
	require.Equal(t, 11.0, got["o1b"])
	require.Equal(t, 4.0, got["in2"])
	require.Equal(t, map[string]any{"o1b": map[string]any{"x": 11.0}, "inner_join": map[string]any{
		"in1": map[string]any{"sum": 2.0}, "in2": map[string]any{"sum": 4.0},
	}}, got["outerJoin"])
	require.Equal(t, map[string]any{"dyn_0": map[string]any{"item": "a"}, "dyn_1": map[string]any{"item": "b"}}, got["dyn"])
}

func TestLoops(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	loop := workflow.NewLoopTask("loop", 3, workflow.NewSimpleTask("echo", "step").Input("i", "${loop.output.iteration}"))
	until := workflow.NewDoWhileTask("until", "if ($.until['iteration'] < $.limit) { true; } else { false; }",
		workflow.NewSimpleTask("add", "inc").Input("a", "${until.output.iteration}").Input("b", 100)).
		Input("limit", 2)
	wf := workflow.NewConductorWorkflow(exec).Name("loops").Add(loop).Add(until).
		OutputParameters(map[string]any{"loops": "${loop.output.iteration}", "untils": "${until.output.iteration}", "last": "${inc.output.sum}"})
	got, err := workflow.Execute[map[string]any](t.Context(), wf, nil)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"loops": 3.0, "untils": 2.0, "last": 102.0}, got)
}

func TestDynamicTerminateHTTP(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"path":%q,"h":%q}`, r.URL.Path, r.Header.Get("X-Test"))
	}))
	t.Cleanup(ts.Close)

	dyn := workflow.NewDynamicTask("dyn", "${workflow.input.type}").Input("a", 20).Input("b", 22)
	call := workflow.NewHttpTask("call", &workflow.HttpInput{Uri: ts.URL + "/hello", Headers: map[string][]string{"X-Test": {"yes"}}})
	stop := workflow.NewSwitchTask("stop?", "${workflow.input.stop}").
		SwitchCase("yes", workflow.NewTerminateTask("stop", model.WorkflowFailed, "asked to stop"))
	wf := workflow.NewConductorWorkflow(exec).Name("dyn_http").Add(dyn).Add(call).Add(stop).
		OutputParameters(map[string]any{"sum": "${dyn.output.sum}", "body": "${call.output.response.body}"})

	got, err := workflow.Execute[map[string]any](t.Context(), wf, map[string]any{"type": "add", "stop": "no"})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"sum": 42.0, "body": map[string]any{"path": "/hello", "h": "yes"}}, got)

	_, err = workflow.Execute[map[string]any](t.Context(), wf, map[string]any{"type": "add", "stop": "yes"})
	var werr *executor.WorkflowError
	require.ErrorAs(t, err, &werr)
	require.Equal(t, model.WorkflowFailed, werr.Workflow.Status)
	require.Contains(t, werr.Workflow.ReasonForIncompletion, "asked to stop")
}

func TestSubWorkflows(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	child := workflow.NewConductorWorkflow(exec).Name("child").Version(1).
		Add(workflow.NewSimpleTask("add", "add").Input("a", "${workflow.input.a}").Input("b", 1)).
		OutputParameters(map[string]any{"sum": "${add.output.sum}"})
	require.NoError(t, child.Register(true))
	inlineChild := workflow.NewConductorWorkflow(exec).Name("inline_child").
		Add(workflow.NewSimpleTask("echo", "echo").Input("v", "${workflow.input.v}")).
		OutputParameters(map[string]any{"v": "${echo.output.v}"})

	wf := workflow.NewConductorWorkflow(exec).Name("parent").
		Add(workflow.NewSubWorkflowTask("byName", "child", 1).Input("a", 41)).
		Add(workflow.NewSubWorkflowInlineTask("inline", inlineChild).Input("v", "inline")).
		Add(workflow.NewStartWorkflowTask("fire", "child", nil, &model.StartWorkflowRequest{Input: map[string]any{"a": 1}})).
		OutputParameters(map[string]any{"sum": "${byName.output.sum}", "v": "${inline.output.v}", "started": "${fire.output.workflowId}"})
	// Bounded: a parent that never hears from a child fails with the state
	// of every workflow rather than hanging until the package timeout.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	got, err := workflow.Execute[map[string]any](ctx, wf, nil)
	require.NoError(t, err, "workflows:\n%s", dumpWorkflows(exec))
	require.Equal(t, 42.0, got["sum"])
	require.Equal(t, "inline", got["v"])
	started, _ := got["started"].(string)
	require.NotEmpty(t, started)
	// The started workflow runs on its own; wait for it so nothing is left.
	done, err := exec.WaitForCompletion(ctx, started)
	require.NoError(t, err, "workflows:\n%s", dumpWorkflows(exec))
	require.Equal(t, model.WorkflowCompleted, done.Status)
	require.Equal(t, map[string]any{"sum": 2.0}, done.Output)
}

// dumpWorkflows describes every workflow the server has, with its tasks:
// what a test that timed out waiting for one prints.
func dumpWorkflows(exec *executor.WorkflowExecutor) string {
	found, err := exec.Search(0, 100, "", "*")
	if err != nil {
		return "search: " + err.Error()
	}
	var b strings.Builder
	for _, s := range found {
		wf, err := exec.GetWorkflow(s.WorkflowId, true)
		if err != nil {
			fmt.Fprintf(&b, "%s %s: %v\n", s.WorkflowType, s.WorkflowId, err)
			continue
		}
		fmt.Fprintf(&b, "%s %s %s parent=%s/%s\n", wf.WorkflowName, wf.WorkflowId, wf.Status, wf.ParentWorkflowId, wf.ParentWorkflowTaskId)
		for _, task := range wf.Tasks {
			fmt.Fprintf(&b, "  %s %s %s %s subWorkflowId=%s updated=%d\n", task.ReferenceTaskName, task.TaskType, task.TaskId, task.Status, task.SubWorkflowId, task.UpdateTime)
		}
	}
	return b.String()
}

func TestWaitAndHuman(t *testing.T) {
	t.Parallel()
	exec := setup(t)
	wf := workflow.NewConductorWorkflow(exec).Name("waits").
		Add(workflow.NewWaitUntilTask("past", "2020-01-01 00:00")).
		Add(workflow.NewWaitForDurationTask("short", 500*time.Millisecond)).
		Add(workflow.NewWaitTask("signal")).
		Add(workflow.NewHumanTask("approve")).
		OutputParameters(map[string]any{"signal": "${signal.output.s}", "approved": "${approve.output.ok}"})
	// The server answers once the workflow reaches the WAIT task.
	run, err := wf.ExecuteWorkflowWithInput(nil, "signal")
	require.NoError(t, err)
	require.Equal(t, string(model.WorkflowRunning), run.Status)
	id := run.WorkflowId
	ch, err := exec.MonitorExecution(id)
	require.NoError(t, err)
	var signal *model.WorkerTask
	for i := range run.Tasks {
		if run.Tasks[i].ReferenceTaskName == "signal" {
			signal = &run.Tasks[i]
		}
	}
	require.NotNil(t, signal, "tasks: %+v", run.Tasks)
	got, err := exec.GetTask(signal.TaskId)
	require.NoError(t, err)
	require.Equal(t, model.TaskInProgress, got.Status)
	require.NoError(t, exec.UpdateTask(signal.TaskId, id, model.CompletedTask, struct {
		S string `json:"s"`
	}{"go"}))
	// Completing a task decides the workflow before the answer, so the
	// HUMAN task is pending now.
	require.NoError(t, exec.UpdateTaskByRefName("approve", id, model.CompletedTask, map[string]any{"ok": true}))
	err = exec.UpdateTaskByRefName("approve", id, model.CompletedTask, nil)
	require.ErrorIs(t, err, client.ErrNotFound)
	done, err := executor.WaitForWorkflowCompletionUntilTimeout(ch, 10*time.Second)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, done.Status)
	require.Equal(t, map[string]any{"signal": "go", "approved": true}, done.Output)
}
