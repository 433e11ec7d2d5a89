package engine

import (
	"time"

	"github.com/batonhq/baton/model"
)

// PollRequest narrows a poll.
type PollRequest struct {
	Domain   string
	WorkerID string
	Count    int           // at least 1
	Timeout  time.Duration // long-poll wait; 0 answers at once
	// PollerID names the worker process (or host) polling, so that it can
	// end its waiting polls with ReleasePolls; empty for Conductor's
	// workers.
	PollerID string
}

// ExecuteOptions are the query parameters of POST /api/workflow/execute.
type ExecuteOptions struct {
	RequestID        string
	WaitUntilTaskRef []string
	WaitFor          time.Duration
	ReturnStrategy   model.ReturnStrategy
}

// SearchRequest is a parsed search: Conductor's query parameters.
type SearchRequest struct {
	Start    int
	Size     int
	Sort     []string // "field:ASC" / "field:DESC" / "field"
	FreeText string
	Query    string // e.g. workflowType = 'x' AND status IN (RUNNING,FAILED)
}
