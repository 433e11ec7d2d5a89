package enginetest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// MemStore is an in-memory store.Store for tests and benchmarks of the
// engine. Values go in and come out through encoding/json, as the store
// contract says, so nothing is shared with the caller. It passes the store
// conformance suite.
type MemStore struct {
	mu        sync.RWMutex
	closed    bool
	taskDefs  map[string]*model.TaskDef
	wfDefs    map[string]map[int]*model.WorkflowDef
	workflows map[string]*wfRow
	tasks     map[string]*taskRow
	logs      map[string][]model.TaskExecLog
	handlers  map[string][]byte
	messages  []store.EventMessage
	schedules map[string]store.ScheduleRecord
	schedExec map[string][]byte

	// FailApply, when set, is consulted by Apply: a non-nil error fails the
	// batch, which is then not applied.
	FailApply func(*store.Batch) error
	// Applies counts successful Apply calls.
	Applies int
}

var _ store.Store = (*MemStore)(nil)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{
		taskDefs: map[string]*model.TaskDef{}, wfDefs: map[string]map[int]*model.WorkflowDef{},
		workflows: map[string]*wfRow{}, tasks: map[string]*taskRow{}, logs: map[string][]model.TaskExecLog{},
		handlers:  map[string][]byte{},
		schedules: map[string]store.ScheduleRecord{}, schedExec: map[string][]byte{},
	}
}

// Rows keep the JSON a value was written as, plus the few fields reads
// select on; values are decoded only when read, which keeps writes cheap.
type wfRow struct {
	js     []byte
	status model.WorkflowStatus
}

type taskRow struct {
	js       []byte
	workflow string
	seq      int
	status   model.TaskStatus
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("enginetest: encode %T: %v", v, err))
	}
	return b
}

func decode[T any](b []byte) *T {
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("enginetest: decode %T: %v", out, err))
	}
	return out
}

func copyOf[T any](v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("enginetest: encode %T: %v", v, err))
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("enginetest: decode %T: %v", v, err))
	}
	return out
}

func (s *MemStore) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed {
		return store.ErrClosed
	}
	return nil
}

// PutTaskDef implements store.Store.
func (s *MemStore) PutTaskDef(ctx context.Context, def *model.TaskDef) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if def == nil || def.Name == "" {
		return fmt.Errorf("%w: task definition without a name", store.ErrInvalid)
	}
	s.taskDefs[def.Name] = copyOf(def)
	return nil
}

// GetTaskDef implements store.Store.
func (s *MemStore) GetTaskDef(ctx context.Context, name string) (*model.TaskDef, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	d, ok := s.taskDefs[name]
	if !ok {
		return nil, store.ErrNotFound
	}
	return copyOf(d), nil
}

// ListTaskDefs implements store.Store.
func (s *MemStore) ListTaskDefs(ctx context.Context) ([]*model.TaskDef, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := []*model.TaskDef{}
	for _, d := range s.taskDefs {
		out = append(out, copyOf(d))
	}
	slices.SortFunc(out, func(a, b *model.TaskDef) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// DeleteTaskDef implements store.Store.
func (s *MemStore) DeleteTaskDef(ctx context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if _, ok := s.taskDefs[name]; !ok {
		return store.ErrNotFound
	}
	delete(s.taskDefs, name)
	return nil
}

func validWorkflowDef(def *model.WorkflowDef) error {
	if def == nil || def.Name == "" || def.Version <= 0 {
		return fmt.Errorf("%w: workflow definition needs a name and a version >= 1", store.ErrInvalid)
	}
	return nil
}

// CreateWorkflowDef implements store.Store.
func (s *MemStore) CreateWorkflowDef(ctx context.Context, def *model.WorkflowDef) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if err := validWorkflowDef(def); err != nil {
		return err
	}
	if _, ok := s.wfDefs[def.Name][def.Version]; ok {
		return store.ErrConflict
	}
	s.putWorkflowDefLocked(def)
	return nil
}

// PutWorkflowDef implements store.Store.
func (s *MemStore) PutWorkflowDef(ctx context.Context, def *model.WorkflowDef) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if err := validWorkflowDef(def); err != nil {
		return err
	}
	s.putWorkflowDefLocked(def)
	return nil
}

func (s *MemStore) putWorkflowDefLocked(def *model.WorkflowDef) {
	m := s.wfDefs[def.Name]
	if m == nil {
		m = map[int]*model.WorkflowDef{}
		s.wfDefs[def.Name] = m
	}
	m[def.Version] = copyOf(def)
}

