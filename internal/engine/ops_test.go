package engine

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestUpdateTaskErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	task := h.mustPoll("a")

	requireViolations(t, h.e.UpdateTask(h.ctx, nil), ve("updateTask.arg0", "TaskResult cannot be null or empty."))
	requireViolations(t, h.e.UpdateTask(h.ctx, &model.TaskResult{}),
		ve("updateTask.arg0.workflowInstanceId", "Workflow Id cannot be null or empty"),
		ve("updateTask.arg0.taskId", "Task ID cannot be null or empty"))
	err := h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId, Status: "DONE"})
	require.Equal(t, KindInvalid, KindOf(err))
	err = h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: "ghost", TaskId: task.TaskId, Status: model.CompletedTask})
	require.EqualError(t, err, "No such workflow found by id: ghost")
	require.Equal(t, KindNotFound, KindOf(err))
	err = h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: "ghost", Status: model.CompletedTask})
	require.EqualError(t, err, "No such task found by id: ghost")
	err = h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: "ghost", ExtendLease: true})
	require.EqualError(t, err, "No such task found by id: ghost")
	require.Equal(t, []string{"a:IN_PROGRESS"}, h.statuses(id), "errors change nothing")

	_, err = h.e.GetTask(h.ctx, "ghost")
	require.EqualError(t, err, "Task not found for taskId: ghost")
	got, err := h.e.GetTask(h.ctx, task.TaskId)
	require.NoError(t, err)
	require.Equal(t, model.TaskInProgress, got.Status)
}

func TestUpdateReachesTheTasksOwnWorkflow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	first := h.start("wf", nil)
	second := h.start("wf", nil)
	task := h.mustPoll("a")
	require.Equal(t, first, task.WorkflowInstanceId)
	require.NoError(t, h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: second, TaskId: task.TaskId, Status: model.CompletedTask}))
	require.Equal(t, model.WorkflowCompleted, h.workflow(first).Status)
	require.Equal(t, model.WorkflowRunning, h.workflow(second).Status)
}

func TestUpdateKeepsFirst500CharactersOfReasonAndTenLogLines(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(simpleWorkflow("wf", "a"))
	h.start("wf", nil)
	task := h.mustPoll("a")
	long := strings.Repeat("é", 600)
	r := &model.TaskResult{WorkflowInstanceId: task.WorkflowInstanceId, TaskId: task.TaskId, Status: model.InProgressTask,
		ReasonForIncompletion: long}
	for i := range 12 {
		r.Logs = append(r.Logs, model.TaskExecLog{Log: strings.Repeat("x", i)})
	}
	require.NoError(t, h.e.UpdateTask(h.ctx, r))
	got, err := h.e.GetTask(h.ctx, task.TaskId)
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("é", 500), got.ReasonForIncompletion)
	logs, err := h.e.TaskLogs(h.ctx, task.TaskId)
	require.NoError(t, err)
	require.Len(t, logs, 10)
	require.Equal(t, task.TaskId, logs[3].TaskId)

	require.NoError(t, h.e.AddTaskLog(h.ctx, task.TaskId, "by hand"))
	logs, err = h.e.TaskLogs(h.ctx, task.TaskId)
	require.NoError(t, err)
	require.Equal(t, "by hand", logs[10].Log)
	require.Equal(t, t0.UnixMilli(), logs[10].CreatedTime)
	require.EqualError(t, h.e.AddTaskLog(h.ctx, "ghost", "x"), "No such task found by id: ghost")
	require.Equal(t, KindInvalid, KindOf(h.e.AddTaskLog(h.ctx, "", "x")))
	none, err := h.e.TaskLogs(h.ctx, "ghost")
	require.NoError(t, err)
	require.Empty(t, none)
}

func TestTerminateAndRemove(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a", RetryCount: 0, ConcurrentExecLimit: intp(1)})
	h.workflowDef(simpleWorkflow("wf", "a"))

	done := h.start("wf", nil)
	h.complete(h.mustPoll("a"), nil)
	err := h.e.Terminate(h.ctx, done, "late")
	require.EqualError(t, err, "Cannot terminate a COMPLETED workflow.")
	require.Equal(t, KindConflict, KindOf(err))

	failed := h.start("wf", nil)
	h.fail(h.mustPoll("a"), "x")
	require.Equal(t, model.WorkflowFailed, h.workflow(failed).Status)
	require.NoError(t, h.e.Terminate(h.ctx, failed, "clean up"))
	wf := h.workflow(failed)
	require.Equal(t, model.WorkflowTerminated, wf.Status, "a FAILED workflow becomes TERMINATED")
	require.Equal(t, "clean up", wf.ReasonForIncompletion)

	running := h.start("wf", nil)
	h.mustPoll("a")
	err = h.e.Remove(h.ctx, running, true)
	require.EqualError(t, err, "Cannot archive workflow: "+running+" with status: RUNNING")
	require.Equal(t, KindInvalid, KindOf(err))
	queued := h.start("wf", nil)
	require.Nil(t, h.poll("a"), "the running task holds the only slot")
	require.NoError(t, h.e.Remove(h.ctx, running, false))
	_, err = h.e.GetWorkflow(h.ctx, running, true)
	require.EqualError(t, err, "No such workflow found by id: "+running)
	require.Equal(t, queued, h.mustPoll("a").WorkflowInstanceId, "removing the workflow freed the slot")

	require.NoError(t, h.e.Remove(h.ctx, done, true))
	_, err = h.e.GetWorkflow(h.ctx, done, false)
	require.Equal(t, KindNotFound, KindOf(err))
	require.Equal(t, KindNotFound, KindOf(h.e.Remove(h.ctx, done, true)))
	requireViolations(t, h.e.Remove(h.ctx, "", true), ve("deleteWorkflow.arg0", "WorkflowId cannot be null or empty."))
	_, err = h.e.GetWorkflow(h.ctx, "", true)
	requireViolations(t, err, ve("getExecutionStatus.arg0", "WorkflowId cannot be null or empty."))
}

