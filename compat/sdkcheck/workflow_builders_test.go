package sdkcheck_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// The programs below are those of workflow/integration_test.go (run there
// on Baton's in-process server), with the test's own names, run to
// completion on the real server.

// TestBuilderSimpleScripts: SIMPLE, INLINE (javascript and graaljs),
// JSON_JQ_TRANSFORM and SET_VARIABLE, registered and run by typed Execute.
func TestBuilderSimpleScripts(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	add := workflow.NewSimpleTask(w.add, "add").Input("a", "${workflow.input.a}").Input("b", "${workflow.input.b}")
	double := workflow.NewInlineTask("double", "$.sum * 2").Input("sum", add.OutputRef("sum"))
	graal := workflow.NewInlineGraalJSTask("graal", "(function(){ return $.x + 1; })()").Input("x", "${double.output.result}")
	jq := workflow.NewJQTask("jq", "{total: (.a + .b)}").Input("a", add.OutputRef("sum")).Input("b", "${graal.output.result}")
	setVar := workflow.NewSetVariableTask("var").Input("seen", "${jq.output.result.total}")
	wf := w.workflow("chain").Version(1).
		Add(add).Add(double).Add(graal).Add(jq).Add(setVar).
		OutputParameters(map[string]any{"sum": add.OutputRef("sum"), "total": "${jq.output.result.total}", "seen": "${workflow.variables.seen}"})
	require.NoError(t, wf.Register(true))

	type out struct {
		Sum   float64 `json:"sum"`
		Total float64 `json:"total"`
		Seen  float64 `json:"seen"`
	}
	got, err := workflow.Execute[out](w.ctx, wf, map[string]any{"a": 2, "b": 3})
	require.NoError(t, err)
	// sum 5, double 10, graal 11, total 5+11.
	require.Equal(t, out{Sum: 5, Total: 16, Seen: 16}, got)
}

// TestBuilderSwitch: a value-param SWITCH with an empty case and a
// default, and a javascript SWITCH.
func TestBuilderSwitch(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	byValue := workflow.NewSwitchTask("kind", "${workflow.input.kind}").
		SwitchCase("sum", w.addTask("add", 1, 2)).
		SwitchCase("nothing").
		DefaultCase(workflow.NewSetVariableTask("dflt").Input("branch", "default"))
	byJS := workflow.NewSwitchTask("size", "$.n > 10 ? 'big' : 'small'").UseJavascript(true).Input("n", "${workflow.input.n}").
		SwitchCase("big", workflow.NewSetVariableTask("big").Input("size", "big")).
		SwitchCase("small", workflow.NewSetVariableTask("small").Input("size", "small"))
	wf := w.workflow("switches").Add(byValue).Add(byJS).
		OutputParameters(map[string]any{"sum": "${add.output.sum}", "branch": "${workflow.variables.branch}", "size": "${workflow.variables.size}"})

	for _, tc := range []struct {
		input map[string]any
		want  map[string]any
	}{
		{map[string]any{"kind": "sum", "n": 50}, map[string]any{"sum": 3.0, "branch": nil, "size": "big"}},
		{map[string]any{"kind": "nothing", "n": 5}, map[string]any{"sum": nil, "branch": nil, "size": "small"}},
		{map[string]any{"kind": "other", "n": 5}, map[string]any{"sum": nil, "branch": "default", "size": "small"}},
	} {
		got, err := workflow.Execute[map[string]any](w.ctx, wf, tc.input)
		require.NoError(t, err, "input %v", tc.input)
		require.Equal(t, tc.want, got, "input %v", tc.input)
	}
	// The builder's own start with a watch.
	ch, err := wf.StartWorkflowsAndMonitorExecution(&model.StartWorkflowRequest{Input: map[string]any{"kind": "sum", "n": 1}})
	require.NoError(t, err)
	done, err := executor.WaitForWorkflowCompletionUntilTimeout(ch, 20*time.Second)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"sum": 3.0, "branch": nil, "size": "small"}, done.Output)
}

