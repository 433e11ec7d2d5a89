// Package executor registers, starts, runs and watches workflows, with the
// method set of the official Go SDK's WorkflowExecutor (conductor-go
// v1.5.4, sdk/workflow/executor) on Baton's client package.
//
// # Contexts
//
// Every method that does I/O has a twin taking a context.Context first,
// named with the suffix WithContext as in conductor-go
// (StartWorkflowWithContext, GetWorkflowWithContext, ...); the plain form
// uses context.Background(). The context bounds the whole call, including
// any wait for a workflow to finish.
//
// # Waiting for workflows
//
// WaitForCompletion, MonitorExecution and Execute look at a workflow with
// GET /api/workflow/{id} until it reaches a terminal state: first after
// Config.MinPollInterval, then twice as long each time up to
// Config.MaxPollInterval. Each watched workflow is polled on its own
// schedule, so one slow, failing or deleted workflow never holds up the
// others (conductor-go's monitor sweeps every watched id in turn and stops
// its sweep at the first error). At most Config.MaxConcurrentPolls
// requests are in flight at once. Close ends every watch.
//
// Execute[T] runs a workflow to its end and decodes its output into a T;
// a workflow that ends other than COMPLETED is a *WorkflowError.
//
// # Where Baton differs from conductor-go
//
//   - Errors are Baton's: *client.APIError, matched with errors.Is and
//     client.ErrNotFound and friends. GetWorkflowStatus returns an error
//     for an unknown workflow (conductor-go returns nil, nil) and
//     GetWorkflow does not retry on its own (conductor-go sleeps up to
//     100 s, ignoring its context).
//   - ExecuteWorkflow returns *model.SignalResponse, the fields of
//     conductor-go's WorkflowRun and more.
//   - GetByCorrelationIds sends the correlation ids (conductor-go drops them).
//   - StartWorkflows keeps each request's idempotency key and strategy.
//   - No goroutine runs while nothing is watched, and Close stops the rest.
//   - Workflow tags and event queue configuration, which Baton's server does
//     not have, are left out.
package executor
