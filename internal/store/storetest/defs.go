package storetest

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

var defTests = []suiteTest{
	{"TaskDefs/CRUD", testTaskDefCRUD},
	{"TaskDefs/Invalid", testTaskDefInvalid},
	{"WorkflowDefs/CRUD", testWorkflowDefCRUD},
	{"WorkflowDefs/LatestVersion", testWorkflowDefLatest},
	{"WorkflowDefs/Invalid", testWorkflowDefInvalid},
}

func testTaskDefCRUD(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetTaskDef(ctx, "a")
	require.ErrorIs(t, err, store.ErrNotFound)
	defs, err := s.ListTaskDefs(ctx)
	require.NoError(t, err)
	require.NotNil(t, defs, "an empty list is not nil")
	require.Empty(t, defs)

	// Names that would break a store that builds SQL or paths from them.
	hostile := "x'; DROP TABLE task_defs; -- \"é\x00/../"
	b := model.NewTaskDef("b")
	a := model.NewTaskDef("a")
	a.InputTemplate = map[string]any{"k": "v", "n": 3.0}
	h := model.NewTaskDef(hostile)
	for _, d := range []*model.TaskDef{b, a, h} {
		require.NoError(t, s.PutTaskDef(ctx, d))
	}
	a.Description = "changed after Put" // the store keeps its own copy
	got, err := s.GetTaskDef(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, roundTrip(t, model.NewTaskDef("a")).Name, got.Name)
	require.Empty(t, got.Description)
	require.Equal(t, map[string]any{"k": "v", "n": 3.0}, got.InputTemplate)
	got.InputTemplate["k"] = "mutated" // the caller owns what it gets
	again, err := s.GetTaskDef(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, "v", again.InputTemplate["k"])

	gotH, err := s.GetTaskDef(ctx, hostile)
	require.NoError(t, err)
	require.Equal(t, roundTrip(t, h), gotH)

	// Put replaces.
	a2 := model.NewTaskDef("a")
	a2.RetryCount = 9
	require.NoError(t, s.PutTaskDef(ctx, a2))
	got, err = s.GetTaskDef(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, roundTrip(t, a2), got)

	defs, err = s.ListTaskDefs(ctx)
	require.NoError(t, err)
	names := ids(defs, func(d *model.TaskDef) string { return d.Name })
	require.Equal(t, []string{"a", "b", hostile}, names, "sorted by name")

	require.NoError(t, s.DeleteTaskDef(ctx, "a"))
	_, err = s.GetTaskDef(ctx, "a")
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.DeleteTaskDef(ctx, "a"), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteTaskDef(ctx, "never"), store.ErrNotFound)
	defs, err = s.ListTaskDefs(ctx)
	require.NoError(t, err)
	require.Len(t, defs, 2)
}

func testTaskDefInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	require.ErrorIs(t, s.PutTaskDef(ctx, nil), store.ErrInvalid)
	require.ErrorIs(t, s.PutTaskDef(ctx, &model.TaskDef{}), store.ErrInvalid)
	defs, err := s.ListTaskDefs(ctx)
	require.NoError(t, err)
	require.Empty(t, defs)
}

