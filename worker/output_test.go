package worker

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// taskOutput is TaskOutput of the worker program of Conductor's Go documentation.
type taskOutput struct {
	Keys    []string
	Message string
	Value   float64
}

type tagged struct {
	ID    int64  `json:"id"`
	Skip  string `json:"-"`
	Empty string `json:"empty,omitempty"`
}

type badMarshaler struct{}

func (badMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("no") }

func TestBuildResult(t *testing.T) {
	t.Parallel()
	task := &model.WorkerTask{TaskId: "t1", WorkflowInstanceId: "wf1", WorkerId: "polled-by"}
	when := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var nilResult *model.TaskResult
	var nilStruct *taskOutput
	var nilMap map[string]int
	cases := []struct {
		name       string
		out        any
		err        error
		wantStatus model.TaskResultStatus
		wantOutput map[string]any
		wantReason string
		wantKind   string
	}{
		{"nil", nil, nil, model.CompletedTask, map[string]any{}, "", ""},
		{"map", map[string]any{"a": 1}, nil, model.CompletedTask, map[string]any{"a": 1}, "", ""},
		{"nil map", map[string]any(nil), nil, model.CompletedTask, map[string]any{}, "", ""},
		{"typed map", map[string]int{"a": 1}, nil, model.CompletedTask, map[string]any{"a": json.Number("1")}, "", ""},
		{"nil typed map", nilMap, nil, model.CompletedTask, map[string]any{}, "", ""},
		{"map with int keys", map[int]string{7: "x"}, nil, model.CompletedTask, map[string]any{"7": "x"}, "", ""},
		{"struct of the documentation", taskOutput{Keys: []string{"k"}, Message: "hi", Value: 1.5}, nil, model.CompletedTask,
			map[string]any{"Keys": []any{"k"}, "Message": "hi", "Value": json.Number("1.5")}, "", ""},
		{"struct pointer", &taskOutput{Message: "p"}, nil, model.CompletedTask,
			map[string]any{"Keys": nil, "Message": "p", "Value": json.Number("0")}, "", ""},
		{"nil struct pointer", nilStruct, nil, model.CompletedTask, map[string]any{}, "", ""},
		{"json tags and big ints stay exact", tagged{ID: 1<<62 + 1, Skip: "x"}, nil, model.CompletedTask,
			map[string]any{"id": json.Number("4611686018427387905")}, "", ""},
		{"struct encoding as a string", when, nil, model.CompletedTask, map[string]any{"result": "2025-01-02T03:04:05Z"}, "", ""},
		{"string", "hello", nil, model.CompletedTask, map[string]any{"result": "hello"}, "", ""},
		{"int", 42, nil, model.CompletedTask, map[string]any{"result": 42}, "", ""},
		{"bool", true, nil, model.CompletedTask, map[string]any{"result": true}, "", ""},
		{"slice", []int{1, 2}, nil, model.CompletedTask, map[string]any{"result": []int{1, 2}}, "", ""},
		{"error", nil, errors.New("boom"), model.FailedTask, map[string]any{}, "boom", "error"},
		{"error keeps output", map[string]any{"partial": true}, errors.New("half done"), model.FailedTask,
			map[string]any{"partial": true}, "half done", "error"},
		{"terminal error", nil, model.NewTerminalError(errors.New("bad input")), model.FailedWithTerminalErrorTask,
			map[string]any{}, "bad input", "terminal_error"},
		{"wrapped terminal error", nil, fmt.Errorf("step 2: %w", model.NewNonRetryableError(errors.New("gone"))),
			model.FailedWithTerminalErrorTask, map[string]any{}, "step 2: gone", "terminal_error"},
		{"unencodable struct", struct{ C chan int }{}, nil, model.FailedWithTerminalErrorTask, map[string]any{},
			"cannot be encoded as JSON", "output_encoding"},
		{"failing marshaler", badMarshaler{}, nil, model.FailedWithTerminalErrorTask, map[string]any{},
			"cannot be encoded as JSON", "output_encoding"},
		{"nil TaskResult pointer", nilResult, nil, model.CompletedTask, map[string]any{}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, kind := buildResult(task, "me", tc.out, tc.err)
			require.Equal(t, tc.wantStatus, r.Status)
			require.Equal(t, tc.wantOutput, r.OutputData)
			require.Contains(t, r.ReasonForIncompletion, tc.wantReason)
			require.Equal(t, tc.wantKind, kind)
			require.Equal(t, "t1", r.TaskId)
			require.Equal(t, "wf1", r.WorkflowInstanceId)
			require.Equal(t, "me", r.WorkerId)
		})
	}
}

