package engine

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// hookStore calls before ahead of each batch it applies.
type hookStore struct {
	store.Store
	before func(b *store.Batch)
}

func (s *hookStore) Apply(ctx context.Context, b *store.Batch) error {
	if s.before != nil {
		s.before(b)
	}
	return s.Store.Apply(ctx, b)
}

// A child that ends while its parent is still recording that it started
// the child (the parent's lock held, its SUB_WORKFLOW task about to be
// saved IN_PROGRESS) still has the parent's task look at it again: the
// parent's commit must not cancel the wake-up the child's end scheduled.
func TestSubWorkflowChildEndingBeforeItsParentRecordsTheStart(t *testing.T) {
	t.Parallel()
	hs := &hookStore{Store: enginetest.NewMemStore()}
	h := newHarnessOn(t, hs)
	h.workflowDef(simpleWorkflow("child", "c1"))
	h.workflowDef(sysDef("parent", model.WorkflowTask{Name: "sub", TaskReferenceName: "sub", Type: model.TaskTypeSubWorkflow,
		SubWorkflowParam: &model.SubWorkflowParams{Name: "child"}}))
	var fired atomic.Bool
	hs.before = func(b *store.Batch) {
		for _, task := range b.Tasks {
			if task.ReferenceTaskName == "sub" && task.Status == model.TaskInProgress && task.SubWorkflowId != "" &&
				fired.CompareAndSwap(false, true) {
				// The child's worker is quicker than the parent's commit.
				h.complete(h.mustPoll("c1"), map[string]any{"sum": 42.0})
				require.Equal(t, model.WorkflowCompleted, h.workflow(task.SubWorkflowId).Status)
			}
		}
	}
	id := h.start("parent", nil)
	h.e.RunDueTimers()
	require.True(t, fired.Load(), "the hook ran")
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowCompleted, wf.Status, "tasks: %v", h.statuses(id))
	require.Equal(t, 42.0, wf.Output["sum"])
}
