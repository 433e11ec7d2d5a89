package scenario

import (
	"fmt"
	"net/http"
	"time"
)

// Ports of DoWhileSpec.groovy (test-harness/src/test/groovy/com/netflix/conductor/test/
// integration/, v3.32.1) on the harness's do_while_*.json fixtures, plus keepLastN and items,
// which the spec does not cover (DoWhile.java's removeIterations and its items branch). The spec
// checks row counts and iterations; the traces record every row.

const doWhileSpec = "DoWhileSpec: "

func doWhileSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_do_while_five_tasks", Source: doWhileSpec + "Test workflow with 2 iterations of five tasks", Run: specDoWhileFive},
		{Name: "spec_do_while_system_tasks", Source: doWhileSpec + "Test workflow with 2 iterations of 3 system tasks", Run: specDoWhileSystem},
		{Name: "spec_do_while_single_iteration", Source: doWhileSpec + "Test workflow with a single iteration Do While task", Run: specDoWhileSingle},
		{Name: "spec_do_while_multiple", Source: doWhileSpec + "Test workflow with multiple Do While tasks with multiple iterations", Run: specDoWhileMultiple},
		{Name: "spec_do_while_retry", Source: doWhileSpec + "Test retrying a failed do while workflow", Run: specDoWhileRetry},
		{Name: "spec_do_while_in_fork", Source: doWhileSpec + "Test workflow with a iteration Do While task as subtask of a forkjoin task", Run: specDoWhileInFork},
		{Name: "spec_do_while_iteration_script", Source: doWhileSpec + "Test workflow with Do While task contains loop over task that use iteration in script expression", Run: specDoWhileIterationScript},
		{Name: "spec_do_while_set_variable", Source: doWhileSpec + "Test workflow with Do While task contains set variable task", Run: specDoWhileSetVariable},
		{Name: "spec_do_while_decision", Source: doWhileSpec + "Test workflow with Do While task contains decision task", Run: specDoWhileDecision},
		{Name: "do_while_keep_last_n", Source: "DO_WHILE keepLastN: only the last N iterations' task rows are kept (DoWhile.removeIterations)", Run: specDoWhileKeepLastN},
		{Name: "do_while_items", Source: "DO_WHILE items: one iteration per item, the item and its index in the loop's output", Run: specDoWhileItems},
	}
}

// expectRows waits (bounded) until the workflow has the status and n task rows, its loops' rows
// counting the iterations their rows show (loopCaughtUp), and records that state and the check;
// the scenario goes on either way. The wait is joinWait's: most loops here end on a JOIN.
func (s *S) expectRows(id, label, status string, n int) M {
	want := fmt.Sprintf("%s with %d tasks", status, n)
	return s.expectWF(id, label+": "+want, joinWait, func(wf M) bool {
		return str(wf, "status") == status && len(Tasks(wf)) == n && loopCaughtUp(wf)
	})
}

// expectWF is ExpectShape with a condition of the caller's, waiting up to d. As in Await, the
// condition must hold on two reads 150 ms apart (a read can fall between two writes of one change).
func (s *S) expectWF(id, label string, d time.Duration, ok func(M) bool) M {
	r := Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}}
	var wf M
	deadline := time.Now().Add(d)
	for {
		resp, err := s.send(r)
		if err != nil {
			s.record(r, nil, "", err)
			s.abort("%s %s: %v", r.Method, r.Path, err)
		}
		wf = resp.Obj()
		if ok(wf) {
			time.Sleep(150 * time.Millisecond)
			if resp, err = s.send(r); err != nil {
				s.record(r, nil, "", err)
				s.abort("%s %s: %v", r.Method, r.Path, err)
			}
			wf = resp.Obj()
		}
		if ok(wf) || time.Now().After(deadline) {
			s.record(r, resp, label, nil)
			s.Check(label, ok(wf))
			if !ok(wf) {
				s.Note("shape instead ("+label+")", s.shape(wf))
			}
			return wf
		}
		time.Sleep(awaitInterval)
	}
}

// loopTask is a DO_WHILE named loopTask deciding on input value = ${workflow.input.<param>}.
func loopTask(ref, param string, over ...M) M {
	return M{"name": ref, "taskReferenceName": ref, "type": "DO_WHILE", "inputParameters": M{"value": "${workflow.input." + param + "}"},
		"loopCondition": "if ($." + ref + "['iteration'] < $.value) { true; } else { false; }", "loopOver": list(over...)}
}

// sref is a SIMPLE integration_task_<n> whose reference is its bare name, as in the loop fixtures.
func (s *S) sref(n int) M {
	name := "integration_task_" + itoa(n)
	return s.Simple(name, name, nil)
}

