package engine

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
)

// A store failure is a 500 unless the storage refused the write for now
// (store.ErrUnavailable): then it is KindUnavailable with a Retry-After,
// and the store's error stays reachable.
func TestInternalfMarksStorageUnavailable(t *testing.T) {
	t.Parallel()
	require.NoError(t, internalf(nil, "save workflow %s", "w1"))

	full := fmt.Errorf("%w: database or disk is full (13)", store.ErrUnavailable)
	err := internalf(full, "save workflow %s", "w1")
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, KindUnavailable, e.Kind)
	require.Equal(t, StorageRetryAfter, e.RetryAfter)
	require.ErrorIs(t, err, store.ErrUnavailable)
	require.Contains(t, e.Message, "save workflow w1: ")
	require.Contains(t, e.Message, "disk is full")

	err = internalf(errors.New("constraint failed"), "save workflow %s", "w1")
	require.ErrorAs(t, err, &e)
	require.Equal(t, KindInternal, e.Kind)
	require.Zero(t, e.RetryAfter)

	nf := notFound("no such workflow")
	require.Same(t, nf, internalf(nf, "load"), "an engine error passes through")
}
