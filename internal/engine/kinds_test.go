package engine

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// SetVariableTaskSpec "passing variables payload size threshold": the
// variables stay as they were and the task fails with a terminal error.
func TestSetVariableSizeLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxWorkflowVariablesSize = 1024 })
	d := model.NewWorkflowDef("vars")
	d.Tasks = []model.WorkflowTask{
		{Name: "small", TaskReferenceName: "small", Type: model.TaskTypeSetVariable, InputParameters: map[string]any{"a": "x"}},
		{Name: "big", TaskReferenceName: "big", Type: model.TaskTypeSetVariable, InputParameters: map[string]any{"b": "${workflow.input.big}"}},
	}
	h.workflowDef(d)
	id := h.start("vars", map[string]any{"big": strings.Repeat("y", 2000)})
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	require.Equal(t, map[string]any{"a": "x"}, wf.Variables)
	big := wf.TaskByRefName("big")
	require.Equal(t, model.TaskFailedWithTerminalError, big.Status)
	require.Equal(t, "The variables payload size: 2016 of workflow: "+id+" is greater than the permissible limit: 1 kilobytes", big.ReasonForIncompletion)
}

func sysDef(name string, tasks ...model.WorkflowTask) *model.WorkflowDef {
	d := model.NewWorkflowDef(name)
	d.Tasks = tasks
	return d
}

func TestScriptsThatMisbehaveFailTheirTask(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Script.Timeout = 50 * time.Millisecond; c.Script.MaxOutputSize = 1000 })
	cases := []struct {
		name, typ, expr string
		status          model.TaskStatus
		reason          string
	}{
		{"loops", model.TaskTypeInline, "while (true) {}", model.TaskFailed, "Script not evaluated"},
		{"throws", model.TaskTypeInline, "throw 'nope'", model.TaskFailedWithTerminalError, "nope"},
		{"huge", model.TaskTypeInline, "'x'.repeat(5000)", model.TaskFailedWithTerminalError, ""},
		{"lambdaloops", model.TaskTypeLambda, "for (;;) {}", model.TaskFailed, "Script not evaluated"},
		{"syntax", model.TaskTypeLambda, "return {", model.TaskFailed, "Error evaluating the script"},
	}
	for _, c := range cases {
		key := "expression"
		if c.typ == model.TaskTypeLambda {
			key = "scriptExpression"
		}
		h.workflowDef(sysDef(c.name, model.WorkflowTask{Name: c.name, TaskReferenceName: "s", Type: c.typ, InputParameters: map[string]any{key: c.expr}}))
		wf := h.workflow(h.start(c.name, nil))
		require.Equal(t, model.WorkflowFailed, wf.Status, c.name)
		task := wf.TaskByRefName("s")
		require.Equal(t, c.status, task.Status, c.name)
		require.Contains(t, task.ReasonForIncompletion, c.reason, c.name)
		require.NotEmpty(t, task.ReasonForIncompletion, c.name)
	}
}

func TestSubWorkflowThatStartsItselfStopsAtTheDepthLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxSubWorkflowDepth = 3 })
	h.workflowDef(sysDef("again", model.WorkflowTask{Name: "again", TaskReferenceName: "again", Type: model.TaskTypeSubWorkflow,
		SubWorkflowParam: &model.SubWorkflowParams{Name: "again"}}))
	id := h.start("again", nil)
	h.e.RunDueTimers()
	// Four workflows: the root and three below it; the last fails to start a
	// fourth, and the failure climbs back up.
	depth := 0
	for cur := id; ; depth++ {
		wf := h.workflow(cur)
		require.Equal(t, model.WorkflowFailed, wf.Status)
		task := wf.TaskByRefName("again")
		if task.SubWorkflowId == "" {
			require.Contains(t, task.ReasonForIncompletion, "MaxSubWorkflowDepth")
			break
		}
		cur = task.SubWorkflowId
	}
	require.Equal(t, 3, depth)
}

func TestHTTPTaskToADisallowedHostMakesNoRequest(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	t.Cleanup(srv.Close)
	h := newHarness(t, func(c *Config) { c.HTTPTaskAllowedHosts = []string{"api.example.com", "*.internal.example"} })
	h.workflowDef(sysDef("call", model.WorkflowTask{Name: "call", TaskReferenceName: "call", Type: model.TaskTypeHTTP,
		InputParameters: map[string]any{"http_request": map[string]any{"uri": srv.URL, "method": "GET"}}}))
	id := h.start("call", nil)
	h.e.RunDueTimers()
	task := h.workflow(id).TaskByRefName("call")
	require.Equal(t, model.TaskFailed, task.Status)
	require.Contains(t, task.ReasonForIncompletion, "host 127.0.0.1 is not in the server's HTTPTaskAllowedHosts")
	require.Zero(t, calls.Load())
}

