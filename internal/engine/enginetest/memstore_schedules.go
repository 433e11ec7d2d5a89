package enginetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// PutSchedule implements store.Store.
func (s *MemStore) PutSchedule(ctx context.Context, rec store.ScheduleRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if err := rec.Validate(); err != nil {
		return err
	}
	s.schedules[rec.Schedule.Name] = store.ScheduleRecord{Schedule: copyOf(rec.Schedule), NextRunTime: rec.NextRunTime}
	return nil
}

// GetSchedule implements store.Store.
func (s *MemStore) GetSchedule(ctx context.Context, name string) (store.ScheduleRecord, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return store.ScheduleRecord{}, err
	}
	rec, ok := s.schedules[name]
	if !ok {
		return store.ScheduleRecord{}, fmt.Errorf("schedule %s: %w", name, store.ErrNotFound)
	}
	return store.ScheduleRecord{Schedule: copyOf(rec.Schedule), NextRunTime: rec.NextRunTime}, nil
}

// ListSchedules implements store.Store.
func (s *MemStore) ListSchedules(ctx context.Context, workflowName string) ([]store.ScheduleRecord, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := []store.ScheduleRecord{}
	for _, rec := range s.schedules {
		if workflowName == "" || rec.Schedule.StartWorkflowRequest.Name == workflowName {
			out = append(out, store.ScheduleRecord{Schedule: copyOf(rec.Schedule), NextRunTime: rec.NextRunTime})
		}
	}
	slices.SortFunc(out, func(a, b store.ScheduleRecord) int { return strings.Compare(a.Schedule.Name, b.Schedule.Name) })
	return out, nil
}

// DeleteSchedule implements store.Store.
func (s *MemStore) DeleteSchedule(ctx context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if _, ok := s.schedules[name]; !ok {
		return fmt.Errorf("schedule %s: %w", name, store.ErrNotFound)
	}
	delete(s.schedules, name)
	return nil
}

// RecordScheduleRun implements store.Store.
func (s *MemStore) RecordScheduleRun(ctx context.Context, run store.ScheduleRun) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if err := run.Validate(); err != nil {
		return err
	}
	s.schedExec[run.Execution.ExecutionId] = encode(run.Execution)
	if rec, ok := s.schedules[run.Execution.ScheduleName]; ok && rec.NextRunTime == run.Execution.ScheduledTime {
		rec.NextRunTime = run.NextRunTime
		s.schedules[run.Execution.ScheduleName] = rec
	}
	return nil
}

var scheduleExecKeys = map[string]sortKey[*model.WorkflowScheduleExecution]{
	"executionTime": func(a, b *model.WorkflowScheduleExecution) int { return cmp.Compare(a.ExecutionTime, b.ExecutionTime) },
	"scheduledTime": func(a, b *model.WorkflowScheduleExecution) int { return cmp.Compare(a.ScheduledTime, b.ScheduledTime) },
	"scheduleName": func(a, b *model.WorkflowScheduleExecution) int {
		return strings.Compare(a.ScheduleName, b.ScheduleName)
	},
	"workflowName": func(a, b *model.WorkflowScheduleExecution) int {
		return strings.Compare(a.WorkflowName, b.WorkflowName)
	},
	"workflowId": func(a, b *model.WorkflowScheduleExecution) int { return strings.Compare(a.WorkflowId, b.WorkflowId) },
	"state": func(a, b *model.WorkflowScheduleExecution) int {
		return strings.Compare(string(a.State), string(b.State))
	},
	"executionId": func(a, b *model.WorkflowScheduleExecution) int { return strings.Compare(a.ExecutionId, b.ExecutionId) },
}

// SearchScheduleExecutions implements store.Store.
func (s *MemStore) SearchScheduleExecutions(ctx context.Context, q store.ScheduleExecutionQuery) ([]*model.WorkflowScheduleExecution, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, 0, err
	}
	if q.Offset < 0 || q.Limit < 0 {
		return nil, 0, fmt.Errorf("%w: negative offset or limit", store.ErrInvalid)
	}
	order, err := sorter(q.Sort, store.SortField{Field: "scheduledTime", Desc: true}, scheduleExecKeys, scheduleExecKeys["executionId"])
	if err != nil {
		return nil, 0, err
	}
	var rows []*model.WorkflowScheduleExecution
	for _, js := range s.schedExec {
		x := decode[model.WorkflowScheduleExecution](js)
		if matchAny(q.ScheduleNames, x.ScheduleName) && matchAny(q.WorkflowNames, x.WorkflowName) &&
			matchAny(q.WorkflowIDs, x.WorkflowId) && matchAny(q.States, x.State) && matchAny(q.ExecutionIDs, x.ExecutionId) &&
			inTime(x.ScheduledTime, q.ScheduledAfter, q.ScheduledBefore) &&
			freeText(q.FreeText, x.ExecutionId, x.ScheduleName, x.WorkflowId, x.Reason) {
			rows = append(rows, x)
		}
	}
	slices.SortFunc(rows, order)
	out := []*model.WorkflowScheduleExecution{}
	out = append(out, page(rows, q.Offset, q.Limit)...)
	return out, int64(len(rows)), nil
}
