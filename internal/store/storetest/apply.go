package storetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var applyTests = []suiteTest{
	{"Apply/WriteAndRead", testApplyWriteAndRead},
	{"Apply/Replace", testApplyReplace},
	{"Apply/Empty", testApplyEmpty},
	{"Apply/InvalidChangesNothing", testApplyInvalid},
	{"Apply/DeleteWorkflowCascades", testDeleteWorkflowCascades},
	{"Apply/DeleteTask", testDeleteTask},
	{"Apply/DeletesBeforeWrites", testDeletesBeforeWrites},
	{"Apply/CallerKeepsItsValues", testApplyCopiesInput},
}

func testApplyWriteAndRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	w := newWorkflow("w1")
	t2, t1 := newTask("t2", "w1", 2), newTask("t1", "w1", 1)
	logs := []model.TaskExecLog{
		{TaskId: "t1", Log: "first", CreatedTime: 5},
		{TaskId: "t1", Log: "second", CreatedTime: 3}, // order of adding, not of time
	}
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{w}, Tasks: []*model.WorkerTask{t2, t1}, Logs: logs})

	got, err := s.GetWorkflow(ctx, "w1")
	require.NoError(t, err)
	require.Nil(t, got.Tasks, "GetWorkflow returns no tasks; the batch's Workflow.Tasks is ignored")
	require.Equal(t, wantWorkflow(t, w), got)

	tasks, err := s.GetWorkflowTasks(ctx, "w1")
	require.NoError(t, err)
	require.Equal(t, wantTasks(t, t1, t2), tasks, "sorted by seq")
	_, err = s.GetTask(ctx, "embedded-w1")
	require.ErrorIs(t, err, store.ErrNotFound, "Workflow.Tasks is not stored")

	gotT, err := s.GetTask(ctx, "t2")
	require.NoError(t, err)
	require.Equal(t, roundTrip(t, t2), gotT)

	gotLogs, err := s.TaskLogs(ctx, "t1")
	require.NoError(t, err)
	require.Equal(t, logs, gotLogs)

	// Logs are appended across batches.
	more := model.TaskExecLog{TaskId: "t1", Log: "third", CreatedTime: 9}
	apply(t, s, &store.Batch{Logs: []model.TaskExecLog{more}})
	gotLogs, err = s.TaskLogs(ctx, "t1")
	require.NoError(t, err)
	require.Equal(t, append(logs, more), gotLogs)
	gotLogs, err = s.TaskLogs(ctx, "t2")
	require.NoError(t, err)
	require.NotNil(t, gotLogs)
	require.Empty(t, gotLogs)
}

func testApplyReplace(t *testing.T, s store.Store) {
	ctx := context.Background()
	w, tk := newWorkflow("w1"), newTask("t1", "w1", 1)
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{w}, Tasks: []*model.WorkerTask{tk},
		Logs: []model.TaskExecLog{{TaskId: "t1", Log: "kept"}}})

	w2 := newWorkflow("w1")
	w2.Status, w2.EndTime, w2.UpdateTime = model.WorkflowCompleted, 2000, 2000
	w2.Output = map[string]any{"result": "done"}
	w2.Input = nil // replace, not merge
	tk2 := newTask("t1", "w1", 1)
	tk2.Status, tk2.OutputData, tk2.InputData = model.TaskCompleted, map[string]any{"o": 1.0}, nil
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{w2}, Tasks: []*model.WorkerTask{tk2}})

	got, err := s.GetWorkflow(ctx, "w1")
	require.NoError(t, err)
	require.Equal(t, wantWorkflow(t, w2), got)
	tasks, err := s.GetWorkflowTasks(ctx, "w1")
	require.NoError(t, err)
	require.Equal(t, wantTasks(t, tk2), tasks, "replaced, not added")
	logs, err := s.TaskLogs(ctx, "t1")
	require.NoError(t, err)
	require.Len(t, logs, 1, "replacing a task keeps its logs")

	// Writing only the workflow keeps its tasks.
	w3 := newWorkflow("w1")
	w3.Status = model.WorkflowFailed
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{w3}})
	tasks, err = s.GetWorkflowTasks(ctx, "w1")
	require.NoError(t, err)
	require.Len(t, tasks, 1)
}

func testApplyEmpty(t *testing.T, s store.Store) {
	ctx := context.Background()
	require.NoError(t, s.Apply(ctx, nil))
	require.NoError(t, s.Apply(ctx, &store.Batch{}))
	require.NoError(t, s.Apply(ctx, &store.Batch{Workflows: []*model.Workflow{}, Logs: []model.TaskExecLog{}}))
}