func TestBuildResultFromTaskResult(t *testing.T) {
	t.Parallel()
	task := &model.WorkerTask{TaskId: "t1", WorkflowInstanceId: "wf1"}
	cases := []struct {
		name       string
		out        any
		err        error
		wantStatus model.TaskResultStatus
		wantReason string
	}{
		{"pointer without status completes", &model.TaskResult{OutputData: map[string]any{"x": 1}}, nil, model.CompletedTask, ""},
		{"value", model.TaskResult{Status: model.FailedTask, ReasonForIncompletion: "mine"}, nil, model.FailedTask, "mine"},
		{"in progress with callback", &model.TaskResult{Status: model.InProgressTask, CallbackAfterSeconds: 30}, nil, model.InProgressTask, ""},
		{"error wins over status", &model.TaskResult{Status: model.CompletedTask}, errors.New("late failure"), model.FailedTask, "late failure"},
		{"unknown status", &model.TaskResult{Status: "DONE"}, nil, model.FailedWithTerminalErrorTask, `status "DONE"`},
		{"ids are the task's", &model.TaskResult{TaskId: "other", WorkflowInstanceId: "other", WorkerId: "custom"}, nil, model.CompletedTask, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			given := tc.out
			r, _ := buildResult(task, "me", given, tc.err)
			require.Equal(t, tc.wantStatus, r.Status)
			require.Contains(t, r.ReasonForIncompletion, tc.wantReason)
			require.Equal(t, "t1", r.TaskId)
			require.Equal(t, "wf1", r.WorkflowInstanceId)
			if p, ok := given.(*model.TaskResult); ok {
				require.NotSame(t, p, r, "the handler's result is copied, not changed")
			}
		})
	}
	r, _ := buildResult(task, "me", &model.TaskResult{WorkerId: "custom", CallbackAfterSeconds: 30, Status: model.InProgressTask}, nil)
	require.Equal(t, "custom", r.WorkerId)
	require.EqualValues(t, 30, r.CallbackAfterSeconds)
}

