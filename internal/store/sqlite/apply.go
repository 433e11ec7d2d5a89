package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/batonhq/baton/internal/store"
)

// Apply writes b in one transaction, shared with other writers waiting at
// the same moment (group commit), and returns once it is committed.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	if err := b.Validate(); err != nil {
		return err
	}
	if b.Empty() {
		return nil
	}
	e, err := encodeBatch(b)
	if err != nil {
		return err
	}
	if err := s.write(ctx, func(ctx context.Context, tx *wtx) error {
		return s.applyBatch(ctx, tx, e)
	}); err != nil {
		return fmt.Errorf("sqlite: apply: %w", err)
	}
	return nil
}

// applyBatch executes one batch in the order store.Batch documents.
func (s *Store) applyBatch(ctx context.Context, tx *wtx, e *encodedBatch) error {
	st := &s.ws
	for _, id := range e.deleteWorkflows {
		for _, del := range []*sql.Stmt{st.deleteWorkflowLogs, st.deleteWorkflowTasks, st.deleteWorkflow} {
			if _, err := tx.exec(ctx, del, id); err != nil {
				return fmt.Errorf("delete workflow %s: %w", id, err)
			}
		}
	}
	for _, id := range e.deleteTasks {
		for _, del := range []*sql.Stmt{st.deleteTaskLogs, st.deleteTask} {
			if _, err := tx.exec(ctx, del, id); err != nil {
				return fmt.Errorf("delete task %s: %w", id, err)
			}
		}
	}
	for i := range e.workflows {
		w := &e.workflows[i]
		if _, err := tx.exec(ctx, st.upsertWorkflow, w.id, w.name, w.version, w.status,
			w.correlationID, w.createTime, w.updateTime, w.endTime, w.priority, w.json); err != nil {
			return fmt.Errorf("write workflow %s: %w", w.id, err)
		}
	}
	for i := range e.tasks {
		t := &e.tasks[i]
		if _, err := tx.exec(ctx, st.upsertTask, t.id, t.workflowID, t.seq, t.refName, t.taskType,
			t.taskDefName, t.status, t.domain, t.workflowType, t.correlationID, t.workflowPriority,
			t.scheduledTime, t.startTime, t.endTime, t.updateTime, t.json); err != nil {
			return fmt.Errorf("write task %s: %w", t.id, err)
		}
	}
	for _, l := range e.logs {
		if _, err := tx.exec(ctx, st.insertLog, l.TaskId, l.CreatedTime, l.Log); err != nil {
			return fmt.Errorf("write log of task %s: %w", l.TaskId, err)
		}
	}
	return applyMessages(ctx, tx, e)
}