// testApplyInvalid applies batches that mix valid changes with one invalid
// element: each must fail with ErrInvalid and leave the store as it was.
func testApplyInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	base := newWorkflow("w0")
	baseTask := newTask("t0", "w0", 1)
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{base}, Tasks: []*model.WorkerTask{baseTask},
		Logs: []model.TaskExecLog{{TaskId: "t0", Log: "log"}}})

	badStatusWf := newWorkflow("w1")
	badStatusWf.Status = "BOGUS"
	noStatusTask := newTask("t1", "w1", 1)
	noStatusTask.Status = ""
	orphan := newTask("t1", "", 1)
	cases := map[string]store.Batch{
		"nil workflow":               {Workflows: []*model.Workflow{nil}},
		"workflow without id":        {Workflows: []*model.Workflow{{Status: model.WorkflowRunning}}},
		"workflow with bad status":   {Workflows: []*model.Workflow{badStatusWf}},
		"workflow twice":             {Workflows: []*model.Workflow{newWorkflow("w1"), newWorkflow("w1")}},
		"nil task":                   {Tasks: []*model.WorkerTask{nil}},
		"task without id":            {Tasks: []*model.WorkerTask{newTask("", "w1", 1)}},
		"task without workflow":      {Tasks: []*model.WorkerTask{orphan}},
		"task without status":        {Tasks: []*model.WorkerTask{noStatusTask}},
		"task twice":                 {Tasks: []*model.WorkerTask{newTask("t1", "w1", 1), newTask("t1", "w1", 2)}},
		"empty workflow id to del":   {DeleteWorkflows: []string{""}},
		"empty task id to delete":    {DeleteTasks: []string{""}},
		"log without task":           {Logs: []model.TaskExecLog{{Log: "x"}}},
		"write a deleted workflow":   {Workflows: []*model.Workflow{newWorkflow("w0")}, DeleteWorkflows: []string{"w0"}},
		"write a deleted task":       {Tasks: []*model.WorkerTask{newTask("t0", "w0", 1)}, DeleteTasks: []string{"t0"}},
		"task of a deleted workflow": {Tasks: []*model.WorkerTask{newTask("t9", "w0", 9)}, DeleteWorkflows: []string{"w0"}},
		"log of a deleted task":      {Logs: []model.TaskExecLog{{TaskId: "t0", Log: "x"}}, DeleteTasks: []string{"t0"}},
	}
	for name, bad := range cases {
		// Every batch also carries valid changes, which must not be applied.
		changed := newWorkflow("w0")
		changed.Status = model.WorkflowCompleted
		b := bad
		b.Workflows = append([]*model.Workflow{changed, newWorkflow("new")}, bad.Workflows...)
		b.Tasks = append([]*model.WorkerTask{newTask("tnew", "new", 1)}, bad.Tasks...)
		b.Logs = append([]model.TaskExecLog{{TaskId: "t0", Log: "extra"}}, bad.Logs...)

		err := s.Apply(ctx, &b)
		require.ErrorIs(t, err, store.ErrInvalid, name)

		got, err := s.GetWorkflow(ctx, "w0")
		require.NoError(t, err, name)
		require.Equal(t, wantWorkflow(t, base), got, name)
		_, err = s.GetWorkflow(ctx, "new")
		require.ErrorIs(t, err, store.ErrNotFound, name)
		_, err = s.GetTask(ctx, "tnew")
		require.ErrorIs(t, err, store.ErrNotFound, name)
		tasks, err := s.GetWorkflowTasks(ctx, "w0")
		require.NoError(t, err, name)
		require.Equal(t, wantTasks(t, baseTask), tasks, name)
		logs, err := s.TaskLogs(ctx, "t0")
		require.NoError(t, err, name)
		require.Len(t, logs, 1, name)
	}
}

