package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// TestRequestDeadline checks that a request ends at the sooner of the
// caller's deadline and the client's timeout, whichever sets it.
func TestRequestDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		caller   time.Duration // 0: no deadline
		min, max time.Duration // bounds of the deadline the request carries
	}{
		{name: "no caller deadline: the client's 30 s", min: 29 * time.Second, max: 30 * time.Second},
		{name: "sooner caller deadline is kept", caller: 5 * time.Second, min: 4 * time.Second, max: 5 * time.Second},
		{name: "later caller deadline is cut to 30 s", caller: time.Hour, min: 29 * time.Second, max: 30 * time.Second},
		{name: "equal deadlines", caller: 30 * time.Second, min: 29 * time.Second, max: 30 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, rec := recordingClient(t)
			ctx := t.Context()
			if tc.caller > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.caller)
				defer cancel()
			}
			_, err := c.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{})
			require.NoError(t, err)
			left := <-rec.left
			require.Greater(t, left, tc.min)
			require.LessOrEqual(t, left, tc.max)
		})
	}
}

// TestExpiredCallerDeadline checks that a caller's deadline that has
// passed ends the request with context.DeadlineExceeded.
func TestExpiredCallerDeadline(t *testing.T) {
	t.Parallel()
	c := client.NewAPIClient(settings.NewHttpSettings(hangingServer(t).URL + "/api"))
	ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	_, err := c.Workflows().Get(ctx, "wf-1", false)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}
