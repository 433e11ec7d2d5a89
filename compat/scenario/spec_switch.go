package scenario

import "net/http"

// Ports of SwitchTaskSpec.groovy and DecisionTaskSpec.groovy (test-harness/src/test/groovy/com/
// netflix/conductor/test/integration/, v3.32.1). The two specs are one feature list over SWITCH
// (value-param) and the deprecated DECISION (caseValueParam), so each feature runs for both; the
// spec's sweep + asyncSystemTaskExecutor.execute(joinTask) becomes waiting for the JOIN to finish.

const (
	switchSpec   = "SwitchTaskSpec: "
	decisionSpec = "DecisionTaskSpec: "
)

func switchSpecScenarios() []Scenario {
	var out []Scenario
	for _, v := range []struct {
		op     condOp
		prefix string
		spec   string
	}{{opSwitch, "spec_switch_", switchSpec}, {opDecision, "spec_decision_", decisionSpec}} {
		op := v.op
		kind := "switch"
		if op.Type == "DECISION" {
			kind = "decision"
		}
		out = append(out,
			Scenario{Name: v.prefix + "simple", Source: v.spec + "Test simple " + kind + " workflow", Run: func(s *S) { specCondSimple(s, op) }},
			Scenario{Name: v.prefix + "fork_join", Source: v.spec + "Test a workflow that has a " + kind + " task that leads to a fork join", Run: func(s *S) { specCondForkJoin(s, op) }},
			Scenario{Name: v.prefix + "default_case", Source: v.spec + "Test default case condition execution of a conditional workflow", Run: func(s *S) { specCondDefault(s, op) }},
			Scenario{Name: v.prefix + "nested_two", Source: v.spec + "Test case 'nested' and 'two' condition execution of a conditional workflow", Run: func(s *S) {
				specCondNested(s, op, "two", "integration_task_2", "conditional_nested_two")
			}},
			Scenario{Name: v.prefix + "nested_one", Source: v.spec + "Test case 'nested' and 'one' condition execution of a conditional workflow", Run: func(s *S) {
				specCondNested(s, op, "one", "integration_task_1", "conditional_nested_one")
			}},
			Scenario{Name: v.prefix + "three", Source: v.spec + "Test 'three' case condition execution of a conditional workflow", Run: func(s *S) { specCondThree(s, op) }},
		)
	}
	return append(out, Scenario{Name: "spec_switch_no_default_case", Source: switchSpec + "Test switch with no default case workflow", Run: specSwitchNoDefault})
}

// condWF is simple_switch_task_integration_test.json (SwitchWorkflow) or its DECISION twin:
// case c runs t1 → t2, the default t5; then t20.
func (s *S) condWF(op condOp) (string, M) {
	name := "SwitchWorkflow"
	if op.Type == "DECISION" {
		name = "DecisionWorkflow"
	}
	return name, s.WorkflowDef(name, M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		s.condTask(op, "switchTask"), s.it(20, "t20"))
}

// condTask is the operator both SwitchWorkflow and ForkConditionalTest use.
func (s *S) condTask(op condOp, ref string) M {
	if op.Type == "DECISION" {
		ref = "decisionTask"
	}
	return op.task(ref, ref, "case", M{"case": "${workflow.input.case}"},
		map[string][]any{"c": list(s.it(1, "t1"), s.it(2, "t2"))}, list(s.it(5, "t5")))
}

func specCondSimple(s *S, op condOp) {
	s.registerHarnessTasks(nil, 1, 2, 5, 20)
	name, def := s.condWF(op)
	s.RegisterWorkflow(def)
	id := s.Start(name, M{"param1": "p1", "param2": "p2", "case": "c"}, M{"version": 1, "correlationId": "switch_workflow"})
	s.ExpectShape(id, "started", "RUNNING: "+op.Type+"=COMPLETED integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", nil)
	s.ExpectShape(id, "t1 done", "RUNNING: "+op.Type+"=COMPLETED integration_task_1=COMPLETED integration_task_2=SCHEDULED")
	s.PollComplete("integration_task_2", nil)
	s.ExpectShape(id, "t2 done", "RUNNING: "+op.Type+"=COMPLETED integration_task_1=COMPLETED integration_task_2=COMPLETED integration_task_20=SCHEDULED")
	s.PollComplete("integration_task_20", nil)
	s.ExpectShape(id, "completed", "COMPLETED: "+op.Type+"=COMPLETED integration_task_1=COMPLETED integration_task_2=COMPLETED integration_task_20=COMPLETED")
}

