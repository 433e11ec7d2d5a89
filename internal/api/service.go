package api

import (
	"context"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// Service is what the HTTP layer needs from the engine; *engine.Engine
// implements it. Errors are *engine.Error values whose Kind picks the HTTP
// status; any other error is a 500.
type Service interface {
	// Metadata.
	RegisterTaskDefs(ctx context.Context, defs []model.TaskDef) error
	UpdateTaskDef(ctx context.Context, def *model.TaskDef) error
	GetTaskDef(ctx context.Context, name string) (*model.TaskDef, error)
	ListTaskDefs(ctx context.Context) ([]*model.TaskDef, error)
	DeleteTaskDef(ctx context.Context, name string) error
	RegisterWorkflowDef(ctx context.Context, def *model.WorkflowDef, overwrite bool) error
	ValidateWorkflowDef(ctx context.Context, def *model.WorkflowDef) error
	UpdateWorkflowDefs(ctx context.Context, defs []model.WorkflowDef) (*model.BulkResponse[string], error)
	GetWorkflowDef(ctx context.Context, name string, version int) (*model.WorkflowDef, error) // version 0 = latest
	ListWorkflowDefs(ctx context.Context) ([]*model.WorkflowDef, error)
	DeleteWorkflowDef(ctx context.Context, name string, version int) error

	// Workflows.
	StartWorkflow(ctx context.Context, req *model.StartWorkflowRequest) (string, error)
	ExecuteWorkflow(ctx context.Context, req *model.StartWorkflowRequest, opts engine.ExecuteOptions) (*model.SignalResponse, error)
	GetWorkflow(ctx context.Context, workflowID string, includeTasks bool) (*model.Workflow, error)
	Terminate(ctx context.Context, workflowID, reason string) error
	Pause(ctx context.Context, workflowID string) error
	Resume(ctx context.Context, workflowID string) error
	Restart(ctx context.Context, workflowID string, useLatestDefinitions bool) error
	Retry(ctx context.Context, workflowID string, resumeSubworkflowTasks bool) error
	Rerun(ctx context.Context, workflowID string, req *model.RerunWorkflowRequest) (string, error)
	SkipTask(ctx context.Context, workflowID, taskRefName string, req *model.SkipTaskRequest) error
	Remove(ctx context.Context, workflowID string, archive bool) error
	// ResetCallbacks makes the workflow's scheduled worker tasks that wait
	// out a callbackAfterSeconds delay pollable now.
	ResetCallbacks(ctx context.Context, workflowID string) error
	ByCorrelationID(ctx context.Context, name, correlationID string, includeClosed, includeTasks bool) ([]*model.Workflow, error)
	Running(ctx context.Context, name string, version int, startTime, endTime int64) ([]string, error)
	SearchWorkflows(ctx context.Context, req engine.SearchRequest) (*model.SearchResult[*model.Workflow], error)
	SearchTasks(ctx context.Context, req engine.SearchRequest) (*model.SearchResult[*model.WorkerTask], error)

	// Tasks.
	Poll(ctx context.Context, taskType string, req engine.PollRequest) ([]*model.WorkerTask, error)
	// ReleasePolls ends the waiting polls of a poller id with no task
	// (Baton's own: see engine.Engine.ReleasePolls).
	ReleasePolls(pollerID string)
	UpdateTask(ctx context.Context, result *model.TaskResult) error
	// UpdateTaskV2 records result and, when that made the task terminal,
	// hands out the next queued task of the same type and domain (nil if none).
	UpdateTaskV2(ctx context.Context, result *model.TaskResult) (*model.WorkerTask, error)
	// UpdateTaskByRefName returns the updated task's id, "" when no pending
	// task has that reference name.
	UpdateTaskByRefName(ctx context.Context, workflowID, taskRefName string, status model.TaskResultStatus, output map[string]any, workerID string) (string, error)
	GetTask(ctx context.Context, taskID string) (*model.WorkerTask, error)
	AddTaskLog(ctx context.Context, taskID, line string) error
	TaskLogs(ctx context.Context, taskID string) ([]model.TaskExecLog, error)
	QueueSize(ctx context.Context, taskType, domain string) (int, error)
	QueueSizes(ctx context.Context) (map[string]int, error) // key: "type" or "domain:type", as Conductor names queues
	PollData(ctx context.Context, taskType string) ([]model.PollData, error)
	AllPollData(ctx context.Context) ([]model.PollData, error)
	RequeuePending(ctx context.Context, taskType string) (int, error)

	// Event handlers and queue admin.
	AddEventHandler(ctx context.Context, h *model.EventHandler) error
	UpdateEventHandler(ctx context.Context, h *model.EventHandler) error
	DeleteEventHandler(ctx context.Context, name string) error
	EventHandlers(ctx context.Context) ([]*model.EventHandler, error)
	EventHandlersForEvent(ctx context.Context, event string, activeOnly bool) ([]*model.EventHandler, error)
	QueueAdminNames() map[string]string
	QueueAdminSizes() map[string]int
	QueueUpdate(ctx context.Context, workflowID, taskRefName, taskID string, status model.TaskResultStatus, output map[string]any) error

	// Schedules.
	SaveSchedule(ctx context.Context, s *model.WorkflowSchedule) (*model.WorkflowSchedule, error)
	GetSchedule(ctx context.Context, name string) (*model.WorkflowSchedule, error)
	ListSchedules(ctx context.Context, workflowName string) ([]*model.WorkflowSchedule, error)
	SearchSchedules(ctx context.Context, workflowName, scheduleName string, paused *bool, freeText string, start, size int, sort []string) (*model.SearchResult[*model.WorkflowSchedule], error)
	DeleteSchedule(ctx context.Context, name string) error
	PauseSchedule(ctx context.Context, name, reason string) error
	ResumeSchedule(ctx context.Context, name string) error
	PauseScheduler(ctx context.Context, pause bool) error
	NextSchedules(ctx context.Context, expr string, start, end *int64, limit int) ([]int64, error)
	SearchScheduleExecutions(ctx context.Context, query, freeText string, start, size int, sort []string) (*model.SearchResult[*model.WorkflowScheduleExecution], error)
}
