// Package worker runs Conductor task workers: a WorkerHost polls the server
// for tasks, runs your function on each, and reports every result.
//
//	httpSettings := settings.NewHttpSettings("http://localhost:8080/api")
//	apiClient := client.NewAPIClient(httpSettings)
//	workerHost := worker.NewWorkerHostWithApiClient(apiClient)
//	workerHost.StartWorker("task_1", SampleWorker, 1, 1*time.Second)
//	workerHost.WaitWorkers() // until SIGINT or SIGTERM, then a graceful shutdown
//
// # Handlers
//
// A handler is a model.WorkerTaskFunction, func(t *model.WorkerTask)
// (interface{}, error). What it returns becomes the task result:
//
//   - a *model.TaskResult or model.TaskResult is sent as given (an empty
//     status means COMPLETED); return one with status IN_PROGRESS and
//     CallbackAfterSeconds to have the server hand the task back later;
//   - a map becomes the output; a struct is JSON-encoded into a map; a scalar
//     or a slice becomes {"result": v}; nil becomes {};
//   - an error fails the task (FAILED, so Conductor retries it as its task
//     definition says) with the error text as reason and any output returned
//     with it kept; an error wrapping a *model.TerminalError
//     (model.NewTerminalError) fails it without retries
//     (FAILED_WITH_TERMINAL_ERROR);
//   - output that cannot be encoded as JSON fails the task without retries;
//   - a panic fails the task with the panic value as reason and the stack in
//     the task's log; the worker keeps running.
//
// t.Context() is cancelled when the task's lease is lost (cause ErrLeaseLost)
// or the shutdown deadline passes (cause ErrShutdownDeadline). Typed adapts a
// func(ctx, In) (Out, error) with typed input and output.
//
// # Slots, polling and results
//
// A worker's batch size (WorkerConfig.Concurrency) is how many of its tasks
// run at once. A slot stays taken until the server has acknowledged the
// task's result, and a poll asks only for free slots: a worker never holds
// more tasks than it can run. While every slot is busy or the worker is
// paused, its poller sleeps without timers and sends nothing.
//
// Idle workers long-poll (WorkerConfig.PollTimeout, 1 s by default); a
// worker that just received tasks polls again at once for its free slots.
// Failed polls back off exponentially with jitter (HostConfig.RetryMin to
// RetryMax). While the queue has work (the last poll or update brought a
// task), results go to POST /api/tasks/update-v2, whose answer brings the
// next task for the freed slot; otherwise, and on servers without it, they go
// to POST /api/tasks, because Conductor holds an update-v2 answer 100 ms when
// its queue is empty.
// Network errors, 5xx and 429 answers are retried until the result gets
// through or the task's lease has certainly expired; any other answer is
// final. Every result that never reaches the server is logged with its task
// id and counted in task_result_dropped_total.
//
// While a handler runs a task with responseTimeoutSeconds, the worker extends
// the task's lease at 80% of that time (WorkerConfig.DisableLeaseExtension
// turns this off).
//
// # Shutdown
//
// Shutdown (and WaitWorkers on a signal) stops polling, lets running tasks
// finish until its deadline, then cancels the rest and hands them back to the
// server (IN_PROGRESS with callbackAfterSeconds 0) so another worker gets
// them at once, and flushes pending results before it returns.
//
// # Environment
//
// Settings in the environment win over code, with the names Conductor's
// Python and Java SDKs use: CONDUCTOR_WORKER_<TASK>_<PROP> for one task and
// CONDUCTOR_WORKER_ALL_<PROP> for every task (also conductor.worker.<task>.<prop>
// and conductor.worker.all.<prop>). Properties:
//
//	POLL_INTERVAL         milliseconds (500) or a duration (1.5s); alias POLLING_INTERVAL
//	THREAD_COUNT          batch size, at least 1; alias BATCH_SIZE
//	DOMAIN                task domain
//	PAUSED                true or false (also 1/0, yes/no, on/off)
//	POLL_TIMEOUT          long-poll wait, milliseconds or a duration
//	WORKER_ID             worker id
//	LEASE_EXTEND_ENABLED  true or false
//
// A malformed value makes StartWorker return an error naming the variable.
//
// # Metrics
//
// With a prometheus.Registerer in HostConfig.Registerer (or
// WorkerConfig.MetricsRegisterer) the workers export Conductor's cross-SDK
// metrics, labelled by taskType: task_poll_total, task_poll_error_total,
// task_poll_time_seconds, task_execution_started_total,
// task_execute_time_seconds, task_execute_error_total,
// task_update_time_seconds, task_update_error_total, active_workers,
// task_execution_queue_full_total, task_paused_total and
// thread_uncaught_exceptions_total; and Baton's task_result_dropped_total,
// task_handed_back_total and task_lease_extend_total. Times are in seconds.
// Without a Registerer nothing is registered anywhere.
package worker
