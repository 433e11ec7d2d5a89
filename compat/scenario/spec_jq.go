package scenario

import "net/http"

// Ports of test-harness/.../integration/JsonJQTransformSpec.groovy (v3.32.1) with its fixtures
// simple_json_jq_transform_integration_test.json, sequential_json_jq_transform_integration_test.json
// and json_jq_transform_result_integration_test.json.

const jqSpec = "JsonJQTransformSpec: "

func jqSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_jq_succeeds", Source: jqSpec + "Test workflow with json jq transform task succeeds", Run: specJQSucceeds},
		{Name: "spec_jq_fails", Source: jqSpec + "Test workflow with json jq transform task fails", Run: specJQFails},
		{Name: "spec_jq_rerun", Source: jqSpec + "Test rerun workflow with failed json jq transform task", Run: specJQRerun},
		{Name: "spec_jq_nested", Source: jqSpec + "Test json jq transform task with nested json object succeeds", Run: specJQNested},
		{Name: "spec_jq_results", Source: jqSpec + "Test json jq transform task with different json object results succeeds", Run: specJQResults},
	}
}

const jqConcat = ".input as $_ | { out: ($_.in1.array + $_.in2.array) }"

func (s *S) jqWF() {
	s.RegisterWorkflow(s.harnessWF("test_json_jq_transform_wf", nil,
		Sys("JSON_JQ_TRANSFORM", "jq_1", M{"name": "jq", "inputParameters": M{"input": "${workflow.input}", "queryExpression": jqConcat}})))
}

func jqArrays() M {
	return M{"in1": M{"array": []any{"a", "b"}}, "in2": M{"array": []any{"c", "d"}}}
}

func (s *S) checkJQResult(wf M, i int) {
	out, _ := Tasks(wf)[i]["outputData"].(M)
	_, r := out["result"]
	_, rl := out["resultList"]
	s.Check("output has result and resultList", r && rl)
}

func specJQSucceeds(s *S) {
	s.jqWF()
	id := s.Start("test_json_jq_transform_wf", jqArrays(), M{"version": 1})
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: JSON_JQ_TRANSFORM=COMPLETED")
	s.checkJQResult(wf, 0)
}

func specJQFails(s *S) {
	s.jqWF()
	id := s.Start("test_json_jq_transform_wf", M{"in1": "a", "in2": "b"}, M{"version": 1})
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("failed", wf, "FAILED: JSON_JQ_TRANSFORM=FAILED")
	s.Check("reason: Cannot index string with string \"array\"", str(Tasks(wf)[0], "reasonForIncompletion") == `Cannot index string with string "array"`)
}

func specJQRerun(s *S) {
	s.jqWF()
	id := s.Start("test_json_jq_transform_wf", M{"in1": "a", "in2": "b"}, M{"version": 1})
	wf := s.AwaitStatus(id, "FAILED")
	s.CheckShape("failed", wf, "FAILED: JSON_JQ_TRANSFORM=FAILED")
	r := s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{id}, Body: M{
		"reRunFromWorkflowId": id, "reRunFromTaskId": Tasks(wf)[0]["taskId"],
		"taskInput": M{"input": jqArrays(), "queryExpression": jqConcat},
	}})
	s.Check("rerun answers 200", r.Status == http.StatusOK)
	wf = s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: JSON_JQ_TRANSFORM=COMPLETED")
	s.checkJQResult(wf, 0)
}

