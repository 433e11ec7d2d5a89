package wfbuilder

import (
	"testing"
	"time"

	cgmodel "github.com/conductor-sdk/conductor-go/sdk/model"
	cg "github.com/conductor-sdk/conductor-go/sdk/workflow"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	bt "github.com/batonhq/baton/workflow"
)

// Each case is one program written twice, with conductor-go's builder and
// with Baton's: the same calls, only the package names differ. Their
// definitions must be the same to the server, except at the paths listed
// in fixed, where conductor-go's definition does not do what its builder
// says (package workflow's doc lists each fix).
var cases = []struct {
	name  string
	cg    func() *cg.ConductorWorkflow
	bt    func() *bt.ConductorWorkflow
	fixed []string
}{
	{name: "workflow settings",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Version(2).Description("d").OwnerEmail("o@x.y").
				TimeoutPolicy(cg.TimeOutWorkflow, 30).FailureWorkflow("f").WorkflowStatusListenerEnabled(true).
				InputParameters("a", "b").InputTemplate(map[string]any{"a": 1}).Variables(map[string]any{"v": "x"}).
				OutputParameters(map[string]any{"o": "${s.output}"}).Tags(map[string]string{"t": "1"}).
				Add(cg.NewSimpleTask("s", "s"))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Version(2).Description("d").OwnerEmail("o@x.y").
				TimeoutPolicy(bt.TimeOutWorkflow, 30).FailureWorkflow("f").WorkflowStatusListenerEnabled(true).
				InputParameters("a", "b").InputTemplate(map[string]any{"a": 1}).Variables(map[string]any{"v": "x"}).
				OutputParameters(map[string]any{"o": "${s.output}"}).Tags(map[string]string{"t": "1"}).
				Add(bt.NewSimpleTask("s", "s"))
		}},
	{name: "workflow defaults and struct output",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").TimeoutSeconds(10).OutputParameters(struct {
				A string `json:"a"`
			}{"${s.output.a}"}).Add(cg.NewSimpleTask("s", "s"))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").TimeoutSeconds(10).OutputParameters(struct {
				A string `json:"a"`
			}{"${s.output.a}"}).Add(bt.NewSimpleTask("s", "s"))
		}},
	{name: "not restartable",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Restartable(false).Add(cg.NewSimpleTask("s", "s"))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Restartable(false).Add(bt.NewSimpleTask("s", "s"))
		},
		fixed: []string{"restartable"}},
	{name: "simple",
		cg: func() *cg.ConductorWorkflow {
			s := cg.NewSimpleTask("s", "s1").Input("a", "${workflow.input.a}").InputMap(map[string]any{"b": 2, "c": []any{1}}).
				Description("d").Optional(true)
			s.CacheConfig("${workflow.input.a}", 30)
			return cg.NewConductorWorkflow(nil).Name("w").Add(s)
		},
		bt: func() *bt.ConductorWorkflow {
			s := bt.NewSimpleTask("s", "s1").Input("a", "${workflow.input.a}").InputMap(map[string]any{"b": 2, "c": []any{1}}).
				Description("d").Optional(true)
			s.CacheConfig("${workflow.input.a}", 30)
			return bt.NewConductorWorkflow(nil).Name("w").Add(s)
		}},
	{name: "simple with task definition",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSimpleTask("s", "s").
				RetryPolicy(2, cg.ExponenialBackOffRetry, 5, 3).RateLimitFrequency(10, 4).ConcurrentExecutionLimit(7).
				ExecutionTimeout(600).PollTimeout(20).ResponseTimeout(30).TimeoutPolicy(cg.TimeOutTaskWorkflow))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSimpleTask("s", "s").
				RetryPolicy(2, bt.ExponenialBackOffRetry, 5, 3).RateLimitFrequency(10, 4).ConcurrentExecutionLimit(7).
				ExecutionTimeout(600).PollTimeout(20).ResponseTimeout(30).TimeoutPolicy(bt.TimeOutTaskWorkflow))
		}},
	{name: "simple with retry only",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSimpleTask("s", "s").RetryPolicy(1, cg.FixedRetry, 0, 0))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSimpleTask("s", "s").RetryPolicy(1, bt.FixedRetry, 0, 0))
		},
		// conductor-go leaves a zero delay out, which Conductor reads as 60 s.
		fixed: []string{"tasks[0].taskDefinition.retryDelaySeconds"}},
	{name: "simple with execution timeout below the response timeout",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSimpleTask("s", "s").ExecutionTimeout(60))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSimpleTask("s", "s").ExecutionTimeout(60))
		},
		fixed: []string{"tasks[0].taskDefinition.responseTimeoutSeconds"}},
	{name: "simple with RetryTask timeout policy",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSimpleTask("s", "s").TimeoutPolicy(cg.RetryTask))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSimpleTask("s", "s").TimeoutPolicy(bt.RetryTask))
		},
		fixed: []string{"tasks[0].taskDefinition.timeoutPolicy"}},
	{name: "switch by value",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSwitchTask("sw", "${workflow.input.k}").Input("x", 1).Description("d").
				SwitchCase("a", cg.NewSimpleTask("a", "a"), cg.NewSimpleTask("a", "a2")).SwitchCase("b", cg.NewSimpleTask("b", "b")).
				DefaultCase(cg.NewSimpleTask("d", "d")))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSwitchTask("sw", "${workflow.input.k}").Input("x", 1).Description("d").
				SwitchCase("a", bt.NewSimpleTask("a", "a"), bt.NewSimpleTask("a", "a2")).SwitchCase("b", bt.NewSimpleTask("b", "b")).
				DefaultCase(bt.NewSimpleTask("d", "d")))
		}},
	{name: "switch by javascript",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSwitchTask("sw", "$.x ? 'a' : 'b'").UseJavascript(true).
				SwitchCase("a", cg.NewSimpleTask("a", "a")))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSwitchTask("sw", "$.x ? 'a' : 'b'").UseJavascript(true).
				SwitchCase("a", bt.NewSimpleTask("a", "a")))
		}},
	{name: "switch with an empty case",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSwitchTask("sw", "x").SwitchCase("a", cg.NewSimpleTask("a", "a")).
				SwitchCase("none").DefaultCase(cg.NewSimpleTask("d", "d")))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSwitchTask("sw", "x").SwitchCase("a", bt.NewSimpleTask("a", "a")).
				SwitchCase("none").DefaultCase(bt.NewSimpleTask("d", "d")))
		},
		// conductor-go drops the case, so its value runs the default case.
		fixed: []string{"tasks[0].decisionCases.none"}},
	{name: "fork with its join",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewForkTaskWithJoin("f", cg.NewJoinTask("j", "a", "b"),
				[]cg.TaskInterface{cg.NewSimpleTask("a", "a")}, []cg.TaskInterface{cg.NewSimpleTask("b", "b")}))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewForkTaskWithJoin("f", bt.NewJoinTask("j", "a", "b"),
				[]bt.TaskInterface{bt.NewSimpleTask("a", "a")}, []bt.TaskInterface{bt.NewSimpleTask("b", "b")}))
		}},
	{name: "fork with the default join",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewForkTask("f",
				[]cg.TaskInterface{cg.NewSimpleTask("a", "a"), cg.NewSimpleTask("a", "a2")}, []cg.TaskInterface{cg.NewSimpleTask("b", "b")}))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewForkTask("f",
				[]bt.TaskInterface{bt.NewSimpleTask("a", "a"), bt.NewSimpleTask("a", "a2")}, []bt.TaskInterface{bt.NewSimpleTask("b", "b")}))
		},
		// conductor-go's JOIN waits for nothing.
		fixed: []string{"tasks[1].joinOn"}},
	{name: "fork nested in a fork branch",
		cg: func() *cg.ConductorWorkflow {
			inner := cg.NewForkTaskWithJoin("in", cg.NewJoinTask("in_j", "x"), []cg.TaskInterface{cg.NewSimpleTask("x", "x")})
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewForkTaskWithJoin("f", cg.NewJoinTask("j", "in_j"),
				[]cg.TaskInterface{inner}))
		},
		bt: func() *bt.ConductorWorkflow {
			inner := bt.NewForkTaskWithJoin("in", bt.NewJoinTask("in_j", "x"), []bt.TaskInterface{bt.NewSimpleTask("x", "x")})
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewForkTaskWithJoin("f", bt.NewJoinTask("j", "in_j"),
				[]bt.TaskInterface{inner}))
		},
		// conductor-go keeps only the inner fork, not its JOIN.
		fixed: []string{"tasks[0].forkTasks[0]"}},
	{name: "dynamic fork",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").
				Add(cg.NewDynamicForkTask("df", cg.NewSimpleTask("prep", "prep").Input("n", 3))).
				Add(cg.NewDynamicForkTaskWithoutPrepareTask("df2").Input("forkedTasks", "${x.output.t}").Input("forkedTasksInputs", "${x.output.i}"))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").
				Add(bt.NewDynamicForkTask("df", bt.NewSimpleTask("prep", "prep").Input("n", 3))).
				Add(bt.NewDynamicForkTaskWithoutPrepareTask("df2").Input("forkedTasks", "${x.output.t}").Input("forkedTasksInputs", "${x.output.i}"))
		}},
	{name: "dynamic fork with its join",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewDynamicForkWithJoinTask("df", cg.NewSimpleTask("p", "p"), *cg.NewJoinTask("mine")))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewDynamicForkWithJoinTask("df", bt.NewSimpleTask("p", "p"), *bt.NewJoinTask("mine")))
		},
		// conductor-go ignores the JOIN given.
		fixed: []string{"tasks[2].name", "tasks[2].taskReferenceName"}},
	{name: "do while",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewDoWhileTask("l", "$.l['iteration'] < 2", cg.NewSimpleTask("a", "a")).Input("k", 1))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewDoWhileTask("l", "$.l['iteration'] < 2", bt.NewSimpleTask("a", "a")).Input("k", 1))
		}},
	{name: "loop",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewLoopTask("l", 3, cg.NewSimpleTask("a", "a")))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewLoopTask("l", 3, bt.NewSimpleTask("a", "a")))
		},
		fixed: []string{"tasks[0].loopCondition"}},
	{name: "dynamic",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewDynamicTask("d", "${workflow.input.t}").Input("a", 1))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewDynamicTask("d", "${workflow.input.t}").Input("a", 1))
		}},
	{name: "sub-workflows",
		cg: func() *cg.ConductorWorkflow {
			child := cg.NewConductorWorkflow(nil).Name("child").Add(cg.NewSimpleTask("c", "c"))
			return cg.NewConductorWorkflow(nil).Name("w").
				Add(cg.NewSubWorkflowTask("byName", "other", 3).TaskToDomain(map[string]string{"*": "d"}).Input("a", 1)).
				Add(cg.NewSubWorkflowTask("latest", "other", 0)).
				Add(cg.NewSubWorkflowInlineTask("inline", child))
		},
		bt: func() *bt.ConductorWorkflow {
			child := bt.NewConductorWorkflow(nil).Name("child").Add(bt.NewSimpleTask("c", "c"))
			return bt.NewConductorWorkflow(nil).Name("w").
				Add(bt.NewSubWorkflowTask("byName", "other", 3).TaskToDomain(map[string]string{"*": "d"}).Input("a", 1)).
				Add(bt.NewSubWorkflowTask("latest", "other", 0)).
				Add(bt.NewSubWorkflowInlineTask("inline", child))
		}},
	{name: "start workflow",
		cg: func() *cg.ConductorWorkflow {
			v := int32(2)
			return cg.NewConductorWorkflow(nil).Name("w").
				Add(cg.NewStartWorkflowTask("s1", "other", &v, &cgmodel.StartWorkflowRequest{Input: map[string]any{"a": 1}, CorrelationId: "c"})).
				Add(cg.NewStartWorkflowTask("s2", "other", nil, &cgmodel.StartWorkflowRequest{}))
		},
		bt: func() *bt.ConductorWorkflow {
			v := int32(2)
			return bt.NewConductorWorkflow(nil).Name("w").
				Add(bt.NewStartWorkflowTask("s1", "other", &v, &model.StartWorkflowRequest{Input: map[string]any{"a": 1}, CorrelationId: "c"})).
				Add(bt.NewStartWorkflowTask("s2", "other", nil, &model.StartWorkflowRequest{}))
		}},
	{name: "waits and human",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewWaitTask("w1")).
				Add(cg.NewWaitForDurationTask("w2", 90*time.Second)).Add(cg.NewWaitForDurationTask("w3", 2*time.Hour)).
				Add(cg.NewWaitUntilTask("w4", "2030-01-01 10:00")).Add(cg.NewHumanTask("h").Input("form", "f"))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewWaitTask("w1")).
				Add(bt.NewWaitForDurationTask("w2", 90*time.Second)).Add(bt.NewWaitForDurationTask("w3", 2*time.Hour)).
				Add(bt.NewWaitUntilTask("w4", "2030-01-01 10:00")).Add(bt.NewHumanTask("h").Input("form", "f"))
		}},
	{name: "wait of a fraction of a second",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewWaitForDurationTask("w", 1500*time.Millisecond))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewWaitForDurationTask("w", 1500*time.Millisecond))
		},
		fixed: []string{"tasks[0].inputParameters.duration"}},
	{name: "terminate, set variable, inline, jq",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").
				Add(cg.NewSetVariableTask("v").Input("x", 1)).
				Add(cg.NewInlineTask("i", "$.x + 1").Input("x", "${workflow.variables.x}")).
				Add(cg.NewInlineGraalJSTask("g", "1")).
				Add(cg.NewJQTask("jq", ".a").Input("a", 1)).
				Add(cg.NewTerminateTask("t", cgmodel.FailedWorkflow, "r").Input("workflowOutput", map[string]any{"o": 1}))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").
				Add(bt.NewSetVariableTask("v").Input("x", 1)).
				Add(bt.NewInlineTask("i", "$.x + 1").Input("x", "${workflow.variables.x}")).
				Add(bt.NewInlineGraalJSTask("g", "1")).
				Add(bt.NewJQTask("jq", ".a").Input("a", 1)).
				Add(bt.NewTerminateTask("t", model.WorkflowFailed, "r").Input("workflowOutput", map[string]any{"o": 1}))
		}},
	{name: "http",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewHttpTask("h", &cg.HttpInput{
				Method: cg.POST, Uri: "http://x/${workflow.input.p}", Accept: "text/plain", ContentType: "application/json",
				Body: map[string]any{"a": 1},
			}).Optional(true)).Add(cg.NewHttpTask("h2", &cg.HttpInput{Uri: "http://y"}))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewHttpTask("h", &bt.HttpInput{
				Method: bt.POST, Uri: "http://x/${workflow.input.p}", Accept: "text/plain", ContentType: "application/json",
				Body: map[string]any{"a": 1},
			}).Optional(true)).Add(bt.NewHttpTask("h2", &bt.HttpInput{Uri: "http://y"}))
		}},
	{name: "http with headers and timeouts",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewHttpTask("h", &cg.HttpInput{
				Uri: "http://x", Headers: map[string][]string{"X-A": {"1"}}, ConnectionTimeOut: 100, ReadTimeout: 200,
			}))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewHttpTask("h", &bt.HttpInput{
				Uri: "http://x", Headers: map[string][]string{"X-A": {"1"}}, ConnectionTimeOut: 100, ReadTimeout: 200,
			}))
		},
		fixed: []string{
			"tasks[0].inputParameters.http_request.ConnectionTimeOut", "tasks[0].inputParameters.http_request.connectionTimeOut",
			"tasks[0].inputParameters.http_request.headers.X-A",
			"tasks[0].inputParameters.http_request.readTimeOut", "tasks[0].inputParameters.http_request.readTimeout",
		}},
	{name: "events and kafka",
		cg: func() *cg.ConductorWorkflow {
			return cg.NewConductorWorkflow(nil).Name("w").Add(cg.NewSqsEventTask("sqs", "q")).Add(cg.NewConductorEventTask("ev", "e")).
				Add(cg.NewKafkaPublishTask("k", &cg.KafkaPublishTaskInput{BootStrapServers: "b", Topic: "t", Value: "v", Key: "k"}))
		},
		bt: func() *bt.ConductorWorkflow {
			return bt.NewConductorWorkflow(nil).Name("w").Add(bt.NewSqsEventTask("sqs", "q")).Add(bt.NewConductorEventTask("ev", "e")).
				Add(bt.NewKafkaPublishTask("k", &bt.KafkaPublishTaskInput{BootStrapServers: "b", Topic: "t", Value: "v", Key: "k"}))
		}},
}

func TestBuilderMatchesConductorGo(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, err := canonical(tc.cg().ToWorkflowDef())
			require.NoError(t, err)
			got, err := canonical(tc.bt().ToWorkflowDef())
			require.NoError(t, err)
			fixed := tc.fixed
			if fixed == nil {
				fixed = []string{}
			}
			d := diff(want, got)
			if d == nil {
				d = []string{}
			}
			require.Equal(t, fixed, d, "conductor-go: %v\nbaton:       %v", want, got)
		})
	}
}
