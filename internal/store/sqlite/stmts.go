package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/batonhq/baton/model"
)

// Statements are prepared once at Open; database/sql prepares them again
// on each pooled connection as needed.

const (
	sqlUpsertWorkflow = `INSERT INTO workflows
	(id, name, version, status, correlation_id, create_time, update_time, end_time, priority, json)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
	status = excluded.status, correlation_id = excluded.correlation_id,
	create_time = excluded.create_time, update_time = excluded.update_time,
	end_time = excluded.end_time, priority = excluded.priority, json = excluded.json`
	sqlUpsertTask = `INSERT INTO tasks
	(id, workflow_id, seq, ref_name, task_type, task_def_name, status, domain, workflow_type,
	 correlation_id, workflow_priority, scheduled_time, start_time, end_time, update_time, json)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET workflow_id = excluded.workflow_id, seq = excluded.seq,
	ref_name = excluded.ref_name, task_type = excluded.task_type,
	task_def_name = excluded.task_def_name, status = excluded.status, domain = excluded.domain,
	workflow_type = excluded.workflow_type, correlation_id = excluded.correlation_id,
	workflow_priority = excluded.workflow_priority, scheduled_time = excluded.scheduled_time,
	start_time = excluded.start_time, end_time = excluded.end_time,
	update_time = excluded.update_time, json = excluded.json`
	sqlInsertLog           = `INSERT INTO task_logs (task_id, created_time, log) VALUES (?, ?, ?)`
	sqlDeleteTaskLogs      = `DELETE FROM task_logs WHERE task_id = ?`
	sqlDeleteTask          = `DELETE FROM tasks WHERE id = ?`
	sqlDeleteWorkflowLogs  = `DELETE FROM task_logs WHERE task_id IN (SELECT id FROM tasks WHERE workflow_id = ?)`
	sqlDeleteWorkflowTasks = `DELETE FROM tasks WHERE workflow_id = ?`
	sqlDeleteWorkflow      = `DELETE FROM workflows WHERE id = ?`

	sqlPutTaskDef        = `INSERT INTO task_defs (name, json) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET json = excluded.json`
	sqlDeleteTaskDef     = `DELETE FROM task_defs WHERE name = ?`
	sqlCreateWorkflowDef = `INSERT INTO workflow_defs (name, version, json) VALUES (?, ?, ?) ON CONFLICT (name, version) DO NOTHING`
	sqlPutWorkflowDef    = `INSERT INTO workflow_defs (name, version, json) VALUES (?, ?, ?)
	ON CONFLICT (name, version) DO UPDATE SET json = excluded.json`
	sqlDeleteWorkflowDef = `DELETE FROM workflow_defs WHERE name = ? AND version = ?`
)

const (
	sqlGetTaskDef           = `SELECT json FROM task_defs WHERE name = ?`
	sqlListTaskDefs         = `SELECT json FROM task_defs ORDER BY name`
	sqlGetWorkflowDef       = `SELECT json FROM workflow_defs WHERE name = ? AND version = ?`
	sqlGetLatestWorkflowDef = `SELECT json FROM workflow_defs WHERE name = ? ORDER BY version DESC LIMIT 1`
	sqlListWorkflowDefs     = `SELECT json FROM workflow_defs ORDER BY name, version`
	sqlGetWorkflow          = `SELECT json FROM workflows WHERE id = ?`
	sqlGetWorkflowTasks     = `SELECT json FROM tasks WHERE workflow_id = ? ORDER BY seq, id`
	sqlGetTask              = `SELECT json FROM tasks WHERE id = ?`
	sqlTaskLogs             = `SELECT log, task_id, created_time FROM task_logs WHERE task_id = ? ORDER BY id`
)

var (
	// The status lists come from the model, so a new status cannot be
	// forgotten here.
	sqlNonTerminalTasks     = `SELECT json FROM tasks WHERE status IN (` + quoteList(nonTerminalTaskStatuses()) + `)`
	sqlNonTerminalWorkflows = `SELECT json FROM workflows WHERE status IN (` + quoteList(nonTerminalWorkflowStatuses()) + `)`
)