// pollIter polls and completes task, checking the iteration the worker sees.
func (s *S) pollIter(task string, iteration int, out M) {
	t := s.AwaitPoll(task)
	s.Check(fmt.Sprintf("%s polled in iteration %d", task, iteration), num(t, "iteration") == float64(iteration))
	s.must(s.Complete(t, out), http.StatusOK)
}

func lambdaJQ() (M, func(string) M) {
	lambda := M{"name": "LAMBDA_TASK", "taskReferenceName": "lambda_locs", "type": "LAMBDA",
		"inputParameters": M{"scriptExpression": "return {locationRanId: 'some location id'}"}}
	jq := func(ref string) M {
		return M{"name": ref, "taskReferenceName": ref, "type": "JSON_JQ_TRANSFORM", "inputParameters": M{
			"locationIdValue": "${lambda_locs.output.result.locationRanId}", "queryExpression": `{ out: ({ "locationId": .locationIdValue }) }`}}
	}
	return lambda, jq
}

// doWhileWF is do_while_integration_test.json (Do_While_Workflow): a loop of t0 then a fork of
// [t1] and [t2] joined.
func (s *S) doWhileWF() M {
	return s.WorkflowDef("Do_While_Workflow", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		loopTask("loopTask", "loop", s.sref(0), forkJoin("fork", list(s.sref(1)), list(s.sref(2))), join("join", "integration_task_1", "integration_task_2")))
}

func specDoWhileFive(s *S) {
	s.registerHarnessTasks(nil, 1, 2, 3)
	lambda, jq := lambdaJQ()
	s.RegisterWorkflow(s.WorkflowDef("do_while_five_loop_over_integration_test", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		loopTask("loopTask", "loop", lambda, jq("jq_add_location"), s.sref(1), jq("jq_create_hydrus_input"), s.sref(2)),
		s.sref(3)))
	id := s.Start("do_while_five_loop_over_integration_test", M{"loop": 2}, M{"version": 1, "correlationId": "looptest"})
	s.expectRows(id, "started", "RUNNING", 4)
	s.pollIter("integration_task_1", 1, nil)
	s.expectRows(id, "t1 done", "RUNNING", 6)
	s.pollIter("integration_task_2", 1, nil)
	s.expectRows(id, "first iteration done", "RUNNING", 9)
	s.pollIter("integration_task_1", 2, nil)
	s.pollIter("integration_task_2", 2, nil)
	s.expectRows(id, "loop done", "RUNNING", 12)
	s.PollComplete("integration_task_3", nil)
	s.expectRows(id, "completed", "COMPLETED", 12)
}

func specDoWhileSystem(s *S) {
	s.registerHarnessTasks(nil, 1)
	lambda, jq := lambdaJQ()
	s.RegisterWorkflow(s.WorkflowDef("do_while_system_tasks", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		loopTask("loopTask", "loop", lambda, jq("jq_add_location"), jq("jq_create_hydrus_input")),
		s.sref(1)))
	id := s.Start("do_while_system_tasks", M{"loop": 2}, M{"version": 1, "correlationId": "looptest"})
	s.expectRows(id, "both iterations ran", "RUNNING", 8)
	s.PollComplete("integration_task_1", nil)
	s.expectRows(id, "completed", "COMPLETED", 8)
}

func specDoWhileSingle(s *S) {
	s.registerHarnessTasks(nil, 0, 1, 2)
	s.RegisterWorkflow(s.doWhileWF())
	id := s.Start("Do_While_Workflow", M{"loop": 1}, M{"version": 1, "correlationId": "looptest"})
	s.expectRows(id, "started", "RUNNING", 2)
	s.pollIter("integration_task_0", 1, nil)
	s.expectRows(id, "t0 done", "RUNNING", 6)
	s.pollIter("integration_task_1", 1, nil)
	s.expectRows(id, "t1 done", "RUNNING", 6)
	s.pollIter("integration_task_2", 1, nil)
	s.expectRows(id, "completed", "COMPLETED", 6)
}

func specDoWhileMultiple(s *S) {
	s.registerHarnessTasks(nil, 0, 1, 2, 3)
	s.RegisterWorkflow(s.WorkflowDef("Do_While_Multiple", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		loopTask("loopTask", "loop", s.sref(0), forkJoin("fork", list(s.sref(1)), list(s.sref(2))), join("join", "integration_task_1", "integration_task_2")),
		loopTask("loopTask2", "loop2", s.sref(3))))
	id := s.Start("Do_While_Multiple", M{"loop": 2, "loop2": 1}, M{"version": 1, "correlationId": "looptest"})
	s.expectRows(id, "started", "RUNNING", 2)
	s.pollIter("integration_task_0", 1, nil)
	s.expectRows(id, "t0 done", "RUNNING", 6)
	s.pollIter("integration_task_1", 1, nil)
	s.pollIter("integration_task_2", 1, nil)
	s.expectRows(id, "first iteration done", "RUNNING", 7)
	s.pollIter("integration_task_0", 2, nil)
	s.expectRows(id, "t0 of iteration 2 done", "RUNNING", 11)
	s.pollIter("integration_task_1", 2, nil)
	s.pollIter("integration_task_2", 2, nil)
	s.expectRows(id, "first loop done", "RUNNING", 13)
	s.pollIter("integration_task_3", 1, nil)
	s.expectRows(id, "completed", "COMPLETED", 13)
}

