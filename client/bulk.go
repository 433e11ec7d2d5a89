package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/batonhq/baton/model"
)

// BulkClient calls /api/workflow/bulk: one operation on many workflows in
// one request. Get one with APIClient.Bulk. Each call answers with the ids
// that succeeded and, for each id that failed, why; a failure of one id is
// not an error of the call. Conductor takes at most 1000 ids per call
// (WorkflowBulkService.MAX_REQUEST_ITEMS) and answers 400 beyond that.
type BulkClient struct{ c *APIClient }

// Pause pauses running workflows. The official SDK calls it PauseWorkflow1.
func (b *BulkClient) Pause(ctx context.Context, workflowIDs []string) (*model.BulkResponse[string], error) {
	return b.send(ctx, "bulk pause", http.MethodPut, "/pause", nil, workflowIDs)
}

// Resume resumes paused workflows. The official SDK calls it ResumeWorkflow.
func (b *BulkClient) Resume(ctx context.Context, workflowIDs []string) (*model.BulkResponse[string], error) {
	return b.send(ctx, "bulk resume", http.MethodPut, "/resume", nil, workflowIDs)
}

// Restart restarts finished workflows, with the latest definitions if
// useLatestDefinitions is set.
func (b *BulkClient) Restart(ctx context.Context, workflowIDs []string, useLatestDefinitions bool) (*model.BulkResponse[string], error) {
	q := url.Values{"useLatestDefinitions": {strconv.FormatBool(useLatestDefinitions)}}
	return b.send(ctx, "bulk restart", http.MethodPost, "/restart", q, workflowIDs)
}

// Retry retries the last failed task of each workflow. The official SDK
// calls it Retry1.
func (b *BulkClient) Retry(ctx context.Context, workflowIDs []string) (*model.BulkResponse[string], error) {
	return b.send(ctx, "bulk retry", http.MethodPost, "/retry", nil, workflowIDs)
}

// Terminate terminates workflows with reason.
func (b *BulkClient) Terminate(ctx context.Context, workflowIDs []string, reason string) (*model.BulkResponse[string], error) {
	q := url.Values{}
	setIf(q, "reason", reason)
	return b.send(ctx, "bulk terminate", http.MethodPost, "/terminate", q, workflowIDs)
}

// Remove removes workflows from the execution store; with archive set the
// search index keeps them.
func (b *BulkClient) Remove(ctx context.Context, workflowIDs []string, archive bool) (*model.BulkResponse[string], error) {
	q := url.Values{"archiveWorkflow": {strconv.FormatBool(archive)}}
	return b.send(ctx, "bulk remove", http.MethodDelete, "/remove", q, workflowIDs)
}

func (b *BulkClient) send(ctx context.Context, op, method, suffix string, q url.Values, ids []string) (*model.BulkResponse[string], error) {
	if len(ids) == 0 {
		return nil, errRequired(op, "a workflow id")
	}
	for i, id := range ids {
		if id == "" {
			return nil, fmt.Errorf("conductor: %s: workflow id %d is empty", op, i)
		}
	}
	res, err := call[model.BulkResponse[string]](ctx, b.c, request{method: method, path: "/workflow/bulk" + suffix, query: q, body: ids})
	if err != nil {
		return nil, err
	}
	return normalizeBulk(res), nil
}

// normalizeBulk gives a response empty collections in place of missing ones,
// so callers can range and index without nil checks.
func normalizeBulk[T any](r *model.BulkResponse[T]) *model.BulkResponse[T] {
	if r.BulkErrorResults == nil {
		r.BulkErrorResults = map[string]string{}
	}
	if r.BulkSuccessfulResults == nil {
		r.BulkSuccessfulResults = []T{}
	}
	return r
}