// TestResultsOnTheWire runs handlers against the fake server and checks what
// the server received.
func TestResultsOnTheWire(t *testing.T) {
	t.Parallel()
	env := setup(t)
	cases := []struct {
		name       string
		fn         model.WorkerTaskFunction
		wantStatus model.TaskResultStatus
		wantOutput map[string]any
		wantReason string
		wantCB     int64
	}{
		{"struct of the documentation", func(*model.WorkerTask) (any, error) {
			return taskOutput{Keys: []string{"a", "b"}, Message: "m", Value: 2.5}, nil
		}, model.CompletedTask, map[string]any{"Keys": []any{"a", "b"}, "Message": "m", "Value": 2.5}, "", 0},
		{"scalar", func(*model.WorkerTask) (any, error) { return 42, nil }, model.CompletedTask, map[string]any{"result": 42.0}, "", 0},
		{"nil", func(*model.WorkerTask) (any, error) { return nil, nil }, model.CompletedTask, map[string]any{}, "", 0},
		{"error with output", func(*model.WorkerTask) (any, error) {
			return map[string]any{"partial": 1}, errors.New("half")
		}, model.FailedTask, map[string]any{"partial": 1.0}, "half", 0},
		{"terminal", func(*model.WorkerTask) (any, error) {
			return nil, fmt.Errorf("wrapped: %w", model.NewTerminalError(errors.New("no retry")))
		}, model.FailedWithTerminalErrorTask, map[string]any{}, "wrapped: no retry", 0},
		{"unencodable map value", func(*model.WorkerTask) (any, error) {
			return map[string]any{"c": make(chan int)}, nil
		}, model.FailedWithTerminalErrorTask, map[string]any{}, "cannot be encoded as JSON", 0},
		{"NaN", func(*model.WorkerTask) (any, error) { return math.NaN(), nil },
			model.FailedWithTerminalErrorTask, map[string]any{}, "cannot be encoded as JSON", 0},
		{"in progress", func(t *model.WorkerTask) (any, error) {
			r := model.NewTaskResultFromTask(t)
			r.Status, r.CallbackAfterSeconds = model.InProgressTask, 30
			return r, nil
		}, model.InProgressTask, nil, "", 30},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := "wire_" + strings.ReplaceAll(tc.name, " ", "_")
			ids := env.fake.enqueue(name, "", 1, nil)
			env.start(t, WorkerConfig{TaskName: name, Func: tc.fn})
			// >= 1: the fake queues an IN_PROGRESS task again at once, so
			// more results may follow the first.
			env.fake.waitFor(func() bool { return len(env.fake.resultsForLocked(ids[0])) >= 1 })
			got := env.fake.resultsFor(ids[0])[0].result
			require.Equal(t, tc.wantStatus, got.Status)
			require.Equal(t, tc.wantOutput, got.OutputData)
			require.Contains(t, got.ReasonForIncompletion, tc.wantReason)
			require.Equal(t, tc.wantCB, got.CallbackAfterSeconds)
		})
	}
}

func TestPanicFailsTaskAndWorkerKeepsRunning(t *testing.T) {
	t.Parallel()
	env := setup(t)
	calls := 0
	fn := func(t *model.WorkerTask) (any, error) {
		calls++ // Concurrency 1: calls are sequential
		if calls == 1 {
			panic(fmt.Sprintf("boom in %s", t.TaskId))
		}
		return map[string]any{"ok": true}, nil
	}
	ids := env.fake.enqueue("t", "", 2, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: fn})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })

	first := env.fake.resultsFor(ids[0])[0].result
	require.Equal(t, model.FailedTask, first.Status)
	require.Equal(t, "panic: boom in "+ids[0], first.ReasonForIncompletion)
	require.Len(t, first.Logs, 1)
	require.Contains(t, first.Logs[0].Log, "goroutine")
	require.Contains(t, first.Logs[0].Log, "output_test.go", "the stack names the panicking function")
	require.Equal(t, model.CompletedTask, env.fake.resultsFor(ids[1])[0].result.Status)
	require.Equal(t, 1.0, env.counterValue(t, "thread_uncaught_exceptions_total", "exception", "panic"))
	require.Equal(t, 1.0, env.counterValue(t, "task_execute_error_total", "taskType", "t", "exception", "panic"))
}

func TestUpdateRejectedIsDroppedAndLogged(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.fake.fault = func(r faultReq) fault {
		if r.kind == "update" {
			return fault{status: http.StatusBadRequest}
		}
		return fault{}
	}
	ids := env.fake.enqueue("t", "", 1, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, DisableUpdateV2: true})
	env.fake.waitFor(func() bool { return env.fake.requests["update"] >= 1 })
	_ = env.shutdown(t, 5*time.Second) // waits for the delivery to end
	require.Equal(t, 1, env.fake.requestCount("update"), "a 400 is not retried")
	require.Equal(t, 1.0, env.counterValue(t, "task_result_dropped_total", "taskType", "t", "reason", "rejected"))
	lines := env.logs.lines("task result dropped", ids[0], "injected fault")
	require.Len(t, lines, 1, env.logs.String())
}
