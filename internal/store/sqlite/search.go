package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Searches are built from fixed SQL fragments; every value from a query
// travels as a placeholder argument, and sort fields are looked up in a
// whitelist of columns.

var workflowSortColumns = map[string]string{
	"startTime":     "create_time",
	"updateTime":    "update_time",
	"endTime":       "end_time",
	"workflowType":  "name",
	"status":        "status",
	"workflowId":    "id",
	"correlationId": "correlation_id",
	"priority":      "priority",
}

var taskSortColumns = map[string]string{
	"scheduledTime": "scheduled_time",
	"startTime":     "start_time",
	"endTime":       "end_time",
	"updateTime":    "update_time",
	"taskType":      "task_type",
	"taskId":        "id",
	"status":        "status",
	"workflowId":    "workflow_id",
	"workflowType":  "workflow_type",
	"correlationId": "correlation_id",
	"priority":      "workflow_priority",
}

// classifierSQL is store.Classifier of a workflow row's definition.
const classifierSQL = `(CASE
	WHEN json_type(json, '$.workflowDefinition.metadata.classifier') = 'text'
		AND trim(json_extract(json, '$.workflowDefinition.metadata.classifier'), ' ' || char(9, 10, 11, 12, 13)) != ''
		THEN json_extract(json, '$.workflowDefinition.metadata.classifier')
	WHEN coalesce(json_type(json, '$.workflowDefinition.metadata.agent_sdk'), 'null') != 'null'
		OR coalesce(json_type(json, '$.workflowDefinition.metadata.agentDef'), 'null') != 'null'
		THEN 'agent'
	ELSE 'workflow' END)`

// SearchWorkflows returns one page of workflows (without tasks) matching q,
// and how many match in all.
func (s *Store) SearchWorkflows(ctx context.Context, q store.WorkflowQuery) ([]*model.Workflow, int64, error) {
	var w where
	in(&w, "name", q.WorkflowTypes)
	in(&w, "version", q.Versions)
	in(&w, "status", q.Statuses)
	in(&w, "correlation_id", q.CorrelationIDs)
	in(&w, "id", q.WorkflowIDs)
	w.between("create_time", q.StartedAfter, q.StartedBefore)
	w.between("update_time", q.UpdatedAfter, q.UpdatedBefore)
	if q.TopLevelOnly {
		w.conds = append(w.conds, "coalesce(json_extract(json, '$.parentWorkflowId'), '') = ''")
	}
	in(&w, classifierSQL, q.Classifiers)
	w.freeText(q.FreeText, "id", "correlation_id", "json_extract(json, '$.input')", "json_extract(json, '$.output')")
	order, err := sortBy(q.Sort, workflowSortColumns, store.SortField{Field: "startTime", Desc: true})
	if err != nil {
		return nil, 0, err
	}
	return search[model.Workflow](ctx, s, "workflows", w, order, q.Offset, q.Limit)
}

// SearchTasks returns one page of tasks matching q, and how many match.
func (s *Store) SearchTasks(ctx context.Context, q store.TaskQuery) ([]*model.WorkerTask, int64, error) {
	var w where
	in(&w, "task_type", q.TaskTypes)
	in(&w, "task_def_name", q.TaskDefNames)
	in(&w, "status", q.Statuses)
	in(&w, "workflow_id", q.WorkflowIDs)
	in(&w, "workflow_type", q.WorkflowTypes)
	in(&w, "domain", q.Domains)
	w.between("scheduled_time", q.ScheduledAfter, q.ScheduledBefore)
	w.freeText(q.FreeText, "id", "workflow_id", "json_extract(json, '$.inputData')", "json_extract(json, '$.outputData')")
	order, err := sortBy(q.Sort, taskSortColumns, store.SortField{Field: "scheduledTime", Desc: true})
	if err != nil {
		return nil, 0, err
	}
	return search[model.WorkerTask](ctx, s, "tasks", w, order, q.Offset, q.Limit)
}

