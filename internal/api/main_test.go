package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/model"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testServerID = "test-host"

// newTestHandler returns the handler on f with a fixed server id.
func newTestHandler(f *fakeService, cfg Config) http.Handler {
	cfg.ServerID = testServerID
	return NewHandler(f, cfg)
}

// do sends one request to a fresh handler on f and returns the answer.
func do(t *testing.T, f *fakeService, method, target, body string) *http.Response {
	t.Helper()
	return doWith(t, newTestHandler(f, Config{}), method, target, body)
}

func doWith(t testing.TB, h http.Handler, method, target, body string) *http.Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// errorBody decodes an ErrorResponse answer and checks its common fields.
func errorBody(t *testing.T, resp *http.Response, status int) model.ErrorResponse {
	t.Helper()
	body := readAll(t, resp)
	require.Equal(t, status, resp.StatusCode, "body: %s", body)
	require.Equal(t, contentTypeJSON, resp.Header.Get("Content-Type"))
	var e model.ErrorResponse
	require.NoError(t, json.Unmarshal([]byte(body), &e), "body: %s", body)
	require.Equal(t, status, e.Status)
	require.NotEmpty(t, e.Message)
	if len(e.ValidationErrors) == 0 {
		require.Equal(t, testServerID, e.Instance)
	} else {
		require.Empty(t, e.Instance, "Conductor sends no instance with validation errors")
	}
	return e
}
