package scenario

import (
	"net/http"
	"net/url"
	"time"
)

// Events: EVENT tasks publishing to the conductor event queues, event handlers (/api/event)
// acting on the messages (core/events: DefaultEventProcessor, SimpleActionProcessor), the queue
// admin API (/api/queue) and the workflow status listener publishing to a conductor queue
// (ConductorQueueStatusPublisher, conductor.workflow-status-listener.type=queue_publisher in
// compat/oracle.properties), and ports of test-harness/.../integration/EventTaskSpec.groovy
// (v3.32.1) with its fixture event_workflow_integration_test.json.
//
// Conductor starts reading a handler's queue at its next refreshEventQueues, up to a minute
// after the handler is registered (DefaultEventQueueManager, fixedDelay 60 s), so the waits for
// a handler's effect are longer than the others (eventAwait).

const eventTaskSpec = "EventTaskSpec: "

// eventAwait bounds a wait for what a handler does.
const eventAwait = 150 * time.Second

func eventScenarios() []Scenario {
	return []Scenario{
		{Name: "events_start_workflow", Source: "EVENT task -> handler start_workflow (SimpleActionProcessor.startWorkflow)", Run: eventsStartWorkflow},
		{Name: "events_complete_task", Source: "handler complete_task completes a WAIT task by workflowId and taskRefName", Run: eventsCompleteTask},
		{Name: "events_fail_task", Source: "handler fail_task fails a WAIT task with a reason from the payload", Run: eventsFailTask},
		{Name: "events_condition", Source: "handler condition (JavaScript) false skips the actions, true runs them", Run: eventsCondition},
		{Name: "events_terminate_and_variables", Source: "handler terminate_workflow and update_workflow_variables actions", Run: eventsTerminateAndVariables},
		{Name: "events_queue_admin", Source: "QueueAdminResource: queue names, sizes, task updates by message", Run: eventsQueueAdmin},
		{Name: "events_status_listener", Source: "workflow status listener (queue_publisher) feeding an event handler", Run: eventsStatusListener},
		{Name: "events_handler_crud", Source: "EventResource: add, update, get, delete, and bad handlers", Run: eventsHandlerCRUD},
		{Name: "spec_event_simple", Source: eventTaskSpec + "Verify that a event based simple workflow is executed", Run: specEventSimple},
		{Name: "spec_event_async_complete", Source: eventTaskSpec + "Test a workflow with event task that is asyncComplete", Run: specEventAsyncComplete},
	}
}

// awaitEvent is Await with the longer bound of eventAwait.
func (s *S) awaitEvent(cond string, r Req, ok func(*Resp) bool) *Resp {
	saved := s.tgt.AwaitTimeout
	s.tgt.AwaitTimeout = max(saved, eventAwait)
	defer func() { s.tgt.AwaitTimeout = saved }()
	return s.Await(cond, r, ok)
}

// awaitEventWorkflow waits for what a handler does to a workflow.
func (s *S) awaitEventWorkflow(id, cond string, ok func(wf M) bool) M {
	r := s.awaitEvent(cond, Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}, Label: cond},
		func(r *Resp) bool { return r.Status == http.StatusOK && ok(r.Obj()) })
	return r.Obj()
}

// awaitCorrelated waits until a workflow of the (prefixed) name has the correlation id and
// returns the list.
func (s *S) awaitCorrelated(name, corr string) []any {
	r := s.awaitEvent("a workflow correlated with "+corr, Req{Method: http.MethodGet,
		Path: "/workflow/{name}/correlated/{correlationId}", Args: []string{s.N(name), corr},
		Query: url.Values{"includeClosed": {"true"}, "includeTasks": {"true"}}},
		func(r *Resp) bool {
			if r.Status != http.StatusOK || len(r.List()) == 0 {
				return false
			}
			for _, w := range r.List() {
				if wf, _ := w.(M); len(Tasks(wf)) == 0 {
					return false // started, not yet decided
				}
			}
			return true
		})
	return r.List()
}

