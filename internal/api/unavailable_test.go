package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/store"
)

// A write the storage cannot take is a 503 with Retry-After, in Conductor's
// error shape and marked retryable, whether the engine classified it or
// the store's error reached the API as it is; other server faults stay
// 500 without Retry-After.
func TestStorageUnavailableIs503WithRetryAfter(t *testing.T) {
	t.Parallel()
	full := fmt.Errorf("%w: database or disk is full (13)", store.ErrUnavailable)
	cases := []struct {
		name       string
		err        error
		status     int
		retryAfter string
	}{
		{"engine error with its wait", &engine.Error{Kind: engine.KindUnavailable, Message: "save workflow w1: " + full.Error(), RetryAfter: 5 * time.Second, Err: full}, 503, "5"},
		{"engine error rounding up to a second", &engine.Error{Kind: engine.KindUnavailable, Message: "busy", RetryAfter: time.Millisecond}, 503, "1"},
		{"store error unclassified", fmt.Errorf("start: %w", full), 503, "5"},
		{"engine unavailable without a wait", engine.Errorf(engine.KindUnavailable, "server is shutting down"), 503, "1"},
		{"cancelled request", context.Canceled, 503, "1"},
		{"server fault", errors.New("boom"), 500, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake().on("StartWorkflow", "", tc.err).on("UpdateTask", nil, tc.err)
			for _, req := range []struct{ method, target, body string }{
				{"POST", "/api/workflow", `{"name":"wf"}`},
				{"POST", "/api/tasks", `{"taskId":"t1","workflowInstanceId":"w1","status":"COMPLETED"}`},
			} {
				resp := do(t, f, req.method, req.target, req.body)
				e := errorBody(t, resp, tc.status)
				require.Equal(t, tc.retryAfter, resp.Header.Get("Retry-After"), "%s %s", req.method, req.target)
				require.Equal(t, tc.status == http.StatusServiceUnavailable, e.Retryable)
			}
		})
	}
}