func TestRetryAndRestartStatuses(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a", RetryCount: 0})
	h.workflowDef(simpleWorkflow("wf", "a"))
	id := h.start("wf", nil)
	err := h.e.Retry(h.ctx, id, false)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, http.StatusNotFound, e.Status, "Conductor answers 404 to retrying a running workflow")
	require.Equal(t, "Workflow is still running.  status=RUNNING", e.Message)

	h.complete(h.mustPoll("a"), nil)
	v2 := simpleWorkflow("wf", "a", "b")
	v2.Version = 2
	v2.Restartable = true
	h.workflowDef(v2)
	require.NoError(t, h.e.Restart(h.ctx, id, true))
	wf := h.workflow(id)
	require.Equal(t, 2, wf.WorkflowVersion, "useLatestDefinitions switches to the latest version")
	require.Equal(t, model.WorkflowRunning, wf.Status)
	require.Len(t, wf.Tasks, 1)
	require.Equal(t, KindNotFound, KindOf(h.e.Restart(h.ctx, "ghost", false)))
}

func TestFailureWorkflowNamedByInputAndTotalTimeout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a", RetryCount: 5, RetryDelaySeconds: 10, TotalTimeoutSeconds: 25})
	main := simpleWorkflow("main", "a")
	main.FailureWorkflow = "$workflow.input.onFailure"
	h.workflowDef(main)
	h.workflowDef(simpleWorkflow("handler", "h"))
	id := h.start("main", map[string]any{"onFailure": "handler"})
	h.fail(h.mustPoll("a"), "1")
	h.advance(10 * time.Second)
	h.fail(h.mustPoll("a"), "2")
	h.advance(10 * time.Second)
	h.fail(h.mustPoll("a"), "3")
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowRunning, wf.Status, "20 s of the 25 s budget used: a fourth attempt waits")
	h.advance(5 * time.Second)
	wf = h.workflow(id)
	require.Equal(t, model.WorkflowTimedOut, wf.Status, "the budget ran out while the attempt waited (TIME_OUT_WF)")
	require.Contains(t, wf.ReasonForIncompletion, "exceeded total timeout of 25 seconds")
	fw, _ := wf.Output["conductor.failure_workflow"].(string)
	require.NotEmpty(t, fw)
	handler := h.workflow(fw)
	require.Equal(t, "handler", handler.WorkflowName)
	require.Equal(t, id, handler.Input["workflowId"])
	require.Equal(t, "TIMED_OUT", handler.Input["failureStatus"])
	require.Equal(t, "handler", handler.Input["onFailure"])

	// A failure workflow that does not exist is reported in the output.
	main2 := simpleWorkflow("main2", "a")
	main2.FailureWorkflow = "missing"
	h.workflowDef(main2)
	id2 := h.start("main2", nil)
	require.NoError(t, h.e.Terminate(h.ctx, id2, "manual terminate never starts it"))
	_, has := h.workflow(id2).Output["conductor.failure_workflow"]
	require.False(t, has)
}

func TestAlertOnlyTimeoutsDoNotSpin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a", TimeoutSeconds: 10, ResponseTimeoutSeconds: 10, PollTimeoutSeconds: intp(5), TimeoutPolicy: model.AlertOnly})
	d := simpleWorkflow("wf", "a")
	d.TimeoutSeconds = 20 // ALERT_ONLY by default
	h.workflowDef(d)
	id := h.start("wf", nil)
	_, armed := h.e.timers.deadline("wf:" + id)
	require.False(t, armed, "alert-only deadlines arm nothing")
	h.advance(time.Hour)
	require.Equal(t, []string{"a:SCHEDULED"}, h.statuses(id))
	h.mustPoll("a")
	when, armed := h.e.timers.deadline("wf:" + id)
	require.True(t, armed, "the response timeout always acts")
	require.Equal(t, h.clock.Now().Add(10*time.Second), when)
}

func TestTaskDefInputTemplate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "a", InputTemplate: map[string]any{
		"region": "eu", "fallback": "from-template", "fromWorkflow": "${workflow.input.b}",
	}})
	d := simpleWorkflow("wf", "a")
	d.Tasks[0].InputParameters = map[string]any{"region": "us", "fallback": "${workflow.input.missing}"}
	h.workflowDef(d)
	h.start("wf", map[string]any{"b": 7.0})
	task := h.mustPoll("a")
	require.Equal(t, map[string]any{
		"region":       "us",            // the workflow task wins
		"fallback":     "from-template", // resolved to null: the template's value
		"fromWorkflow": 7.0,             // template keys are resolved too
	}, task.InputData)
}