// correlated records the workflows of the (prefixed) name with the correlation id.
func (s *S) correlatedNow(name, corr, label string) []any {
	r := s.must(s.Do(Req{Method: http.MethodGet, Path: "/workflow/{name}/correlated/{correlationId}",
		Args: []string{s.N(name), corr}, Query: url.Values{"includeClosed": {"true"}}, Label: label}), http.StatusOK)
	return r.List()
}

// handler registers an event handler named s.N(name) (aborting unless 200) and removes it,
// unrecorded, when the scenario ends, so that no later run sees it.
func (s *S) handler(name, event string, fields M) {
	h := M{"name": s.N(name), "event": event, "active": true}
	for k, v := range fields {
		h[k] = v
	}
	s.must(s.Do(Req{Method: http.MethodPost, Path: "/event", Body: h, Label: "add handler " + name}), http.StatusOK)
	s.cleanups = append(s.cleanups, func() {
		_, _ = s.send(Req{Method: http.MethodDelete, Path: "/event/{name}", Args: []string{s.N(name)}})
	})
}

// eventWF registers a workflow of one EVENT task "ev" with the sink and input.
func (s *S) eventWF(name, sink string, input M, extra M) {
	ev := Sys("EVENT", "ev", M{"sink": sink, "inputParameters": input})
	for k, v := range extra {
		ev[k] = v
	}
	s.RegisterWorkflow(s.WorkflowDef(name, M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY"}, ev))
}

// waitWF registers a workflow of one WAIT task "wait".
func (s *S) waitWF(name string, fields M) {
	def := M{"ownerEmail": harnessEmail, "timeoutPolicy": "ALERT_ONLY"}
	for k, v := range fields {
		def[k] = v
	}
	s.RegisterWorkflow(s.WorkflowDef(name, def, Sys("WAIT", "wait", M{"inputParameters": M{}})))
}

func eventsStartWorkflow(s *S) {
	s.waitWF("target", nil)
	s.eventWF("pub", "conductor:orders", M{"orderId": "${workflow.input.orderId}", "qty": 3}, nil)
	event := "conductor:" + s.N("pub") + ":orders"
	s.handler("starter", event, M{"actions": []any{M{"action": "start_workflow", "start_workflow": M{
		"name": s.N("target"), "correlationId": "${orderId}",
		"input": M{"orderId": "${orderId}", "qty": "${qty}", "from": "${workflowType}", "missing": "${nope}"},
	}}}})
	s.Do(Req{Method: http.MethodGet, Path: "/event/{event}", Args: []string{event}, Label: "handlers of the event"})
	id := s.Start("pub", M{"orderId": s.N("o1")}, nil)
	wf := s.ExpectShape(id, "published", "COMPLETED: EVENT=COMPLETED")
	out, _ := Row(wf, "ev")["outputData"].(M)
	s.Check("event_produced names the queue", str(out, "event_produced") == event)
	started := s.awaitCorrelated("target", s.N("o1"))
	s.Check("one workflow started", len(started) == 1)
	if len(started) == 1 {
		in, _ := started[0].(M)["input"].(M)
		s.Check("the input came from the payload", str(in, "orderId") == s.N("o1") && str(in, "from") == s.N("pub"))
		s.Check("the event's name is in the input", str(in, "conductor.event.name") == event)
		s.Check("the message id is the EVENT task's id", str(in, "conductor.event.messageId") == str(Row(wf, "ev"), "taskId"))
	}
}

// approvalWFs registers a waiter and a publisher whose EVENT carries the waiter's id.
func (s *S) approvalWFs() string {
	s.waitWF("waiter", nil)
	s.eventWF("pub", "conductor:approvals", M{"waiterId": "${workflow.input.waiterId}", "approver": "${workflow.input.approver}",
		"approved": "${workflow.input.approved}"}, nil)
	return "conductor:" + s.N("pub") + ":approvals"
}

func eventsCompleteTask(s *S) {
	event := s.approvalWFs()
	s.handler("approve", event, M{"actions": []any{M{"action": "complete_task", "complete_task": M{
		"workflowId": "${waiterId}", "taskRefName": "wait", "output": M{"approved": "${approved}", "by": "${approver}"},
	}}}})
	waiter := s.Start("waiter", M{}, nil)
	s.ExpectShape(waiter, "waiting", "RUNNING: WAIT=IN_PROGRESS")
	s.Start("pub", M{"waiterId": waiter, "approver": "ann", "approved": true}, nil)
	wf := s.awaitEventWorkflow(waiter, "completed by the handler", func(wf M) bool { return str(wf, "status") == "COMPLETED" })
	out, _ := Row(wf, "wait")["outputData"].(M)
	s.Check("output from the payload", out["approved"] == true && str(out, "by") == "ann")
	s.Check("output names the event", str(out, "conductor.event.name") == event)
}

func eventsFailTask(s *S) {
	event := s.approvalWFs()
	s.handler("reject", event, M{"actions": []any{M{"action": "fail_task", "fail_task": M{
		"workflowId": "${waiterId}", "taskRefName": "wait", "reasonForIncompletion": "rejected by ${approver}",
		"output": M{"approved": "${approved}"},
	}}}})
	waiter := s.Start("waiter", M{}, nil)
	s.Start("pub", M{"waiterId": waiter, "approver": "bob", "approved": false}, nil)
	wf := s.awaitEventWorkflow(waiter, "failed by the handler", func(wf M) bool { return str(wf, "status") == "FAILED" })
	s.Check("the reason came from the payload", str(Row(wf, "wait"), "reasonForIncompletion") == "rejected by bob")
}

func eventsCondition(s *S) {
	s.waitWF("target", nil)
	s.eventWF("pub", "conductor", M{"orderId": "${workflow.input.orderId}", "amount": "${workflow.input.amount}"}, nil)
	s.handler("big_orders", "conductor:"+s.N("pub")+":ev", M{"condition": "$.amount > 100", "evaluatorType": "javascript",
		"actions": []any{M{"action": "start_workflow", "start_workflow": M{"name": s.N("target"), "correlationId": "${orderId}"}}}})
	s.Start("pub", M{"orderId": s.N("small"), "amount": 5}, nil)
	s.Start("pub", M{"orderId": s.N("big"), "amount": 500}, nil)
	// Messages of one queue are handled in order: once the second has started its workflow,
	// the first was handled and skipped.
	s.Check("the true condition started one", len(s.awaitCorrelated("target", s.N("big"))) == 1)
	s.Check("the false condition started none", len(s.correlatedNow("target", s.N("small"), "condition false")) == 0)
}

func eventsTerminateAndVariables(s *S) {
	s.waitWF("waiter", nil)
	s.eventWF("pub", "conductor", M{"doomed": "${workflow.input.doomed}", "kept": "${workflow.input.kept}"}, nil)
	s.handler("admin", "conductor:"+s.N("pub")+":ev", M{"actions": []any{
		M{"action": "terminate_workflow", "terminate_workflow": M{"workflowId": "${doomed}", "terminationReason": "stopped by an event"}},
		M{"action": "update_workflow_variables", "update_workflow_variables": M{"workflowId": "${kept}", "variables": M{"flag": "set"}}},
	}})
	// The marker handler completes the marker's WAIT: once it has, the message was handled.
	s.handler("marker", "conductor:"+s.N("pub")+":ev", M{"actions": []any{
		M{"action": "complete_task", "complete_task": M{"workflowId": "${kept}", "taskRefName": "wait"}},
	}})
	doomed := s.Start("waiter", M{}, nil)
	kept := s.Start("waiter", M{}, nil)
	s.Start("pub", M{"doomed": doomed, "kept": kept}, nil)
	s.awaitEventWorkflow(kept, "marker completed", func(wf M) bool { return str(wf, "status") == "COMPLETED" })
	s.GetWorkflow(doomed, "the workflow to terminate")
	s.GetWorkflow(kept, "the workflow whose variables to set")
}

func eventsQueueAdmin(s *S) {
	s.waitWF("waiter", nil)
	s.Do(Req{Method: http.MethodGet, Path: "/queue/", Label: "queue names"})
	s.Do(Req{Method: http.MethodGet, Path: "/queue/size", Label: "queue sizes"})
	byRef := s.Start("waiter", M{}, nil)
	byID := s.Start("waiter", M{}, nil)
	row := Row(s.ExpectShape(byID, "waiting", "RUNNING: WAIT=IN_PROGRESS"), "wait")
	ref := s.Do(Req{Method: http.MethodPost, Path: "/queue/update/{workflowId}/{taskRefName}/{status}",
		Args: []string{byRef, "wait", "COMPLETED"}, Body: M{"approved": true}, Label: "update by reference name"})
	id := s.Do(Req{Method: http.MethodPost, Path: "/queue/update/{workflowId}/task/{taskId}/{status}",
		Args: []string{byID, str(row, "taskId"), "FAILED"}, Body: M{"reason": "no"}, Label: "update by task id"})
	s.Do(Req{Method: http.MethodPost, Path: "/queue/update/{workflowId}/{taskRefName}/{status}",
		Args: []string{byRef, "wait", "IN_PROGRESS"}, Body: M{}, Label: "update to a status without a queue"})
	s.Do(Req{Method: http.MethodPost, Path: "/queue/update/{workflowId}/{taskRefName}/{status}",
		Args: []string{byRef, "wait", "COMPLETED"}, Raw: new("[1]"), ContentType: "application/json",
		Label: "update with a body that is not an object"})
	// Conductor without an external broker has no queue for any status: the updates above
	// were refused and the tasks stay IN_PROGRESS. Baton's updates are handled.
	s.awaitEventWorkflow(byRef, "after the update by reference name", func(wf M) bool {
		return ref.Status != http.StatusOK || str(wf, "status") == "COMPLETED"
	})
	s.awaitEventWorkflow(byID, "after the update by task id", func(wf M) bool {
		return id.Status != http.StatusOK || str(wf, "status") == "FAILED"
	})
}

func eventsStatusListener(s *S) {
	s.waitWF("target", nil)
	s.waitWF("listened", M{"workflowStatusListenerEnabled": true})
	only := "$.workflowType == '" + s.N("listened") + "'"
	start := func(status string) M {
		return M{"name": s.N("target"), "correlationId": "${workflowId}",
			"input": M{"status": "${status}", "workflowType": "${workflowType}", "expected": status}}
	}
	s.handler("on_success", "conductor:_callbackSuccessQueue", M{"condition": only,
		"actions": []any{M{"action": "start_workflow", "start_workflow": start("COMPLETED")}}})
	s.handler("on_failure", "conductor:_callbackFailureQueue", M{"condition": only,
		"actions": []any{M{"action": "start_workflow", "start_workflow": start("TERMINATED")}}})
	ok := s.Start("listened", M{}, nil)
	bad := s.Start("listened", M{}, nil)
	s.CompleteRow(Row(s.ExpectShape(ok, "waiting", "RUNNING: WAIT=IN_PROGRESS"), "wait"), "COMPLETED", nil)
	s.WF(http.MethodDelete, "/workflow/{workflowId}", bad, url.Values{"reason": {"stopped"}})
	for _, id := range []string{ok, bad} {
		got := s.awaitCorrelated("target", id)
		if len(got) == 1 {
			in, _ := got[0].(M)["input"].(M)
			s.Check("the summary's status reached the handler", str(in, "status") == str(in, "expected"))
		}
	}
}

func eventsHandlerCRUD(s *S) {
	event := "conductor:" + s.N("wf") + ":q"
	h := M{"name": s.N("h1"), "event": event, "active": true, "actions": []any{
		M{"action": "complete_task", "complete_task": M{"workflowId": "${workflowId}", "taskRefName": "wait"}}}}
	post := func(label string, body any) *Resp {
		return s.Do(Req{Method: http.MethodPost, Path: "/event", Body: body, Label: label})
	}
	post("missing everything", M{})
	post("no actions", M{"name": s.N("h0"), "event": event, "actions": []any{}})
	s.must(post("add", h), http.StatusOK)
	s.cleanups = append(s.cleanups, func() {
		_, _ = s.send(Req{Method: http.MethodDelete, Path: "/event/{name}", Args: []string{s.N("h1")}})
	})
	post("add again", h)
	s.Do(Req{Method: http.MethodGet, Path: "/event/{event}", Args: []string{event}, Label: "active handlers"})
	h["active"] = false
	h["condition"] = "$.ok == true"
	s.must(s.Do(Req{Method: http.MethodPut, Path: "/event", Body: h, Label: "deactivate"}), http.StatusOK)
	s.Do(Req{Method: http.MethodGet, Path: "/event/{event}", Args: []string{event}, Label: "active handlers after"})
	s.Do(Req{Method: http.MethodGet, Path: "/event/{event}", Args: []string{event}, Query: url.Values{"activeOnly": {"false"}},
		Label: "all handlers of the event"})
	s.Do(Req{Method: http.MethodGet, Path: "/event", Label: "every handler", View: func(v any) any {
		var mine []any
		list, _ := v.([]any)
		for _, e := range list {
			if m, ok := e.(M); ok && str(m, "event") == event {
				mine = append(mine, m)
			}
		}
		return mine
	}})
	s.Do(Req{Method: http.MethodPut, Path: "/event", Body: M{"name": s.N("nope"), "event": event, "actions": h["actions"]},
		Label: "update unknown"})
	s.Do(Req{Method: http.MethodDelete, Path: "/event/{name}", Args: []string{s.N("nope")}, Label: "delete unknown"})
	post("unknown action", M{"name": s.N("h2"), "event": event, "actions": []any{M{"action": "bogus"}}})
	s.Do(Req{Method: http.MethodPost, Path: "/event", Raw: new("nonsense"), ContentType: "application/json", Label: "broken JSON"})
	s.must(s.Do(Req{Method: http.MethodDelete, Path: "/event/{name}", Args: []string{s.N("h1")}, Label: "delete"}), http.StatusOK)
	s.Do(Req{Method: http.MethodGet, Path: "/event/{event}", Args: []string{event}, Query: url.Values{"activeOnly": {"false"}},
		Label: "after delete"})
}

// eventSpecWF is test_event_workflow (event_workflow_integration_test.json).
func (s *S) eventSpecWF(asyncComplete bool) {
	s.registerIntegrationTasks(nil)
	s.RegisterWorkflow(s.WorkflowDef("test_event_workflow", M{
		"inputParameters": []any{}, "outputParameters": M{}, "restartable": true,
		"timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "ownerEmail": harnessEmail,
	},
		M{"name": "eventX", "taskReferenceName": "wait0", "type": "EVENT", "sink": "conductor", "inputParameters": M{},
			"asyncComplete": asyncComplete},
		s.Simple("integration_task_1", "t1", M{"inputParameters": M{}}),
	))
}

func specEventSimple(s *S) {
	s.eventSpecWF(false)
	id := s.Start("test_event_workflow", M{}, M{"version": 1})
	wf := s.ExpectShape(id, "started", "RUNNING: EVENT=COMPLETED integration_task_1=SCHEDULED")
	out, _ := Row(wf, "wait0")["outputData"].(M)
	s.Check("event_produced is set", str(out, "event_produced") != "")
	s.PollComplete("integration_task_1", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: EVENT=COMPLETED integration_task_1=COMPLETED")
}

func specEventAsyncComplete(s *S) {
	s.eventSpecWF(true)
	id := s.Start("test_event_workflow", M{}, M{"version": 1})
	wf := s.ExpectShape(id, "started", "RUNNING: EVENT=IN_PROGRESS")
	out, _ := Row(wf, "wait0")["outputData"].(M)
	s.Check("event_produced is set", str(out, "event_produced") != "")
	s.CompleteRow(Row(wf, "wait0"), "COMPLETED", nil)
	s.ExpectShape(id, "event task completed", "RUNNING: EVENT=COMPLETED integration_task_1=SCHEDULED")
	s.PollComplete("integration_task_1", nil)
	s.CheckShape("completed", s.AwaitStatus(id, "COMPLETED"), "COMPLETED: EVENT=COMPLETED integration_task_1=COMPLETED")
}
