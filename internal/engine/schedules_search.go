package engine

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// maxSearchQueryLen bounds the query text of a schedule search.
const maxSearchQueryLen = 4096

// SearchScheduleExecutions finds schedule runs (GET
// /api/scheduler/search/executions). query is Conductor's
// (SchedulerSearchQuery): clauses joined by AND, each `scheduleName IN
// (a,b)`, `state IN (EXECUTED,FAILED)`, `scheduledTime>ms`,
// `scheduledTime<ms`, `workflowName=name`, `executionId=id`, or a bare
// schedule name. sort is "field" or "field:ASC|DESC" (DESC by default);
// the default order is scheduledTime descending. A number Conductor
// cannot read (it answers 500) is a 400 here.
func (e *Engine) SearchScheduleExecutions(ctx context.Context, query, freeText string, start, size int, sort []string) (*model.SearchResult[*model.WorkflowScheduleExecution], error) {
	if len(query) > maxSearchQueryLen || len(freeText) > maxSearchQueryLen {
		return nil, badRequest("query and freeText must be at most %d characters", maxSearchQueryLen)
	}
	if start < 0 || size < 0 {
		return nil, badRequest("start and size must not be negative")
	}
	q := store.ScheduleExecutionQuery{FreeText: freeText, Offset: start, Limit: size}
	if size == 0 {
		return &model.SearchResult[*model.WorkflowScheduleExecution]{Results: []*model.WorkflowScheduleExecution{}}, nil
	}
	for clause := range strings.SplitSeq(query, " AND ") {
		clause = strings.TrimSpace(clause)
		switch {
		case clause == "":
		case strings.HasPrefix(clause, "scheduleName IN (") && strings.HasSuffix(clause, ")"):
			q.ScheduleNames = append(q.ScheduleNames, csv(clause[len("scheduleName IN ("):len(clause)-1])...)
		case strings.HasPrefix(clause, "state IN (") && strings.HasSuffix(clause, ")"):
			for _, s := range csv(clause[len("state IN (") : len(clause)-1]) {
				q.States = append(q.States, model.ScheduleExecutionState(s))
			}
		case strings.HasPrefix(clause, "scheduledTime>"), strings.HasPrefix(clause, "scheduledTime<"):
			ms, err := strconv.ParseInt(strings.TrimSpace(clause[len("scheduledTime>"):]), 10, 64)
			if err != nil {
				return nil, badRequest("query: %q: scheduledTime takes epoch milliseconds", clause)
			}
			// Conductor's bounds are exclusive, the store's inclusive.
			if clause[len("scheduledTime")] == '>' {
				q.ScheduledAfter = time.UnixMilli(ms + 1)
			} else {
				q.ScheduledBefore = time.UnixMilli(ms - 1)
			}
		case strings.HasPrefix(clause, "workflowName="):
			q.WorkflowNames = append(q.WorkflowNames, strings.TrimSpace(clause[len("workflowName="):]))
		case strings.HasPrefix(clause, "executionId="):
			q.ExecutionIDs = append(q.ExecutionIDs, strings.TrimSpace(clause[len("executionId="):]))
		default:
			q.ScheduleNames = append(q.ScheduleNames, clause)
		}
	}
	for _, s := range sort {
		field, dir, _ := strings.Cut(s, ":")
		q.Sort = append(q.Sort, store.SortField{Field: strings.TrimSpace(field), Desc: !strings.EqualFold(strings.TrimSpace(dir), "ASC")})
	}
	res, total, err := e.st.SearchScheduleExecutions(ctx, q)
	if errors.Is(err, store.ErrInvalid) {
		return nil, badRequest("%s", strings.TrimPrefix(err.Error(), "sqlite: search schedule_executions: "))
	}
	if err != nil {
		return nil, internalf(err, "search schedule executions")
	}
	return &model.SearchResult[*model.WorkflowScheduleExecution]{TotalHits: total, Results: res}, nil
}

func csv(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// SearchSchedules pages through schedules (GET
// /api/scheduler/schedules/search): by workflow name, by schedule name
// (substring), paused or not, free text in the name or description; sorted
// by name, or by "field[:ASC|DESC]" on name, createTime or updatedTime.
func (e *Engine) SearchSchedules(ctx context.Context, workflowName, scheduleName string, paused *bool, freeText string, start, size int, sort []string) (*model.SearchResult[*model.WorkflowSchedule], error) {
	if start < 0 || size < 0 {
		return nil, badRequest("start and size must not be negative")
	}
	all, err := e.ListSchedules(ctx, workflowName)
	if err != nil {
		return nil, err
	}
	var keep []*model.WorkflowSchedule
	for _, s := range all {
		if scheduleName != "" && !strings.Contains(s.Name, scheduleName) {
			continue
		}
		if paused != nil && s.Paused != *paused {
			continue
		}
		if freeText != "" && freeText != "*" && !strings.Contains(s.Name, freeText) && !strings.Contains(s.Description, freeText) {
			continue
		}
		keep = append(keep, s)
	}
	for i := len(sort) - 1; i >= 0; i-- {
		field, dir, _ := strings.Cut(sort[i], ":")
		desc := strings.EqualFold(strings.TrimSpace(dir), "DESC")
		key := map[string]func(*model.WorkflowSchedule) int64{
			"createTime":  func(s *model.WorkflowSchedule) int64 { return deref(s.CreateTime) },
			"updatedTime": func(s *model.WorkflowSchedule) int64 { return deref(s.UpdatedTime) },
		}[strings.TrimSpace(field)]
		if key == nil && strings.TrimSpace(field) != "name" {
			return nil, badRequest("cannot sort schedules by %q; sort by name, createTime or updatedTime", field)
		}
		slices.SortStableFunc(keep, func(a, b *model.WorkflowSchedule) int {
			c := strings.Compare(a.Name, b.Name)
			if key != nil {
				c = cmp.Compare(key(a), key(b))
			}
			if desc {
				return -c
			}
			return c
		})
	}
	out := &model.SearchResult[*model.WorkflowSchedule]{TotalHits: int64(len(keep)), Results: []*model.WorkflowSchedule{}}
	if start < len(keep) {
		out.Results = append(out.Results, keep[start:min(len(keep), start+size)]...)
	}
	return out, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
