// Package storetest is the conformance suite for store.Store: the
// behaviour the engine relies on, checked the same way for every
// implementation. An implementation's tests call Run with a function that
// opens a new, empty store:
//
//	func TestConformance(t *testing.T) {
//		t.Parallel()
//		storetest.Run(t, func(t *testing.T) store.Store {
//			st, err := sqlite.Open(t.Context(), sqlite.Config{Path: ":memory:"})
//			require.NoError(t, err)
//			return st
//		})
//	}
//
// Values are compared after an encoding/json round trip of what was
// written, which is the form the store.Store contract promises back.
//
// The package is for tests only: it imports testing and testify.
package storetest
