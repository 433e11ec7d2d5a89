package sqlite

import (
	"context"
	"database/sql"

	"github.com/batonhq/baton/model"
)

// Reads run on the reader pool, in parallel with the writer (WAL readers
// see the last commit and never wait for the writer). Every value is
// decoded from its stored JSON, so callers always get their own copy.

// GetWorkflow returns a workflow without its tasks, or store.ErrNotFound.
func (s *Store) GetWorkflow(ctx context.Context, workflowID string) (w *model.Workflow, err error) {
	err = s.read(func() error {
		w, err = decodeOne[model.Workflow](s.rs.getWorkflow.QueryRowContext(ctx, workflowID), "workflow "+workflowID)
		return err
	})
	return w, err
}

// GetWorkflowTasks returns a workflow's tasks sorted by Seq (then task id).
func (s *Store) GetWorkflowTasks(ctx context.Context, workflowID string) (ts []*model.WorkerTask, err error) {
	err = s.read(func() error {
		ts, err = queryJSON[model.WorkerTask](ctx, s.rs.getWorkflowTasks, workflowID)
		return err
	})
	return ts, err
}

// GetTask returns one task or store.ErrNotFound.
func (s *Store) GetTask(ctx context.Context, taskID string) (t *model.WorkerTask, err error) {
	err = s.read(func() error {
		t, err = decodeOne[model.WorkerTask](s.rs.getTask.QueryRowContext(ctx, taskID), "task "+taskID)
		return err
	})
	return t, err
}

// NonTerminalTasks returns every task whose status is not terminal.
func (s *Store) NonTerminalTasks(ctx context.Context) (ts []*model.WorkerTask, err error) {
	err = s.read(func() error {
		ts, err = queryJSON[model.WorkerTask](ctx, s.rs.nonTerminalTasks)
		return err
	})
	return ts, err
}

// NonTerminalWorkflows returns every RUNNING or PAUSED workflow.
func (s *Store) NonTerminalWorkflows(ctx context.Context) (ws []*model.Workflow, err error) {
	err = s.read(func() error {
		ws, err = queryJSON[model.Workflow](ctx, s.rs.nonTerminalWorkflows)
		return err
	})
	return ws, err
}

// TaskLogs returns a task's log lines in the order they were added.
func (s *Store) TaskLogs(ctx context.Context, taskID string) (logs []model.TaskExecLog, err error) {
	err = s.read(func() error {
		rows, err := s.rs.taskLogs.QueryContext(ctx, taskID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out := []model.TaskExecLog{}
		for rows.Next() {
			var l model.TaskExecLog
			if err := rows.Scan(&l.Log, &l.TaskId, &l.CreatedTime); err != nil {
				return err
			}
			out = append(out, l)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		logs = out
		return nil
	})
	return logs, err
}

func queryJSON[T any](ctx context.Context, st *sql.Stmt, args ...any) ([]*T, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	return scanJSON[T](rows)
}
