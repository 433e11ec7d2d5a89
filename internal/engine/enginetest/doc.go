// Package enginetest holds test doubles for the engine and for anything
// built on it: a fake Clock that moves only when told, and MemStore, an
// in-memory store.Store that passes the store conformance suite.
//
// It imports neither the engine nor SQLite, so the engine's own tests can
// use it.
package enginetest