func specJQNested(s *S) {
	s.RegisterWorkflow(s.harnessWF("sequential_json_jq_transform_wf", nil,
		Sys("JSON_JQ_TRANSFORM", "default_variables", M{"description": "default_variables", "inputParameters": M{
			"input": "${workflow.input}",
			"queryExpression": `{ requestTransform: .input.requestTransform // ".body"  , responseTransform: .input.responseTransform // ".response.body", ` +
				`method: .input.method // "GET", document: .input.document // "rgt_results", successExpression: .input.successExpression // "true"   }`,
		}}),
		Sys("JSON_JQ_TRANSFORM", "request_transform", M{"description": "request_transform", "inputParameters": M{
			"body": "${workflow.input.body}", "queryExpression": "${default_variables.output.result.requestTransform}",
		}}),
	))
	in := M{"method": "POST", "body": M{"name": "Beary Beariston", "title": "the Brown Bear"},
		"requestTransform":  `{name: (.body.name + " you are " + .body.title) }`,
		"responseTransform": `{result: "reply: " + .response.body.message}`}
	id := s.Start("sequential_json_jq_transform_wf", in, M{"version": 1})
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: JSON_JQ_TRANSFORM=COMPLETED JSON_JQ_TRANSFORM=COMPLETED")
	out0, _ := Tasks(wf)[0]["outputData"].(M)
	r0, _ := out0["result"].(M)
	s.Check("defaults keep the given method and transforms", str(r0, "method") == "POST" &&
		str(r0, "requestTransform") == str(in, "requestTransform") && str(r0, "responseTransform") == str(in, "responseTransform"))
	out1, _ := Tasks(wf)[1]["outputData"].(M)
	r1, _ := out1["result"].(M)
	s.Check("name = Beary Beariston you are the Brown Bear", str(r1, "name") == "Beary Beariston you are the Brown Bear")
}

func specJQResults(s *S) {
	s.RegisterWorkflow(s.harnessWF("json_jq_transform_result_wf", nil,
		Sys("JSON_JQ_TRANSFORM", "json_jq_1", M{"description": "json_jq_1", "inputParameters": M{
			"queryExpression": `if(.data | length >0) then "EXISTS" else "CREATE" end`}}),
		Sys("DECISION", "decide_1", M{"inputParameters": M{"outcome": "${json_jq_1.output.result}"}, "caseValueParam": "outcome",
			"decisionCases": M{"CREATE": []any{
				Sys("JSON_JQ_TRANSFORM", "json_jq_2", M{"description": "json_jq_2", "inputParameters": M{
					"inputData":       M{"request": M{"transitions": []any{M{"name": "redeliver"}, M{"name": "redeliver_from_validation_error"}, M{"name": "redelivery"}}}},
					"queryExpression": ".inputData.request.transitions | map(.name)"}}),
				Sys("DECISION", "decide_2", M{"inputParameters": M{"requestedAction": "${workflow.input.requestedAction}", "availableActions": "${json_jq_2.output.result}"},
					"caseExpression": `if ($.availableActions.indexOf($.requestedAction) >= 0) { "true" } else { "false" }`,
					"decisionCases": M{"false": []any{
						// The fixture calls datausa.io here; the branch is not taken, and the suite stays offline.
						Sys("HTTP", "get_population_data", M{"inputParameters": M{"http_request": M{"uri": "http://127.0.0.1:9/never", "method": "GET"}}}),
					}}}),
			}}}),
	))
	id := s.Start("json_jq_transform_result_wf", M{"requestedAction": "redeliver"}, M{"version": 1})
	wf := s.AwaitStatus(id, "COMPLETED")
	s.CheckShape("completed", wf, "COMPLETED: JSON_JQ_TRANSFORM=COMPLETED DECISION=COMPLETED JSON_JQ_TRANSFORM=COMPLETED DECISION=COMPLETED")
	ts := Tasks(wf)
	if len(ts) == 4 {
		out0, _ := ts[0]["outputData"].(M)
		in1, _ := ts[1]["inputData"].(M)
		out2, _ := ts[2]["outputData"].(M)
		in3, _ := ts[3]["inputData"].(M)
		s.Check("result CREATE, case CREATE", str(out0, "result") == "CREATE" && str(in1, "case") == "CREATE")
		s.Check("three transition names", jsonEq(out2["result"], []any{"redeliver", "redeliver_from_validation_error", "redelivery"}))
		s.Check("case true", str(in3, "case") == "true")
	}
}
