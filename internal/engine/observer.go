package engine

import (
	"time"

	"github.com/batonhq/baton/model"
)

// Observer hears about the engine's work, for metrics. Each method is
// called on the request's goroutine once the change it reports is
// committed (Polled and Updated when the call returns), so it must be fast,
// safe for concurrent use and must not call back into the engine. Queue
// depth is not reported here: a metrics collector reads QueueStats when it
// is scraped, so the hot path keeps no extra books.
type Observer interface {
	// WorkflowStarted reports a new workflow execution.
	WorkflowStarted(name string)
	// WorkflowFinished reports a workflow reaching a terminal status.
	WorkflowFinished(name string, status model.WorkflowStatus)
	// TaskStarted reports a worker task handed out by a poll for the first
	// time, with how long it waited since it was scheduled.
	TaskStarted(taskType string, wait time.Duration)
	// TaskFinished reports a task ended by a result (a worker's update, or
	// an asynchronous system task's run), with its run time from start to
	// end.
	TaskFinished(taskType string, status model.TaskStatus, run time.Duration)
	// Polled reports one Poll call: how long it took (long-poll wait
	// included) and how many tasks it handed out.
	Polled(d time.Duration, tasks int)
	// Updated reports one task update call: how long it took, the status
	// the worker reported and whether the call failed.
	Updated(d time.Duration, status model.TaskResultStatus, failed bool)
}

type nopObserver struct{}

func (nopObserver) WorkflowStarted(string)                               {}
func (nopObserver) WorkflowFinished(string, model.WorkflowStatus)        {}
func (nopObserver) TaskStarted(string, time.Duration)                    {}
func (nopObserver) TaskFinished(string, model.TaskStatus, time.Duration) {}
func (nopObserver) Polled(time.Duration, int)                            {}
func (nopObserver) Updated(time.Duration, model.TaskResultStatus, bool)  {}

// QueueStat describes one task queue at the moment QueueStats reads it.
type QueueStat struct {
	TaskType string
	Domain   string // "" for the queue without a domain
	// Depth counts the queue's tasks, pollable now or later (after a
	// callback or retry delay), as Conductor's queue size does.
	Depth int
	// OldestAge is how long the task that has been pollable the longest has
	// waited; 0 when no task is pollable now.
	OldestAge time.Duration
}

// QueueStats returns every queue that has held a task; queues created only
// by polls for task types no workflow scheduled are left out, so a client
// polling made-up names adds nothing.
func (e *Engine) QueueStats() []QueueStat {
	return e.queues.stats(e.clock.Now())
}

// msDuration turns a span of epoch milliseconds into a duration, 0 when it
// is negative (a clock moved back) or an end is missing.
func msDuration(from, to int64) time.Duration {
	if from <= 0 || to < from {
		return 0
	}
	return time.Duration(to-from) * time.Millisecond
}
