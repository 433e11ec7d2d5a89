package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// eventWf is a workflow "pub" whose one EVENT task publishes input to the
// conductor queue "pub:<sink>".
func eventWf(name, sink string, input map[string]any, asyncComplete bool) *model.WorkflowDef {
	return &model.WorkflowDef{Name: name, Version: 1, SchemaVersion: 2, Tasks: []model.WorkflowTask{{
		Name: "ev", TaskReferenceName: "ev", Type: model.TaskTypeEvent, Sink: sink,
		InputParameters: input, AsyncComplete: asyncComplete,
	}}}
}

func waitWf(name string) *model.WorkflowDef {
	return &model.WorkflowDef{Name: name, Version: 1, SchemaVersion: 2, Tasks: []model.WorkflowTask{{
		Name: "wait", TaskReferenceName: "wait", Type: model.TaskTypeWait,
	}}}
}

func (h *harness) handler(hd *model.EventHandler) {
	h.t.Helper()
	require.NoError(h.t, h.e.AddEventHandler(h.ctx, hd))
}

func (h *harness) byCorrelation(name, corr string) []*model.Workflow {
	h.t.Helper()
	wfs, err := h.e.ByCorrelationID(h.ctx, name, corr, true, true)
	require.NoError(h.t, err)
	return wfs
}

func TestEventTaskStartsWorkflowThroughHandler(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(waitWf("target"))
	h.workflowDef(eventWf("pub", "conductor:orders", map[string]any{"order": "${workflow.input.order}"}, false))
	h.handler(&model.EventHandler{Name: "starter", Event: "conductor:pub:orders", Active: true, Actions: []model.EventAction{{
		Action: model.ActionStartWorkflow,
		StartWorkflow: &model.StartWorkflowAction{Name: "target", CorrelationId: "${workflowInstanceId}",
			Input: map[string]any{"order": "${order}", "fixed": 1}},
	}}})

	id := h.start("pub", map[string]any{"order": "o-1"})
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	ev := wf.Tasks[0]
	require.Equal(t, model.TaskCompleted, ev.Status)
	require.Equal(t, "conductor:pub:orders", ev.OutputData["event_produced"])
	require.Equal(t, id, ev.OutputData["workflowInstanceId"])
	require.Equal(t, "pub", ev.OutputData["workflowType"])
	require.Equal(t, 1, h.e.EventQueueSizes()["pub:orders"], "the message waits for the drain")

	h.e.RunDueTimers()
	started := h.byCorrelation("target", id)
	require.Len(t, started, 1)
	require.Equal(t, "o-1", started[0].Input["order"])
	require.EqualValues(t, 1, started[0].Input["fixed"])
	require.Equal(t, "conductor:pub:orders", started[0].Input["conductor.event.name"])
	require.Equal(t, ev.TaskId, started[0].Input["conductor.event.messageId"])
	require.Equal(t, "conductor:pub:orders", started[0].Event)
	require.Empty(t, h.e.EventQueueSizes())
	require.Empty(t, h.pendingMessages(), "handled messages are acknowledged")
}

func (h *harness) pendingMessages() []*store.EventMessage {
	h.t.Helper()
	ms, err := h.st.PendingEventMessages(h.ctx)
	require.NoError(h.t, err)
	return ms
}