func specDoWhileRetry(s *S) {
	s.registerHarnessTasks(map[string]M{"integration_task_0": {"retryCount": 0}}, 0, 1, 2)
	s.RegisterWorkflow(s.doWhileWF())
	id := s.Start("Do_While_Workflow", M{"loop": 1}, M{"version": 1, "correlationId": "looptest"})
	s.expectRows(id, "started", "RUNNING", 2)
	s.must(s.Fail(s.AwaitPoll("integration_task_0"), "FAILED", "induced..failure"), http.StatusOK)
	s.ExpectShape(id, "failed", "FAILED: DO_WHILE=CANCELED integration_task_0=FAILED")
	s.Check("retry answers 204", s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, nil).Status == http.StatusNoContent)
	s.ExpectShape(id, "retried", "RUNNING: DO_WHILE=IN_PROGRESS integration_task_0=FAILED integration_task_0=SCHEDULED")
	s.pollIter("integration_task_0", 1, nil)
	s.expectRows(id, "t0 done", "RUNNING", 7)
	s.pollIter("integration_task_1", 1, nil)
	s.pollIter("integration_task_2", 1, nil)
	s.expectRows(id, "completed", "COMPLETED", 7)
}

func specDoWhileInFork(s *S) {
	s.registerHarnessTasks(nil, 0, 1, 2)
	s.RegisterWorkflow(s.WorkflowDef("Do_While_SubTask", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		forkJoin("fork", list(loopTask("loopTask", "loop", s.sref(0), s.sref(1))), list(s.sref(2))),
		join("join", "loopTask", "integration_task_2")))
	id := s.Start("Do_While_SubTask", M{"loop": 1}, M{"version": 1, "correlationId": "looptest"})
	// While the JOIN waits for t2, its output is a copy of the joined tasks' outputs as of its last
	// evaluation, which on Conductor is a JOIN worker's, on its own schedule: the loop's output may
	// or may not be in it yet. The completed JOIN's output is compared.
	endRacy := s.racyUntil("join", "outputData")
	s.ExpectShape(id, "started", "RUNNING: FORK=COMPLETED DO_WHILE=IN_PROGRESS integration_task_2=SCHEDULED JOIN=IN_PROGRESS integration_task_0=SCHEDULED")
	s.pollIter("integration_task_0", 1, nil)
	s.expectRows(id, "t0 done", "RUNNING", 6)
	s.pollIter("integration_task_1", 1, nil)
	s.expectRows(id, "loop done", "RUNNING", 6)
	endRacy()
	s.PollComplete("integration_task_2", nil)
	s.expectRows(id, "completed", "COMPLETED", 6)
}

func specDoWhileIterationScript(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("Do_While_Workflow_Iteration_Fix", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		loopTask("loopTask", "loop", M{"name": "form_uri", "taskReferenceName": "form_uri", "type": "LAMBDA",
			"inputParameters": M{"index": "${loopTask['iteration']}", "scriptExpression": "return $.index - 1;"}})))
	id := s.Start("Do_While_Workflow_Iteration_Fix", M{"loop": 2}, M{"version": 1, "correlationId": "looptest"})
	wf := s.expectRows(id, "completed", "COMPLETED", 3)
	s.Check("form_uri results 0 then 1", jsonEq(outOf(wf, 1)["result"], 0) && jsonEq(outOf(wf, 2)["result"], 1))
}

func specDoWhileSetVariable(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("do_while_Set_variable_fix", M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		M{"name": "loopTask", "taskReferenceName": "loopTask", "type": "DO_WHILE", "inputParameters": M{"value": "${workflow.variables.value}"},
			"loopCondition": "if ($.value > 0) { true; } else { false; }",
			"loopOver":      list(M{"name": "set_variable", "taskReferenceName": "set_variable", "type": "SET_VARIABLE", "inputParameters": M{"value": "0"}})}))
	id := s.Start("do_while_Set_variable_fix", M{"value": 2}, M{"version": 1, "correlationId": "looptest"})
	s.ExpectShape(id, "completed after one iteration", "COMPLETED: DO_WHILE=COMPLETED SET_VARIABLE=COMPLETED")
}