func testWorkflowDefCRUD(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetWorkflowDef(ctx, "flow", 1)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.GetWorkflowDef(ctx, "flow", 0)
	require.ErrorIs(t, err, store.ErrNotFound)

	v1 := model.NewWorkflowDef("flow", model.WorkflowTask{Name: "task_1", TaskReferenceName: "r1"})
	v1.Description = "first"
	require.NoError(t, s.CreateWorkflowDef(ctx, v1))

	dup := model.NewWorkflowDef("flow")
	dup.Description = "duplicate"
	require.ErrorIs(t, s.CreateWorkflowDef(ctx, dup), store.ErrConflict)
	got, err := s.GetWorkflowDef(ctx, "flow", 1)
	require.NoError(t, err)
	require.Equal(t, roundTrip(t, v1), got, "a conflicting Create changes nothing")

	v1.Description = "changed after Create" // the store keeps its own copy
	got, err = s.GetWorkflowDef(ctx, "flow", 1)
	require.NoError(t, err)
	require.Equal(t, "first", got.Description)
	got.Tasks[0].Name = "mutated"
	got, err = s.GetWorkflowDef(ctx, "flow", 1)
	require.NoError(t, err)
	require.Equal(t, "task_1", got.Tasks[0].Name)

	// Put replaces an existing version and creates a new one.
	v1b := model.NewWorkflowDef("flow")
	v1b.Description = "replaced"
	require.NoError(t, s.PutWorkflowDef(ctx, v1b))
	got, err = s.GetWorkflowDef(ctx, "flow", 1)
	require.NoError(t, err)
	require.Equal(t, roundTrip(t, v1b), got)

	other := model.NewWorkflowDef("another")
	require.NoError(t, s.PutWorkflowDef(ctx, other))

	defs, err := s.ListWorkflowDefs(ctx)
	require.NoError(t, err)
	require.Len(t, defs, 2)
	require.Equal(t, "another", defs[0].Name, "sorted by name")

	require.NoError(t, s.DeleteWorkflowDef(ctx, "flow", 1))
	_, err = s.GetWorkflowDef(ctx, "flow", 1)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.GetWorkflowDef(ctx, "flow", 0)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.DeleteWorkflowDef(ctx, "flow", 1), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteWorkflowDef(ctx, "another", 2), store.ErrNotFound)
	_, err = s.GetWorkflowDef(ctx, "another", 1)
	require.NoError(t, err, "deleting one definition leaves the others")
}

func testWorkflowDefLatest(t *testing.T, s store.Store) {
	ctx := context.Background()
	// 10 > 2 > 1: a store that sorts versions as text gets this wrong.
	for _, v := range []int{2, 10, 1} {
		d := model.NewWorkflowDef("flow")
		d.Version = v
		require.NoError(t, s.CreateWorkflowDef(ctx, d))
	}
	other := model.NewWorkflowDef("flow2")
	other.Version = 99
	require.NoError(t, s.CreateWorkflowDef(ctx, other))

	got, err := s.GetWorkflowDef(ctx, "flow", 0)
	require.NoError(t, err)
	require.Equal(t, 10, got.Version)
	got, err = s.GetWorkflowDef(ctx, "flow", 2)
	require.NoError(t, err)
	require.Equal(t, 2, got.Version)
	_, err = s.GetWorkflowDef(ctx, "flow", 3)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.GetWorkflowDef(ctx, "flow", -1)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.GetWorkflowDef(ctx, "flo", 0)
	require.ErrorIs(t, err, store.ErrNotFound, "names match exactly")

	defs, err := s.ListWorkflowDefs(ctx)
	require.NoError(t, err)
	var keys []string
	for _, d := range defs {
		keys = append(keys, d.Name+":"+strconv.Itoa(d.Version))
	}
	require.Equal(t, []string{"flow:1", "flow:2", "flow:10", "flow2:99"}, keys)

	require.NoError(t, s.DeleteWorkflowDef(ctx, "flow", 10))
	got, err = s.GetWorkflowDef(ctx, "flow", 0)
	require.NoError(t, err)
	require.Equal(t, 2, got.Version, "the latest after deleting the newest")
}

func testWorkflowDefInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	zero := model.NewWorkflowDef("flow")
	zero.Version = 0
	negative := model.NewWorkflowDef("flow")
	negative.Version = -3
	for name, d := range map[string]*model.WorkflowDef{
		"nil": nil, "no name": model.NewWorkflowDef(""), "version 0": zero, "negative version": negative,
	} {
		require.ErrorIs(t, s.CreateWorkflowDef(ctx, d), store.ErrInvalid, "Create %s", name)
		require.ErrorIs(t, s.PutWorkflowDef(ctx, d), store.ErrInvalid, "Put %s", name)
	}
	defs, err := s.ListWorkflowDefs(ctx)
	require.NoError(t, err)
	require.NotNil(t, defs)
	require.Empty(t, defs)
}
