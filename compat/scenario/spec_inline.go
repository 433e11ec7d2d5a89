package scenario

// INLINE with each evaluator Conductor ships (javascript, graaljs, value-param), HUMAN and
// NOOP. Conductor's sources test these with unit tests only (InlineTest, GraalJSEvaluatorTest,
// HumanTest, NoopTest): these scenarios are ours, on the shapes those tests use.

func inlineScenarios() []Scenario {
	return []Scenario{
		{Name: "inline_evaluators", Source: "INLINE with evaluatorType javascript, graaljs and value-param (Inline, InlineTest, GraalJSEvaluatorTest)", Run: inlineEvaluators},
		{Name: "inline_errors", Source: "INLINE: a script that throws, a missing expression value, an unknown evaluator (Inline, InlineTest)", Run: inlineErrors},
	}
}

func humanNoopScenarios() []Scenario {
	return []Scenario{
		{Name: "human_noop", Source: "HUMAN waits IN_PROGRESS for the task update API, NOOP completes at once (Human, Noop)", Run: humanNoop},
	}
}

func inlineEvaluators(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("inline_evaluators", M{"ownerEmail": harnessEmail, "outputParameters": M{
		"js": "${js.output.result}", "graal": "${graal.output.result}", "vp": "${vp.output.result}"}},
		Sys("INLINE", "js", M{"inputParameters": M{"evaluatorType": "javascript", "value": "${workflow.input.value}",
			"expression": "function e() { if ($.value == 1){return {\"result\": true}} else { return {\"result\": false}}} e();"}}),
		Sys("INLINE", "graal", M{"inputParameters": M{"evaluatorType": "graaljs", "list": "${workflow.input.list}",
			"expression": "(function(){ let sum = 0; for (const x of $.list) { sum += x; } return {sum: sum, doubled: $.list.map(x => x * 2), text: 'n=' + $.list.length}; })()"}}),
		Sys("INLINE", "vp", M{"inputParameters": M{"evaluatorType": "value-param", "expression": "picked", "picked": "${workflow.input.value}"}}),
	))
	id := s.Start("inline_evaluators", M{"value": 1, "list": []any{1, 2, 3}}, nil)
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: INLINE=COMPLETED INLINE=COMPLETED INLINE=COMPLETED")
	s.Check("javascript result {result: true}", jsonEq(Tasks(wf)[0]["outputData"], M{"result": M{"result": true}}))
}

func inlineErrors(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("inline_throws", M{"ownerEmail": harnessEmail},
		Sys("INLINE", "boom", M{"inputParameters": M{"evaluatorType": "javascript", "expression": "(function(){ throw new Error('boom'); })()"}})))
	s.RegisterWorkflow(s.WorkflowDef("inline_vp_missing", M{"ownerEmail": harnessEmail},
		Sys("INLINE", "vp", M{"inputParameters": M{"evaluatorType": "value-param", "expression": "absent"}})))
	s.Do(Req{Method: "POST", Path: "/metadata/workflow", Label: "register INLINE with an unknown evaluator",
		Body: s.WorkflowDef("inline_unknown", M{"ownerEmail": harnessEmail},
			Sys("INLINE", "unknown", M{"inputParameters": M{"evaluatorType": "cobol", "expression": "1"}}))})
	id := s.Start("inline_throws", M{}, nil)
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("a throwing script fails", wf, "FAILED: INLINE=FAILED")
	s.Note("reason", str(Tasks(wf)[0], "reasonForIncompletion"))
	id = s.Start("inline_vp_missing", M{}, nil)
	s.AwaitWorkflow(id, "workflow ended", func(wf M) bool { return !statusIs(wf, "RUNNING") })
}

func humanNoop(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("human_noop", M{"ownerEmail": harnessEmail, "outputParameters": M{"approved": "${approve.output.approved}"}},
		Sys("NOOP", "nothing", nil),
		Sys("HUMAN", "approve", M{"inputParameters": M{"who": "${workflow.input.who}"}}),
		Sys("NOOP", "after", nil),
	))
	id := s.Start("human_noop", M{"who": "ann"}, nil)
	wf := s.ExpectShape(id, "waiting for a human", "RUNNING: NOOP=COMPLETED HUMAN=IN_PROGRESS")
	s.Do(Req{Method: "GET", Path: "/tasks/poll/{taskType}", Args: []string{"HUMAN"}, Query: map[string][]string{"workerid": {Worker}}, Label: "poll HUMAN: no task"})
	s.CompleteRow(Row(wf, "approve"), "COMPLETED", M{"approved": true})
	wf = s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: NOOP=COMPLETED HUMAN=COMPLETED NOOP=COMPLETED")
	s.Check("output approved", jsonEq(wf["output"], M{"approved": true}))
}