func specDoWhileDecision(s *S) {
	s.RegisterWorkflow(s.WorkflowDef("DO_While_with_Decision_task", M{"ownerEmail": harnessEmail},
		M{"name": "LoopTask", "taskReferenceName": "LoopTask", "type": "DO_WHILE", "inputParameters": M{"list": "${workflow.input.list}"},
			"loopCondition": "$.LoopTask['iteration'] < $.list.length",
			"loopOver": list(
				M{"name": "GetNumberAtIndex", "taskReferenceName": "GetNumberAtIndex", "type": "INLINE", "inputParameters": M{
					"evaluatorType": "javascript", "list": "${workflow.input.list}", "iterator": "${LoopTask.output.iteration}",
					"expression": "function getElement() { return $.list.get($.iterator - 1); } getElement();"}},
				M{"name": "SwitchTask", "taskReferenceName": "SwitchTask", "type": "SWITCH", "evaluatorType": "javascript",
					"inputParameters": M{"param": "${GetNumberAtIndex.output.result}"}, "expression": "$.param > 0",
					"decisionCases": M{"true": list(
						M{"name": "WaitTask", "taskReferenceName": "WaitTask", "type": "WAIT"},
						M{"name": "ComputeNumber", "taskReferenceName": "ComputeNumber", "type": "INLINE", "inputParameters": M{
							"evaluatorType": "javascript", "number": "${GetNumberAtIndex.output.result.number}",
							"expression": "function compute() { return $.number+10; } compute();"}},
					)}},
			)}))
	id := s.Start("DO_While_with_Decision_task", M{"list": []any{1, 2}}, M{"version": 1, "correlationId": "looptest"})
	wf := s.ExpectShape(id, "waiting in iteration 1", "RUNNING: DO_WHILE=IN_PROGRESS INLINE=COMPLETED SWITCH=COMPLETED WAIT=IN_PROGRESS")
	s.completeLast(wf)
	wf = s.ExpectShape(id, "waiting in iteration 2", "RUNNING: DO_WHILE=IN_PROGRESS INLINE=COMPLETED SWITCH=COMPLETED WAIT=COMPLETED INLINE=COMPLETED INLINE=COMPLETED SWITCH=COMPLETED WAIT=IN_PROGRESS")
	s.completeLast(wf)
	s.expectRows(id, "completed", "COMPLETED", 9)
}

// completeLast completes the workflow's last task row through POST /tasks (the spec's updateTask).
func (s *S) completeLast(wf M) {
	ts := Tasks(wf)
	if len(ts) == 0 {
		s.abort("no task to complete")
	}
	s.must(s.Complete(ts[len(ts)-1], nil), http.StatusOK)
}

func specDoWhileKeepLastN(s *S) {
	s.registerHarnessTasks(nil, 1)
	loop := loopTask("loopTask", "loop", s.sref(1))
	loop["inputParameters"].(M)["keepLastN"] = 2
	s.RegisterWorkflow(s.WorkflowDef("do_while_keep_last_n", M{"ownerEmail": harnessEmail}, loop))
	id := s.Start("do_while_keep_last_n", M{"loop": 4}, nil)
	for i := 1; i <= 4; i++ {
		s.pollIter("integration_task_1", i, M{"i": i})
		s.expectWF(id, fmt.Sprintf("iteration %d done", i), 10*time.Second, func(wf M) bool {
			return loopCaughtUp(wf) && (i == 4 && str(wf, "status") == "COMPLETED" ||
				i < 4 && len(Tasks(wf)) > 0 && num(Tasks(wf)[len(Tasks(wf))-1], "iteration") == float64(i+1))
		})
	}
}

func specDoWhileItems(s *S) {
	s.registerHarnessTasks(nil, 1)
	s.RegisterWorkflow(s.WorkflowDef("do_while_items", M{"ownerEmail": harnessEmail},
		M{"name": "loopTask", "taskReferenceName": "loopTask", "type": "DO_WHILE", "inputParameters": M{"items": "${workflow.input.items}"},
			"items": "${workflow.input.items}", "loopCondition": "true",
			"loopOver": list(s.Simple("integration_task_1", "t1", M{"inputParameters": M{
				"item": "${loopTask.output.loopItem}", "index": "${loopTask.output.loopIndex}"}}))}))
	id := s.Start("do_while_items", M{"items": []any{"a", "b", "c"}}, nil)
	for i, item := range []string{"a", "b", "c"} {
		t := s.AwaitPoll("integration_task_1")
		in, _ := t["inputData"].(M)
		s.Note(fmt.Sprintf("iteration %d input (want item %s)", i+1, item), in)
		s.must(s.Complete(t, M{"seen": in["item"]}), http.StatusOK)
	}
	s.AwaitStatus(id, "COMPLETED")
}