// TestBuilderForks: FORK_JOIN with its own JOIN (nested), with an
// explicit JOIN, and FORK_JOIN_DYNAMIC fed by a prepare task (with its own
// JOIN and with one given) and by input.
func TestBuilderForks(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	inner := workflow.NewForkTask("inner",
		[]workflow.TaskInterface{w.addTask("in1", 1, 1)},
		[]workflow.TaskInterface{w.addTask("in2", 2, 2)})
	outer := workflow.NewForkTask("outer",
		[]workflow.TaskInterface{w.addTask("o1", 10, 1), workflow.NewSimpleTask(w.echo, "o1b").Input("x", "${o1.output.sum}")},
		[]workflow.TaskInterface{inner})
	// A JOIN of the caller's own, under its own name.
	explicit := workflow.NewForkTaskWithJoin("pair", workflow.NewJoinTask("pair_done", "p1", "p2"),
		[]workflow.TaskInterface{w.addTask("p1", 5, 5)},
		[]workflow.TaskInterface{w.addTask("p2", 6, 6)})
	// A prepare task outputting forkedTasks and forkedTasksInputs at the top
	// level: echo returns its input.
	prepared := workflow.NewDynamicForkTask("dfp", workflow.NewSimpleTask(w.echo, "prep").
		Input("forkedTasks", []map[string]any{{"name": w.add, "taskReferenceName": "dp_0", "type": "SIMPLE"}}).
		Input("forkedTasksInputs", map[string]any{"dp_0": map[string]any{"a": 7, "b": 8}}))
	withJoin := workflow.NewDynamicForkWithJoinTask("dfj", workflow.NewSimpleTask(w.echo, "prep2").
		Input("forkedTasks", []map[string]any{{"name": w.echo, "taskReferenceName": "dj_0", "type": "SIMPLE"}}).
		Input("forkedTasksInputs", map[string]any{"dj_0": map[string]any{"j": true}}),
		*workflow.NewJoinTask("dfj_done"))
	// An INLINE task outputs under result, so the fork's inputs point there.
	script := workflow.NewInlineTask("script", `(function(){
		var tasks = [], inputs = {};
		for (var i = 0; i < $.items.length; i++) {
			var ref = 'dyn_' + i;
			tasks.push({name: $.echo, taskReferenceName: ref, type: 'SIMPLE'});
			inputs[ref] = {item: $.items[i]};
		}
		return {forkedTasks: tasks, forkedTasksInputs: inputs};
	})()`).Input("items", "${workflow.input.items}").Input("echo", w.echo)
	byInput := workflow.NewDynamicForkTaskWithoutPrepareTask("dfork").
		Input("forkedTasks", "${script.output.result.forkedTasks}").
		Input("forkedTasksInputs", "${script.output.result.forkedTasksInputs}")
	wf := w.workflow("forks").Add(outer).Add(explicit).Add(prepared).Add(withJoin).Add(script).Add(byInput).
		OutputParameters(map[string]any{
			"o1b": "${o1b.output.x}", "in2": "${in2.output.sum}", "outerJoin": "${outer_join.output}",
			"pair": "${pair_done.output}", "prepared": "${dfp_join.output}", "withJoin": "${dfj_done.output}",
			"dyn": "${dfork_join.output}",
		})
	got, err := workflow.Execute[map[string]any](w.ctx, wf, map[string]any{"items": []any{"a", "b"}})
	require.NoError(t, err)
	require.Equal(t, 11.0, got["o1b"])
	require.Equal(t, 4.0, got["in2"])
	require.Equal(t, map[string]any{"o1b": map[string]any{"x": 11.0}, "inner_join": map[string]any{
		"in1": map[string]any{"sum": 2.0}, "in2": map[string]any{"sum": 4.0},
	}}, got["outerJoin"])
	require.Equal(t, map[string]any{"p1": map[string]any{"sum": 10.0}, "p2": map[string]any{"sum": 12.0}}, got["pair"])
	require.Equal(t, map[string]any{"dp_0": map[string]any{"sum": 15.0}}, got["prepared"])
	require.Equal(t, map[string]any{"dj_0": map[string]any{"j": true}}, got["withJoin"])
	require.Equal(t, map[string]any{"dyn_0": map[string]any{"item": "a"}, "dyn_1": map[string]any{"item": "b"}}, got["dyn"])
}

// TestBuilderLoops: NewLoopTask's count and a DO_WHILE condition.
func TestBuilderLoops(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	loop := workflow.NewLoopTask("loop", 3, workflow.NewSimpleTask(w.echo, "step").Input("i", "${loop.output.iteration}"))
	until := workflow.NewDoWhileTask("until", "if ($.until['iteration'] < $.limit) { true; } else { false; }",
		w.addTask("inc", "${until.output.iteration}", 100)).
		Input("limit", 2)
	wf := w.workflow("loops").Add(loop).Add(until).
		OutputParameters(map[string]any{"loops": "${loop.output.iteration}", "untils": "${until.output.iteration}", "last": "${inc.output.sum}"})
	got, err := workflow.Execute[map[string]any](w.ctx, wf, nil)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"loops": 3.0, "untils": 2.0, "last": 102.0}, got)
}

