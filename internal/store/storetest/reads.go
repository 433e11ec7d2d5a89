package storetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var readTests = []suiteTest{
	{"Read/NotFound", testReadNotFound},
	{"Read/TaskOrder", testTaskOrder},
	{"Read/NonTerminal", testNonTerminal},
	{"Read/ReturnsCopies", testReturnsCopies},
}

func testReadNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetWorkflow(ctx, "nope")
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.GetTask(ctx, "nope")
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.GetWorkflow(ctx, "")
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.GetTask(ctx, "' OR 1=1 --")
	require.ErrorIs(t, err, store.ErrNotFound)

	tasks, err := s.GetWorkflowTasks(ctx, "nope")
	require.NoError(t, err)
	require.NotNil(t, tasks)
	require.Empty(t, tasks)
	logs, err := s.TaskLogs(ctx, "nope")
	require.NoError(t, err)
	require.NotNil(t, logs)
	require.Empty(t, logs)
	nt, err := s.NonTerminalTasks(ctx)
	require.NoError(t, err)
	require.NotNil(t, nt)
	require.Empty(t, nt)
	nw, err := s.NonTerminalWorkflows(ctx)
	require.NoError(t, err)
	require.NotNil(t, nw)
	require.Empty(t, nw)
}

func testTaskOrder(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Written out of order, across batches, with a tie on seq (broken by id).
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{newWorkflow("w")},
		Tasks: []*model.WorkerTask{newTask("c", "w", 3), newTask("b", "w", 2)}})
	apply(t, s, &store.Batch{Tasks: []*model.WorkerTask{newTask("a", "w", 10), newTask("z", "w", 1), newTask("y", "w", 2)}})
	apply(t, s, &store.Batch{Tasks: []*model.WorkerTask{newTask("other", "w2", 1)}})
	tasks, err := s.GetWorkflowTasks(ctx, "w")
	require.NoError(t, err)
	require.Equal(t, []string{"z", "b", "y", "c", "a"}, taskIDs(tasks))
}

func testNonTerminal(t *testing.T, s store.Store) {
	ctx := context.Background()
	var b store.Batch
	for _, st := range model.WorkflowStatuses {
		w := newWorkflow("wf-" + string(st))
		w.Status = st
		b.Workflows = append(b.Workflows, w)
	}
	for _, st := range model.TaskStatuses {
		tk := newTask("task-"+string(st), "wf-RUNNING", len(b.Tasks))
		tk.Status = st
		b.Tasks = append(b.Tasks, tk)
	}
	apply(t, s, &b)

	ws, err := s.NonTerminalWorkflows(ctx)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"wf-RUNNING", "wf-PAUSED"}, workflowIDs(ws))
	for _, w := range ws {
		require.Nil(t, w.Tasks)
		require.Equal(t, "corr-"+w.WorkflowId, w.CorrelationId, "whole records")
	}
	ts, err := s.NonTerminalTasks(ctx)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"task-SCHEDULED", "task-IN_PROGRESS"}, taskIDs(ts))
	for _, tk := range ts {
		require.Equal(t, "put", tk.InputData["in"], "whole records")
	}

	// A task that ends leaves the set; one that is rescheduled joins it.
	done := newTask("task-SCHEDULED", "wf-RUNNING", 7)
	done.Status = model.TaskCompleted
	back := newTask("task-FAILED", "wf-RUNNING", 8)
	back.Status = model.TaskInProgress
	w := newWorkflow("wf-PAUSED")
	w.Status = model.WorkflowTerminated
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{w}, Tasks: []*model.WorkerTask{done, back}})
	ts, err = s.NonTerminalTasks(ctx)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"task-FAILED", "task-IN_PROGRESS"}, taskIDs(ts))
	ws, err = s.NonTerminalWorkflows(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"wf-RUNNING"}, workflowIDs(ws))
}

// testReturnsCopies mutates everything a read returns and reads again.
func testReturnsCopies(t *testing.T, s store.Store) {
	ctx := context.Background()
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{newWorkflow("w")},
		Tasks: []*model.WorkerTask{newTask("t", "w", 1)}, Logs: []model.TaskExecLog{{TaskId: "t", Log: "l"}}})

	mutateWf := func(w *model.Workflow) {
		w.Status = model.WorkflowFailed
		w.Input["s"] = "mutated"
		w.Input["nested"].(map[string]any)["list"].([]any)[0] = "mutated"
		w.TaskToDomain["*"] = "mutated"
		w.WorkflowDefinition.Tasks[0].Name = "mutated"
	}
	mutateTask := func(tk *model.WorkerTask) {
		tk.Status = model.TaskFailed
		tk.InputData["in"] = "mutated"
		tk.WorkflowTask.Name = "mutated"
	}
	w, err := s.GetWorkflow(ctx, "w")
	require.NoError(t, err)
	mutateWf(w)
	ws, err := s.NonTerminalWorkflows(ctx)
	require.NoError(t, err)
	mutateWf(ws[0])
	found, _, err := s.SearchWorkflows(ctx, store.WorkflowQuery{})
	require.NoError(t, err)
	mutateWf(found[0])

	tk, err := s.GetTask(ctx, "t")
	require.NoError(t, err)
	mutateTask(tk)
	ts, err := s.GetWorkflowTasks(ctx, "w")
	require.NoError(t, err)
	mutateTask(ts[0])
	ts, err = s.NonTerminalTasks(ctx)
	require.NoError(t, err)
	mutateTask(ts[0])
	ts, _, err = s.SearchTasks(ctx, store.TaskQuery{})
	require.NoError(t, err)
	mutateTask(ts[0])
	logs, err := s.TaskLogs(ctx, "t")
	require.NoError(t, err)
	logs[0].Log = "mutated"

	w, err = s.GetWorkflow(ctx, "w")
	require.NoError(t, err)
	require.Equal(t, wantWorkflow(t, newWorkflow("w")), w)
	tk, err = s.GetTask(ctx, "t")
	require.NoError(t, err)
	require.Equal(t, roundTrip(t, newTask("t", "w", 1)), tk)
	logs, err = s.TaskLogs(ctx, "t")
	require.NoError(t, err)
	require.Equal(t, "l", logs[0].Log)
}
