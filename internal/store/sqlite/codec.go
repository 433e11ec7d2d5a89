package sqlite

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// workflowRow is a workflow ready to write: its key columns and its JSON.
type workflowRow struct {
	id, name, status, correlationID string
	version, priority               int
	createTime, updateTime, endTime int64
	json                            string
}

type taskRow struct {
	id, workflowID, refName, taskType, taskDefName, status, domain string
	workflowType, correlationID                                    string
	seq, workflowPriority                                          int
	scheduledTime, startTime, endTime, updateTime                  int64
	json                                                           string
}

// encodedBatch is a validated Batch turned into rows. Apply encodes in the
// caller's goroutine, so the JSON work of concurrent callers runs in
// parallel and the writer only executes statements.
type encodedBatch struct {
	deleteWorkflows []string
	deleteTasks     []string
	workflows       []workflowRow
	tasks           []taskRow
	logs            []model.TaskExecLog
	acks            []string
	messages        []*store.EventMessage
}

func encodeBatch(b *store.Batch) (*encodedBatch, error) {
	e := &encodedBatch{
		deleteWorkflows: b.DeleteWorkflows,
		deleteTasks:     b.DeleteTasks,
		workflows:       make([]workflowRow, 0, len(b.Workflows)),
		tasks:           make([]taskRow, 0, len(b.Tasks)),
		logs:            b.Logs,
		acks:            b.AckMessages,
		messages:        b.Messages,
	}
	for _, w := range b.Workflows {
		r, err := encodeWorkflow(w)
		if err != nil {
			return nil, err
		}
		e.workflows = append(e.workflows, r)
	}
	for _, t := range b.Tasks {
		r, err := encodeTask(t)
		if err != nil {
			return nil, err
		}
		e.tasks = append(e.tasks, r)
	}
	return e, nil
}

func encodeWorkflow(w *model.Workflow) (workflowRow, error) {
	c := *w
	c.Tasks = nil // tasks are rows of their own
	js, err := json.Marshal(&c)
	if err != nil {
		return workflowRow{}, fmt.Errorf("%w: encode workflow %s: %w", store.ErrInvalid, w.WorkflowId, err)
	}
	name, version := w.WorkflowName, w.WorkflowVersion
	if d := w.WorkflowDefinition; d != nil {
		name = cmp.Or(name, d.Name)
		version = cmp.Or(version, d.Version)
	}
	return workflowRow{
		id: w.WorkflowId, name: name, version: version, status: string(w.Status),
		correlationID: w.CorrelationId, createTime: w.CreateTime, updateTime: w.UpdateTime,
		endTime: w.EndTime, priority: w.Priority, json: string(js),
	}, nil
}

func encodeTask(t *model.WorkerTask) (taskRow, error) {
	js, err := json.Marshal(t)
	if err != nil {
		return taskRow{}, fmt.Errorf("%w: encode task %s: %w", store.ErrInvalid, t.TaskId, err)
	}
	return taskRow{
		id: t.TaskId, workflowID: t.WorkflowInstanceId, seq: t.Seq, refName: t.ReferenceTaskName,
		taskType: t.TaskType, taskDefName: t.TaskDefName, status: string(t.Status), domain: t.Domain,
		workflowType: t.WorkflowType, correlationID: t.CorrelationId, workflowPriority: t.WorkflowPriority,
		scheduledTime: t.ScheduledTime, startTime: t.StartTime, endTime: t.EndTime,
		updateTime: t.UpdateTime, json: string(js),
	}, nil
}

// scanJSON reads rows of one JSON column into new values of T.
func scanJSON[T any](rows *sql.Rows) ([]*T, error) {
	defer rows.Close()
	out := []*T{}
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(&buf); err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal(buf, v); err != nil {
			return nil, fmt.Errorf("decode stored %T: %w", v, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// decodeOne decodes a single JSON value read with QueryRow.
func decodeOne[T any](row *sql.Row, notFound string) (*T, error) {
	var buf []byte
	if err := row.Scan(&buf); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%s: %w", notFound, store.ErrNotFound)
		}
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(buf, v); err != nil {
		return nil, fmt.Errorf("decode stored %T: %w", v, err)
	}
	return v, nil
}
