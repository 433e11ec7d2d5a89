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
// A long poll waiting at the server when the shutdown starts is not cut: a
// task the server hands out at that moment would be lost in transit. On
// Conductor the host waits for it (PollTimeout, 1 s by default). On Baton's
// server the host asks the server to end its polls (POST
// /api/tasks/poll/release with the id its polls carry): they return at once
// with no task, and the server takes no task for them, so nothing is lost
// and a shutdown takes milliseconds. The host does this when
// client.APIClient.CanReleasePolls reports true: batontest's client says so
// from the start (client.Config.PollRelease), and any client learns it from
// the Baton-Capabilities header of the first answer of a Baton server, so
// a client that has made one call before the shutdown qualifies. Ten
// worker tests on batontest, each with a host of its own shut down
// gracefully, run in about 0.07 s instead of 4.8 s
// (go test -run TestWorkerSuite -parallel 1 ./batontest).
//
// # When something is wrong
//
// The constructors of Conductor's Go documentation cannot return errors, so
// they fail loudly instead:
//
//   - A server URL without scheme or host ("localhost:8080", "",
//     "ftp://x") is logged by client.NewAPIClient, and StartWorker,
//     WaitWorkers and Shutdown return it, with the URL probably meant.
//     settings.Parse, client.NewAPIClientWithConfig and
//     NewWorkerHostWithConfig return it at once.
//   - A poll that cannot reach the server (nothing listens, unknown host)
//     is logged at once as a warning with the URL and a hint ("is it
//     running, and is the URL right?"); while the failures go on, at most
//     one line per FailureLogInterval (30 s) follows, counting those left
//     out. Polling goes on with back-off and resumes by itself.
//   - A base URL without its /api root gets 404s from Baton's server and
//     web pages from Conductor's UI; the error (logged, and returned by
//     client calls) says "did you mean <base>/api?".
//
// # Logging
//
// A host without HostConfig.Logger logs through client.DefaultLogger: text
// lines on stderr, warnings and errors only. BATON_SDK_LOG_LEVEL=info adds
// the workers' start and stop, debug adds more, error keeps errors only, off
// silences it. A Logger of your own (any *slog.Logger) replaces it.
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
