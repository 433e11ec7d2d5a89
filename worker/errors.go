package worker

import "errors"

var (
	// ErrStopped is returned when a worker is started on a host that is
	// shutting down or has shut down. Create a new host instead.
	ErrStopped = errors.New("worker: host is shut down")
	// ErrUnknownTask is returned by the run-time controls (Pause, Resume,
	// SetBatchSize, ...) for a task name no worker of the host polls.
	ErrUnknownTask = errors.New("worker: no worker started for this task name")
	// ErrDuplicateWorker is returned when a task name and domain already
	// have a worker running another function value (see StartWorker). Use
	// IncreaseBatchSize for more slots, or another domain.
	ErrDuplicateWorker = errors.New("worker: task already has a worker with another function")
	// ErrLeaseLost is the cause (context.Cause) of a task context cancelled
	// because the server no longer holds the task for this worker: the lease
	// expired without extension, or the server no longer knows the task.
	ErrLeaseLost = errors.New("worker: task lease lost")
	// ErrShutdownDeadline is the cause (context.Cause) of a task context
	// cancelled because the host's shutdown deadline came before the task
	// finished; the task has been handed back to the server.
	ErrShutdownDeadline = errors.New("worker: shutdown deadline passed; task handed back to the server")
)

// errTaskDone releases a finished task's context.
var errTaskDone = errors.New("worker: task finished")