func TestEventHandlerTaskActions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		action model.EventAction
		check  func(t *testing.T, wf *model.Workflow)
	}{
		{"complete_task by ref", model.EventAction{Action: model.ActionCompleteTask, CompleteTask: &model.TaskDetails{
			WorkflowId: "${target}", TaskRefName: "wait", Output: map[string]any{"approved": "${approved}"}}},
			func(t *testing.T, wf *model.Workflow) {
				require.Equal(t, model.WorkflowCompleted, wf.Status)
				out := wf.Tasks[0].OutputData
				require.Equal(t, true, out["approved"])
				require.Equal(t, "conductor:pub:q", out["conductor.event.name"])
				require.Equal(t, wf.WorkflowId, out["workflowId"])
			}},
		{"fail_task with reason", model.EventAction{Action: model.ActionFailTask, FailTask: &model.TaskDetails{
			WorkflowId: "${target}", TaskRefName: "wait", ReasonForIncompletion: "rejected: ${approved}"}},
			func(t *testing.T, wf *model.Workflow) {
				require.Equal(t, model.WorkflowFailed, wf.Status)
				require.Equal(t, model.TaskFailed, wf.Tasks[0].Status)
				require.Equal(t, "rejected: true", wf.Tasks[0].ReasonForIncompletion)
			}},
		{"terminate_workflow", model.EventAction{Action: model.ActionTerminateWorkflow, TerminateWorkflow: &model.TerminateWorkflowAction{
			WorkflowId: "${target}", TerminationReason: "by event"}},
			func(t *testing.T, wf *model.Workflow) {
				require.Equal(t, model.WorkflowTerminated, wf.Status)
				require.Equal(t, "by event", wf.ReasonForIncompletion)
			}},
		{"update_workflow_variables", model.EventAction{Action: model.ActionUpdateWorkflowVariables, UpdateWorkflowVariables: &model.UpdateVariablesAction{
			WorkflowId: "${target}", Variables: map[string]any{"approved": "${approved}"}}},
			func(t *testing.T, wf *model.Workflow) {
				require.Equal(t, model.WorkflowRunning, wf.Status)
				require.Equal(t, true, wf.Variables["approved"])
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.workflowDef(waitWf("waiter"))
			h.workflowDef(eventWf("pub", "conductor:q", map[string]any{"target": "${workflow.input.target}", "approved": true}, false))
			h.handler(&model.EventHandler{Name: "h", Event: "conductor:pub:q", Active: true, Actions: []model.EventAction{tc.action}})
			target := h.start("waiter", nil)
			h.start("pub", map[string]any{"target": target})
			h.e.RunDueTimers()
			tc.check(t, h.workflow(target))
		})
	}
}

func TestEventHandlerConditions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, condition, evaluator string
		fires                      bool
	}{
		{"true", "$.amount > 10", "", true},
		{"false", "$.amount > 100", "", false},
		{"javascript evaluator", "$.amount == 42", "javascript", true},
		{"value-param", "flag", "value-param", true},
		{"number is truthy", "$.amount", "", true},
		{"string is false", "'yes'", "", false},
		{"throws", "$.missing.field > 1", "", false},
		{"inline json expanded", "$.nested.k == 'v'", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.workflowDef(waitWf("target"))
			h.workflowDef(eventWf("pub", "conductor", map[string]any{"amount": 42, "flag": true, "nested": `{"k":"v"}`}, false))
			h.handler(&model.EventHandler{Name: "h", Event: "conductor:pub:ev", Active: true, Condition: tc.condition,
				EvaluatorType: tc.evaluator, Actions: []model.EventAction{{Action: model.ActionStartWorkflow,
					StartWorkflow: &model.StartWorkflowAction{Name: "target", CorrelationId: "${workflowInstanceId}"}}}})
			id := h.start("pub", nil)
			h.e.RunDueTimers()
			require.Len(t, h.byCorrelation("target", id), map[bool]int{true: 1, false: 0}[tc.fires])
			require.Empty(t, h.pendingMessages())
		})
	}
}

