package client_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
)

// TestAPIErrorFromServer runs error answers through a real call and checks
// the error's type, text, sentinels and retryability.
func TestAPIErrorFromServer(t *testing.T) {
	t.Parallel()
	html := "<html>\n<body>" + strings.Repeat("Bad gateway, ", 40) + "</body></html>"
	cases := []struct {
		name      string
		status    int
		rtype     string
		body      string
		text      string // the whole Error() text
		is        []error
		isNot     []error
		retryable bool
	}{{
		name:   "captured 404",
		status: 404, body: fixture(t, "error_404.json"),
		text:  "conductor: GET /tasks/t1: 404 Not Found: No such workflow found by id: 00000000-0000-0000-0000-000000000000",
		is:    []error{client.ErrNotFound},
		isNot: []error{client.ErrUnsupported, client.ErrConflict, client.ErrUnauthorized},
	}, {
		name:   "captured 400 with validation errors",
		status: 400, body: fixture(t, "error_validation.json"),
		text: "conductor: GET /tasks/t1: 400 Bad Request: Validation failed, check below errors for detail.; " +
			"registerTaskDef.arg0[0].name: TaskDef name cannot be null or empty",
		isNot: []error{client.ErrNotFound, client.ErrConflict},
	}, {
		name:   "409",
		status: 409, body: `{"status":409,"message":"Workflow has not started yet","retryable":false}`,
		text: "conductor: GET /tasks/t1: 409 Conflict: Workflow has not started yet",
		is:   []error{client.ErrConflict}, isNot: []error{client.ErrNotFound},
	}, {
		name:   "500 from a TransientException",
		status: 500, body: `{"status":500,"message":"datastore busy","instance":"vm","retryable":true}`,
		text: "conductor: GET /tasks/t1: 500 Internal Server Error: datastore busy", retryable: true,
		isNot: []error{client.ErrNotFound, client.ErrUnsupported},
	}, {
		name:   "500 without a body is still retryable",
		status: 500,
		text:   "conductor: GET /tasks/t1: 500 Internal Server Error", retryable: true,
	}, {
		name:   "503 with an HTML page is shortened to one line",
		status: 503, rtype: "text/html", body: html,
		text:      "conductor: GET /tasks/t1: 503 Service Unavailable: <html> <body>" + strings.Repeat("Bad gateway, ", 40)[:200-len("<html> <body>")] + "…",
		retryable: true,
	}, {
		name:   "429",
		status: 429, rtype: "text/plain", body: "slow down",
		text: "conductor: GET /tasks/t1: 429 Too Many Requests: slow down", retryable: true,
	}, {
		name:   "unknown route (Spring's NoResourceFoundException)",
		status: 404, body: `{"status":404,"message":"No static resource api/tasks/t1.","retryable":false}`,
		text: "conductor: GET /tasks/t1: 404 Not Found: No static resource api/tasks/t1.",
		is:   []error{client.ErrUnsupported}, isNot: []error{client.ErrNotFound},
	}, {
		name:   "bare 404 of a proxy or an old server",
		status: 404, body: `{"timestamp":"2026-01-01T00:00:00.000+00:00","status":404,"error":"Not Found","path":"/api/tasks/t1"}`,
		text: `conductor: GET /tasks/t1: 404 Not Found: {"timestamp":"2026-01-01T00:00:00.000+00:00","status":404,"error":"Not Found","path":"/api/tasks/t1"}`,
		is:   []error{client.ErrUnsupported}, isNot: []error{client.ErrNotFound},
	}, {
		name:   "405",
		status: 405, body: `{"status":405,"message":"Request method 'GET' is not supported","retryable":false}`,
		text: "conductor: GET /tasks/t1: 405 Method Not Allowed: Request method 'GET' is not supported",
		is:   []error{client.ErrUnsupported},
	}, {
		name:   "403 without authentication configured",
		status: 403, body: `{"status":403,"message":"forbidden","retryable":false}`,
		text: "conductor: GET /tasks/t1: 403 Forbidden: forbidden",
		is:   []error{client.ErrUnauthorized},
	}, {
		name:   "an unknown status",
		status: 418, body: `not json`,
		text: "conductor: GET /tasks/t1: 418 I'm a teapot: not json",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := serveScript(t, exchange{method: "GET", path: "/tasks/t1", status: tc.status, rtype: tc.rtype, answer: tc.body})
			task, err := c.Tasks().Get(t.Context(), "t1")
			require.Nil(t, task)
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tc.status, apiErr.StatusCode)
			require.Equal(t, "GET", apiErr.Method)
			require.Equal(t, "/tasks/t1", apiErr.Path)
			require.Equal(t, tc.text, err.Error())
			require.Equal(t, tc.retryable, apiErr.Retryable(), "Retryable")
			for _, target := range tc.is {
				require.ErrorIs(t, err, target)
			}
			for _, target := range tc.isNot {
				require.NotErrorIs(t, err, target)
			}
		})
	}
}

func TestAPIErrorKeepsBodyAndResponse(t *testing.T) {
	t.Parallel()
	body := fixture(t, "error_validation.json")
	c := serveScript(t, exchange{method: "GET", path: "/tasks/t1", status: http.StatusBadRequest, answer: body})
	_, err := c.Tasks().Get(t.Context(), "t1")
	var apiErr *client.APIError
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, body, string(apiErr.Body))
	require.Equal(t, 400, apiErr.Response.Status)
	require.Len(t, apiErr.Response.ValidationErrors, 1)
	require.Equal(t, "TaskDef name cannot be null or empty", apiErr.Response.ValidationErrors[0].Message)
	require.Equal(t, "", apiErr.Response.ValidationErrors[0].InvalidValue)
}

func TestAPIErrorBodyIsBounded(t *testing.T) {
	t.Parallel()
	huge := `{"status":500,"message":"` + strings.Repeat("x", 64<<10) + `"}`
	c := serveScript(t, exchange{method: "GET", path: "/tasks/t1", status: 500, answer: huge})
	_, err := c.Tasks().Get(t.Context(), "t1")
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, apiErr.Body, 4<<10, "at most 4 KiB of an error body is kept")
	require.True(t, apiErr.Retryable())
}
