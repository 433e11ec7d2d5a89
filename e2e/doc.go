// Package e2e holds end-to-end tests of the SDK against Baton's own server:
// a real server (in-process, on a loopback port, in memory or on a SQLite
// file), a real worker.WorkerHost and real HTTP between them, through a
// fault-injecting reverse proxy that records every poll and result and
// checks the worker's promises as they happen.
//
// The worker package proves the same flows against a fake of Conductor's
// task API; these tests prove them against the engine that users run. The
// package has no code of its own: everything lives in its _test.go files.
package e2e