// A condition that never ends is stopped by the sandbox's time limit: the
// handler is skipped, the message acknowledged, and the next message is
// handled as usual.
func TestEventConditionTimeLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Script.Timeout = 50 * time.Millisecond })
	h.workflowDef(waitWf("target"))
	h.workflowDef(eventWf("pub", "conductor", map[string]any{"loop": "${workflow.input.loop}"}, false))
	h.handler(&model.EventHandler{Name: "h", Event: "conductor:pub:ev", Active: true,
		Condition: "if ($.loop) { while (true) {} }; true",
		Actions: []model.EventAction{{Action: model.ActionStartWorkflow,
			StartWorkflow: &model.StartWorkflowAction{Name: "target", CorrelationId: "${workflowInstanceId}"}}}})
	looping := h.start("pub", map[string]any{"loop": true})
	fine := h.start("pub", map[string]any{"loop": false})
	h.e.RunDueTimers()
	require.Empty(t, h.byCorrelation("target", looping))
	require.Len(t, h.byCorrelation("target", fine), 1)
	require.Empty(t, h.pendingMessages())
}

func TestEventHandlerInactiveAndOtherEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(waitWf("target"))
	h.workflowDef(eventWf("pub", "conductor", nil, false))
	start := []model.EventAction{{Action: model.ActionStartWorkflow,
		StartWorkflow: &model.StartWorkflowAction{Name: "target", CorrelationId: "${workflowInstanceId}"}}}
	h.handler(&model.EventHandler{Name: "inactive", Event: "conductor:pub:ev", Active: false, Actions: start})
	h.handler(&model.EventHandler{Name: "other", Event: "conductor:pub:other", Active: true, Actions: start})
	id := h.start("pub", nil)
	h.e.RunDueTimers()
	require.Empty(t, h.byCorrelation("target", id))
	require.Len(t, h.pendingMessages(), 1, "a queue no active handler listens to is not read: its message waits")
	require.Equal(t, map[string]int{"pub:ev": 1}, h.e.EventQueueSizes())

	// Activating the handler reads the queue (Conductor does so within a
	// minute, at its next refreshEventQueues).
	require.NoError(t, h.e.UpdateEventHandler(h.ctx, &model.EventHandler{Name: "inactive", Event: "conductor:pub:ev", Active: true, Actions: start}))
	h.e.RunDueTimers()
	require.Len(t, h.byCorrelation("target", id), 1)
	require.Empty(t, h.pendingMessages())
}

// An asyncComplete EVENT task stays IN_PROGRESS until a handler completes
// it (Conductor's EventTaskSpec).
func TestEventTaskAsyncCompleteByHandler(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(eventWf("pub", "conductor", map[string]any{"k": "v"}, true))
	id := h.start("pub", nil)
	wf := h.workflow(id)
	require.Equal(t, model.TaskInProgress, wf.Tasks[0].Status)
	h.e.RunDueTimers()
	require.Equal(t, model.TaskInProgress, h.workflow(id).Tasks[0].Status, "no handler: still waiting")

	h.handler(&model.EventHandler{Name: "done", Event: "conductor:pub:ev2", Active: true, Actions: []model.EventAction{{
		Action: model.ActionCompleteTask, CompleteTask: &model.TaskDetails{TaskId: "${taskId}"}}}})
	h.workflowDef(eventWf("pub2", "conductor:ev2", map[string]any{"taskId": "${workflow.input.taskId}"}, false))
	// pub2's queue is "pub2:ev2", not the handler's: retarget the handler.
	hd := &model.EventHandler{Name: "done", Event: "conductor:pub2:ev2", Active: true, Actions: []model.EventAction{{
		Action: model.ActionCompleteTask, CompleteTask: &model.TaskDetails{TaskId: "${taskId}"}}}}
	require.NoError(t, h.e.UpdateEventHandler(h.ctx, hd))
	h.start("pub2", map[string]any{"taskId": wf.Tasks[0].TaskId})
	h.e.RunDueTimers()
	wf = h.workflow(id)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Equal(t, "conductor:pub2:ev2", wf.Tasks[0].OutputData["conductor.event.name"])
}

