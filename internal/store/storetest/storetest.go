package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// NewStore opens a new, empty store for one test. Run closes it when the
// test ends (so Close must be idempotent if NewStore also arranges it).
type NewStore func(t *testing.T) store.Store

type suiteTest struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// Run runs every conformance test as a parallel subtest of t, each on its
// own store from newStore.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	var tests []suiteTest
	tests = append(tests, defTests...)
	tests = append(tests, applyTests...)
	tests = append(tests, readTests...)
	tests = append(tests, searchTests...)
	tests = append(tests, lifecycleTests...)
	tests = append(tests, scheduleTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			require.NotNil(t, s, "NewStore returned nil")
			t.Cleanup(func() { _ = s.Close() })
			tc.fn(t, s)
		})
	}
}

// roundTrip returns v as the store promises to return it: encoded and
// decoded with encoding/json.
func roundTrip[T any](t *testing.T, v *T) *T {
	t.Helper()
	js, err := json.Marshal(v)
	require.NoError(t, err)
	out := new(T)
	require.NoError(t, json.Unmarshal(js, out))
	return out
}

// wantWorkflow is w as reads return it: without tasks.
func wantWorkflow(t *testing.T, w *model.Workflow) *model.Workflow {
	t.Helper()
	c := *w
	c.Tasks = nil
	return roundTrip(t, &c)
}

func wantTasks(t *testing.T, ts ...*model.WorkerTask) []*model.WorkerTask {
	t.Helper()
	out := make([]*model.WorkerTask, len(ts))
	for i, tk := range ts {
		out[i] = roundTrip(t, tk)
	}
	return out
}

// newWorkflow returns a RUNNING workflow with every kind of field set. Its
// Tasks field is set too: stores must ignore it.
func newWorkflow(id string) *model.Workflow {
	return &model.Workflow{
		WorkflowId:      id,
		WorkflowName:    "wf",
		WorkflowVersion: 1,
		Status:          model.WorkflowRunning,
		CreateTime:      1000,
		StartTime:       1000,
		UpdateTime:      1000,
		CorrelationId:   "corr-" + id,
		Input:           map[string]any{"n": 1.5, "s": "in-" + id, "nested": map[string]any{"list": []any{"a", 2.0, true, nil}}},
		TaskToDomain:    map[string]string{"*": "blue"},
		Variables:       map[string]any{"v": "x"},
		WorkflowDefinition: &model.WorkflowDef{
			Name: "wf", Version: 1, SchemaVersion: 2,
			Tasks: []model.WorkflowTask{{Name: "t", TaskReferenceName: "t_ref", Type: model.TaskTypeSimple}},
		},
		Tasks: []model.WorkerTask{{TaskId: "embedded-" + id, Status: model.TaskScheduled}},
	}
}

// newTask returns a SCHEDULED task of workflow wfID.
func newTask(id, wfID string, seq int) *model.WorkerTask {
	return &model.WorkerTask{
		TaskId:             id,
		WorkflowInstanceId: wfID,
		WorkflowType:       "wf",
		TaskType:           "task_1",
		TaskDefName:        "task_1",
		ReferenceTaskName:  fmt.Sprintf("ref_%d", seq),
		Seq:                seq,
		Status:             model.TaskScheduled,
		ScheduledTime:      int64(1000 + seq),
		UpdateTime:         int64(1000 + seq),
		InputData:          map[string]any{"in": "put", "num": 42.0},
		WorkflowTask:       &model.WorkflowTask{Name: "task_1", TaskReferenceName: fmt.Sprintf("ref_%d", seq)},
	}
}

func apply(t *testing.T, s store.Store, b *store.Batch) {
	t.Helper()
	require.NoError(t, s.Apply(context.Background(), b))
}

func ids[T any](vs []*T, id func(*T) string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = id(v)
	}
	return out
}

func workflowIDs(ws []*model.Workflow) []string {
	return ids(ws, func(w *model.Workflow) string { return w.WorkflowId })
}

func taskIDs(ts []*model.WorkerTask) []string {
	return ids(ts, func(t *model.WorkerTask) string { return t.TaskId })
}
