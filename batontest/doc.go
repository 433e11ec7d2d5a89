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
// parallel.
//
// # Worker tests in milliseconds
//
// A WorkerHost on the server's client, whether the test's own
// (StartWorker, Workers) or one made with worker.NewWorkerHostWithApiClient
// as in Conductor's docs, shuts down without waiting out its idle long
// poll: the client knows the server is Baton's (client.Config.PollRelease)
// and the host asks it to end the poll, which takes no task, so nothing is
// lost. A graceful Shutdown at the end of each test thus costs
// milliseconds, not the poll's 1 s timeout; ten such tests run in well
// under a second (go test -run TestWorkerSuite -parallel 1 -v ./batontest
// shows them, about 0.07 s in all). A client made by hand with
// settings.NewHttpSettings(srv.URL()) learns the same from the server's
// first answer.
//
// # Time under the test's control
//
// With WithFakeClock the server's clock moves only when the test says:
// retry delays, callbackAfterSeconds, WAIT durations, task response and poll
// timeouts and workflow timeouts pass when the test calls
// Clock().Advance, which returns once the server has done everything that
// fell due. Workers run in the test process (StartWorker, Workers) and
// Await waits for a workflow to reach a state — woken by each change the
// server commits, never by polling or sleeping — and reports a mismatch
// with a table of what the workflow did:
//
//	srv := batontest.NewServer(t, batontest.WithFakeClock())
//	require.NoError(t, srv.StartWorker("charge", Charge))
//	id := ... // start the workflow
//	_, err := srv.Await(ctx, id, batontest.Want{Tasks: []batontest.WantTask{
//		batontest.Task("charge", model.TaskFailed),
//		batontest.Task("charge", model.TaskScheduled), // the retry, 60 s away
//	}})
//	require.NoError(t, err)
//	srv.Clock().Advance(60 * time.Second)
//	_, err = srv.Await(ctx, id, batontest.Want{Status: model.WorkflowCompleted})
//
// The package example runs a workflow with a 60 s retry delay and a one-day
// WAIT this way in well under a second.
package batontest
