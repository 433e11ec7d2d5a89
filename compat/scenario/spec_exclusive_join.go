package scenario

// Ports of ExclusiveJoinSpec.groovy (test-harness/src/test/groovy/com/netflix/conductor/test/
// integration/, v3.32.1) on exclusive_join_integration_test.json: t1, then decision1 on decision_1
// (true → t2 and decision2 on decision_2: true → t3; false → t4 and decision3 on decision_3: true →
// t5), then an EXCLUSIVE_JOIN on [task3, task5] defaulting to [task2, task4, task1]. Each worker
// completes its task with output {taskReferenceName: its ref}; the join's output is the output of
// the branch that ran.

const exclusiveJoinSpec = "ExclusiveJoinSpec: "

func exclusiveJoinSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_exclusive_join_default", Source: exclusiveJoinSpec + "Test that the default decision is run", Run: func(s *S) {
			specExclusiveJoin(s, M{"decision_1": "null"}, []xjStep{{1, "task1"}}, "task1")
		}},
		{Name: "spec_exclusive_join_true_null", Source: exclusiveJoinSpec + "Test when the one decision is true and the other is decision null", Run: func(s *S) {
			specExclusiveJoin(s, M{"decision_1": "true", "decision_2": "null"}, []xjStep{{1, "task1"}, {2, "task2"}}, "task2")
		}},
		{Name: "spec_exclusive_join_true_true", Source: exclusiveJoinSpec + "Test when both the decisions, decision_1 and decision_2 are true", Run: func(s *S) {
			specExclusiveJoin(s, M{"decision_1": "true", "decision_2": "true"}, []xjStep{{1, "task1"}, {2, "task2"}, {3, "task3"}}, "task3")
		}},
		{Name: "spec_exclusive_join_false_default", Source: exclusiveJoinSpec + "Test when decision_1 is false and  decision_3 is default", Run: func(s *S) {
			specExclusiveJoin(s, M{"decision_1": "false", "decision_3": "null"}, []xjStep{{1, "task1"}, {4, "task4"}}, "task4")
		}},
		{Name: "spec_exclusive_join_false_true", Source: exclusiveJoinSpec + "Test when decision_1 is false and  decision_3 is true", Run: func(s *S) {
			specExclusiveJoin(s, M{"decision_1": "false", "decision_3": "true"}, []xjStep{{1, "task1"}, {4, "task4"}, {5, "task5"}}, "task5")
		}},
	}
}

// xjStep is one worker task the path runs: integration_task_<n> with reference ref.
type xjStep struct {
	n   int
	ref string
}

func (s *S) exclusiveJoinWF() M {
	payload := func(n int, ref, from string) M {
		return s.Simple("integration_task_"+itoa(n), ref, M{"inputParameters": M{"payload": from}})
	}
	decide := func(ref, param string, cases map[string][]any) M {
		return opDecision.task("decide_task", ref, param, M{param: "${workflow.input." + param + "}"}, cases, nil)
	}
	return s.WorkflowDef("ExclusiveJoinTestWorkflow", M{"ownerEmail": harnessEmail},
		payload(1, "task1", "${workflow.input.payload}"),
		decide("decision1", "decision_1", map[string][]any{
			"true": list(payload(2, "task2", "${task1.output.payload}"),
				decide("decision2", "decision_2", map[string][]any{"true": list(payload(3, "task3", "${task2.output.payload}"))})),
			"false": list(payload(4, "task4", "${task1.output.payload}"),
				decide("decision3", "decision_3", map[string][]any{"true": list(payload(5, "task5", "${task4.output.payload}"))})),
		}),
		M{"name": "exclusive_join", "taskReferenceName": "exclusiveJoin", "type": "EXCLUSIVE_JOIN",
			"joinOn": []any{"task3", "task5"}, "defaultExclusiveJoinTask": []any{"task2", "task4", "task1"}},
	)
}

// specExclusiveJoin runs the path's tasks in order, checking the shape after each, and expects
// the join to carry the output of the last one (want).
func specExclusiveJoin(s *S, input M, path []xjStep, want string) {
	s.registerHarnessTasks(nil, 1, 2, 3, 4, 5)
	s.RegisterWorkflow(s.exclusiveJoinWF())
	id := s.Start("ExclusiveJoinTestWorkflow", input, M{"version": 1, "correlationId": "exclusive_join_workflow"})
	s.ExpectShape(id, "started", "RUNNING: integration_task_1=SCHEDULED")
	done := ""
	for i, st := range path {
		task := "integration_task_" + itoa(st.n)
		s.PollComplete(task, M{"taskReferenceName": st.ref})
		done += " " + task + "=COMPLETED DECISION=COMPLETED"
		if i < len(path)-1 {
			next := "integration_task_" + itoa(path[i+1].n)
			s.ExpectShape(id, task+" done", "RUNNING:"+done+" "+next+"=SCHEDULED")
			continue
		}
		if st.n == 3 || st.n == 5 { // the inner decision ran before this task
			done = done[:len(done)-len(" DECISION=COMPLETED")]
		}
		wf := s.ExpectShape(id, "completed", "COMPLETED:"+done+" EXCLUSIVE_JOIN=COMPLETED")
		ts := Tasks(wf)
		s.Check("EXCLUSIVE_JOIN output taskReferenceName = "+want, str(outOf(wf, len(ts)-1), "taskReferenceName") == want)
	}
}
