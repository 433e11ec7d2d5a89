package engine

import (
	"encoding/json"
	"testing"

	"github.com/batonhq/baton/model"
)

// FuzzValidateWorkflowDef: whatever definition a client sends, validation
// and registration answer nil or an *Error the API can map to a status
// (never a panic, never a bare error), registration accepts exactly what
// validation accepts, and a registered definition reads back.
func FuzzValidateWorkflowDef(f *testing.F) {
	for _, seed := range []string{
		`{"name":"wf","tasks":[{"name":"t","taskReferenceName":"r","type":"SIMPLE"}]}`,
		`{"name":"wf","version":-1,"timeoutPolicy":"TIME_OUT_WF","timeoutSeconds":0,"tasks":[]}`,
		`{"name":"wf","tasks":[{"name":"t","taskReferenceName":"r","inputParameters":{"a":"${workflow.input.x}","b":"${r.output[?(@.x)]}"}}]}`,
		`{"name":"wf","tasks":[{"name":"s","taskReferenceName":"s","type":"SWITCH","evaluatorType":"javascript","expression":"$.x ? 'a' : 'b'","decisionCases":{"a":[{"name":"t","taskReferenceName":"s"}]}}]}`,
		`{"name":"wf","tasks":[{"name":"f","taskReferenceName":"f","type":"FORK_JOIN","forkTasks":[[{"name":"t","taskReferenceName":"a"}],[]]},{"name":"j","taskReferenceName":"j","type":"JOIN","joinOn":["a","zz"]}]}`,
		`{"name":"wf","tasks":[{"name":"d","taskReferenceName":"d","type":"DO_WHILE","loopCondition":"if ($.d['iteration'] < 3) { true; }","loopOver":[{"name":"d","taskReferenceName":"d"}]}]}`,
		`{"name":"wf","tasks":[{"name":"sw","taskReferenceName":"sw","type":"SUB_WORKFLOW","subWorkflowParam":{"name":"wf","version":0}}]}`,
		`{"name":"wf","tasks":[{"name":"dy","taskReferenceName":"dy","type":"DYNAMIC","dynamicTaskNameParam":""},{"name":"x","taskReferenceName":"x","type":"FORK_JOIN_DYNAMIC"}]}`,
		`{"name":"wf","failureWorkflow":"$x","tasks":[{"name":"t","taskReferenceName":"r","taskDefinition":{"name":"t","retryLogic":"X","retryCount":-1,"responseTimeoutSeconds":0}}]}`,
		`{"name":"wf","tasks":[{"name":"t","taskReferenceName":"r","type":"WAIT","inputParameters":{"duration":"1 fortnight"}},{"name":"h","taskReferenceName":"h","type":"HTTP"},{"name":"j","taskReferenceName":"j","type":"JSON_JQ_TRANSFORM","inputParameters":{"queryExpression":"{"}}]}`,
		`{"name":"","tasks":null}`,
	} {
		f.Add(seed)
	}
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body string) {
		var def model.WorkflowDef
		if json.Unmarshal([]byte(body), &def) != nil {
			return
		}
		verr := h.e.ValidateWorkflowDef(h.ctx, &def)
		checkClientError(t, "ValidateWorkflowDef", body, verr)
		rerr := h.e.RegisterWorkflowDef(h.ctx, &def, true)
		checkClientError(t, "RegisterWorkflowDef", body, rerr)
		if (verr == nil) != (rerr == nil) {
			t.Fatalf("%s: ValidateWorkflowDef says %v, RegisterWorkflowDef says %v", body, verr, rerr)
		}
		if rerr == nil {
			if _, err := h.e.GetWorkflowDef(h.ctx, def.Name, def.Version); err != nil {
				t.Fatalf("%s: registered, then GetWorkflowDef: %v", body, err)
			}
		}
	})
}

// checkClientError fails unless err is nil or an *Error a client caused.
func checkClientError(t *testing.T, op, body string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	switch KindOf(err) {
	case KindInvalid, KindNotFound, KindConflict:
	default:
		t.Fatalf("%s(%s): %T %v is not a client error", op, body, err, err)
	}
}
