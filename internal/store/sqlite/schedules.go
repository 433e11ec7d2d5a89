package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Schedules are few and small; like definitions, their writes go through
// the writer goroutine.

const (
	sqlPutSchedule = `INSERT INTO schedules (name, workflow_name, next_run_time, json) VALUES (?, ?, ?, ?)
	ON CONFLICT (name) DO UPDATE SET workflow_name = excluded.workflow_name,
	next_run_time = excluded.next_run_time, json = excluded.json`
	sqlDeleteSchedule     = `DELETE FROM schedules WHERE name = ?`
	sqlMoveScheduleNext   = `UPDATE schedules SET next_run_time = ? WHERE name = ? AND next_run_time = ?`
	sqlUpsertScheduleExec = `INSERT INTO schedule_executions
	(id, schedule_name, workflow_name, workflow_id, state, scheduled_time, execution_time, json)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET schedule_name = excluded.schedule_name,
	workflow_name = excluded.workflow_name, workflow_id = excluded.workflow_id, state = excluded.state,
	scheduled_time = excluded.scheduled_time, execution_time = excluded.execution_time, json = excluded.json`
	sqlGetSchedule       = `SELECT json, next_run_time FROM schedules WHERE name = ?`
	sqlListSchedules     = `SELECT json, next_run_time FROM schedules ORDER BY name`
	sqlListSchedulesOfWf = `SELECT json, next_run_time FROM schedules WHERE workflow_name = ? ORDER BY name`
)

var scheduleExecutionSortColumns = map[string]string{
	"executionTime": "execution_time",
	"scheduledTime": "scheduled_time",
	"scheduleName":  "schedule_name",
	"workflowName":  "workflow_name",
	"workflowId":    "workflow_id",
	"state":         "state",
	"executionId":   "id",
}

// PutSchedule creates or replaces a schedule by name.
func (s *Store) PutSchedule(ctx context.Context, rec store.ScheduleRecord) error {
	if err := rec.Validate(); err != nil {
		return fmt.Errorf("sqlite: put schedule: %w", err)
	}
	js, err := json.Marshal(rec.Schedule)
	if err != nil {
		return fmt.Errorf("sqlite: put schedule %s: %w: %w", rec.Schedule.Name, store.ErrInvalid, err)
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.tx.ExecContext(ctx, sqlPutSchedule, rec.Schedule.Name, rec.Schedule.StartWorkflowRequest.Name, rec.NextRunTime, string(js))
		return err
	})
}

// GetSchedule returns a schedule or store.ErrNotFound.
func (s *Store) GetSchedule(ctx context.Context, name string) (rec store.ScheduleRecord, err error) {
	err = s.read(func() error {
		var js string
		if err := s.r.QueryRowContext(ctx, sqlGetSchedule, name).Scan(&js, &rec.NextRunTime); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("sqlite: schedule %s: %w", name, store.ErrNotFound)
			}
			return err
		}
		rec.Schedule = new(model.WorkflowSchedule)
		return json.Unmarshal([]byte(js), rec.Schedule)
	})
	return rec, err
}

// ListSchedules returns every schedule, or those of one workflow, by name.
func (s *Store) ListSchedules(ctx context.Context, workflowName string) (recs []store.ScheduleRecord, err error) {
	recs = []store.ScheduleRecord{}
	err = s.read(func() error {
		var rows *sql.Rows
		var err error
		if workflowName == "" {
			rows, err = s.r.QueryContext(ctx, sqlListSchedules)
		} else {
			rows, err = s.r.QueryContext(ctx, sqlListSchedulesOfWf, workflowName)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var js string
			var rec store.ScheduleRecord
			if err := rows.Scan(&js, &rec.NextRunTime); err != nil {
				return err
			}
			rec.Schedule = new(model.WorkflowSchedule)
			if err := json.Unmarshal([]byte(js), rec.Schedule); err != nil {
				return err
			}
			recs = append(recs, rec)
		}
		return rows.Err()
	})
	return recs, err
}

// DeleteSchedule removes a schedule or returns store.ErrNotFound.
func (s *Store) DeleteSchedule(ctx context.Context, name string) error {
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.tx.ExecContext(ctx, sqlDeleteSchedule, name)
		return noRowsIs(res, err, fmt.Errorf("schedule %s: %w", name, store.ErrNotFound))
	})
}

// RecordScheduleRun stores an execution and moves its schedule on, in one
// transaction.
func (s *Store) RecordScheduleRun(ctx context.Context, run store.ScheduleRun) error {
	if err := run.Validate(); err != nil {
		return fmt.Errorf("sqlite: record schedule run: %w", err)
	}
	x := run.Execution
	js, err := json.Marshal(x)
	if err != nil {
		return fmt.Errorf("sqlite: record schedule run %s: %w: %w", x.ExecutionId, store.ErrInvalid, err)
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		if _, err := tx.tx.ExecContext(ctx, sqlUpsertScheduleExec, x.ExecutionId, x.ScheduleName, x.WorkflowName,
			x.WorkflowId, string(x.State), x.ScheduledTime, x.ExecutionTime, string(js)); err != nil {
			return err
		}
		_, err := tx.tx.ExecContext(ctx, sqlMoveScheduleNext, run.NextRunTime, x.ScheduleName, x.ScheduledTime)
		return err
	})
}

// SearchScheduleExecutions returns one page of executions matching q, and
// how many match in all.
func (s *Store) SearchScheduleExecutions(ctx context.Context, q store.ScheduleExecutionQuery) ([]*model.WorkflowScheduleExecution, int64, error) {
	var w where
	in(&w, "schedule_name", q.ScheduleNames)
	in(&w, "workflow_name", q.WorkflowNames)
	in(&w, "workflow_id", q.WorkflowIDs)
	in(&w, "state", q.States)
	in(&w, "id", q.ExecutionIDs)
	w.between("scheduled_time", q.ScheduledAfter, q.ScheduledBefore)
	w.freeText(q.FreeText, "id", "schedule_name", "workflow_id", "json_extract(json, '$.reason')")
	order, err := sortBy(q.Sort, scheduleExecutionSortColumns, store.SortField{Field: "scheduledTime", Desc: true})
	if err != nil {
		return nil, 0, err
	}
	return search[model.WorkflowScheduleExecution](ctx, s, "schedule_executions", w, order, q.Offset, q.Limit)
}