func testDeleteWorkflowCascades(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, id := range []string{"gone", "kept"} {
		apply(t, s, &store.Batch{
			Workflows: []*model.Workflow{newWorkflow(id)},
			Tasks:     []*model.WorkerTask{newTask(id+"-1", id, 1), newTask(id+"-2", id, 2)},
			Logs:      []model.TaskExecLog{{TaskId: id + "-1", Log: "a"}, {TaskId: id + "-2", Log: "b"}},
		})
	}
	apply(t, s, &store.Batch{DeleteWorkflows: []string{"gone"}})

	_, err := s.GetWorkflow(ctx, "gone")
	require.ErrorIs(t, err, store.ErrNotFound)
	tasks, err := s.GetWorkflowTasks(ctx, "gone")
	require.NoError(t, err)
	require.Empty(t, tasks)
	for _, id := range []string{"gone-1", "gone-2"} {
		_, err = s.GetTask(ctx, id)
		require.ErrorIs(t, err, store.ErrNotFound)
		logs, err := s.TaskLogs(ctx, id)
		require.NoError(t, err)
		require.Empty(t, logs, "a deleted workflow's task logs go too")
	}
	nt, err := s.NonTerminalTasks(ctx)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"kept-1", "kept-2"}, taskIDs(nt))
	found, total, err := s.SearchWorkflows(ctx, store.WorkflowQuery{})
	require.NoError(t, err)
	require.Equal(t, int64(1), total)
	require.Equal(t, []string{"kept"}, workflowIDs(found))

	tasks, err = s.GetWorkflowTasks(ctx, "kept")
	require.NoError(t, err)
	require.Len(t, tasks, 2)
	logs, err := s.TaskLogs(ctx, "kept-1")
	require.NoError(t, err)
	require.Len(t, logs, 1)

	// Deleting what is not there is not an error.
	apply(t, s, &store.Batch{DeleteWorkflows: []string{"gone", "never"}, DeleteTasks: []string{"never"}})
}

func testDeleteTask(t *testing.T, s store.Store) {
	ctx := context.Background()
	apply(t, s, &store.Batch{
		Workflows: []*model.Workflow{newWorkflow("w")},
		Tasks:     []*model.WorkerTask{newTask("a", "w", 1), newTask("b", "w", 2)},
		Logs:      []model.TaskExecLog{{TaskId: "a", Log: "x"}, {TaskId: "b", Log: "y"}},
	})
	apply(t, s, &store.Batch{DeleteTasks: []string{"a"}})
	_, err := s.GetTask(ctx, "a")
	require.ErrorIs(t, err, store.ErrNotFound)
	logs, err := s.TaskLogs(ctx, "a")
	require.NoError(t, err)
	require.Empty(t, logs)
	tasks, err := s.GetWorkflowTasks(ctx, "w")
	require.NoError(t, err)
	require.Equal(t, []string{"b"}, taskIDs(tasks))
	logs, err = s.TaskLogs(ctx, "b")
	require.NoError(t, err)
	require.Len(t, logs, 1)
	_, err = s.GetWorkflow(ctx, "w")
	require.NoError(t, err, "deleting a task keeps its workflow")
}

// testDeletesBeforeWrites checks the documented order within a batch: the
// engine's rerun deletes tasks and schedules new ones in one batch.
func testDeletesBeforeWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	apply(t, s, &store.Batch{
		Workflows: []*model.Workflow{newWorkflow("w")},
		Tasks:     []*model.WorkerTask{newTask("old1", "w", 1), newTask("old2", "w", 2)},
	})
	w := newWorkflow("w")
	w.Status = model.WorkflowRunning
	apply(t, s, &store.Batch{
		DeleteTasks: []string{"old2"},
		Workflows:   []*model.Workflow{w},
		Tasks:       []*model.WorkerTask{newTask("new2", "w", 2)},
		Logs:        []model.TaskExecLog{{TaskId: "new2", Log: "rerun"}},
	})
	tasks, err := s.GetWorkflowTasks(ctx, "w")
	require.NoError(t, err)
	require.Equal(t, []string{"old1", "new2"}, taskIDs(tasks))
	logs, err := s.TaskLogs(ctx, "new2")
	require.NoError(t, err)
	require.Len(t, logs, 1)
}

func testApplyCopiesInput(t *testing.T, s store.Store) {
	ctx := context.Background()
	w, tk := newWorkflow("w"), newTask("t", "w", 1)
	want, wantT := wantWorkflow(t, w), roundTrip(t, tk)
	b := &store.Batch{Workflows: []*model.Workflow{w}, Tasks: []*model.WorkerTask{tk}}
	apply(t, s, b)
	// The engine reuses its objects after Apply returns.
	w.Status = model.WorkflowFailed
	w.Input["s"] = "mutated"
	tk.Status = model.TaskFailed
	tk.InputData["in"] = "mutated"
	b.Tasks[0] = newTask("other", "w", 2)

	got, err := s.GetWorkflow(ctx, "w")
	require.NoError(t, err)
	require.Equal(t, want, got)
	gotT, err := s.GetTask(ctx, "t")
	require.NoError(t, err)
	require.Equal(t, wantT, gotT)
}
