package enginetest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Searches decode every row and filter, sort and page in memory: fine for
// tests, which hold few rows.

func inTime(t int64, after, before time.Time) bool {
	return (after.IsZero() || t >= after.UnixMilli()) && (before.IsZero() || t <= before.UnixMilli())
}

func matchAny[T comparable](list []T, v T) bool { return len(list) == 0 || slices.Contains(list, v) }

func freeText(text string, fields ...string) bool {
	if text == "" || text == "*" {
		return true
	}
	for _, f := range fields {
		if strings.Contains(f, text) {
			return true
		}
	}
	return false
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func page[T any](rows []T, offset, limit int) []T {
	if offset >= len(rows) {
		return []T{}
	}
	rows = rows[offset:]
	if limit > 0 && limit < len(rows) {
		rows = rows[:limit]
	}
	return rows
}

type sortKey[T any] func(a, b T) int

func sorter[T any](sorts []store.SortField, def store.SortField, keys map[string]sortKey[T], id sortKey[T]) (func(a, b T) int, error) {
	if len(sorts) == 0 {
		sorts = []store.SortField{def}
	}
	var fns []sortKey[T]
	for _, f := range sorts {
		k, ok := keys[f.Field]
		if !ok {
			return nil, fmt.Errorf("%w: cannot sort by %q", store.ErrInvalid, f.Field)
		}
		if f.Desc {
			inner := k
			k = func(a, b T) int { return -inner(a, b) }
		}
		fns = append(fns, k)
	}
	return func(a, b T) int {
		for _, f := range fns {
			if c := f(a, b); c != 0 {
				return c
			}
		}
		return id(a, b)
	}, nil
}

var workflowKeys = map[string]sortKey[*model.Workflow]{
	"startTime":     func(a, b *model.Workflow) int { return cmp.Compare(a.CreateTime, b.CreateTime) },
	"updateTime":    func(a, b *model.Workflow) int { return cmp.Compare(a.UpdateTime, b.UpdateTime) },
	"endTime":       func(a, b *model.Workflow) int { return cmp.Compare(a.EndTime, b.EndTime) },
	"workflowType":  func(a, b *model.Workflow) int { return strings.Compare(a.WorkflowName, b.WorkflowName) },
	"status":        func(a, b *model.Workflow) int { return strings.Compare(string(a.Status), string(b.Status)) },
	"workflowId":    func(a, b *model.Workflow) int { return strings.Compare(a.WorkflowId, b.WorkflowId) },
	"correlationId": func(a, b *model.Workflow) int { return strings.Compare(a.CorrelationId, b.CorrelationId) },
	"priority":      func(a, b *model.Workflow) int { return cmp.Compare(a.Priority, b.Priority) },
}

// SearchWorkflows implements store.Store.
func (s *MemStore) SearchWorkflows(ctx context.Context, q store.WorkflowQuery) ([]*model.Workflow, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, 0, err
	}
	if q.Offset < 0 || q.Limit < 0 {
		return nil, 0, fmt.Errorf("%w: negative offset or limit", store.ErrInvalid)
	}
	order, err := sorter(q.Sort, store.SortField{Field: "startTime", Desc: true}, workflowKeys, workflowKeys["workflowId"])
	if err != nil {
		return nil, 0, err
	}
	var rows []*model.Workflow
	for _, row := range s.workflows {
		w := decode[model.Workflow](row.js)
		if matchAny(q.WorkflowTypes, w.WorkflowName) && matchAny(q.Versions, w.WorkflowVersion) &&
			matchAny(q.Statuses, w.Status) && matchAny(q.CorrelationIDs, w.CorrelationId) &&
			matchAny(q.WorkflowIDs, w.WorkflowId) && inTime(w.CreateTime, q.StartedAfter, q.StartedBefore) &&
			inTime(w.UpdateTime, q.UpdatedAfter, q.UpdatedBefore) && (!q.TopLevelOnly || w.ParentWorkflowId == "") &&
			matchAny(q.Classifiers, store.Classifier(w.WorkflowDefinition)) &&
			freeText(q.FreeText, w.WorkflowId, w.CorrelationId, jsonText(w.Input), jsonText(w.Output)) {
			rows = append(rows, w)
		}
	}
	slices.SortFunc(rows, order)
	out := []*model.Workflow{}
	out = append(out, page(rows, q.Offset, q.Limit)...)
	return out, int64(len(rows)), nil
}

var taskKeys = map[string]sortKey[*model.WorkerTask]{
	"scheduledTime": func(a, b *model.WorkerTask) int { return cmp.Compare(a.ScheduledTime, b.ScheduledTime) },
	"startTime":     func(a, b *model.WorkerTask) int { return cmp.Compare(a.StartTime, b.StartTime) },
	"endTime":       func(a, b *model.WorkerTask) int { return cmp.Compare(a.EndTime, b.EndTime) },
	"updateTime":    func(a, b *model.WorkerTask) int { return cmp.Compare(a.UpdateTime, b.UpdateTime) },
	"taskType":      func(a, b *model.WorkerTask) int { return strings.Compare(a.TaskType, b.TaskType) },
	"taskId":        func(a, b *model.WorkerTask) int { return strings.Compare(a.TaskId, b.TaskId) },
	"status":        func(a, b *model.WorkerTask) int { return strings.Compare(string(a.Status), string(b.Status)) },
	"workflowId": func(a, b *model.WorkerTask) int {
		return strings.Compare(a.WorkflowInstanceId, b.WorkflowInstanceId)
	},
	"workflowType":  func(a, b *model.WorkerTask) int { return strings.Compare(a.WorkflowType, b.WorkflowType) },
	"correlationId": func(a, b *model.WorkerTask) int { return strings.Compare(a.CorrelationId, b.CorrelationId) },
	"priority":      func(a, b *model.WorkerTask) int { return cmp.Compare(a.WorkflowPriority, b.WorkflowPriority) },
}

// SearchTasks implements store.Store.
func (s *MemStore) SearchTasks(ctx context.Context, q store.TaskQuery) ([]*model.WorkerTask, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, 0, err
	}
	if q.Offset < 0 || q.Limit < 0 {
		return nil, 0, fmt.Errorf("%w: negative offset or limit", store.ErrInvalid)
	}
	order, err := sorter(q.Sort, store.SortField{Field: "scheduledTime", Desc: true}, taskKeys, taskKeys["taskId"])
	if err != nil {
		return nil, 0, err
	}
	var rows []*model.WorkerTask
	for _, row := range s.tasks {
		t := decode[model.WorkerTask](row.js)
		if matchAny(q.TaskTypes, t.TaskType) && matchAny(q.TaskDefNames, t.TaskDefName) &&
			matchAny(q.Statuses, t.Status) && matchAny(q.WorkflowIDs, t.WorkflowInstanceId) &&
			matchAny(q.WorkflowTypes, t.WorkflowType) && matchAny(q.Domains, t.Domain) &&
			inTime(t.ScheduledTime, q.ScheduledAfter, q.ScheduledBefore) &&
			freeText(q.FreeText, t.TaskId, t.WorkflowInstanceId, jsonText(t.InputData), jsonText(t.OutputData)) {
			rows = append(rows, t)
		}
	}
	slices.SortFunc(rows, order)
	out := []*model.WorkerTask{}
	out = append(out, page(rows, q.Offset, q.Limit)...)
	return out, int64(len(rows)), nil
}
