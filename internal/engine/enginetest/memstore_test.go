package enginetest_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestMemStoreConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return enginetest.NewMemStore() })
}