// TestBuilderDynamicHTTPTerminate: DYNAMIC, HTTP to a loopback server
// (the real server makes the call) and TERMINATE.
func TestBuilderDynamicHTTPTerminate(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	ts := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(rw, `{"path":%q,"h":%q}`, r.URL.Path, r.Header.Get("X-Test"))
	}))
	t.Cleanup(ts.Close)

	dyn := workflow.NewDynamicTask("dyn", "${workflow.input.type}").Input("a", 20).Input("b", 22)
	call := workflow.NewHttpTask("call", &workflow.HttpInput{Uri: ts.URL + "/hello", Headers: map[string][]string{"X-Test": {"yes"}}})
	stop := workflow.NewSwitchTask("stop?", "${workflow.input.stop}").
		SwitchCase("yes", workflow.NewTerminateTask("stop", model.WorkflowFailed, "asked to stop"))
	wf := w.workflow("dyn_http").Add(dyn).Add(call).Add(stop).
		OutputParameters(map[string]any{"sum": "${dyn.output.sum}", "body": "${call.output.response.body}"})

	got, err := workflow.Execute[map[string]any](w.ctx, wf, map[string]any{"type": w.add, "stop": "no"})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"sum": 42.0, "body": map[string]any{"path": "/hello", "h": "yes"}}, got)

	_, err = workflow.Execute[map[string]any](w.ctx, wf, map[string]any{"type": w.add, "stop": "yes"})
	var werr *executor.WorkflowError
	require.ErrorAs(t, err, &werr)
	require.Equal(t, model.WorkflowFailed, werr.Workflow.Status)
	require.Contains(t, werr.Workflow.ReasonForIncompletion, "asked to stop")
}

// TestBuilderSubWorkflows: SUB_WORKFLOW by name and inline, and
// START_WORKFLOW.
func TestBuilderSubWorkflows(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	child := w.workflow("child").Version(1).
		Add(w.addTask("add", "${workflow.input.a}", 1)).
		OutputParameters(map[string]any{"sum": "${add.output.sum}"})
	require.NoError(t, child.Register(true))
	inlineChild := w.workflow("inline_child").
		Add(workflow.NewSimpleTask(w.echo, "echo").Input("v", "${workflow.input.v}")).
		OutputParameters(map[string]any{"v": "${echo.output.v}"})

	wf := w.workflow("parent").
		Add(workflow.NewSubWorkflowTask("byName", child.GetName(), 1).Input("a", 41)).
		Add(workflow.NewSubWorkflowInlineTask("inline", inlineChild).Input("v", "inline")).
		Add(workflow.NewStartWorkflowTask("fire", child.GetName(), nil, &model.StartWorkflowRequest{Input: map[string]any{"a": 1}})).
		OutputParameters(map[string]any{"sum": "${byName.output.sum}", "v": "${inline.output.v}", "started": "${fire.output.workflowId}"})
	got, err := workflow.Execute[map[string]any](w.ctx, wf, nil)
	require.NoError(t, err)
	require.Equal(t, 42.0, got["sum"])
	require.Equal(t, "inline", got["v"])
	started, _ := got["started"].(string)
	require.NotEmpty(t, started)
	// The started workflow runs on its own; wait for it so nothing is left.
	done := w.wait(started)
	require.Equal(t, model.WorkflowCompleted, done.Status)
	require.Equal(t, map[string]any{"sum": 2.0}, done.Output)
}

// TestBuilderWaitAndHuman: WAIT until a past time (with and without a zone), for a second and until
// completed through the API, then HUMAN; ExecuteWorkflow answers at the
// task it waits for.
func TestBuilderWaitAndHuman(t *testing.T) {
	t.Parallel()
	w := newWorkflowEnv(t)
	wf := w.workflow("waits").
		Add(workflow.NewWaitUntilTask("past", "2020-01-01 00:00")).
		Add(workflow.NewWaitUntilTask("zoned", "2020-01-01 00:00 GMT")).
		Add(workflow.NewWaitForDurationTask("short", time.Second)).
		Add(workflow.NewWaitTask("signal")).
		Add(workflow.NewHumanTask("approve")).
		OutputParameters(map[string]any{"signal": "${signal.output.s}", "approved": "${approve.output.ok}"})
	started := time.Now()
	run, err := wf.ExecuteWorkflowWithInputWithContext(w.ctx, nil, "signal")
	require.NoError(t, err)
	require.Equal(t, string(model.WorkflowRunning), run.Status)
	id := run.WorkflowId
	ch, err := w.exec.MonitorExecution(id)
	require.NoError(t, err)
	var signal *model.WorkerTask
	for i := range run.Tasks {
		if run.Tasks[i].ReferenceTaskName == "signal" {
			signal = &run.Tasks[i]
		}
	}
	require.NotNil(t, signal, "the answer holds the task it waited for; tasks: %+v", run.Tasks)
	require.GreaterOrEqual(t, time.Since(started), time.Second, "the WAIT for a second held the workflow")
	got, err := w.exec.GetTask(signal.TaskId)
	require.NoError(t, err)
	require.Equal(t, model.TaskInProgress, got.Status)
	require.NoError(t, w.exec.UpdateTask(signal.TaskId, id, model.CompletedTask, struct {
		S string `json:"s"`
	}{"go"}))
	require.NoError(t, w.exec.UpdateTaskByRefName("approve", id, model.CompletedTask, map[string]any{"ok": true}))
	err = w.exec.UpdateTaskByRefName("approve", id, model.CompletedTask, nil)
	require.ErrorIs(t, err, client.ErrNotFound)
	done, err := executor.WaitForWorkflowCompletionUntilTimeout(ch, 20*time.Second)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, done.Status)
	require.Equal(t, map[string]any{"signal": "go", "approved": true}, done.Output)
}