// search counts and pages in one read transaction, so the total and the
// page agree. The page is chosen on the key columns alone and only its
// rows' JSON is read: sorting whole records would move every matching
// record through the sorter.
func search[T any](ctx context.Context, s *Store, table string, w where, order sortKeys, offset, limit int) (page []*T, total int64, err error) {
	if offset < 0 || limit < 0 {
		return nil, 0, fmt.Errorf("sqlite: search %s: %w: offset %d and limit %d must not be negative", table, store.ErrInvalid, offset, limit)
	}
	if w.err != nil {
		return nil, 0, fmt.Errorf("sqlite: search %s: %w", table, w.err)
	}
	lim := int64(limit)
	if limit == 0 {
		lim = -1 // SQLite: no limit
	}
	cond, args := w.sql()
	countSQL := "SELECT count(*) FROM " + table + cond
	pageSQL := "SELECT r.json FROM (SELECT " + order.columns() + " FROM " + table + cond +
		order.orderBy("") + " LIMIT ? OFFSET ?) AS p JOIN " + table + " AS r ON r.id = p.id" + order.orderBy("p.")
	err = s.read(func() error {
		tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }()
		if err := tx.QueryRowContext(ctx, countSQL, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, pageSQL, append(args, lim, offset)...)
		if err != nil {
			return err
		}
		page, err = scanJSON[T](rows)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: search %s: %w", table, err)
	}
	return page, total, nil
}

// where collects conditions joined with AND.
type where struct {
	conds []string
	args  []any
	err   error
}

// in matches col against a list of values: as placeholders for short
// lists, which the query planner can use with an index, and as one JSON
// array argument for long ones, which SQLite's limit on placeholders would
// otherwise refuse.
func in[V any](w *where, col string, vals []V) {
	switch {
	case len(vals) == 0:
	case len(vals) <= maxPlaceholders:
		w.conds = append(w.conds, col+" IN (?"+strings.Repeat(", ?", len(vals)-1)+")")
		for _, v := range vals {
			w.args = append(w.args, v)
		}
	default:
		js, err := json.Marshal(vals)
		if err != nil {
			w.err = fmt.Errorf("encode %s filter: %w", col, err)
			return
		}
		w.conds = append(w.conds, col+" IN (SELECT value FROM json_each(?))")
		w.args = append(w.args, string(js))
	}
}

const maxPlaceholders = 64

func (w *where) between(col string, after, before time.Time) {
	if !after.IsZero() {
		w.conds = append(w.conds, col+" >= ?")
		w.args = append(w.args, after.UnixMilli())
	}
	if !before.IsZero() {
		w.conds = append(w.conds, col+" <= ?")
		w.args = append(w.args, before.UnixMilli())
	}
}

// freeText matches text as a substring of any of exprs.
func (w *where) freeText(text string, exprs ...string) {
	if text == "" || text == "*" {
		return
	}
	ors := make([]string, len(exprs))
	for i, e := range exprs {
		ors[i] = "instr(" + e + ", ?) > 0"
		w.args = append(w.args, text)
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
}

func (w *where) sql() (string, []any) {
	if len(w.conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(w.conds, " AND "), w.args
}

// sortKeys is an ORDER BY of whitelisted columns, ending with id.
type sortKeys []store.SortField // Field holds the column name

// sortBy maps sorts (or def when there are none) to columns, and adds id
// as the last key so that paging is stable.
func sortBy(sorts []store.SortField, cols map[string]string, def store.SortField) (sortKeys, error) {
	if len(sorts) == 0 {
		sorts = []store.SortField{def}
	}
	keys := make(sortKeys, 0, len(sorts)+1)
	for _, f := range sorts {
		col, ok := cols[f.Field]
		if !ok {
			return nil, fmt.Errorf("sqlite: search: %w: cannot sort by %q; sort by one of %s",
				store.ErrInvalid, f.Field, strings.Join(slices.Sorted(maps.Keys(cols)), ", "))
		}
		keys = append(keys, store.SortField{Field: col, Desc: f.Desc})
	}
	return append(keys, store.SortField{Field: "id"}), nil
}

// columns lists the distinct key columns, for the inner select.
func (k sortKeys) columns() string {
	seen := map[string]bool{}
	var cols []string
	for _, f := range k {
		if !seen[f.Field] {
			seen[f.Field] = true
			cols = append(cols, f.Field)
		}
	}
	return strings.Join(cols, ", ")
}

func (k sortKeys) orderBy(prefix string) string {
	var b strings.Builder
	b.WriteString(" ORDER BY ")
	for i, f := range k {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(prefix + f.Field)
		if f.Desc {
			b.WriteString(" DESC")
		}
	}
	return b.String()
}
