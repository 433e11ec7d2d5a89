package api

import (
	"context"

	"github.com/batonhq/baton/model"
)

func (f *fakeService) SaveSchedule(_ context.Context, s *model.WorkflowSchedule) (*model.WorkflowSchedule, error) {
	return answer[*model.WorkflowSchedule](f, "SaveSchedule", s)
}

func (f *fakeService) GetSchedule(_ context.Context, name string) (*model.WorkflowSchedule, error) {
	return answer[*model.WorkflowSchedule](f, "GetSchedule", name)
}

func (f *fakeService) ListSchedules(_ context.Context, workflowName string) ([]*model.WorkflowSchedule, error) {
	return answer[[]*model.WorkflowSchedule](f, "ListSchedules", workflowName)
}

func (f *fakeService) SearchSchedules(_ context.Context, workflowName, scheduleName string, paused *bool, freeText string, start, size int, sort []string) (*model.SearchResult[*model.WorkflowSchedule], error) {
	return answer[*model.SearchResult[*model.WorkflowSchedule]](f, "SearchSchedules", workflowName, scheduleName, paused, freeText, start, size, sort)
}

func (f *fakeService) DeleteSchedule(_ context.Context, name string) error {
	_, err := answer[any](f, "DeleteSchedule", name)
	return err
}

func (f *fakeService) PauseSchedule(_ context.Context, name, reason string) error {
	_, err := answer[any](f, "PauseSchedule", name, reason)
	return err
}

func (f *fakeService) ResumeSchedule(_ context.Context, name string) error {
	_, err := answer[any](f, "ResumeSchedule", name)
	return err
}

func (f *fakeService) PauseScheduler(_ context.Context, pause bool) error {
	_, err := answer[any](f, "PauseScheduler", pause)
	return err
}

func (f *fakeService) NextSchedules(_ context.Context, expr string, start, end *int64, limit int) ([]int64, error) {
	return answer[[]int64](f, "NextSchedules", expr, start, end, limit)
}

func (f *fakeService) SearchScheduleExecutions(_ context.Context, query, freeText string, start, size int, sort []string) (*model.SearchResult[*model.WorkflowScheduleExecution], error) {
	return answer[*model.SearchResult[*model.WorkflowScheduleExecution]](f, "SearchScheduleExecutions", query, freeText, start, size, sort)
}
