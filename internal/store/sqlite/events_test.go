package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

func TestEventHandlersAndMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "baton.db")
	st, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)

	h := &model.EventHandler{Name: "b", Event: "conductor:q", Active: true, Condition: "$.x > 1",
		Actions: []model.EventAction{{Action: model.ActionStartWorkflow, StartWorkflow: &model.StartWorkflowAction{Name: "wf"}}}}
	require.NoError(t, st.CreateEventHandler(ctx, h))
	require.ErrorIs(t, st.CreateEventHandler(ctx, h), store.ErrConflict)
	require.NoError(t, st.CreateEventHandler(ctx, &model.EventHandler{Name: "a", Event: "conductor:r"}))
	require.ErrorIs(t, st.CreateEventHandler(ctx, &model.EventHandler{}), store.ErrInvalid)
	require.ErrorIs(t, st.CreateEventHandler(ctx, nil), store.ErrInvalid)
	require.ErrorIs(t, st.UpdateEventHandler(ctx, &model.EventHandler{Name: "nope"}), store.ErrNotFound)
	h.Active = false
	require.NoError(t, st.UpdateEventHandler(ctx, h))
	require.ErrorIs(t, st.DeleteEventHandler(ctx, "nope"), store.ErrNotFound)

	msgs := []*store.EventMessage{
		{Key: "k1", Queue: "wf:q", ID: "m", Payload: `{"n":1}`, CreatedTime: 5},
		{Key: "k2", Queue: "wf:q", ID: "m", Payload: `{"n":2}`, CreatedTime: 6},
		{Key: "k3", Queue: "other", ID: "x", Payload: `"text"`, CreatedTime: 7},
	}
	require.NoError(t, st.Apply(ctx, &store.Batch{Messages: msgs}))
	require.NoError(t, st.Apply(ctx, &store.Batch{AckMessages: []string{"k1", "unknown"}}))
	require.ErrorIs(t, st.Apply(ctx, &store.Batch{Messages: []*store.EventMessage{{Key: "", Queue: "q"}}}), store.ErrInvalid)
	require.ErrorIs(t, st.Apply(ctx, &store.Batch{Messages: []*store.EventMessage{nil}}), store.ErrInvalid)
	require.ErrorIs(t, st.Apply(ctx, &store.Batch{Messages: []*store.EventMessage{msgs[0], msgs[0]}}), store.ErrInvalid)
	require.ErrorIs(t, st.Apply(ctx, &store.Batch{AckMessages: []string{""}}), store.ErrInvalid)
	require.Error(t, st.Apply(ctx, &store.Batch{Messages: []*store.EventMessage{msgs[1]}}), "a key is unique")
	require.NoError(t, st.Close())

	// Everything above is in the file.
	st, err = sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()
	hs, err := st.ListEventHandlers(ctx)
	require.NoError(t, err)
	require.Len(t, hs, 2)
	require.Equal(t, "a", hs[0].Name, "sorted by name")
	require.Equal(t, h, hs[1])
	pending, err := st.PendingEventMessages(ctx)
	require.NoError(t, err)
	require.Equal(t, []*store.EventMessage{msgs[1], msgs[2]}, pending, "unacknowledged, in publish order")
	require.NoError(t, st.DeleteEventHandler(ctx, "a"))
	hs, err = st.ListEventHandlers(ctx)
	require.NoError(t, err)
	require.Len(t, hs, 1)
}
