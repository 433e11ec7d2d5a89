package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var lifecycleTests = []suiteTest{
	{"Concurrent/Apply", testConcurrentApply},
	{"Concurrent/CreateSameDefinition", testConcurrentCreate},
	{"Context/Cancelled", testCancelledContext},
	{"Close/ThenErrClosed", testClosed},
}

func testConcurrentApply(t *testing.T, s store.Store) {
	const writers, batches = 16, 20
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches)
	for g := range writers {
		wg.Go(func() {
			for i := range batches {
				id := fmt.Sprintf("w-%d-%d", g, i)
				errs <- s.Apply(ctx, &store.Batch{
					Workflows: []*model.Workflow{newWorkflow(id)},
					Tasks:     []*model.WorkerTask{newTask(id+"-t", id, 1)},
					Logs:      []model.TaskExecLog{{TaskId: id + "-t", Log: id}},
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	_, total, err := s.SearchWorkflows(ctx, store.WorkflowQuery{})
	require.NoError(t, err)
	require.Equal(t, int64(writers*batches), total)
	tasks, err := s.NonTerminalTasks(ctx)
	require.NoError(t, err)
	require.Len(t, tasks, writers*batches)
	for g := range writers {
		for i := range batches {
			id := fmt.Sprintf("w-%d-%d", g, i)
			logs, err := s.TaskLogs(ctx, id+"-t")
			require.NoError(t, err)
			require.Equal(t, []model.TaskExecLog{{TaskId: id + "-t", Log: id}}, logs)
		}
	}
}

// testConcurrentCreate races creators of one definition: exactly one wins,
// and the losers' conflicts do not disturb other writes made at the same
// time.
func testConcurrentCreate(t *testing.T, s store.Store) {
	const n = 12
	ctx := context.Background()
	var wg sync.WaitGroup
	createErrs := make([]error, n)
	applyErrs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			d := model.NewWorkflowDef("race")
			d.Description = fmt.Sprint(i)
			createErrs[i] = s.CreateWorkflowDef(ctx, d)
		})
		wg.Go(func() {
			id := fmt.Sprint("w", i)
			applyErrs[i] = s.Apply(ctx, &store.Batch{Workflows: []*model.Workflow{newWorkflow(id)}})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range createErrs {
		if err == nil {
			wins++
			continue
		}
		require.ErrorIs(t, err, store.ErrConflict)
	}
	require.Equal(t, 1, wins)
	for _, err := range applyErrs {
		require.NoError(t, err)
	}
	_, total, err := s.SearchWorkflows(ctx, store.WorkflowQuery{})
	require.NoError(t, err)
	require.Equal(t, int64(n), total)
}

func testCancelledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := allCalls(ctx, s)
	for _, c := range calls {
		require.ErrorIs(t, c.call(), context.Canceled, c.name)
	}
	bg := context.Background()
	_, err := s.GetWorkflow(bg, "w")
	require.ErrorIs(t, err, store.ErrNotFound, "a cancelled Apply applies nothing")
	_, err = s.GetTaskDef(bg, "d")
	require.ErrorIs(t, err, store.ErrNotFound, "a cancelled PutTaskDef writes nothing")
	_, err = s.GetWorkflowDef(bg, "d", 0)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testClosed(t *testing.T, s store.Store) {
	ctx := context.Background()
	apply(t, s, &store.Batch{Workflows: []*model.Workflow{newWorkflow("w")}})
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")
	for _, c := range allCalls(ctx, s) {
		require.ErrorIs(t, c.call(), store.ErrClosed, c.name)
	}
}

type namedCall struct {
	name string
	call func() error
}

// allCalls returns one call of every Store method but Close, each of which
// would change or find something on a working store.
func allCalls(ctx context.Context, s store.Store) []namedCall {
	second := func(_ any, err error) error { return err }
	third := func(_ any, _ int64, err error) error { return err }
	def := model.NewWorkflowDef("d")
	return []namedCall{
		{"PutTaskDef", func() error { return s.PutTaskDef(ctx, model.NewTaskDef("d")) }},
		{"GetTaskDef", func() error { return second(s.GetTaskDef(ctx, "d")) }},
		{"ListTaskDefs", func() error { return second(s.ListTaskDefs(ctx)) }},
		{"DeleteTaskDef", func() error { return s.DeleteTaskDef(ctx, "d") }},
		{"CreateWorkflowDef", func() error { return s.CreateWorkflowDef(ctx, def) }},
		{"PutWorkflowDef", func() error { return s.PutWorkflowDef(ctx, def) }},
		{"GetWorkflowDef", func() error { return second(s.GetWorkflowDef(ctx, "d", 0)) }},
		{"ListWorkflowDefs", func() error { return second(s.ListWorkflowDefs(ctx)) }},
		{"DeleteWorkflowDef", func() error { return s.DeleteWorkflowDef(ctx, "d", 1) }},
		{"Apply", func() error {
			return s.Apply(ctx, &store.Batch{Workflows: []*model.Workflow{newWorkflow("w")}})
		}},
		{"GetWorkflow", func() error { return second(s.GetWorkflow(ctx, "w")) }},
		{"GetWorkflowTasks", func() error { return second(s.GetWorkflowTasks(ctx, "w")) }},
		{"GetTask", func() error { return second(s.GetTask(ctx, "t")) }},
		{"NonTerminalTasks", func() error { return second(s.NonTerminalTasks(ctx)) }},
		{"NonTerminalWorkflows", func() error { return second(s.NonTerminalWorkflows(ctx)) }},
		{"SearchWorkflows", func() error { return third(s.SearchWorkflows(ctx, store.WorkflowQuery{})) }},
		{"SearchTasks", func() error { return third(s.SearchTasks(ctx, store.TaskQuery{})) }},
		{"TaskLogs", func() error { return second(s.TaskLogs(ctx, "t")) }},
	}
}