func nonTerminalTaskStatuses() []string {
	var out []string
	for _, s := range model.TaskStatuses {
		if !s.IsTerminal() {
			out = append(out, string(s))
		}
	}
	return out
}

func nonTerminalWorkflowStatuses() []string {
	var out []string
	for _, s := range model.WorkflowStatuses {
		if !s.IsTerminal() {
			out = append(out, string(s))
		}
	}
	return out
}

// quoteList renders constant identifiers (status names, never user input)
// as SQL string literals.
func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

func prepareAll(ctx context.Context, db *sql.DB, dst []**sql.Stmt, queries []string) error {
	for i, q := range queries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		*dst[i] = st
	}
	return nil
}

func closeAll(sts ...*sql.Stmt) error {
	var errs []error
	for _, st := range sts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

type writeStmts struct {
	upsertWorkflow, upsertTask, insertLog                   *sql.Stmt
	deleteTaskLogs, deleteTask                              *sql.Stmt
	deleteWorkflowLogs, deleteWorkflowTasks, deleteWorkflow *sql.Stmt
	putTaskDef, deleteTaskDef                               *sql.Stmt
	createWorkflowDef, putWorkflowDef, deleteWorkflowDef    *sql.Stmt
}

func (w *writeStmts) all() []**sql.Stmt {
	return []**sql.Stmt{
		&w.upsertWorkflow, &w.upsertTask, &w.insertLog, &w.deleteTaskLogs, &w.deleteTask,
		&w.deleteWorkflowLogs, &w.deleteWorkflowTasks, &w.deleteWorkflow, &w.putTaskDef,
		&w.deleteTaskDef, &w.createWorkflowDef, &w.putWorkflowDef, &w.deleteWorkflowDef,
	}
}

func (w *writeStmts) prepare(ctx context.Context, db *sql.DB) error {
	return prepareAll(ctx, db, w.all(), []string{
		sqlUpsertWorkflow, sqlUpsertTask, sqlInsertLog, sqlDeleteTaskLogs, sqlDeleteTask,
		sqlDeleteWorkflowLogs, sqlDeleteWorkflowTasks, sqlDeleteWorkflow, sqlPutTaskDef,
		sqlDeleteTaskDef, sqlCreateWorkflowDef, sqlPutWorkflowDef, sqlDeleteWorkflowDef,
	})
}

func (w *writeStmts) close() error { return closeAll(deref(w.all())...) }

type readStmts struct {
	getTaskDef, listTaskDefs                               *sql.Stmt
	getWorkflowDef, getLatestWorkflowDef, listWorkflowDefs *sql.Stmt
	getWorkflow, getWorkflowTasks, getTask, taskLogs       *sql.Stmt
	nonTerminalTasks, nonTerminalWorkflows                 *sql.Stmt
}

func (r *readStmts) all() []**sql.Stmt {
	return []**sql.Stmt{
		&r.getTaskDef, &r.listTaskDefs, &r.getWorkflowDef, &r.getLatestWorkflowDef,
		&r.listWorkflowDefs, &r.getWorkflow, &r.getWorkflowTasks, &r.getTask, &r.taskLogs,
		&r.nonTerminalTasks, &r.nonTerminalWorkflows,
	}
}

func (r *readStmts) prepare(ctx context.Context, db *sql.DB) error {
	return prepareAll(ctx, db, r.all(), []string{
		sqlGetTaskDef, sqlListTaskDefs, sqlGetWorkflowDef, sqlGetLatestWorkflowDef,
		sqlListWorkflowDefs, sqlGetWorkflow, sqlGetWorkflowTasks, sqlGetTask, sqlTaskLogs,
		sqlNonTerminalTasks, sqlNonTerminalWorkflows,
	})
}

func (r *readStmts) close() error { return closeAll(deref(r.all())...) }

func deref(ps []**sql.Stmt) []*sql.Stmt {
	out := make([]*sql.Stmt, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}
