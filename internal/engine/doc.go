// Package engine is Baton's workflow engine: Conductor OSS 3.32's execution
// semantics for worker tasks and the system tasks it runs itself, over a
// store.Store.
//
// The pieces, and the Conductor classes they follow:
//
//   - metadata.go, validate.go: task and workflow definitions with
//     Conductor's validation messages (MetadataServiceImpl, bean-validation
//     constraints).
//   - start.go, decide.go, decider.go, retry.go, timeouts.go, terminate.go:
//     starting workflows and the decide loop (WorkflowExecutorOps,
//     DeciderService). Decide runs synchronously inside the request that
//     changed the workflow; each request's changes reach the store in one
//     atomic batch (execution.go).
//   - tasktypes.go: the task-type registry (TaskMapper and
//     WorkflowSystemTask in one interface); kind_*.go: one file per task
//     type the engine runs itself, each naming its Conductor class;
//     systask.go: the runner of async system tasks (WAIT, SUB_WORKFLOW,
//     START_WORKFLOW, HTTP) on the timer scheduler, HTTP calls off the
//     decide loop; subworkflow_ops.go: retry, restart and rerun carried
//     from a sub-workflow to its parents; scripting.go: the JavaScript
//     sandbox and jq cache.
//   - queue.go, queues.go, poll.go, limits.go: in-memory task queues per
//     (type, domain), rebuilt from the store at Start; polls acknowledge
//     atomically, long polls are woken by the enqueue, and concurrency and
//     rate limits hold tasks back without Conductor's 60 s postponement.
//   - timers.go: the one timer scheduler for retry delays, callbacks,
//     start delays and timeouts, driven by the injectable Clock.
//   - update.go, ops.go, recovery.go, query.go, search.go, execute.go: task
//     results, workflow operations (terminate, pause, skip, remove; restart,
//     retry, rerun), reads and searches, synchronous execution.
//
// Package enginetest has a fake Clock and an in-memory Store for tests;
// after moving the fake clock, call RunDueTimers to let the engine catch up.
//
// Changes to one workflow are serialised by a per-workflow lock
// (locks.go); there is no global lock on the request path.
package engine