// The status listener publishes a finished workflow's summary; a handler
// on the success queue starts a workflow from it.
func TestWorkflowStatusListenerFeedsHandler(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(waitWf("target"))
	def := waitWf("listened")
	def.WorkflowStatusListenerEnabled = true
	h.workflowDef(def)
	for _, q := range []string{"_callbackSuccessQueue", "_callbackFailureQueue"} {
		h.handler(&model.EventHandler{Name: q, Event: "conductor:" + q, Active: true, Actions: []model.EventAction{{
			Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{Name: "target",
				CorrelationId: "${workflowId}", Input: map[string]any{"status": "${status}", "type": "${workflowType}"}}}}})
	}
	ok := h.start("listened", nil)
	bad := h.start("listened", nil)
	require.NoError(t, h.e.Terminate(h.ctx, bad, "stop"))
	_, err := h.e.UpdateTaskByRefName(h.ctx, ok, "wait", model.CompletedTask, nil, "")
	require.NoError(t, err)
	h.e.RunDueTimers()
	for id, status := range map[string]string{ok: "COMPLETED", bad: "TERMINATED"} {
		got := h.byCorrelation("target", id)
		require.Len(t, got, 1, status)
		require.Equal(t, status, got[0].Input["status"])
		require.Equal(t, "listened", got[0].Input["type"])
	}
}

// Messages found in the store at Start (published before a crash, not
// acknowledged) are handled then, once.
func TestEventMessagesHandledAfterRestart(t *testing.T) {
	t.Parallel()
	st := enginetest.NewMemStore()
	h := newHarnessOn(t, st)
	h.workflowDef(waitWf("target"))
	h.handler(&model.EventHandler{Name: "h", Event: "conductor:wf:q", Active: true, Actions: []model.EventAction{{
		Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{Name: "target", CorrelationId: "${corr}"}}}})
	require.NoError(t, st.Apply(context.Background(), &store.Batch{Messages: []*store.EventMessage{
		{Key: "k1", Queue: "wf:q", ID: "m1", Payload: `{"corr":"c1"}`},
		{Key: "k2", Queue: "wf:q", ID: "m2", Payload: `{"corr":"c2"}`},
	}}))
	h2 := newHarnessOn(t, st)
	h2.e.RunDueTimers()
	require.Len(t, h2.byCorrelation("target", "c1"), 1)
	require.Len(t, h2.byCorrelation("target", "c2"), 1)
	require.Empty(t, h2.pendingMessages())
}

func TestEventHandlerCRUD(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	hd := &model.EventHandler{Name: "h", Event: "conductor:a:b", Active: true, Actions: []model.EventAction{{
		Action: model.ActionCompleteTask, CompleteTask: &model.TaskDetails{WorkflowId: "${w}", TaskRefName: "r"}}}}
	h.handler(hd)
	err := h.e.AddEventHandler(h.ctx, hd)
	require.Equal(t, KindConflict, KindOf(err))
	require.EqualError(t, err, "EventHandler with name h already exists!")

	all, err := h.e.EventHandlers(h.ctx)
	require.NoError(t, err)
	require.Len(t, all, 1)
	require.NotNil(t, all[0].Actions[0].CompleteTask.Output, "output reads back as {} as in Conductor")

	hd.Active = false
	require.NoError(t, h.e.UpdateEventHandler(h.ctx, hd))
	got, err := h.e.EventHandlersForEvent(h.ctx, "conductor:a:b", true)
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = h.e.EventHandlersForEvent(h.ctx, "conductor:a:b", false)
	require.NoError(t, err)
	require.Len(t, got, 1)

	err = h.e.UpdateEventHandler(h.ctx, &model.EventHandler{Name: "nope", Event: "conductor:a:b", Actions: hd.Actions})
	require.Equal(t, KindNotFound, KindOf(err))
	require.EqualError(t, err, "EventHandler with name nope not found!")
	require.Equal(t, KindNotFound, KindOf(h.e.DeleteEventHandler(h.ctx, "nope")))
	require.NoError(t, h.e.DeleteEventHandler(h.ctx, "h"))
	all, err = h.e.EventHandlers(h.ctx)
	require.NoError(t, err)
	require.Empty(t, all)
}

func TestEventHandlerValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ok := model.EventAction{Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{Name: "x"}}
	for _, tc := range []struct {
		name string
		h    *model.EventHandler
		want []string // path: message
	}{
		{"nil", nil, []string{"addEventHandler.arg0: EventHandler cannot be null."}},
		{"empty", &model.EventHandler{}, []string{
			"addEventHandler.arg0.actions: No actions specified. Please specify at-least one action",
			"addEventHandler.arg0.name: Missing event handler name",
			"addEventHandler.arg0.event: Missing event location"}},
		{"broker event", &model.EventHandler{Name: "n", Event: "sqs:queue", Actions: []model.EventAction{ok}}, []string{
			"addEventHandler.arg0.event: event sqs:queue is not supported by Baton: only the conductor event queues are (conductor:<queue>)"}},
		{"no colon", &model.EventHandler{Name: "n", Event: "conductor", Actions: []model.EventAction{ok}}, []string{
			"addEventHandler.arg0.event: event conductor is not supported by Baton: only the conductor event queues are (conductor:<queue>)"}},
		{"unknown action", &model.EventHandler{Name: "n", Event: "conductor:q", Actions: []model.EventAction{{Action: "bogus"}}}, []string{
			"addEventHandler.arg0.actions[0]: action bogus is not supported by Baton: use one of start_workflow, complete_task, fail_task, terminate_workflow, update_workflow_variables"}},
		{"missing parameters", &model.EventHandler{Name: "n", Event: "conductor:q", Actions: []model.EventAction{{Action: model.ActionCompleteTask}}}, []string{
			`addEventHandler.arg0.actions[0]: action complete_task needs its parameters in "complete_task"`}},
		{"no task named", &model.EventHandler{Name: "n", Event: "conductor:q", Actions: []model.EventAction{{Action: model.ActionFailTask, FailTask: &model.TaskDetails{WorkflowId: "w"}}}}, []string{
			"addEventHandler.arg0.actions[0]: action fail_task needs fail_task.taskId, or fail_task.workflowId and fail_task.taskRefName"}},
		{"bad condition", &model.EventHandler{Name: "n", Event: "conductor:q", Condition: "$.a >", Actions: []model.EventAction{ok}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := h.e.AddEventHandler(h.ctx, tc.h)
			require.Error(t, err)
			require.Equal(t, KindInvalid, KindOf(err))
			var ee *Error
			require.ErrorAs(t, err, &ee)
			if tc.want != nil {
				var got []string
				for _, v := range ee.ValidationErrors {
					got = append(got, v.Path+": "+v.Message)
				}
				require.Equal(t, tc.want, got)
			}
		})
	}
	all, err := h.e.EventHandlers(h.ctx)
	require.NoError(t, err)
	require.Empty(t, all, "nothing invalid was saved")
}

func TestQueueAdminUpdates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(waitWf("waiter"))
	require.Equal(t, map[string]string{"COMPLETED": "_queueAdmin_COMPLETED", "FAILED": "_queueAdmin_FAILED"}, h.e.QueueAdminNames())

	byRef := h.start("waiter", nil)
	require.NoError(t, h.e.QueueUpdate(h.ctx, byRef, "wait", "", model.CompletedTask, map[string]any{"approved": true}))
	require.Equal(t, map[string]int{"_queueAdmin_COMPLETED": 1, "_queueAdmin_FAILED": 0}, h.e.QueueAdminSizes())
	require.Equal(t, model.WorkflowRunning, h.workflow(byRef).Status, "the update happens when the message is handled")
	h.e.RunDueTimers()
	wf := h.workflow(byRef)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Equal(t, true, wf.Tasks[0].OutputData["approved"])
	require.Equal(t, `{"taskRefName":"wait","workflowId":"`+byRef+`"}`, wf.Tasks[0].OutputData["externalId"])

	byID := h.start("waiter", nil)
	taskID := h.workflow(byID).Tasks[0].TaskId
	require.NoError(t, h.e.QueueUpdate(h.ctx, byID, "", taskID, model.FailedTask, nil))
	// A message for a workflow that does not exist is dropped.
	require.NoError(t, h.e.QueueUpdate(h.ctx, "no-such-workflow", "wait", "", model.CompletedTask, nil))
	h.e.RunDueTimers()
	require.Equal(t, model.WorkflowFailed, h.workflow(byID).Status)
	require.Empty(t, h.pendingMessages())

	err := h.e.QueueUpdate(h.ctx, byID, "wait", "", model.InProgressTask, nil)
	require.Equal(t, KindInvalid, KindOf(err))
	require.EqualError(t, err, "There is no queue for handling IN_PROGRESS status")
}

