package scenario

import (
	"net/http"
	"strings"
	"time"
)

// Ports of ForkJoinSpec.groovy (test-harness/src/test/groovy/com/netflix/conductor/test/
// integration/, v3.32.1). The spec's sweep + asyncSystemTaskExecutor.execute(joinTask) becomes a
// decide and then waiting for the JOIN to finish on its own: a JOIN is an asynchronous system task
// on the real server. States the spec checks while a JOIN could be running are checked only where
// nothing else can move.

const forkJoinSpec = "ForkJoinSpec: "

func forkJoinSpecScenarios() []Scenario {
	return []Scenario{
		{Name: "spec_fork_join_success", Source: forkJoinSpec + "Test a simple workflow with fork join success flow", Run: specForkSuccess},
		{Name: "spec_fork_join_failure", Source: forkJoinSpec + "Test a simple workflow with fork join failure flow", Run: specForkFailure},
		{Name: "spec_fork_join_permissive_failure", Source: forkJoinSpec + "Test a simple workflow with fork join permissive failure flow", Run: specForkPermissiveFailure},
		{Name: "spec_fork_join_retry", Source: forkJoinSpec + "Test retrying a failed fork join workflow", Run: specForkRetry},
		{Name: "spec_fork_join_permissive_retry", Source: forkJoinSpec + "Test retrying a failed permissive fork join workflow", Run: specForkPermissiveRetry},
		{Name: "spec_fork_join_nested", Source: forkJoinSpec + "Test nested fork join workflow success flow", Run: specForkNested},
	}
}

