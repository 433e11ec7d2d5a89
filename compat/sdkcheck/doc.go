// Package sdkcheck runs Baton's SDK (packages client, worker, model and
// settings) against a real Conductor server: examples/sampleworker (the worker
// program of Conductor's Go documentation) as a child process, WorkerHost's polling, result delivery, lease extension, domains,
// failure reporting and graceful hand-back, every call of the typed
// clients, with their error sentinels, and the workflow programs of
// workflow/integration_test.go: each builder of package workflow run to
// completion through workflow/executor, and the executor's calls.
//
// The package holds tests only. They take the server from COMPAT_BASE_URL
// (its API root, e.g. http://127.0.0.1:8080/api) and fail without it, so a
// missing server never passes in CI; COMPAT=off skips them.
//
//	eval "$(server/conductor.sh start | grep -E '^(BASE_URL|STATE_FILE)=')"
//	COMPAT_BASE_URL=$BASE_URL go test ./sdkcheck/
//	server/conductor.sh stop "$STATE_FILE"
//
// compat/run.sh runs them against the real Conductor OSS server it starts.
//
// Every name a test registers carries a random run prefix, and every
// assertion is about the test's own workflows, so runs can share a server.
// The sample worker program's task names (task_1, task_2) are fixed; its test uses its
// own workflow name and correlation ids.
//
// Where Conductor OSS 3.32.1 answers a wrong call with something other than
// 404 or 409 (500 for resuming a running workflow or deleting an unknown
// definition, 404 for retrying a running workflow), the tests pin that
// answer, so a Baton user learns from them what the real server says.
//
// Conductor finds response timeouts only when it decides a workflow, and its
// sweeper comes back to a workflow minutes late on SQLite: the lease tests
// call PUT /workflow/decide/{id} at the moments a timeout would be due, as
// Conductor's own specs call sweep().
package sdkcheck
