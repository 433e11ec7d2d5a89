package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/batonhq/baton/model"
)

// maxBulkItems bounds one bulk request (WorkflowBulkService.MAX_REQUEST_ITEMS).
const maxBulkItems = 1000

// bulkIDs reads a bulk body, a JSON array of workflow ids, with
// WorkflowBulkService's constraints (method names the service method, as
// Conductor's validation path does).
func bulkIDs(r *http.Request, method string) ([]string, error) {
	var ids []string
	if err := decodeBody(r, &ids, `a JSON array of workflow ids, e.g. ["id-1","id-2"]`); err != nil {
		return nil, err
	}
	switch {
	case len(ids) == 0:
		return nil, validationFailed(method+".arg0", "WorkflowIds list cannot be null.", nil)
	case len(ids) > maxBulkItems:
		return nil, validationFailed(method+".arg0",
			fmt.Sprintf("Cannot process more than %d workflows. Please use multiple requests.", maxBulkItems), nil)
	}
	return ids, nil
}

// bulk runs op on each workflow and answers Conductor's BulkResponse: the
// ids that succeeded, and each failure's message.
func (h *Handler) bulk(w http.ResponseWriter, r *http.Request, method string, op func(ctx context.Context, id string) error) error {
	ids, err := bulkIDs(r, method)
	if err != nil {
		return err
	}
	resp := &model.BulkResponse[string]{BulkErrorResults: map[string]string{}, BulkSuccessfulResults: []string{}}
	for _, id := range ids {
		record(resp, id, id, op(r.Context(), id))
	}
	return ok(w, resp)
}

func record[T any](resp *model.BulkResponse[T], id string, v T, err error) {
	if err != nil {
		resp.BulkErrorResults[id] = err.Error()
		return
	}
	resp.BulkSuccessfulResults = append(resp.BulkSuccessfulResults, v)
}

// PUT /api/workflow/bulk/pause.
func (h *Handler) bulkPause(w http.ResponseWriter, r *http.Request) error {
	return h.bulk(w, r, "pauseWorkflow", h.svc.Pause)
}

// PUT /api/workflow/bulk/resume.
func (h *Handler) bulkResume(w http.ResponseWriter, r *http.Request) error {
	return h.bulk(w, r, "resumeWorkflow", h.svc.Resume)
}

// POST /api/workflow/bulk/restart?useLatestDefinitions=false.
func (h *Handler) bulkRestart(w http.ResponseWriter, r *http.Request) error {
	latest, err := query(r).boolOr("useLatestDefinitions", false)
	if err != nil {
		return err
	}
	return h.bulk(w, r, "restart", func(ctx context.Context, id string) error { return h.svc.Restart(ctx, id, latest) })
}

// POST /api/workflow/bulk/retry.
func (h *Handler) bulkRetry(w http.ResponseWriter, r *http.Request) error {
	return h.bulk(w, r, "retry", func(ctx context.Context, id string) error { return h.svc.Retry(ctx, id, false) })
}

// POST /api/workflow/bulk/terminate?reason=.
func (h *Handler) bulkTerminate(w http.ResponseWriter, r *http.Request) error {
	reason := query(r).str("reason")
	return h.bulk(w, r, "terminate", func(ctx context.Context, id string) error { return h.svc.Terminate(ctx, id, reason) })
}

// DELETE /api/workflow/bulk/remove?archiveWorkflow=true.
func (h *Handler) bulkRemove(w http.ResponseWriter, r *http.Request) error {
	archive, err := query(r).boolOr("archiveWorkflow", true)
	if err != nil {
		return err
	}
	return h.bulk(w, r, "deleteWorkflow", func(ctx context.Context, id string) error { return h.svc.Remove(ctx, id, archive) })
}

// DELETE /api/workflow/bulk/terminate-remove?archiveWorkflow=true&reason=.
// As WorkflowBulkServiceImpl.terminateRemove does, the two steps are
// recorded separately, so an id that passes both is listed twice.
func (h *Handler) bulkTerminateRemove(w http.ResponseWriter, r *http.Request) error {
	q := query(r)
	archive, err := q.boolOr("archiveWorkflow", true)
	if err != nil {
		return err
	}
	ids, err := bulkIDs(r, "terminateRemove")
	if err != nil {
		return err
	}
	reason := q.str("reason")
	resp := &model.BulkResponse[string]{BulkErrorResults: map[string]string{}, BulkSuccessfulResults: []string{}}
	for _, id := range ids {
		record(resp, id, id, h.svc.Terminate(r.Context(), id, reason))
		record(resp, id, id, h.svc.Remove(r.Context(), id, archive))
	}
	return ok(w, resp)
}

// POST /api/workflow/bulk/search?includeTasks=true: the workflows found.
// Conductor answers its internal WorkflowModel; Baton answers Workflow.
func (h *Handler) bulkSearch(w http.ResponseWriter, r *http.Request) error {
	tasks, err := query(r).boolOr("includeTasks", true)
	if err != nil {
		return err
	}
	ids, err := bulkIDs(r, "searchWorkflow")
	if err != nil {
		return err
	}
	resp := &model.BulkResponse[*model.Workflow]{BulkErrorResults: map[string]string{}, BulkSuccessfulResults: []*model.Workflow{}}
	for _, id := range ids {
		wf, err := h.svc.GetWorkflow(r.Context(), id, tasks)
		if err == nil && wf == nil {
			err = notFoundf("No such workflow found by id: %s", id)
		}
		record(resp, id, wf, err)
	}
	return ok(w, resp)
}
