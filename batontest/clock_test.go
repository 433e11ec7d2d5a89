package batontest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
)

func TestClockFiresInDeadlineOrderAtTheirOwnTime(t *testing.T) {
	t.Parallel()
	start := time.Unix(1000, 0)
	c := batontest.NewClock(start)
	var fired []string
	at := func(name string) func() {
		return func() { fired = append(fired, name+"@"+c.Now().Sub(start).String()) }
	}
	c.AfterFunc(2*time.Second, at("b"))
	c.AfterFunc(time.Second, func() {
		at("a")()
		c.AfterFunc(500*time.Millisecond, at("a+500ms")) // set by a callback, due within the Advance
	})
	stop := c.AfterFunc(1500*time.Millisecond, at("stopped"))
	require.True(t, stop())
	require.False(t, stop(), "a second stop reports nothing left to cancel")
	c.AfterFunc(0, at("now"))
	later := c.AfterFunc(time.Hour, at("later"))

	n, next := c.Pending()
	require.Equal(t, 3, n)
	require.Equal(t, time.Second, next)
	c.Advance(3 * time.Second)
	require.Equal(t, []string{"now@0s", "a@1s", "a+500ms@1.5s", "b@2s"}, fired)
	require.Equal(t, start.Add(3*time.Second), c.Now())
	n, next = c.Pending()
	require.Equal(t, 1, n)
	require.Equal(t, time.Hour-3*time.Second, next)
	require.True(t, later())
	n, _ = c.Pending()
	require.Zero(t, n)
}

func TestAdvanceOnTheWallClockSaysHowToGetAFakeOne(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t)
	require.Nil(t, srv.Clock())
	require.PanicsWithValue(t, "batontest: Advance on a server with the wall clock; start it with batontest.WithFakeClock()",
		func() { srv.Clock().Advance(time.Second) })
}
