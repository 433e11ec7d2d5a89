package api

import (
	"context"
	"fmt"
	"sync"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// call is one recorded Service call: the method and its arguments (the
// context left out).
type call struct {
	Method string
	Args   []any
}

// fakeService records every call and answers from canned results.
type fakeService struct {
	mu      sync.Mutex
	calls   []call
	results map[string]result
	// panicOn names a method that panics instead of answering.
	panicOn string
	// poll, when set, answers Poll (e.g. to block until the context ends).
	poll func(ctx context.Context, taskType string, req engine.PollRequest) ([]*model.WorkerTask, error)
	// execute, when set, answers ExecuteWorkflow.
	execute func(ctx context.Context) (*model.SignalResponse, error)
}

// result is a canned answer: a value (nil for the zero value) and an error.
type result struct {
	v   any
	err error
}

func newFake() *fakeService { return &fakeService{results: map[string]result{}} }

// on sets the answer of method.
func (f *fakeService) on(method string, v any, err error) *fakeService {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results[method] = result{v, err}
	return f
}

// onArg sets the answer of method when its first argument is arg.
func (f *fakeService) onArg(method string, arg any, v any, err error) *fakeService {
	return f.on(method+"/"+fmt.Sprint(arg), v, err)
}

// recorded returns the calls so far.
func (f *fakeService) recorded() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// answer records the call and returns the canned answer for method.
func answer[T any](f *fakeService, method string, args ...any) (T, error) {
	f.mu.Lock()
	f.calls = append(f.calls, call{Method: method, Args: args})
	r, ok := result{}, false
	if len(args) > 0 {
		r, ok = f.results[method+"/"+fmt.Sprint(args[0])]
	}
	if !ok {
		r = f.results[method]
	}
	p := f.panicOn
	f.mu.Unlock()
	if p == method {
		panic(fmt.Sprintf("fake %s exploded", method))
	}
	var zero T
	if r.v == nil {
		return zero, r.err
	}
	return r.v.(T), r.err
}

func (f *fakeService) RegisterTaskDefs(_ context.Context, defs []model.TaskDef) error {
	_, err := answer[any](f, "RegisterTaskDefs", defs)
	return err
}

func (f *fakeService) UpdateTaskDef(_ context.Context, def *model.TaskDef) error {
	_, err := answer[any](f, "UpdateTaskDef", def)
	return err
}

func (f *fakeService) GetTaskDef(_ context.Context, name string) (*model.TaskDef, error) {
	return answer[*model.TaskDef](f, "GetTaskDef", name)
}

func (f *fakeService) ListTaskDefs(context.Context) ([]*model.TaskDef, error) {
	return answer[[]*model.TaskDef](f, "ListTaskDefs")
}

func (f *fakeService) DeleteTaskDef(_ context.Context, name string) error {
	_, err := answer[any](f, "DeleteTaskDef", name)
	return err
}

func (f *fakeService) RegisterWorkflowDef(_ context.Context, def *model.WorkflowDef, overwrite bool) error {
	_, err := answer[any](f, "RegisterWorkflowDef", def, overwrite)
	return err
}

func (f *fakeService) ValidateWorkflowDef(_ context.Context, def *model.WorkflowDef) error {
	_, err := answer[any](f, "ValidateWorkflowDef", def)
	return err
}

func (f *fakeService) UpdateWorkflowDefs(_ context.Context, defs []model.WorkflowDef) (*model.BulkResponse[string], error) {
	return answer[*model.BulkResponse[string]](f, "UpdateWorkflowDefs", defs)
}

func (f *fakeService) GetWorkflowDef(_ context.Context, name string, version int) (*model.WorkflowDef, error) {
	return answer[*model.WorkflowDef](f, "GetWorkflowDef", name, version)
}

func (f *fakeService) ListWorkflowDefs(context.Context) ([]*model.WorkflowDef, error) {
	return answer[[]*model.WorkflowDef](f, "ListWorkflowDefs")
}

func (f *fakeService) DeleteWorkflowDef(_ context.Context, name string, version int) error {
	_, err := answer[any](f, "DeleteWorkflowDef", name, version)
	return err
}

func (f *fakeService) StartWorkflow(_ context.Context, req *model.StartWorkflowRequest) (string, error) {
	return answer[string](f, "StartWorkflow", req)
}

func (f *fakeService) ExecuteWorkflow(ctx context.Context, req *model.StartWorkflowRequest, opts engine.ExecuteOptions) (*model.SignalResponse, error) {
	resp, err := answer[*model.SignalResponse](f, "ExecuteWorkflow", req, opts)
	if f.execute != nil {
		return f.execute(ctx)
	}
	return resp, err
}

func (f *fakeService) GetWorkflow(_ context.Context, workflowID string, includeTasks bool) (*model.Workflow, error) {
	return answer[*model.Workflow](f, "GetWorkflow", workflowID, includeTasks)
}

func (f *fakeService) Terminate(_ context.Context, workflowID, reason string) error {
	_, err := answer[any](f, "Terminate", workflowID, reason)
	return err
}

func (f *fakeService) Pause(_ context.Context, workflowID string) error {
	_, err := answer[any](f, "Pause", workflowID)
	return err
}

func (f *fakeService) Resume(_ context.Context, workflowID string) error {
	_, err := answer[any](f, "Resume", workflowID)
	return err
}

func (f *fakeService) Restart(_ context.Context, workflowID string, useLatest bool) error {
	_, err := answer[any](f, "Restart", workflowID, useLatest)
	return err
}

func (f *fakeService) Retry(_ context.Context, workflowID string, resumeSub bool) error {
	_, err := answer[any](f, "Retry", workflowID, resumeSub)
	return err
}

func (f *fakeService) Rerun(_ context.Context, workflowID string, req *model.RerunWorkflowRequest) (string, error) {
	return answer[string](f, "Rerun", workflowID, req)
}

func (f *fakeService) SkipTask(_ context.Context, workflowID, ref string, req *model.SkipTaskRequest) error {
	_, err := answer[any](f, "SkipTask", workflowID, ref, req)
	return err
}

func (f *fakeService) Remove(_ context.Context, workflowID string, archive bool) error {
	_, err := answer[any](f, "Remove", workflowID, archive)
	return err
}

func (f *fakeService) ResetCallbacks(_ context.Context, workflowID string) error {
	_, err := answer[any](f, "ResetCallbacks", workflowID)
	return err
}

func (f *fakeService) ByCorrelationID(_ context.Context, name, correlationID string, includeClosed, includeTasks bool) ([]*model.Workflow, error) {
	return answer[[]*model.Workflow](f, "ByCorrelationID", name, correlationID, includeClosed, includeTasks)
}

func (f *fakeService) Running(_ context.Context, name string, version int, start, end int64) ([]string, error) {
	return answer[[]string](f, "Running", name, version, start, end)
}

func (f *fakeService) SearchWorkflows(_ context.Context, req engine.SearchRequest) (*model.SearchResult[*model.Workflow], error) {
	return answer[*model.SearchResult[*model.Workflow]](f, "SearchWorkflows", req)
}

func (f *fakeService) SearchTasks(_ context.Context, req engine.SearchRequest) (*model.SearchResult[*model.WorkerTask], error) {
	return answer[*model.SearchResult[*model.WorkerTask]](f, "SearchTasks", req)
}

func (f *fakeService) Poll(ctx context.Context, taskType string, req engine.PollRequest) ([]*model.WorkerTask, error) {
	tasks, err := answer[[]*model.WorkerTask](f, "Poll", taskType, req)
	if f.poll != nil {
		return f.poll(ctx, taskType, req)
	}
	return tasks, err
}

func (f *fakeService) UpdateTask(_ context.Context, result *model.TaskResult) error {
	_, err := answer[any](f, "UpdateTask", result)
	return err
}

func (f *fakeService) UpdateTaskV2(_ context.Context, result *model.TaskResult) (*model.WorkerTask, error) {
	return answer[*model.WorkerTask](f, "UpdateTaskV2", result)
}

func (f *fakeService) UpdateTaskByRefName(_ context.Context, workflowID, ref string, status model.TaskResultStatus, output map[string]any, workerID string) (string, error) {
	return answer[string](f, "UpdateTaskByRefName", workflowID, ref, status, output, workerID)
}

func (f *fakeService) GetTask(_ context.Context, taskID string) (*model.WorkerTask, error) {
	return answer[*model.WorkerTask](f, "GetTask", taskID)
}

func (f *fakeService) AddTaskLog(_ context.Context, taskID, line string) error {
	_, err := answer[any](f, "AddTaskLog", taskID, line)
	return err
}

func (f *fakeService) TaskLogs(_ context.Context, taskID string) ([]model.TaskExecLog, error) {
	return answer[[]model.TaskExecLog](f, "TaskLogs", taskID)
}

func (f *fakeService) QueueSize(_ context.Context, taskType, domain string) (int, error) {
	return answer[int](f, "QueueSize", taskType, domain)
}

func (f *fakeService) QueueSizes(context.Context) (map[string]int, error) {
	return answer[map[string]int](f, "QueueSizes")
}

func (f *fakeService) PollData(_ context.Context, taskType string) ([]model.PollData, error) {
	return answer[[]model.PollData](f, "PollData", taskType)
}

func (f *fakeService) AllPollData(context.Context) ([]model.PollData, error) {
	return answer[[]model.PollData](f, "AllPollData")
}

func (f *fakeService) RequeuePending(_ context.Context, taskType string) (int, error) {
	return answer[int](f, "RequeuePending", taskType)
}

func (f *fakeService) ReleasePolls(pollerID string) {
	_, _ = answer[struct{}](f, "ReleasePolls", pollerID)
}

var _ Service = (*fakeService)(nil)

func (f *fakeService) AddEventHandler(_ context.Context, h *model.EventHandler) error {
	_, err := answer[any](f, "AddEventHandler", h)
	return err
}

func (f *fakeService) UpdateEventHandler(_ context.Context, h *model.EventHandler) error {
	_, err := answer[any](f, "UpdateEventHandler", h)
	return err
}

func (f *fakeService) DeleteEventHandler(_ context.Context, name string) error {
	_, err := answer[any](f, "DeleteEventHandler", name)
	return err
}

func (f *fakeService) EventHandlers(context.Context) ([]*model.EventHandler, error) {
	return answer[[]*model.EventHandler](f, "EventHandlers")
}

func (f *fakeService) EventHandlersForEvent(_ context.Context, event string, activeOnly bool) ([]*model.EventHandler, error) {
	return answer[[]*model.EventHandler](f, "EventHandlersForEvent", event, activeOnly)
}

func (f *fakeService) QueueAdminNames() map[string]string {
	v, _ := answer[map[string]string](f, "QueueAdminNames")
	return v
}

func (f *fakeService) QueueAdminSizes() map[string]int {
	v, _ := answer[map[string]int](f, "QueueAdminSizes")
	return v
}

func (f *fakeService) QueueUpdate(_ context.Context, workflowID, taskRefName, taskID string, status model.TaskResultStatus, output map[string]any) error {
	_, err := answer[any](f, "QueueUpdate", workflowID, taskRefName, taskID, status, output)
	return err
}
