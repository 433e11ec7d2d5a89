package batontest

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// Settings of the test's workers. A long poll returns the moment a task is
// queued; its timeout is the longest Conductor allows, since on a fake clock
// each one that Clock.Advance passes is a step of the Advance and a re-poll.
// A short idle back-off and retry keep a wall-clock test quick.
const (
	testPollInterval = 10 * time.Millisecond
	testPollTimeout  = 5 * time.Second
	testRetryMin     = 10 * time.Millisecond
	testRetryMax     = 100 * time.Millisecond
)

// Workers returns the test's WorkerHost, created on the first call: the
// same worker code as in production, talking HTTP to this server, with
// test-friendly settings (no environment overrides, quick retries, no
// metrics). Close (at the end of the test) shuts it down before the server
// at once: the server ends the polls waiting there (on a fake clock their
// timeout would never pass), taking no task for them, and tasks still
// running are handed back.
//
// Add workers with StartWorker, or with the host's own StartWorker... methods
// for other settings.
func (s *Server) Workers() *worker.WorkerHost {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.host != nil {
		return s.host
	}
	h, err := worker.NewWorkerHostWithConfig(worker.HostConfig{
		Client:    s.client,
		Logger:    slog.New(slog.DiscardHandler),
		RetryMin:  testRetryMin,
		RetryMax:  testRetryMax,
		LookupEnv: func(string) (string, bool) { return "", false },
	})
	if err != nil {
		// Only a nil client fails; ours never is.
		panic("batontest: worker host: " + err.Error())
	}
	s.host = h
	return h
}

// StartWorker runs fn for the tasks of taskName in the test's WorkerHost,
// one at a time, with a long poll that returns as soon as a task is queued.
// For more slots or a domain use Workers().StartWorkerWithConfig.
func (s *Server) StartWorker(taskName string, fn model.WorkerTaskFunction) error {
	return s.Workers().StartWorkerWithConfig(worker.WorkerConfig{
		TaskName:     taskName,
		Func:         fn,
		PollInterval: testPollInterval,
		PollTimeout:  testPollTimeout,
	})
}

// stopWorkers shuts the host down without waiting for polls: the test is
// over, so whatever is still under way is handed back to the server.
func stopWorkers(h *worker.WorkerHost) error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := h.Shutdown(ctx)
	if errors.Is(err, context.Canceled) {
		return nil // tasks still running were handed back; nothing was lost that the test waited for
	}
	return err
}