// Payloads that are not JSON objects (text, a list, a number) reach the
// handlers as Conductor's getPayloadObject reads them: conditions see an
// empty object and ${...} paths resolve to null, without failing the drain;
// text that holds JSON is expanded.
func TestEventPayloadsThatAreNotObjects(t *testing.T) {
	t.Parallel()
	st := enginetest.NewMemStore()
	h := newHarnessOn(t, st)
	h.workflowDef(waitWf("target"))
	h.handler(&model.EventHandler{Name: "cond", Event: "conductor:wf:q", Active: true, Condition: "$.x == 1",
		Actions: []model.EventAction{{Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{Name: "target", CorrelationId: "cond"}}}})
	h.handler(&model.EventHandler{Name: "plain", Event: "conductor:wf:q", Active: true, Actions: []model.EventAction{
		{Action: model.ActionStartWorkflow, ExpandInlineJSON: true, StartWorkflow: &model.StartWorkflowAction{Name: "target", CorrelationId: "plain", Input: map[string]any{"x": "${x}"}}},
		{Action: model.ActionCompleteTask, CompleteTask: &model.TaskDetails{TaskId: "${taskId}"}},
	}})
	var msgs []*store.EventMessage
	for i, p := range []string{`not json`, `[1,2]`, `42`, `null`, `"{\"x\":1}"`} {
		msgs = append(msgs, &store.EventMessage{Key: fmt.Sprint("k", i), Queue: "wf:q", ID: fmt.Sprint("m", i), Payload: p})
	}
	require.NoError(t, st.Apply(h.ctx, &store.Batch{Messages: msgs}))
	h2 := newHarnessOn(t, st)
	h2.e.RunDueTimers()
	cond := h2.byCorrelation("target", "cond")
	require.Len(t, cond, 1, "only the text holding a JSON object has x == 1 once expanded (JsonUtils.expand)")
	started := h2.byCorrelation("target", "plain")
	require.Len(t, started, len(msgs), "every message started its workflow")
	var xs []any
	for _, wf := range started {
		xs = append(xs, wf.Input["x"])
	}
	require.ElementsMatch(t, []any{nil, nil, nil, nil, float64(1)}, xs, "expandInlineJSON reads the text's JSON")
	require.Empty(t, h2.pendingMessages())
}

// A cancelled EVENT task withdraws the message it published if no
// handler has taken it yet (Event.cancel acknowledges it).
func TestCancelledEventTaskWithdrawsItsMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(eventWf("pub", "conductor", map[string]any{"k": "v"}, true))
	kept := h.start("pub", nil)
	cancelled := h.start("pub", nil)
	h.e.RunDueTimers()
	require.Len(t, h.pendingMessages(), 2, "no handler listens: both wait")
	require.NoError(t, h.e.Terminate(h.ctx, cancelled, "stop"))
	require.Equal(t, model.TaskCanceled, h.workflow(cancelled).Tasks[0].Status)
	pending := h.pendingMessages()
	require.Len(t, pending, 1)
	require.Equal(t, h.workflow(kept).Tasks[0].TaskId, pending[0].ID)
	require.Equal(t, map[string]int{"pub:ev": 1}, h.e.EventQueueSizes())
}
