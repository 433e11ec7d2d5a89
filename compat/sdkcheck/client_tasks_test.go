package sdkcheck_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestTaskClient calls every method of client.TaskClient against the real
// server, driving a three-task workflow by hand: Poll, AddLog/Logs, Get,
// UpdateV2 (which brings the next task), Update, UpdateByRefName,
// BatchPoll (empty and full), QueueSize(s), PollData, Search, and the
// not-found answers.
func TestTaskClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	require.Equal(t, e.base, e.api.BaseURL())
	tasks := e.api.Tasks()
	def := taskDef(e.name("tc"))
	e.registerTasks(def)
	wf := e.name("tc_wf")
	e.registerWorkflow(wf, map[string]any{"a": "${a.output.v}", "b": "${b.output.v}", "c": "${c.output.by}"},
		simple(def.Name, "a", map[string]any{"x": "${workflow.input.x}"}),
		simple(def.Name, "b", map[string]any{"fromA": "${a.output.v}"}),
		simple(def.Name, "c", nil))

	id := e.start(wf, map[string]any{"x": 7}, "")
	n, err := tasks.QueueSize(e.ctx, def.Name, "")
	require.NoError(t, err)
	require.Equal(t, 1, n)
	sizes, err := tasks.QueueSizes(e.ctx, def.Name, def.Name+"_unregistered")
	require.NoError(t, err)
	require.Equal(t, map[string]int{def.Name: 1, def.Name + "_unregistered": 0}, sizes)

	// Poll: task a, now IN_PROGRESS and held for worker w1.
	a, err := tasks.Poll(e.ctx, def.Name, client.PollOptions{WorkerID: "w1"})
	require.NoError(t, err)
	require.NotNil(t, a)
	require.Equal(t, def.Name, a.TaskType)
	require.Equal(t, "a", a.ReferenceTaskName)
	require.Equal(t, id, a.WorkflowInstanceId)
	require.Equal(t, wf, a.WorkflowType)
	require.Equal(t, model.TaskInProgress, a.Status)
	require.Equal(t, "w1", a.WorkerId)
	require.Equal(t, 1, a.PollCount)
	require.Equal(t, int64(60), a.ResponseTimeoutSeconds)
	require.Equal(t, map[string]any{"x": float64(7)}, a.InputData)

	empty, err := tasks.Poll(e.ctx, def.Name, client.PollOptions{WorkerID: "w1"})
	require.NoError(t, err)
	require.Nil(t, empty, "an empty queue answers 204: no task, no error")
	start := time.Now()
	none, err := tasks.BatchPoll(e.ctx, def.Name, client.BatchPollOptions{Count: 2, Timeout: 300 * time.Millisecond, WorkerID: "w1"})
	require.NoError(t, err)
	require.NotNil(t, none)
	require.Empty(t, none)
	t.Logf("an empty batch poll with a 300 ms timeout took %v", time.Since(start))

	// Logs.
	require.NoError(t, tasks.AddLog(e.ctx, a.TaskId, "first line"))
	require.NoError(t, tasks.AddLog(e.ctx, a.TaskId, `second "line" {json-ish}`))
	logs, err := tasks.Logs(e.ctx, a.TaskId)
	require.NoError(t, err)
	require.Len(t, logs, 2)
	require.Equal(t, "first line", logs[0].Log)
	require.Equal(t, `second "line" {json-ish}`, logs[1].Log, "the line is stored verbatim")
	require.Equal(t, a.TaskId, logs[0].TaskId)
	require.Positive(t, logs[0].CreatedTime)

	got, err := tasks.Get(e.ctx, a.TaskId)
	require.NoError(t, err)
	require.Equal(t, model.TaskInProgress, got.Status)
	require.Equal(t, a.TaskId, got.TaskId)

	// UpdateV2 completes a and brings the next task of the type: b.
	ra := model.NewTaskResultFromTask(a)
	ra.Status = model.CompletedTask
	ra.OutputData = map[string]any{"v": "A"}
	b, err := tasks.UpdateV2(e.ctx, ra)
	require.NoError(t, err)
	if b == nil {
		// Conductor schedules b in the decide that follows the update, which
		// it skips while its sweeper holds the workflow's lock; b then comes
		// later. (TestWorkerUpdateV2Chaining proves the chaining.)
		t.Log("update-v2 brought no task: the decide was deferred; polling for b")
		e.eventually("task b polled", 20*time.Second, func() (bool, string) {
			b, err = tasks.Poll(e.ctx, def.Name, client.PollOptions{WorkerID: "w1"})
			return err == nil && b != nil, fmt.Sprintf("error %v", err)
		})
	}
	require.Equal(t, "b", b.ReferenceTaskName)
	require.Equal(t, model.TaskInProgress, b.Status)
	require.Equal(t, map[string]any{"fromA": "A"}, b.InputData)

	// Update completes b and answers with its id.
	rb := model.NewTaskResultFromTask(b)
	rb.Status = model.CompletedTask
	rb.OutputData = map[string]any{"v": "B"}
	ack, err := tasks.Update(e.ctx, rb)
	require.NoError(t, err)
	require.Equal(t, b.TaskId, ack)

	// UpdateByRefName completes c without polling it.
	w := e.await(id, "task c scheduled", func(w *model.Workflow) bool { return w.TaskByRefName("c") != nil })
	cID, err := tasks.UpdateByRefName(e.ctx, id, "c", model.CompletedTask, map[string]any{"by": "ref"}, "w-ref")
	require.NoError(t, err)
	require.Equal(t, w.TaskByRefName("c").TaskId, cID)
	w = e.awaitStatus(id, model.WorkflowCompleted)
	require.Equal(t, map[string]any{"a": "A", "b": "B", "c": "ref"}, w.Output)
	require.Equal(t, "w-ref", w.TaskByRefName("c").WorkerId)
	again, err := tasks.UpdateByRefName(e.ctx, id, "c", model.CompletedTask, nil, "")
	require.NoError(t, err)
	require.Empty(t, again, "no pending task with that reference: an empty answer")

	// BatchPoll with tasks waiting: two workflows, two tasks in one answer.
	id2 := e.start(wf, map[string]any{"x": 2}, "")
	id3 := e.start(wf, map[string]any{"x": 3}, "")
	e.awaitQueued(def.Name, 2)
	batch, err := tasks.BatchPoll(e.ctx, def.Name, client.BatchPollOptions{Count: 5, Timeout: time.Second, WorkerID: "wb"})
	require.NoError(t, err)
	require.Len(t, batch, 2)
	require.ElementsMatch(t, []string{id2, id3}, []string{batch[0].WorkflowInstanceId, batch[1].WorkflowInstanceId})
	for _, task := range batch {
		require.Equal(t, "wb", task.WorkerId)
		r := model.NewTaskResultFromTask(&task)
		r.Status = model.FailedWithTerminalErrorTask
		r.ReasonForIncompletion = "done with"
		_, err := tasks.Update(e.ctx, r)
		require.NoError(t, err)
	}
	e.awaitStatus(id2, model.WorkflowFailed)

	pd, err := tasks.PollData(e.ctx, def.Name)
	require.NoError(t, err)
	require.Len(t, pd, 1, "one queue, no domains: %+v", pd)
	require.Equal(t, def.Name, pd[0].QueueName)
	require.Equal(t, "wb", pd[0].WorkerId, "the last poller")
	require.Empty(t, pd[0].Domain)
	require.Positive(t, pd[0].LastPollTime)

	// Search finds the tasks by definition name (the index may lag).
	var res *model.SearchResult[model.TaskSummary]
	e.eventually("task search finds 5 tasks", 30*time.Second, func() (bool, string) {
		res, err = tasks.Search(e.ctx, client.SearchOptions{Query: "taskDefName='" + def.Name + "'", Size: 20, Sort: []string{"startTime:DESC"}})
		if err != nil {
			return false, err.Error()
		}
		return res.TotalHits >= 5, fmt.Sprintf("%d hits", res.TotalHits)
	})
	require.GreaterOrEqual(t, len(res.Results), 5)
	for _, s := range res.Results {
		require.Equal(t, def.Name, s.TaskDefName)
		require.Equal(t, wf, s.WorkflowType)
	}

	// Not found.
	_, err = tasks.Get(e.ctx, "no-such-task-"+e.prefix)
	require.ErrorIs(t, err, client.ErrNotFound)
	bogus := model.NewTaskResult("no-such-task", "no-such-workflow-"+e.prefix)
	bogus.Status = model.CompletedTask
	_, err = tasks.Update(e.ctx, bogus)
	require.ErrorIs(t, err, client.ErrNotFound)
	_, err = tasks.UpdateV2(e.ctx, bogus)
	require.ErrorIs(t, err, client.ErrNotFound)
	noLogs, err := tasks.Logs(e.ctx, "no-such-task-"+e.prefix)
	require.NoError(t, err, "an unknown task has no logs (204)")
	require.Empty(t, noLogs)
	n, err = tasks.QueueSize(e.ctx, def.Name+"_never_registered", "")
	require.NoError(t, err)
	require.Zero(t, n)
}
