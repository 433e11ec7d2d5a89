package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// An IN_PROGRESS result that may have reached the server is not resent: it
// would re-queue a task the server may have handed to another worker since.
func TestResendOnlyWhatIsSafe(t *testing.T) {
	t.Parallel()
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	read := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	cases := []struct {
		name    string
		err     error
		arrived bool
	}{
		{"server answered 503", &client.APIError{StatusCode: 503}, false},
		{"server answered 429", fmt.Errorf("update: %w", &client.APIError{StatusCode: 429}), false},
		{"connection refused", fmt.Errorf("conductor: POST /tasks: %w", dial), false},
		{"connection reset", fmt.Errorf("conductor: POST /tasks: %w", read), true},
		{"answer cut short", fmt.Errorf("conductor: POST /tasks: %w", io.ErrUnexpectedEOF), true},
		{"timeout", fmt.Errorf("conductor: POST /tasks: %w", context.DeadlineExceeded), true},
	}
	for _, c := range cases {
		require.Equal(t, c.arrived, mayHaveArrived(c.err), c.name)
	}

	require.True(t, idempotent(&model.TaskResult{Status: model.CompletedTask}))
	require.True(t, idempotent(&model.TaskResult{Status: model.FailedTask}))
	require.True(t, idempotent(&model.TaskResult{Status: model.InProgressTask, ExtendLease: true}))
	require.False(t, idempotent(&model.TaskResult{Status: model.InProgressTask}), "a hand-back re-queues the task")
}