// GetWorkflowDef implements store.Store.
func (s *MemStore) GetWorkflowDef(ctx context.Context, name string, version int) (*model.WorkflowDef, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	m := s.wfDefs[name]
	if version == 0 {
		for v := range m {
			version = max(version, v)
		}
	}
	d, ok := m[version]
	if !ok {
		return nil, store.ErrNotFound
	}
	return copyOf(d), nil
}

// ListWorkflowDefs implements store.Store.
func (s *MemStore) ListWorkflowDefs(ctx context.Context) ([]*model.WorkflowDef, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := []*model.WorkflowDef{}
	for _, m := range s.wfDefs {
		for _, d := range m {
			out = append(out, copyOf(d))
		}
	}
	slices.SortFunc(out, func(a, b *model.WorkflowDef) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
	})
	return out, nil
}

// DeleteWorkflowDef implements store.Store.
func (s *MemStore) DeleteWorkflowDef(ctx context.Context, name string, version int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if _, ok := s.wfDefs[name][version]; !ok {
		return store.ErrNotFound
	}
	delete(s.wfDefs[name], version)
	if len(s.wfDefs[name]) == 0 {
		delete(s.wfDefs, name)
	}
	return nil
}

// Apply implements store.Store.
func (s *MemStore) Apply(ctx context.Context, b *store.Batch) error {
	if err := b.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if s.FailApply != nil {
		if err := s.FailApply(b); err != nil {
			return err
		}
	}
	if b.Empty() {
		return nil
	}
	for _, id := range b.DeleteWorkflows {
		delete(s.workflows, id)
		for tid, t := range s.tasks {
			if t.workflow == id {
				delete(s.tasks, tid)
				delete(s.logs, tid)
			}
		}
	}
	for _, id := range b.DeleteTasks {
		delete(s.tasks, id)
		delete(s.logs, id)
	}
	for _, w := range b.Workflows {
		c := *w
		c.Tasks = nil
		s.workflows[c.WorkflowId] = &wfRow{js: encode(&c), status: c.Status}
	}
	for _, t := range b.Tasks {
		s.tasks[t.TaskId] = &taskRow{js: encode(t), workflow: t.WorkflowInstanceId, seq: t.Seq, status: t.Status}
	}
	for _, l := range b.Logs {
		s.logs[l.TaskId] = append(s.logs[l.TaskId], l)
	}
	for _, k := range b.AckMessages {
		s.messages = slices.DeleteFunc(s.messages, func(m store.EventMessage) bool { return m.Key == k })
	}
	for _, m := range b.Messages {
		s.messages = append(s.messages, *m)
	}
	s.Applies++
	return nil
}

// GetWorkflow implements store.Store.
func (s *MemStore) GetWorkflow(ctx context.Context, id string) (*model.Workflow, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	w, ok := s.workflows[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return decode[model.Workflow](w.js), nil
}

// GetWorkflowTasks implements store.Store.
func (s *MemStore) GetWorkflowTasks(ctx context.Context, id string) ([]*model.WorkerTask, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := []*model.WorkerTask{}
	for _, t := range s.tasks {
		if t.workflow == id {
			out = append(out, decode[model.WorkerTask](t.js))
		}
	}
	slices.SortFunc(out, func(a, b *model.WorkerTask) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), strings.Compare(a.TaskId, b.TaskId))
	})
	return out, nil
}

// GetTask implements store.Store.
func (s *MemStore) GetTask(ctx context.Context, id string) (*model.WorkerTask, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	t, ok := s.tasks[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return decode[model.WorkerTask](t.js), nil
}

// NonTerminalTasks implements store.Store.
func (s *MemStore) NonTerminalTasks(ctx context.Context) ([]*model.WorkerTask, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := []*model.WorkerTask{}
	for _, t := range s.tasks {
		if !t.status.IsTerminal() {
			out = append(out, decode[model.WorkerTask](t.js))
		}
	}
	return out, nil
}

// NonTerminalWorkflows implements store.Store.
func (s *MemStore) NonTerminalWorkflows(ctx context.Context) ([]*model.Workflow, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := []*model.Workflow{}
	for _, w := range s.workflows {
		if !w.status.IsTerminal() {
			out = append(out, decode[model.Workflow](w.js))
		}
	}
	return out, nil
}

// TaskLogs implements store.Store.
func (s *MemStore) TaskLogs(ctx context.Context, taskID string) ([]model.TaskExecLog, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	return append([]model.TaskExecLog{}, s.logs[taskID]...), nil
}

// Close implements store.Store.
func (s *MemStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
