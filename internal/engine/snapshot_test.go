package engine

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// A workflow read with GetWorkflow stays as it was read while the
// execution moves on: a DO_WHILE adds each iteration's output to its task
// in place, and a caller encoding the snapshot meanwhile (the API, the UI)
// must not see the map change under it.
func TestSnapshotDoesNotChangeWithTheExecution(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.taskDef(&model.TaskDef{Name: "step"})
	h.workflowDef(&model.WorkflowDef{Name: "loop", Version: 1, SchemaVersion: 2, Tasks: []model.WorkflowTask{{
		Name: "loop", TaskReferenceName: "loop", Type: model.TaskTypeDoWhile, LoopCondition: "$.loop['iteration'] < 3",
		LoopOver: []model.WorkflowTask{{Name: "step", TaskReferenceName: "step"}},
	}}})
	id := h.start("loop", map[string]any{"a": 1})
	h.complete(h.mustPoll("step"), map[string]any{"n": 1})

	snap := h.workflow(id)
	loop := &snap.Tasks[0]
	require.Equal(t, "loop", loop.ReferenceTaskName)
	before := slices.Sorted(maps.Keys(loop.OutputData))
	h.complete(h.mustPoll("step"), map[string]any{"n": 2})

	require.Equal(t, before, slices.Sorted(maps.Keys(loop.OutputData)))
	require.Contains(t, slices.Collect(maps.Keys(h.workflow(id).Tasks[0].OutputData)), "2")
}
