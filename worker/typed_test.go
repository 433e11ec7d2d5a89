package worker

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

type orderIn struct {
	OrderID string `json:"orderId"`
	Count   int    `json:"count"`
	Address struct {
		Zip int `json:"zip"`
	} `json:"address"`
}

type orderOut struct {
	Total int `json:"total"`
}

func TestTypedDecodesInputAndEncodesOutput(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var gotCtx context.Context
	fn := Typed(func(ctx context.Context, in orderIn) (orderOut, error) {
		gotCtx = ctx
		return orderOut{Total: in.Count * 10}, nil
	})
	task := (&model.WorkerTask{TaskId: "t", WorkflowInstanceId: "w",
		InputData: map[string]any{"orderId": "o1", "count": 3.0, "extra": "ignored"}}).WithContext(ctx)
	out, err := fn(task)
	require.NoError(t, err)
	require.Equal(t, orderOut{Total: 30}, out)
	require.Equal(t, ctx, gotCtx, "the function gets the task's context")

	r, _ := buildResult(task, "me", out, err)
	require.Equal(t, model.CompletedTask, r.Status)
	require.Equal(t, map[string]any{"total": jsonNumber("30")}, r.OutputData)
}

func TestTypedInputErrorsFailWithoutRetriesNamingTheField(t *testing.T) {
	t.Parallel()
	called := false
	fn := Typed(func(context.Context, orderIn) (orderOut, error) {
		called = true
		return orderOut{}, nil
	})
	cases := []struct {
		name  string
		input map[string]any
		want  string
	}{
		{"wrong type", map[string]any{"count": "three"}, `field "count": cannot decode JSON string into int`},
		{"nested field", map[string]any{"address": map[string]any{"zip": "abc"}}, `field "address.zip"`},
		{"object where struct expected", map[string]any{"address": []any{1}}, `field "address"`},
		{"fraction into int", map[string]any{"count": 1.5}, `field "count"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fn(&model.WorkerTask{InputData: tc.input})
			require.True(t, model.IsTerminalError(err), "a decode failure must not be retried: %v", err)
			require.ErrorContains(t, err, tc.want)
		})
	}
	require.False(t, called, "the function never runs on bad input")
}

func TestTypedSpecialShapes(t *testing.T) {
	t.Parallel()
	// A map input is passed through without a JSON round trip.
	in := map[string]any{"a": 1}
	fn := Typed(func(_ context.Context, m map[string]any) (map[string]any, error) { return m, nil })
	out, err := fn(&model.WorkerTask{InputData: in})
	require.NoError(t, err)
	require.Equal(t, in, out)

	// Nil input decodes to the zero value.
	zero := Typed(func(_ context.Context, in orderIn) (*orderOut, error) {
		require.Equal(t, orderIn{}, in)
		return nil, nil
	})
	out, err = zero(&model.WorkerTask{})
	require.NoError(t, err)
	r, _ := buildResult(&model.WorkerTask{}, "me", out, err)
	require.Equal(t, map[string]any{}, r.OutputData, "a nil *Out is an empty output")

	// Errors pass through.
	failing := Typed(func(context.Context, orderIn) (orderOut, error) { return orderOut{Total: 1}, errors.New("nope") })
	out, err = failing(&model.WorkerTask{})
	require.EqualError(t, err, "nope")
	require.Equal(t, orderOut{Total: 1}, out)

	// A nil function fails every task without retries instead of panicking.
	_, err = Typed[orderIn, orderOut](nil)(&model.WorkerTask{})
	require.True(t, model.IsTerminalError(err))
}

func TestTypedOnTheWire(t *testing.T) {
	t.Parallel()
	env := setup(t)
	ids := env.fake.enqueue("typed", "", 2, func(t *model.WorkerTask) {
		t.InputData = map[string]any{"orderId": "o", "count": 4}
		if t.TaskId == "task-2" {
			t.InputData = map[string]any{"count": "four"}
		}
	})
	env.start(t, WorkerConfig{TaskName: "typed", Func: Typed(func(_ context.Context, in orderIn) (orderOut, error) {
		return orderOut{Total: in.Count}, nil
	})})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	ok := env.fake.resultsFor(ids[0])[0].result
	require.Equal(t, model.CompletedTask, ok.Status)
	require.Equal(t, map[string]any{"total": 4.0}, ok.OutputData)
	bad := env.fake.resultsFor(ids[1])[0].result
	require.Equal(t, model.FailedWithTerminalErrorTask, bad.Status)
	require.Contains(t, bad.ReasonForIncompletion, `task input field "count"`)
}
