// Package batontest starts a Baton server inside a test: real HTTP on a free
// loopback port, the real engine, an in-memory database, stopped when the
// test ends. Workers, clients and official Conductor SDKs talk to it as they
// would to a Conductor cluster.
//
//	func TestGreeter(t *testing.T) {
//		srv := batontest.NewServer(t)
//		api := srv.Client() // or settings.NewHttpSettings(srv.URL())
//		...
//	}
//
// Each call gives a separate server with empty storage, so tests may run in
// parallel. See the package example for a worker test end to end.
package batontest