func TestHTTPTaskRedirectToADisallowedHostIsNotFollowed(t *testing.T) {
	t.Parallel()
	var reached atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	t.Cleanup(target.Close)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(target.URL, "127.0.0.1", "localhost", 1), http.StatusFound)
	}))
	t.Cleanup(redirect.Close)
	h := newHarness(t, func(c *Config) { c.HTTPTaskAllowedHosts = []string{"127.0.0.1"} })
	h.workflowDef(sysDef("call", model.WorkflowTask{Name: "call", TaskReferenceName: "call", Type: model.TaskTypeHTTP,
		InputParameters: map[string]any{"uri": redirect.URL, "method": "GET"}}))
	id := h.start("call", nil)
	h.e.RunDueTimers()
	task := h.workflow(id).TaskByRefName("call")
	require.Equal(t, model.TaskFailed, task.Status)
	require.Contains(t, task.ReasonForIncompletion, "host localhost is not in the server's HTTPTaskAllowedHosts")
	require.Zero(t, reached.Load())
}

func TestUnsupportedTaskTypesAreRefusedAtRegistration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, wt := range []model.WorkflowTask{
		{Name: "k", TaskReferenceName: "kafka_ref", Type: model.TaskTypeKafkaPublish},
		{Name: "j", TaskReferenceName: "jdbc_ref", Type: "JDBC"},
		{Name: "l", TaskReferenceName: "llm_ref", Type: "LLM_CHAT_COMPLETE"},
		{Name: "m", TaskReferenceName: "mcp_ref", Type: "CALL_MCP_TOOL"},
		{Name: "a", TaskReferenceName: "agent_ref", Type: "AGENT"},
		{Name: "p", TaskReferenceName: "py_ref", Type: model.TaskTypeInline, InputParameters: map[string]any{"evaluatorType": "python", "expression": "1"}},
	} {
		err := h.e.RegisterWorkflowDef(h.ctx, sysDef("bad", wt), true)
		require.Error(t, err, wt.Type)
		require.Equal(t, KindInvalid, KindOf(err))
		var e *Error
		require.ErrorAs(t, err, &e)
		require.Contains(t, fmt.Sprint(e.ValidationErrors), wt.TaskReferenceName)
		require.Contains(t, fmt.Sprint(e.ValidationErrors), "not supported by Baton")
	}
}

func TestSystemTaskDefinitionRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, c := range []struct {
		wt   model.WorkflowTask
		want string
	}{
		{model.WorkflowTask{Name: "s", TaskReferenceName: "s", Type: model.TaskTypeSubWorkflow}, "subWorkflowParam field is required for taskType: SUB_WORKFLOW taskName: s"},
		{model.WorkflowTask{Name: "j", TaskReferenceName: "j", Type: model.TaskTypeJSONJQTransform}, "inputParameters.queryExpression field is required"},
		{model.WorkflowTask{Name: "h", TaskReferenceName: "h", Type: model.TaskTypeHTTP}, "inputParameters.http_request or inputParameters.uri field is required"},
		{model.WorkflowTask{Name: "t", TaskReferenceName: "t", Type: model.TaskTypeTerminate, InputParameters: map[string]any{"terminationStatus": "DONE"}}, "terminate task must have an terminationStatus parameter"},
		{model.WorkflowTask{Name: "w", TaskReferenceName: "w", Type: model.TaskTypeWait, InputParameters: map[string]any{"duration": "1s", "until": "2030-01-01"}}, "Both 'duration' and 'until' specified"},
		{model.WorkflowTask{Name: "w", TaskReferenceName: "w", Type: model.TaskTypeWait, InputParameters: map[string]any{"until": "tomorrow"}}, "Unable to parse date"},
	} {
		err := h.e.RegisterWorkflowDef(h.ctx, sysDef("rules", c.wt), true)
		var e *Error
		require.ErrorAs(t, err, &e, c.want)
		require.Contains(t, fmt.Sprint(e.ValidationErrors), c.want)
	}
}

// An idempotent request answered 503 is sent once more a second later, as
// Conductor's HttpClient 5 does (DefaultHttpRequestRetryStrategy), within
// one attempt of the task; a POST is not.
func TestHTTPTaskRetriesA503WithinTheAttempt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method    string
		want      model.TaskStatus
		wantCalls int64
	}{
		{http.MethodGet, model.TaskCompleted, 2},
		{http.MethodPost, model.TaskFailed, 1},
	} {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				_, _ = io.WriteString(w, `{"ok":true}`)
			}))
			t.Cleanup(srv.Close)
			h := newHarness(t)
			h.workflowDef(sysDef("call", model.WorkflowTask{Name: "call", TaskReferenceName: "call", Type: model.TaskTypeHTTP,
				InputParameters: map[string]any{"http_request": map[string]any{"uri": srv.URL, "method": tc.method}}}))
			id := h.start("call", nil)
			done := make(chan struct{})
			go func() { h.e.RunDueTimers(); close(done) }()
			for calls.Load() < tc.wantCalls {
				h.clock.Advance(100 * time.Millisecond) // the retry waits on the engine's clock
				runtime.Gosched()
			}
			<-done
			wf := h.workflow(id)
			require.Len(t, wf.Tasks, 1, "one attempt")
			require.Equal(t, tc.want, wf.Tasks[0].Status)
			require.Equal(t, tc.wantCalls, calls.Load())
		})
	}
}
