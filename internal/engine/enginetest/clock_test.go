package enginetest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine/enginetest"
)

func TestClockFiresDueCallbacksInOrder(t *testing.T) {
	t.Parallel()
	c := enginetest.NewClock(time.Unix(1000, 0))
	var got []string
	c.AfterFunc(2*time.Second, func() { got = append(got, "b") })
	c.AfterFunc(time.Second, func() { got = append(got, "a") })
	stop := c.AfterFunc(time.Second, func() { got = append(got, "stopped") })
	require.True(t, stop())
	require.False(t, stop(), "a second stop reports nothing stopped")
	c.AfterFunc(0, func() { got = append(got, "now") })
	require.Equal(t, []string{"now"}, got)

	c.Advance(999 * time.Millisecond)
	require.Equal(t, []string{"now"}, got)
	c.Advance(5 * time.Second)
	require.Equal(t, []string{"now", "a", "b"}, got)
	require.Equal(t, time.Unix(1005, 999e6), c.Now())
	require.Zero(t, c.Pending())
}
