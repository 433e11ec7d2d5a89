package workflow_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// tasksJSON is the JSON of the tasks of a workflow holding only task.
func tasksJSON(t *testing.T, task workflow.TaskInterface) string {
	t.Helper()
	def := workflow.NewConductorWorkflow(nil).Name("w").Add(task).ToWorkflowDef()
	b, err := json.Marshal(def.Tasks)
	require.NoError(t, err)
	return string(b)
}

// Each builder's workflow tasks. Baton's model writes startDelay, optional,
// asyncComplete and permissive always, as Conductor's server does.
const flags = `"startDelay":0,"optional":false,"asyncComplete":false,"permissive":false`

func TestBuilderJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		task workflow.TaskInterface
		want string
	}{
		{"simple", workflow.NewSimpleTask("greet", "greet_ref").Input("name", "${workflow.input.name}").Description("says hello"),
			`[{"name":"greet","taskReferenceName":"greet_ref","description":"says hello","inputParameters":{"name":"${workflow.input.name}"},"type":"SIMPLE",` + flags + `}]`},
		{"simple optional cached", workflow.NewSimpleTask("greet", "g").Optional(true).CacheConfig("${workflow.input.k}", 60),
			`[{"name":"greet","taskReferenceName":"g","type":"SIMPLE","startDelay":0,"optional":true,"asyncComplete":false,"cacheConfig":{"key":"${workflow.input.k}","ttlInSecond":60},"permissive":false}]`},
		{"switch value", workflow.NewSwitchTask("sw", "${workflow.input.kind}").
			SwitchCase("a", workflow.NewSimpleTask("ta", "ta")).DefaultCase(workflow.NewSimpleTask("td", "td")),
			`[{"name":"sw","taskReferenceName":"sw","inputParameters":{"switchCaseValue":"${workflow.input.kind}"},"type":"SWITCH",
			  "decisionCases":{"a":[{"name":"ta","taskReferenceName":"ta","type":"SIMPLE",` + flags + `}]},
			  "defaultCase":[{"name":"td","taskReferenceName":"td","type":"SIMPLE",` + flags + `}],` + flags + `,
			  "evaluatorType":"value-param","expression":"switchCaseValue"}]`},
		{"switch javascript", workflow.NewSwitchTask("sw", "$.x > 1 ? 'big' : 'small'").UseJavascript(true).Input("x", 2).
			SwitchCase("big", workflow.NewSimpleTask("b", "b")),
			`[{"name":"sw","taskReferenceName":"sw","inputParameters":{"x":2},"type":"SWITCH",
			  "decisionCases":{"big":[{"name":"b","taskReferenceName":"b","type":"SIMPLE",` + flags + `}]},` + flags + `,
			  "evaluatorType":"javascript","expression":"$.x > 1 ? 'big' : 'small'"}]`},
		{"fork", workflow.NewForkTask("f", []workflow.TaskInterface{workflow.NewSimpleTask("a", "a1"), workflow.NewSimpleTask("a", "a2")},
			[]workflow.TaskInterface{workflow.NewSimpleTask("b", "b1")}),
			`[{"name":"f","taskReferenceName":"f","type":"FORK_JOIN","forkTasks":[
			   [{"name":"a","taskReferenceName":"a1","type":"SIMPLE",` + flags + `},{"name":"a","taskReferenceName":"a2","type":"SIMPLE",` + flags + `}],
			   [{"name":"b","taskReferenceName":"b1","type":"SIMPLE",` + flags + `}]],` + flags + `},
			  {"name":"f_join","taskReferenceName":"f_join","type":"JOIN","joinOn":["a2","b1"],` + flags + `}]`},
		{"fork with join", workflow.NewForkTaskWithJoin("f", workflow.NewJoinTask("j", "a1"), []workflow.TaskInterface{workflow.NewSimpleTask("a", "a1")}),
			`[{"name":"f","taskReferenceName":"f","type":"FORK_JOIN","forkTasks":[[{"name":"a","taskReferenceName":"a1","type":"SIMPLE",` + flags + `}]],` + flags + `},
			  {"name":"j","taskReferenceName":"j","type":"JOIN","joinOn":["a1"],` + flags + `}]`},
		{"dynamic fork", workflow.NewDynamicForkTask("df", workflow.NewSimpleTask("prep", "prep")),
			`[{"name":"prep","taskReferenceName":"prep","type":"SIMPLE",` + flags + `},
			  {"name":"df","taskReferenceName":"df","inputParameters":{"forkedTasks":"${prep.output.forkedTasks}","forkedTasksInputs":"${prep.output.forkedTasksInputs}"},
			   "type":"FORK_JOIN_DYNAMIC","dynamicForkTasksParam":"forkedTasks","dynamicForkTasksInputParamName":"forkedTasksInputs",` + flags + `},
			  {"name":"df_join","taskReferenceName":"df_join","type":"JOIN",` + flags + `}]`},
		{"loop", workflow.NewLoopTask("loop", 3, workflow.NewSimpleTask("s", "s")),
			`[{"name":"loop","taskReferenceName":"loop","inputParameters":{"loop_count":3},"type":"DO_WHILE",` + flags + `,
			  "loopCondition":"if ( $.loop['iteration'] < $.loop_count ) { true; } else { false; }",
			  "loopOver":[{"name":"s","taskReferenceName":"s","type":"SIMPLE",` + flags + `}]}]`},
		{"dynamic", workflow.NewDynamicTask("dyn", "${workflow.input.type}"),
			`[{"name":"dyn","taskReferenceName":"dyn","inputParameters":{"taskToExecute":"${workflow.input.type}"},"type":"DYNAMIC","dynamicTaskNameParam":"taskToExecute",` + flags + `}]`},
		{"sub workflow", workflow.NewSubWorkflowTask("sub", "child", 2).TaskToDomain(map[string]string{"*": "blue"}),
			`[{"name":"sub","taskReferenceName":"sub","type":"SUB_WORKFLOW","subWorkflowParam":{"name":"child","version":2,"taskToDomain":{"*":"blue"}},` + flags + `}]`},
		{"start workflow", workflow.NewStartWorkflowTask("sw", "child", nil, &model.StartWorkflowRequest{Input: map[string]any{"a": 1}, CorrelationId: "c"}),
			`[{"name":"sw","taskReferenceName":"sw","inputParameters":{"startWorkflow":{"name":"child","version":null,"input":{"a":1},"correlationId":"c"}},"type":"START_WORKFLOW",` + flags + `}]`},
		{"wait", workflow.NewWaitTask("w"), `[{"name":"w","taskReferenceName":"w","type":"WAIT",` + flags + `}]`},
		{"wait duration", workflow.NewWaitForDurationTask("w", 90*time.Second),
			`[{"name":"w","taskReferenceName":"w","inputParameters":{"duration":"1m30s"},"type":"WAIT",` + flags + `}]`},
		{"wait sub-second", workflow.NewWaitForDurationTask("w", 1500*time.Millisecond),
			`[{"name":"w","taskReferenceName":"w","inputParameters":{"duration":"2s"},"type":"WAIT",` + flags + `}]`},
		{"wait until", workflow.NewWaitUntilTask("w", "2030-01-02 10:00"),
			`[{"name":"w","taskReferenceName":"w","inputParameters":{"until":"2030-01-02 10:00"},"type":"WAIT",` + flags + `}]`},
		{"human", workflow.NewHumanTask("h"), `[{"name":"h","taskReferenceName":"h","type":"HUMAN",` + flags + `}]`},
		{"terminate", workflow.NewTerminateTask("t", model.WorkflowFailed, "no"),
			`[{"name":"t","taskReferenceName":"t","inputParameters":{"terminationReason":"no","terminationStatus":"FAILED"},"type":"TERMINATE",` + flags + `}]`},
		{"set variable", workflow.NewSetVariableTask("v").Input("n", 1),
			`[{"name":"v","taskReferenceName":"v","inputParameters":{"n":1},"type":"SET_VARIABLE",` + flags + `}]`},
		{"inline", workflow.NewInlineTask("i", "$.a + 1").Input("a", 1),
			`[{"name":"i","taskReferenceName":"i","inputParameters":{"a":1,"evaluatorType":"javascript","expression":"$.a + 1"},"type":"INLINE",` + flags + `}]`},
		{"inline graaljs", workflow.NewInlineGraalJSTask("i", "1"),
			`[{"name":"i","taskReferenceName":"i","inputParameters":{"evaluatorType":"graaljs","expression":"1"},"type":"INLINE",` + flags + `}]`},
		{"jq", workflow.NewJQTask("jq", ".a"),
			`[{"name":"jq","taskReferenceName":"jq","inputParameters":{"queryExpression":".a"},"type":"JSON_JQ_TRANSFORM",` + flags + `}]`},
		{"http", workflow.NewHttpTask("h", &workflow.HttpInput{Uri: "http://x/y", Headers: map[string][]string{"X-A": {"1", "2"}}, ConnectionTimeOut: 100, ReadTimeout: 200}),
			`[{"name":"HTTP","taskReferenceName":"h","inputParameters":{"http_request":{"method":"GET","uri":"http://x/y","headers":{"X-A":"1, 2"},"connectionTimeOut":100,"readTimeOut":200}},"type":"HTTP",` + flags + `}]`},
		{"simple with retry policy", workflow.NewSimpleTask("s", "s").RetryPolicy(2, workflow.ExponentialBackoffRetry, 5, 2).ExecutionTimeout(60),
			`[{"name":"s","taskReferenceName":"s","type":"SIMPLE","startDelay":0,"optional":false,"taskDefinition":{"name":"s","retryCount":2,"timeoutSeconds":60,
			  "timeoutPolicy":"TIME_OUT_WF","retryLogic":"EXPONENTIAL_BACKOFF","retryDelaySeconds":5,"responseTimeoutSeconds":60,"rateLimitPerFrequency":0,
			  "rateLimitFrequencyInSeconds":1,"backoffScaleFactor":2,"maxRetryDelaySeconds":0,"backoffJitterMs":0,"totalTimeoutSeconds":0,
			  "taskStatusListenerEnabled":true,"enforceSchema":false},"asyncComplete":false,"permissive":false}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.JSONEq(t, tc.want, tasksJSON(t, tc.task))
		})
	}
}

func TestWorkflowDefJSON(t *testing.T) {
	t.Parallel()
	def := workflow.NewConductorWorkflow(nil).Name("orders").Version(3).Description("d").OwnerEmail("a@b.c").
		TimeoutPolicy(workflow.TimeOutWorkflow, 60).FailureWorkflow("cleanup").Restartable(false).
		InputParameters("id").InputTemplate(map[string]any{"id": 1}).Variables(struct {
		N int `json:"n"`
	}{2}).OutputParameters(map[string]any{"r": "${s.output}"}).
		Add(workflow.NewSimpleTask("s", "s")).ToWorkflowDef()
	b, err := json.Marshal(def)
	require.NoError(t, err)
	require.JSONEq(t, `{"name":"orders","description":"d","version":3,"tasks":[{"name":"s","taskReferenceName":"s","type":"SIMPLE",`+flags+`}],
		"inputParameters":["id"],"outputParameters":{"r":"${s.output}"},"failureWorkflow":"cleanup","schemaVersion":2,"restartable":false,
		"workflowStatusListenerEnabled":false,"ownerEmail":"a@b.c","timeoutPolicy":"TIME_OUT_WF","timeoutSeconds":60,
		"variables":{"n":2},"inputTemplate":{"id":1},"enforceSchema":true}`, string(b))
}

// The definition does not change when a builder is changed afterwards.
func TestToWorkflowDefIsACopy(t *testing.T) {
	t.Parallel()
	task := workflow.NewSimpleTask("s", "s").Input("a", 1)
	wf := workflow.NewConductorWorkflow(nil).Name("w").Add(task)
	def := wf.ToWorkflowDef()
	task.Input("a", 2)
	require.Equal(t, 1, def.Tasks[0].InputParameters["a"])
	require.Equal(t, 2, wf.ToWorkflowDef().Tasks[0].InputParameters["a"])
}

func TestValidate(t *testing.T) {
	t.Parallel()
	simple := func(ref string) *workflow.SimpleTask { return workflow.NewSimpleTask("s", ref) }
	for _, tc := range []struct {
		name string
		wf   *workflow.ConductorWorkflow
		want []string // problems, in order
	}{
		{"valid", workflow.NewConductorWorkflow(nil).Name("w").Add(simple("a")), nil},
		{"no name, no tasks", workflow.NewConductorWorkflow(nil), []string{"name is empty", "no tasks (add one with Add)"}},
		{"empty task names", workflow.NewConductorWorkflow(nil).Name("w").Add(workflow.NewSimpleTask("", "a")).Add(workflow.NewSimpleTask("s", "")),
			[]string{`SIMPLE "a": name is empty`, `SIMPLE (task 2): reference name is empty`}},
		{"duplicate refs", workflow.NewConductorWorkflow(nil).Name("w").Add(simple("a")).
			Add(workflow.NewForkTask("f", []workflow.TaskInterface{simple("a")})),
			[]string{`SIMPLE "a": reference name is used by another task too`}},
		{"join on unknown", workflow.NewConductorWorkflow(nil).Name("w").Add(simple("a")).Add(workflow.NewJoinTask("j", "a", "zz")),
			[]string{`JOIN "j": joinOn names "zz", which is no task of the workflow`}},
		{"switch without cases", workflow.NewConductorWorkflow(nil).Name("w").Add(workflow.NewSwitchTask("sw", "${workflow.input.x}").DefaultCase(simple("d"))),
			[]string{`SWITCH "sw": no cases (add one with SwitchCase)`}},
		{"do while without tasks", workflow.NewConductorWorkflow(nil).Name("w").Add(workflow.NewDoWhileTask("l", "false")),
			[]string{`DO_WHILE "l": no tasks to loop over`}},
		{"loop without tasks", workflow.NewConductorWorkflow(nil).Name("w").Add(workflow.NewLoopTask("l", 2)),
			[]string{`DO_WHILE "l": no tasks to loop over`}},
		{"http without uri", workflow.NewConductorWorkflow(nil).Name("w").Add(workflow.NewHttpTask("h", nil)),
			[]string{`HTTP "h": http_request has no uri`}},
		{"nested problems", workflow.NewConductorWorkflow(nil).Name("w").Add(workflow.NewSwitchTask("sw", "x").
			SwitchCase("a", workflow.NewSimpleTask("", "n"))),
			[]string{`SIMPLE "n": name is empty`}},
		{"inline sub-workflow", workflow.NewConductorWorkflow(nil).Name("w").
			Add(workflow.NewSubWorkflowInlineTask("sub", workflow.NewConductorWorkflow(nil).Name("child"))),
			[]string{`SUB_WORKFLOW "sub": inline workflow "child": no tasks (add one with Add)`}},
		{"output not an object", workflow.NewConductorWorkflow(nil).Name("w").Add(simple("a")).OutputParameters([]int{1}),
			[]string{"OutputParameters: []int does not encode to a JSON object"}},
		{"terminate status", workflow.NewConductorWorkflow(nil).Name("w").Add(workflow.NewTerminateTask("t", model.WorkflowRunning, "")),
			[]string{`TERMINATE "t": termination status RUNNING is not COMPLETED, FAILED or TERMINATED`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.wf.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			var verr *workflow.ValidationError
			require.ErrorAs(t, err, &verr)
			require.Equal(t, tc.want, verr.Problems)
		})
	}
}

// Register, the starts and Execute refuse an invalid workflow before
// sending anything.
func TestInvalidWorkflowSendsNothing(t *testing.T) {
	t.Parallel()
	api, err := client.NewAPIClientWithConfig(client.Config{HTTPClient: &http.Client{
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			t.Errorf("request sent: %s %s", r.Method, r.URL)
			return nil, errors.New("no requests in this test")
		}),
	}})
	require.NoError(t, err)
	exec := executor.NewWorkflowExecutor(api)
	defer exec.Close()
	wf := workflow.NewConductorWorkflow(exec).Name("w").Add(workflow.NewSwitchTask("sw", "x"))
	var verr *workflow.ValidationError
	require.ErrorAs(t, wf.Register(true), &verr)
	_, err = wf.StartWorkflowWithInput(map[string]any{})
	require.ErrorAs(t, err, &verr)
	_, err = wf.StartWorkflow(&model.StartWorkflowRequest{})
	require.ErrorAs(t, err, &verr)
	_, err = wf.ExecuteWorkflowWithInput(nil, "")
	require.ErrorAs(t, err, &verr)
	_, err = workflow.Execute[map[string]any](t.Context(), wf, nil)
	require.ErrorAs(t, err, &verr)
	require.Equal(t, []string{`SWITCH "sw": no cases (add one with SwitchCase)`}, verr.Problems)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
