package scenario

import "fmt"

// Builders for the control-flow operators in the harness's workflow fixtures
// (test-harness/src/test/resources/*.json), so the spec ports read like the definitions they
// register. System tasks keep their fixture names: only SIMPLE task names carry the prefix.

// registerHarnessTasks registers integration_task_<n> for each n as WorkflowTestUtil does
// (retryCount 1, timeout 120 s, response timeout 120 s); overrides replace fields by name.
func (s *S) registerHarnessTasks(overrides map[string]M, ns ...int) {
	defs := make([]M, 0, len(ns))
	for _, n := range ns {
		name := fmt.Sprintf("integration_task_%d", n)
		defs = append(defs, s.harnessTask(name, 1, 120, 120, overrides[name]))
	}
	s.RegisterTaskDefs(defs...)
}

// p12 is the input most fixture tasks take: p1 and p2 from the workflow's param1 and param2.
func p12() M { return M{"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}"} }

// it is integration_task_<n> with reference ref and the p12 input.
func (s *S) it(n int, ref string) M {
	return s.Simple(fmt.Sprintf("integration_task_%d", n), ref, M{"inputParameters": p12()})
}

// list turns tasks into a JSON task list.
func list(tasks ...M) []any {
	out := make([]any, len(tasks))
	for i, t := range tasks {
		out[i] = t
	}
	return out
}

// condOp is SWITCH (value-param evaluator) or its deprecated form DECISION (caseValueParam):
// SwitchTaskSpec and DecisionTaskSpec are one spec over the two.
type condOp struct {
	Type string // SWITCH or DECISION
	// OutKey is the output field naming the chosen case: evaluationResult or caseOutput.
	OutKey string
}

var (
	opSwitch   = condOp{Type: "SWITCH", OutKey: "evaluationResult"}
	opDecision = condOp{Type: "DECISION", OutKey: "caseOutput"}
)

// task builds the operator deciding on input parameter param.
func (o condOp) task(name, ref, param string, input M, cases map[string][]any, def []any) M {
	dc := M{}
	for k, v := range cases {
		dc[k] = v
	}
	t := M{"name": name, "taskReferenceName": ref, "type": o.Type, "inputParameters": input, "decisionCases": dc}
	if def != nil {
		t["defaultCase"] = def
	}
	if o.Type == "SWITCH" {
		t["evaluatorType"] = "value-param"
		t["expression"] = param
	} else {
		t["caseValueParam"] = param
	}
	return t
}

// forkJoin is a FORK_JOIN with the given branches.
func forkJoin(ref string, branches ...[]any) M {
	fb := make([]any, len(branches))
	for i, b := range branches {
		fb[i] = b
	}
	return M{"name": ref, "taskReferenceName": ref, "type": "FORK_JOIN", "forkTasks": fb}
}

// join is a JOIN on the given references.
func join(ref string, on ...string) M {
	return M{"name": ref, "taskReferenceName": ref, "type": "JOIN", "joinOn": strs(on)}
}

func strs(l []string) []any {
	out := make([]any, len(l))
	for i, v := range l {
		out[i] = v
	}
	return out
}

// taskAt returns row i of a workflow's tasks (nil when there is none).
func taskAt(wf M, i int) M {
	ts := Tasks(wf)
	if i < 0 || i >= len(ts) {
		return nil
	}
	return ts[i]
}

// outOf returns row i's outputData.
func outOf(wf M, i int) M {
	o, _ := taskAt(wf, i)["outputData"].(M)
	return o
}

// inOf returns row i's inputData.
func inOf(wf M, i int) M {
	o, _ := taskAt(wf, i)["inputData"].(M)
	return o
}

// flowSpecScenarios are the ports of the control-flow operators' specs.
func flowSpecScenarios() []Scenario {
	var out []Scenario
	for _, g := range [][]Scenario{switchSpecScenarios(), exclusiveJoinSpecScenarios(), forkJoinSpecScenarios(),
		dynamicForkSpecScenarios(), doWhileSpecScenarios()} {
		out = append(out, g...)
	}
	return out
}