func specCondForkJoin(s *S, op condOp) {
	s.registerHarnessTasks(nil, 1, 2, 5, 10, 20)
	s.RegisterWorkflow(s.WorkflowDef("ForkConditionalTest", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		forkJoin("forkTask", list(s.condTask(op, "switchTask"), s.it(20, "t20")), list(s.it(10, "t10"))),
		join("joinTask", "t20", "t10"),
	))
	id := s.Start("ForkConditionalTest", M{"param1": "p1", "param2": "p2", "case": "c"}, M{"version": 1, "correlationId": "switch_forkjoin"})
	s.ExpectShape(id, "started", "RUNNING: FORK=COMPLETED "+op.Type+"=COMPLETED integration_task_1=SCHEDULED integration_task_10=SCHEDULED JOIN=IN_PROGRESS")
	s.PollComplete("integration_task_1", nil)
	s.PollComplete("integration_task_10", nil)
	wf := s.ExpectShape(id, "t1 and t10 done", "RUNNING: FORK=COMPLETED "+op.Type+"=COMPLETED integration_task_1=COMPLETED integration_task_10=COMPLETED JOIN=IN_PROGRESS integration_task_2=SCHEDULED")
	s.Check("JOIN input joinOn = [t20 t10]", jsonEq(inOf(wf, 4)["joinOn"], []any{"t20", "t10"}))
	s.PollComplete("integration_task_2", nil)
	s.ExpectShape(id, "t2 done", "RUNNING: FORK=COMPLETED "+op.Type+"=COMPLETED integration_task_1=COMPLETED integration_task_10=COMPLETED JOIN=IN_PROGRESS integration_task_2=COMPLETED integration_task_20=SCHEDULED")
	s.PollComplete("integration_task_20", nil)
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/decide/{workflowId}", Args: []string{id}, Label: "decide (the spec's sweep)"})
	s.expectShapeFor(id, "join done", "COMPLETED: FORK=COMPLETED "+op.Type+"=COMPLETED integration_task_1=COMPLETED integration_task_10=COMPLETED JOIN=COMPLETED integration_task_2=COMPLETED integration_task_20=COMPLETED", joinWait, 0)
}

// conditionalWF is conditional_switch_task_workflow_integration_test.json (ConditionalTaskWF) or
// conditional_task_workflow_integration_test.json: on param1, "nested" decides again on param2
// (one → t1, two → t2), "three" runs t3, the default t10; then finalCase on finalCase runs
// integration_task_4 for "notify".
func (s *S) conditionalWF(op condOp) M {
	nested := op.task("nestedCondition", "nestedCondition", "case", M{"case": "${workflow.input.param2}"}, map[string][]any{
		"one": list(s.it(1, "t1")),
		"two": list(s.Simple("integration_task_2", "t2", M{"inputParameters": M{"tp1": "${workflow.input.param1}"}})),
	}, nil)
	first := op.task("conditional", "conditional", "case", M{"case": "${workflow.input.param1}"}, map[string][]any{
		"nested": list(nested),
		"three":  list(s.Simple("integration_task_3", "t3", M{"inputParameters": M{"tp3": "workflow.input.param2"}})),
	}, list(s.Simple("integration_task_10", "t10", M{"inputParameters": M{"tp10": "workflow.input.param2"}})))
	final := op.task("finalcondition", "finalCase", "finalCase", M{"finalCase": "${workflow.input.finalCase}"}, map[string][]any{
		"notify": list(s.Simple("integration_task_4", "integration_task_4", nil)),
	}, nil)
	return s.WorkflowDef("ConditionalTaskWF", M{"inputParameters": []any{"param1", "param2"}, "ownerEmail": harnessEmail,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true}, first, final)
}

// checkCase records whether row i chose the case want (output [want]).
func (s *S) checkCase(op condOp, wf M, i int, want string) {
	s.Check("row "+itoa(i)+" "+op.OutKey+" = ["+want+"]", jsonEq(outOf(wf, i)[op.OutKey], []any{want}))
}

func specCondDefault(s *S, op condOp) {
	s.registerHarnessTasks(nil, 1, 2, 3, 4, 10)
	s.RegisterWorkflow(s.conditionalWF(op))
	id := s.Start("ConditionalTaskWF", M{"param1": "xxx", "param2": "two"}, M{"version": 1, "correlationId": "conditional_default"})
	wf := s.ExpectShape(id, "started", "RUNNING: "+op.Type+"=COMPLETED integration_task_10=SCHEDULED")
	s.checkCase(op, wf, 0, "xxx")
	s.PollComplete("integration_task_10", nil)
	wf = s.ExpectShape(id, "completed", "COMPLETED: "+op.Type+"=COMPLETED integration_task_10=COMPLETED "+op.Type+"=COMPLETED")
	s.checkCase(op, wf, 2, "null")
}

func specCondNested(s *S, op condOp, caseValue, task, correlation string) {
	s.registerHarnessTasks(nil, 1, 2, 3, 4, 10)
	s.RegisterWorkflow(s.conditionalWF(op))
	id := s.Start("ConditionalTaskWF", M{"param1": "nested", "param2": caseValue}, M{"version": 1, "correlationId": correlation})
	wf := s.ExpectShape(id, "started", "RUNNING: "+op.Type+"=COMPLETED "+op.Type+"=COMPLETED "+task+"=SCHEDULED")
	s.checkCase(op, wf, 0, "nested")
	s.checkCase(op, wf, 1, caseValue)
	s.PollComplete(task, nil)
	wf = s.ExpectShape(id, "completed", "COMPLETED: "+op.Type+"=COMPLETED "+op.Type+"=COMPLETED "+task+"=COMPLETED "+op.Type+"=COMPLETED")
	s.checkCase(op, wf, 3, "null")
}

func specCondThree(s *S, op condOp) {
	s.registerHarnessTasks(nil, 1, 2, 3, 4, 10)
	s.RegisterWorkflow(s.conditionalWF(op))
	id := s.Start("ConditionalTaskWF", M{"param1": "three", "param2": "two", "finalCase": "notify"}, M{"version": 1, "correlationId": "conditional_three"})
	wf := s.ExpectShape(id, "started", "RUNNING: "+op.Type+"=COMPLETED integration_task_3=SCHEDULED")
	s.checkCase(op, wf, 0, "three")
	s.PollComplete("integration_task_3", nil)
	wf = s.ExpectShape(id, "t3 done", "RUNNING: "+op.Type+"=COMPLETED integration_task_3=COMPLETED "+op.Type+"=COMPLETED integration_task_4=SCHEDULED")
	s.checkCase(op, wf, 2, "notify")
	s.PollComplete("integration_task_4", nil)
	s.ExpectShape(id, "completed", "COMPLETED: "+op.Type+"=COMPLETED integration_task_3=COMPLETED "+op.Type+"=COMPLETED integration_task_4=COMPLETED")
}

func specSwitchNoDefault(s *S) {
	s.registerHarnessTasks(nil, 1, 2)
	s.RegisterWorkflow(s.WorkflowDef("SwitchWithNoDefaultCaseWF", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		opSwitch.task("switchTask", "switchTask", "case", M{"case": "${workflow.input.case}"}, map[string][]any{"c": list(s.it(1, "t1"))}, nil),
		s.it(2, "t2"),
	))
	id := s.Start("SwitchWithNoDefaultCaseWF", M{"param1": "p1", "param2": "p2"}, M{"version": 1, "correlationId": "switch_no_default_workflow"})
	s.ExpectShape(id, "started", "RUNNING: SWITCH=COMPLETED integration_task_2=SCHEDULED")
	s.PollComplete("integration_task_2", nil)
	s.ExpectShape(id, "completed", "COMPLETED: SWITCH=COMPLETED integration_task_2=COMPLETED")
}