// fanInOutWF is fork_join_integration_test.json (FanInOutTest) and its variants: a fork of
// [a → c] and [b], a JOIN on [t3 t2], then d. names are the four tasks' names (a, b, c, d for refs
// t1, t2, t3, t4); permissive marks every task permissive (fork_join_with_no_permissive_task_retry).
func (s *S) fanInOutWF(wfName string, names [4]string, permissive bool) M {
	task := func(i int, in M) M {
		f := M{"inputParameters": in}
		if permissive {
			f["permissive"] = true
		}
		return s.Simple(names[i], "t"+itoa(i+1), f)
	}
	pin := M{"p1": "workflow.input.param1", "p2": "workflow.input.param2"}
	tin := M{"tp1": "workflow.input.param1"}
	return s.WorkflowDef(wfName, M{"inputParameters": []any{"param1", "param2"}, "ownerEmail": harnessEmail,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		M{"name": "fork", "taskReferenceName": "fanouttask", "type": "FORK_JOIN", "forkTasks": []any{
			list(task(0, pin), task(2, pin)), list(task(1, tin))}},
		M{"name": "join", "taskReferenceName": "fanouttask_join", "type": "JOIN", "joinOn": []any{"t3", "t2"}},
		task(3, tin),
	)
}

// sweep is the spec's sweep(workflowInstanceId): an explicit decide.
func (s *S) sweep(id string) {
	s.Do(Req{Method: http.MethodPut, Path: "/workflow/decide/{workflowId}", Args: []string{id}, Label: "decide (the spec's sweep)"})
}

var itNames = [4]string{"integration_task_1", "integration_task_2", "integration_task_3", "integration_task_4"}

func specForkSuccess(s *S) {
	s.registerIntegrationTasks(nil)
	s.registerHarnessTasks(nil, 4)
	s.RegisterWorkflow(s.fanInOutWF("FanInOutTest", itNames, false))
	id := s.Start("FanInOutTest", M{}, M{"version": 1, "correlationId": "fanoutTest"})
	s.ExpectShape(id, "started", "RUNNING: FORK=COMPLETED integration_task_1=SCHEDULED integration_task_2=SCHEDULED JOIN=IN_PROGRESS")
	s.PollComplete("integration_task_1", nil)
	s.ExpectShape(id, "t1 done", "RUNNING: FORK=COMPLETED integration_task_1=COMPLETED integration_task_2=SCHEDULED JOIN=IN_PROGRESS integration_task_3=SCHEDULED")
	s.PollComplete("integration_task_3", nil)
	s.ExpectShape(id, "t3 done", "RUNNING: FORK=COMPLETED integration_task_1=COMPLETED integration_task_2=SCHEDULED JOIN=IN_PROGRESS integration_task_3=COMPLETED")
	s.PollComplete("integration_task_2", nil)
	s.sweep(id)
	s.expectShapeFor(id, "joined", "RUNNING: FORK=COMPLETED integration_task_1=COMPLETED integration_task_2=COMPLETED JOIN=COMPLETED integration_task_3=COMPLETED integration_task_4=SCHEDULED", joinWait, 0)
	s.PollComplete("integration_task_4", nil)
	s.ExpectShape(id, "completed", "COMPLETED: FORK=COMPLETED integration_task_1=COMPLETED integration_task_2=COMPLETED JOIN=COMPLETED integration_task_3=COMPLETED integration_task_4=COMPLETED")
}

func specForkFailure(s *S) {
	s.registerIntegrationTasks(map[string]M{"integration_task_2": {"retryCount": 0, "timeoutSeconds": 0}})
	s.registerHarnessTasks(nil, 4)
	s.RegisterWorkflow(s.fanInOutWF("FanInOutTest", itNames, false))
	id := s.Start("FanInOutTest", M{}, M{"version": 1, "correlationId": "fanoutTest"})
	s.ExpectShape(id, "started", "RUNNING: FORK=COMPLETED integration_task_1=SCHEDULED integration_task_2=SCHEDULED JOIN=IN_PROGRESS")
	s.PollComplete("integration_task_1", nil)
	s.ExpectShape(id, "t1 done", "RUNNING: FORK=COMPLETED integration_task_1=COMPLETED integration_task_2=SCHEDULED JOIN=IN_PROGRESS integration_task_3=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll("integration_task_2"), "FAILED", "Failed...."), http.StatusOK)
	s.sweep(id)
	s.expectFailedJoin(id, "failed", "FAILED: FORK=COMPLETED integration_task_1=COMPLETED integration_task_2=FAILED JOIN=CANCELED|FAILED integration_task_3=CANCELED",
		"fanouttask_join", "t2", false)
}

// joinSettle is how long a state that Conductor's decider and its JOIN worker may both still be
// writing must hold before it is recorded.
const joinSettle = 2 * time.Second

// joinWait bounds the wait for a JOIN that Conductor's asynchronous system-task workers have to
// finish: a JOIN reopened by a retry can lose its queue message (pushed while the worker still
// held the old one) and then waits for the sweeper's repair, 30 s and more.
const joinWait = 90 * time.Second

// expectFailedJoin records the state after a non-permissive branch task failed the workflow. On
// Conductor two threads race for the JOIN row: the decider fails the workflow and cancels the
// JOIN, while a JOIN worker that loaded the row before may still fail it with the branch's reason,
// and whichever writes last wins, even after the workflow is FAILED (ForkJoinSpec expects
// CANCELED, the JOIN's own evaluation gives FAILED). So want allows JOIN=CANCELED|FAILED, the state
// must hold for joinSettle, and what the race decides is racy from here on: the JOIN's status
// (here; to the end unless retried), its reason and, when the scenario retries, its retryCount
// (Conductor reopens a CANCELED JOIN as it was, a FAILED one with retryCount+1), and the
// workflow's failed task names (the JOIN is among them if it had failed when the workflow did).
// The checks hold for either outcome.
func (s *S) expectFailedJoin(id, label, want, joinRef, failedRef string, retried bool) M {
	statusSteps := 0
	if retried {
		statusSteps = 1
		s.racyFrom(joinRef, 0, "reasonForIncompletion", "retryCount")
	} else {
		s.racyFrom(joinRef, 0, "reasonForIncompletion")
	}
	s.racyFrom(joinRef, statusSteps, "status")
	s.racyFrom("", 0, "failedReferenceTaskNames", "failedTaskNames")
	wf := s.expectShapeFor(id, label, want, 30*time.Second, joinSettle)
	join, failed := rowByRef(wf, joinRef), rowByRef(wf, failedRef)
	// A failing JOIN's reason joins the reasons of every unsuccessful task it joins on (the other
	// branch's task may be CANCELED by then, or not).
	s.Check("the JOIN is CANCELED, or FAILED with the branch task's reason", str(join, "status") == "CANCELED" ||
		str(join, "status") == "FAILED" && strings.Contains(str(join, "reasonForIncompletion"), str(failed, "reasonForIncompletion")))
	s.Check("the failed tasks are the branch task and at most the JOIN",
		failedNames(wf, "failedReferenceTaskNames", failedRef, joinRef) &&
			failedNames(wf, "failedTaskNames", str(failed, "taskDefName"), str(join, "taskDefName")))
	return wf
}

// failedNames reports whether the workflow's list field holds must and otherwise only may.
func failedNames(wf M, field, must, may string) bool {
	l, _ := wf[field].([]any)
	seen := false
	for _, v := range l {
		switch v {
		case must:
			seen = true
		case may:
		default:
			return false
		}
	}
	return seen
}

// expectReopenedJoin checks, after a retry, that the JOIN was reopened in place as Conductor
// does: a CANCELED JOIN as it was, a FAILED one with its retryCount raised.
func (s *S) expectReopenedJoin(failed, retried M, joinRef string) {
	before, after := rowByRef(failed, joinRef), rowByRef(retried, joinRef)
	want := num(before, "retryCount")
	if str(before, "status") == "FAILED" {
		want++
	}
	s.Check("the JOIN reopened in place (retryCount +1 only if it had FAILED)",
		str(after, "taskId") == str(before, "taskId") && num(after, "retryCount") == want)
}

func specForkPermissiveFailure(s *S) {
	s.registerIntegrationTasks(map[string]M{"integration_task_1": {"retryCount": 0, "timeoutSeconds": 0}})
	s.RegisterWorkflow(s.WorkflowDef("FanInOutPermissiveTest", M{"inputParameters": []any{"param1", "param2"}, "ownerEmail": harnessEmail,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		M{"name": "fork", "taskReferenceName": "fanouttask", "type": "FORK_JOIN", "forkTasks": []any{
			list(s.Simple("integration_task_1", "t1", M{"permissive": true, "inputParameters": M{"p1": "workflow.input.param1", "p2": "workflow.input.param2"}})),
			list(s.Simple("integration_task_2", "t2", M{"permissive": true, "inputParameters": M{"tp1": "workflow.input.param1"}})),
		}},
		M{"name": "join", "taskReferenceName": "fanouttask_join", "type": "JOIN", "joinOn": []any{"t1", "t2"}},
		s.Simple("integration_task_3", "t3", M{"inputParameters": M{"p1": "workflow.input.param1", "p2": "workflow.input.param2"}}),
	))
	id := s.Start("FanInOutPermissiveTest", M{}, M{"version": 1, "correlationId": "fanoutTest"})
	s.ExpectShape(id, "started", "RUNNING: FORK=COMPLETED integration_task_1=SCHEDULED integration_task_2=SCHEDULED JOIN=IN_PROGRESS")
	s.must(s.Fail(s.AwaitPoll("integration_task_1"), "FAILED", "Failed..."), http.StatusOK)
	s.ExpectShape(id, "t1 failed, the workflow goes on", "RUNNING: FORK=COMPLETED integration_task_1=FAILED integration_task_2=SCHEDULED JOIN=IN_PROGRESS")
	s.PollComplete("integration_task_2", nil)
	s.sweep(id)
	s.expectShapeFor(id, "the join fails the workflow", "FAILED: FORK=COMPLETED integration_task_1=FAILED integration_task_2=COMPLETED JOIN=FAILED", joinWait, 0)
}

func (s *S) registerRT(prefix string) {
	var defs []M
	for i := 1; i <= 4; i++ {
		defs = append(defs, s.harnessTask(prefix+itoa(i), 0, 120, 120, nil))
	}
	s.RegisterTaskDefs(defs...)
}

func specForkRetry(s *S) {
	const p = "integration_task_0_RT_"
	s.registerRT(p)
	s.RegisterWorkflow(s.fanInOutWF("FanInOutTest_2", [4]string{p + "1", p + "2", p + "3", p + "4"}, false))
	id := s.Start("FanInOutTest_2", M{}, M{"version": 1, "correlationId": "fanoutTest"})
	s.ExpectShape(id, "started", "RUNNING: FORK=COMPLETED "+p+"1=SCHEDULED "+p+"2=SCHEDULED JOIN=IN_PROGRESS")
	s.PollComplete(p+"1", nil)
	s.ExpectShape(id, "t1 done", "RUNNING: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=SCHEDULED JOIN=IN_PROGRESS "+p+"3=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll(p+"2"), "FAILED", "Failed...."), http.StatusOK)
	s.sweep(id)
	failed := s.expectFailedJoin(id, "failed", "FAILED: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=CANCELED|FAILED "+p+"3=CANCELED",
		"fanouttask_join", "t2", true)
	s.Check("retry answers 204", s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, nil).Status == http.StatusNoContent)
	retried := s.ExpectShape(id, "retried", "RUNNING: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=IN_PROGRESS "+p+"3=CANCELED "+p+"2=SCHEDULED "+p+"3=SCHEDULED")
	s.expectReopenedJoin(failed, retried, "fanouttask_join")
	s.PollComplete(p+"3", nil)
	s.PollComplete(p+"2", nil)
	s.sweep(id)
	s.expectShapeFor(id, "joined", "RUNNING: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=COMPLETED "+p+"3=CANCELED "+p+"2=COMPLETED "+p+"3=COMPLETED "+p+"4=SCHEDULED", joinWait, 0)
	s.PollComplete(p+"4", nil)
	s.ExpectShape(id, "completed", "COMPLETED: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=COMPLETED "+p+"3=CANCELED "+p+"2=COMPLETED "+p+"3=COMPLETED "+p+"4=COMPLETED")
}

func specForkPermissiveRetry(s *S) {
	const p = "integration_p_task_0_RT_"
	s.registerRT(p)
	s.RegisterWorkflow(s.fanInOutWF("FanInOutPermissiveTest_2", [4]string{p + "1", p + "2", p + "3", p + "4"}, true))
	id := s.Start("FanInOutPermissiveTest_2", M{}, M{"version": 1, "correlationId": "fanoutTest"})
	s.ExpectShape(id, "started", "RUNNING: FORK=COMPLETED "+p+"1=SCHEDULED "+p+"2=SCHEDULED JOIN=IN_PROGRESS")
	s.PollComplete(p+"1", nil)
	s.ExpectShape(id, "t1 done", "RUNNING: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=SCHEDULED JOIN=IN_PROGRESS "+p+"3=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll(p+"2"), "FAILED", "Failed...."), http.StatusOK)
	s.sweep(id)
	s.ExpectShape(id, "t2 failed, the workflow goes on", "RUNNING: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=IN_PROGRESS "+p+"3=SCHEDULED")
	s.must(s.Fail(s.AwaitPoll(p+"3"), "FAILED", "Failed...."), http.StatusOK)
	s.sweep(id)
	s.expectShapeFor(id, "failed", "FAILED: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=FAILED "+p+"3=FAILED", joinWait, 0)
	// Known race left on Conductor (3.32.1 WorkflowExecutorOps.retry): the retry queues the reopened
	// JOIN before it stores the reset rows, so a JOIN worker can evaluate it against the old FAILED
	// rows and fail the workflow again ("retried" then fails and the scenario aborts; run.sh's rerun
	// covers it), or find it still FAILED and drop its message (it then waits for the sweeper's
	// repair: joinWait below).
	s.Check("retry answers 204", s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, nil).Status == http.StatusNoContent)
	s.ExpectShape(id, "retried", "RUNNING: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=IN_PROGRESS "+p+"3=FAILED "+p+"2=SCHEDULED "+p+"3=SCHEDULED")
	s.PollComplete(p+"3", nil)
	s.PollComplete(p+"2", nil)
	s.sweep(id)
	// The spec runs the JOIN by hand here; over HTTP the test waits for it (bounded) and records
	// what it did: FAILED, or COMPLETED and the decide that follows on Conductor has scheduled t4.
	wf := s.expectWF(id, "the JOIN has ended", joinWait, func(wf M) bool {
		return statusIs(taskAt(wf, 3), "FAILED") || statusIs(taskAt(wf, 3), "COMPLETED") && len(Tasks(wf)) == 8
	})
	if str(taskAt(wf, 3), "status") != "COMPLETED" {
		return
	}
	s.PollComplete(p+"4", nil)
	s.ExpectShape(id, "completed", "COMPLETED: FORK=COMPLETED "+p+"1=COMPLETED "+p+"2=FAILED JOIN=COMPLETED "+p+"3=FAILED "+p+"2=COMPLETED "+p+"3=COMPLETED "+p+"4=COMPLETED")
}

// nestedForkWF is nested_fork_join_integration_test.json (FanInOutNestedTest): fork1 of [t11] and
// [fork2 of [t12 → t14] and [t13 → d1 on case (a: t16 → t19 → t20, b: t17 → t20b, default: t18 →
// t20def)], join2 on [t14 t20]], join1 on [t11 join2], then t15.
func (s *S) nestedForkWF() M {
	in := M{"p1": "${workflow.input.param1}", "p2": "${workflow.input.param2}", "case": "${workflow.input.case}"}
	t := func(n int, ref string) M { return s.Simple("integration_task_"+itoa(n), ref, M{"inputParameters": in}) }
	d1 := opDecision.task("Decision", "d1", "case", in, map[string][]any{
		"a": list(t(16, "t16"), t(19, "t19"), t(20, "t20")),
		"b": list(t(17, "t17"), t(20, "t20b")),
	}, list(t(18, "t18"), t(20, "t20def")))
	fork2 := forkJoin("fork2", list(t(12, "t12"), t(14, "t14")), list(t(13, "t13"), d1))
	return s.WorkflowDef("FanInOutNestedTest", M{"inputParameters": []any{"param1", "param2"}, "ownerEmail": harnessEmail,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "restartable": true},
		forkJoin("fork1", list(t(11, "t11")), list(fork2, join("join2", "t14", "t20"))),
		join("join1", "t11", "join2"),
		t(15, "t15"),
	)
}

func specForkNested(s *S) {
	s.registerHarnessTasks(nil, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
	s.RegisterWorkflow(s.nestedForkWF())
	id := s.Start("FanInOutNestedTest", M{"case": "a"}, M{"version": 1, "correlationId": "fork_join_nested_test"})
	const head = "RUNNING: FORK=COMPLETED integration_task_11="
	wf := s.ExpectShape(id, "started", head+"SCHEDULED FORK=COMPLETED integration_task_12=SCHEDULED integration_task_13=SCHEDULED JOIN=IN_PROGRESS JOIN=IN_PROGRESS")
	s.Check("join2 on [t14 t20], join1 on [t11 join2]", jsonEq(inOf(wf, 5)["joinOn"], []any{"t14", "t20"}) && jsonEq(inOf(wf, 6)["joinOn"], []any{"t11", "join2"}))
	s.PollComplete("integration_task_11", nil)
	s.PollComplete("integration_task_12", nil)
	s.PollComplete("integration_task_13", nil)
	const mid = head + "COMPLETED FORK=COMPLETED integration_task_12=COMPLETED integration_task_13=COMPLETED JOIN=IN_PROGRESS JOIN=IN_PROGRESS"
	s.ExpectShape(id, "t11, t12, t13 done", mid+" integration_task_14=SCHEDULED DECISION=COMPLETED integration_task_16=SCHEDULED")
	s.PollComplete("integration_task_16", nil)
	s.PollComplete("integration_task_14", nil)
	s.ExpectShape(id, "t16, t14 done", mid+" integration_task_14=COMPLETED DECISION=COMPLETED integration_task_16=COMPLETED integration_task_19=SCHEDULED")
	s.PollComplete("integration_task_19", nil)
	s.ExpectShape(id, "t19 done", mid+" integration_task_14=COMPLETED DECISION=COMPLETED integration_task_16=COMPLETED integration_task_19=COMPLETED integration_task_20=SCHEDULED")
	s.PollComplete("integration_task_20", nil)
	s.sweep(id)
	const joined = "FORK=COMPLETED integration_task_11=COMPLETED FORK=COMPLETED integration_task_12=COMPLETED integration_task_13=COMPLETED JOIN=COMPLETED JOIN=COMPLETED integration_task_14=COMPLETED DECISION=COMPLETED integration_task_16=COMPLETED integration_task_19=COMPLETED integration_task_20=COMPLETED"
	s.expectShapeFor(id, "joins done", "RUNNING: "+joined+" integration_task_15=SCHEDULED", joinWait, 0)
	s.PollComplete("integration_task_15", nil)
	s.ExpectShape(id, "completed", "COMPLETED: "+joined+" integration_task_15=COMPLETED")
}
