package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/batonhq/baton/model"
)

// Terminate ends a running or paused workflow with reason (DELETE
// /api/workflow/{id}). Conductor answers 409 (ErrConflict) for a completed
// workflow and does nothing for one already terminated.
func (w *WorkflowClient) Terminate(ctx context.Context, workflowID, reason string) error {
	id, err := segment("terminate workflow", "workflow id", workflowID)
	if err != nil {
		return err
	}
	q := url.Values{}
	setIf(q, "reason", reason)
	return exec(ctx, w.c, request{method: http.MethodDelete, path: "/workflow/" + id, query: q})
}

// TerminateWithFailure is Terminate that also asks the server to start the
// workflow's failure workflow (triggerFailureWorkflow). It is an Orkes
// parameter: Conductor OSS and Baton ignore it, so there it is Terminate.
func (w *WorkflowClient) TerminateWithFailure(ctx context.Context, workflowID, reason string, triggerFailureWorkflow bool) error {
	id, err := segment("terminate workflow", "workflow id", workflowID)
	if err != nil {
		return err
	}
	q := url.Values{"triggerFailureWorkflow": {strconv.FormatBool(triggerFailureWorkflow)}}
	setIf(q, "reason", reason)
	return exec(ctx, w.c, request{method: http.MethodDelete, path: "/workflow/" + id, query: q})
}

// Pause stops a running workflow from scheduling further tasks. The
// official SDK calls it PauseWorkflow.
func (w *WorkflowClient) Pause(ctx context.Context, workflowID string) error {
	return w.put(ctx, "pause workflow", workflowID, "/pause")
}

// Resume lets a paused workflow go on. Conductor answers 500 for a workflow
// that is not paused. The official SDK calls it ResumeWorkflow.
func (w *WorkflowClient) Resume(ctx context.Context, workflowID string) error {
	return w.put(ctx, "resume workflow", workflowID, "/resume")
}

func (w *WorkflowClient) put(ctx context.Context, op, workflowID, suffix string) error {
	id, err := segment(op, "workflow id", workflowID)
	if err != nil {
		return err
	}
	return exec(ctx, w.c, request{method: http.MethodPut, path: "/workflow/" + id + suffix})
}

// Restart runs a finished workflow again from the start, with the latest
// definitions if useLatestDefinitions is set. Conductor answers 409
// (ErrConflict) for a workflow that is still running.
func (w *WorkflowClient) Restart(ctx context.Context, workflowID string, useLatestDefinitions bool) error {
	id, err := segment("restart workflow", "workflow id", workflowID)
	if err != nil {
		return err
	}
	q := url.Values{"useLatestDefinitions": {strconv.FormatBool(useLatestDefinitions)}}
	return exec(ctx, w.c, request{method: http.MethodPost, path: "/workflow/" + id + "/restart", query: q})
}

// Retry retries the last failed task of a failed workflow, and with
// resumeSubworkflowTasks the failed tasks of its sub-workflows too.
// Conductor answers 409 (ErrConflict) when nothing can be retried, and 404
// (so ErrNotFound) for a workflow that is still running.
func (w *WorkflowClient) Retry(ctx context.Context, workflowID string, resumeSubworkflowTasks bool) error {
	id, err := segment("retry workflow", "workflow id", workflowID)
	if err != nil {
		return err
	}
	q := url.Values{"resumeSubworkflowTasks": {strconv.FormatBool(resumeSubworkflowTasks)}}
	return exec(ctx, w.c, request{method: http.MethodPost, path: "/workflow/" + id + "/retry", query: q})
}

// Rerun runs a finished workflow again, from the task req names or from the
// start, and returns the workflow id. req may be nil.
func (w *WorkflowClient) Rerun(ctx context.Context, workflowID string, req *model.RerunWorkflowRequest) (string, error) {
	id, err := segment("rerun workflow", "workflow id", workflowID)
	if err != nil {
		return "", err
	}
	if req == nil {
		req = &model.RerunWorkflowRequest{} // the body is required
	}
	return textID(ctx, w.c, request{method: http.MethodPost, path: "/workflow/" + id + "/rerun", body: req})
}

// SkipTask marks a task of a running workflow that is not scheduled yet as
// SKIPPED. req may be nil. Conductor OSS 3.32 does not read the request from
// the body (SkipTaskRequest is not a @RequestBody there), so its input and
// output reach only servers that do. The official SDK calls it
// SkipTaskFromWorkflow.
func (w *WorkflowClient) SkipTask(ctx context.Context, workflowID, taskRefName string, req *model.SkipTaskRequest) error {
	segs, err := segments("skip task", "workflow id", workflowID, "task reference name", taskRefName)
	if err != nil {
		return err
	}
	r := request{method: http.MethodPut, path: "/workflow/" + segs[0] + "/skiptask/" + segs[1]}
	if req != nil {
		r.body = req
	}
	return exec(ctx, w.c, r)
}

// Remove deletes a workflow from the execution store. With archive set the
// search index keeps it; Conductor then requires it to be finished (400
// otherwise). The official SDK calls it Delete (executor: RemoveWorkflow).
func (w *WorkflowClient) Remove(ctx context.Context, workflowID string, archive bool) error {
	id, err := segment("remove workflow", "workflow id", workflowID)
	if err != nil {
		return err
	}
	q := url.Values{"archiveWorkflow": {strconv.FormatBool(archive)}}
	return exec(ctx, w.c, request{method: http.MethodDelete, path: "/workflow/" + id + "/remove", query: q})
}
