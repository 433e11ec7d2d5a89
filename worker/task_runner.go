package worker

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// TaskRunner is conductor-go's name for a WorkerHost (sdk/worker's
// TaskRunner), for programs ported from it: every WorkerHost method, plus
// conductor-go's Shutdown(taskName) and its poll interval and timeout
// setters. The workers are WorkerHost's; nothing here runs tasks.
//
// Two methods differ in signature: Pause, Resume and WaitWorkers return
// an error (a call as a statement compiles unchanged), and Shutdown takes a
// task name as in conductor-go — the host's graceful Shutdown(ctx) is
// TaskRunner.WorkerHost.Shutdown.
type TaskRunner struct {
	*WorkerHost

	mu              sync.Mutex
	pollTimeout     time.Duration            // for workers started later; 0 = WorkerConfig's default
	pollTimeouts    map[string]time.Duration // by task name
	pollIntervals   map[string]time.Duration // by task name, as given to StartWorker
	shut            map[string]bool          // task names Shutdown
	shutdownStarted bool
}

// NewTaskRunner returns a TaskRunner with a client of its own for the
// server httpSettings names, authenticating with authSettings when they
// are not empty (conductor-go's constructor).
func NewTaskRunner(authSettings *settings.AuthenticationSettings, httpSettings *settings.HttpSettings) *TaskRunner {
	return NewTaskRunnerWithApiClient(client.NewAPIClientWithAuth(authSettings, httpSettings))
}

// NewTaskRunnerWithApiClient returns a TaskRunner whose workers use
// apiClient: NewWorkerHostWithApiClient under conductor-go's name.
func NewTaskRunnerWithApiClient(apiClient *client.APIClient) *TaskRunner {
	return &TaskRunner{
		WorkerHost:    NewWorkerHostWithApiClient(apiClient),
		pollTimeouts:  map[string]time.Duration{},
		pollIntervals: map[string]time.Duration{},
		shut:          map[string]bool{},
	}
}

// StartWorker is WorkerHost.StartWorker, with the poll timeout set by
// SetPollTimeout or SetPollTimeoutForTask.
func (r *TaskRunner) StartWorker(taskName string, fn model.ExecuteTaskFunction, batchSize int, pollInterval time.Duration) error {
	return r.StartWorkerWithDomain(taskName, fn, batchSize, pollInterval, "")
}

// StartWorkerWithDomain is WorkerHost.StartWorkerWithDomain, with the poll
// timeout set by SetPollTimeout or SetPollTimeoutForTask.
func (r *TaskRunner) StartWorkerWithDomain(taskName string, fn model.ExecuteTaskFunction, batchSize int, pollInterval time.Duration, domain string) error {
	if batchSize < 1 {
		return r.WorkerHost.StartWorkerWithDomain(taskName, fn, batchSize, pollInterval, domain) // its error
	}
	r.mu.Lock()
	timeout, ok := r.pollTimeouts[taskName]
	if !ok {
		timeout = r.pollTimeout
	}
	r.pollIntervals[taskName] = pollInterval
	delete(r.shut, taskName)
	r.mu.Unlock()
	return r.StartWorkerWithConfig(WorkerConfig{
		TaskName: taskName, Func: fn, Concurrency: batchSize, PollInterval: pollInterval, PollTimeout: timeout, Domain: domain,
	})
}

// Shutdown stops polling for taskName, as conductor-go's does; tasks
// already running finish. Once every task name with a worker has been shut
// down, the host shuts down gracefully (WorkerHost.Shutdown, bounded by
// HostConfig.ShutdownTimeout), so WaitWorkers returns, as in conductor-go.
func (r *TaskRunner) Shutdown(taskName string) {
	_ = r.Pause(taskName) // an unknown name has nothing to stop
	r.mu.Lock()
	r.shut[taskName] = true
	all := true
	for name := range r.GetBatchSizeForAll() {
		all = all && r.shut[name]
	}
	start := all && !r.shutdownStarted
	r.shutdownStarted = r.shutdownStarted || start
	r.mu.Unlock()
	if start {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), r.cfg.ShutdownTimeout)
			defer cancel()
			_ = r.WorkerHost.Shutdown(ctx) // WaitWorkers returns its error
		}()
	}
}

// SetPollTimeout sets the long-poll timeout of workers started afterwards
// without one of their own (SetPollTimeoutForTask). A negative value sends
// none, leaving the server's default; zero means WorkerConfig's default (1s).
func (r *TaskRunner) SetPollTimeout(pollTimeout time.Duration) error {
	if pollTimeout > MaxPollTimeout {
		return fmt.Errorf("worker: SetPollTimeout(%v): Conductor allows at most %v", pollTimeout, MaxPollTimeout)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pollTimeout = pollTimeout
	return nil
}

// GetPollTimeout returns the value SetPollTimeout set.
func (r *TaskRunner) GetPollTimeout() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pollTimeout
}

// SetPollTimeoutForTask sets the long-poll timeout of taskName's worker. Set
// it before StartWorker: a running worker keeps the timeout it started with,
// and the call returns an error saying so.
func (r *TaskRunner) SetPollTimeoutForTask(taskName string, pollTimeout time.Duration) error {
	if pollTimeout > MaxPollTimeout {
		return fmt.Errorf("worker: SetPollTimeoutForTask(%q, %v): Conductor allows at most %v", taskName, pollTimeout, MaxPollTimeout)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pollTimeouts[taskName] = pollTimeout
	if _, running := r.GetBatchSizeForAll()[taskName]; running {
		return fmt.Errorf("worker: SetPollTimeoutForTask(%q): the worker is running with its poll timeout; set it before StartWorker", taskName)
	}
	return nil
}

// GetPollTimeoutForTask returns taskName's poll timeout: its own, or the
// one SetPollTimeout set.
func (r *TaskRunner) GetPollTimeoutForTask(taskName string) (time.Duration, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if d, ok := r.pollTimeouts[taskName]; ok {
		return d, nil
	}
	return r.pollTimeout, nil
}

// SetPollIntervalForTask is not supported on a running worker: Baton's
// workers back off between empty polls up to the interval given to
// StartWorker. It returns an error saying so, as conductor-go does for a
// task without a worker.
func (r *TaskRunner) SetPollIntervalForTask(taskName string, pollInterval time.Duration) error {
	return fmt.Errorf("worker: SetPollIntervalForTask(%q, %v): a worker's poll interval is fixed when it starts; pass it to StartWorker", taskName, pollInterval)
}

// GetPollIntervalForTask returns the poll interval taskName's worker was
// started with, or an error if it has none.
func (r *TaskRunner) GetPollIntervalForTask(taskName string) (time.Duration, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.pollIntervals[taskName]
	if !ok {
		return 0, fmt.Errorf("worker: task %q: %w", taskName, ErrUnknownTask)
	}
	return d, nil
}

// SetSleepOnGenericError does nothing: after a failed poll or update,
// Baton's workers back off exponentially with jitter between
// HostConfig.RetryMin and RetryMax, per host (conductor-go's sleep is one
// fixed value for every runner in the process).
func (r *TaskRunner) SetSleepOnGenericError(time.Duration) {}
