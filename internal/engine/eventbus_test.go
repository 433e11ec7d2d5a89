package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
)

func TestEventBusOrder(t *testing.T) {
	t.Parallel()
	var b eventBus
	msg := func(q, k string) *store.EventMessage { return &store.EventMessage{Queue: q, Key: k, ID: "id-" + k} }
	all := func(string) bool { return true }
	onlyB := func(q string) bool { return q == "b" }
	require.Nil(t, b.next(all), "empty")
	b.add([]*store.EventMessage{msg("a", "1"), msg("b", "2"), msg("a", "3"), msg("b", "4")})
	require.Equal(t, map[string]int{"a": 2, "b": 2}, b.sizes())
	require.Equal(t, "2", b.next(onlyB).Key, "the oldest of the queues read")
	var got []string
	for m := b.next(all); m != nil; m = b.next(all) {
		got = append(got, m.Key)
		b.remove(m.Queue, m.Key)
	}
	require.Equal(t, []string{"1", "2", "3", "4"}, got, "publish order across queues")
	require.Empty(t, b.sizes())

	b.add([]*store.EventMessage{msg("a", "5"), msg("a", "6")})
	require.Equal(t, []string{"6"}, b.keys("a", "id-6"))
	require.Empty(t, b.keys("b", "id-6"))
	b.remove("a", "6", "unknown")
	require.Equal(t, map[string]int{"a": 1}, b.sizes())
	require.Nil(t, b.next(onlyB), "a queue not read is skipped")
}
