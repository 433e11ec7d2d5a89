package client_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func TestBulkClient(t *testing.T) {
	t.Parallel()
	answer := fixture(t, "bulk_response.json")
	want := decodeAs[model.BulkResponse[string]](t, answer)
	ids := []string{"wf-1", "wf-2"}
	const idsJSON = `["wf-1","wf-2"]`

	runCalls(t, []callCase{{
		name:   "Pause",
		script: []exchange{{method: "PUT", path: "/workflow/bulk/pause", ctype: jsonType, body: idsJSON, answer: answer}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.Bulk().Pause(ctx, ids)) },
		want:   &want,
	}, {
		name:   "Resume",
		script: []exchange{{method: "PUT", path: "/workflow/bulk/resume", ctype: jsonType, body: idsJSON, answer: answer}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.Bulk().Resume(ctx, ids)) },
		want:   &want,
	}, {
		name: "Restart",
		script: []exchange{{method: "POST", path: "/workflow/bulk/restart", query: q("useLatestDefinitions", "true"),
			ctype: jsonType, body: idsJSON, answer: answer}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Bulk().Restart(ctx, ids, true))
		},
		want: &want,
	}, {
		name:   "Retry",
		script: []exchange{{method: "POST", path: "/workflow/bulk/retry", ctype: jsonType, body: idsJSON, answer: answer}},
		call:   func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.Bulk().Retry(ctx, ids)) },
		want:   &want,
	}, {
		name: "Terminate",
		script: []exchange{{method: "POST", path: "/workflow/bulk/terminate", query: q("reason", "done & dusted"),
			ctype: jsonType, body: idsJSON, answer: answer}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Bulk().Terminate(ctx, ids, "done & dusted"))
		},
		want: &want,
	}, {
		name: "Remove",
		script: []exchange{{method: "DELETE", path: "/workflow/bulk/remove", query: q("archiveWorkflow", "false"),
			ctype: jsonType, body: idsJSON, answer: `{"bulkSuccessfulResults":["wf-1","wf-2"],"message":"Bulk Request has been processed."}`}},
		call: func(ctx context.Context, c *client.APIClient) (any, error) {
			return val(c.Bulk().Remove(ctx, ids, false))
		},
		want: &model.BulkResponse[string]{BulkErrorResults: map[string]string{}, BulkSuccessfulResults: ids,
			Message: "Bulk Request has been processed."},
	}, {
		name:        "an empty 200 is an error",
		script:      []exchange{{method: "POST", path: "/workflow/bulk/retry", ctype: jsonType, body: idsJSON}},
		call:        func(ctx context.Context, c *client.APIClient) (any, error) { return val(c.Bulk().Retry(ctx, ids)) },
		wantErrText: "conductor: POST /workflow/bulk/retry: empty answer",
	}})
}

// mustJSON encodes v as the client would.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
