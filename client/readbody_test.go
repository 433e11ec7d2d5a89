package client_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// TestAnswerBodyLengths reads answers with and without Content-Length, and
// with lengths that do not match what is sent: an answer is read into a
// buffer of its announced size only when that size is plausible.
func TestAnswerBodyLengths(t *testing.T) {
	t.Parallel()
	task := fixture(t, "task_polled.json")
	for _, tc := range []struct {
		name    string
		length  string // Content-Length header; "" sends the answer chunked
		wantErr bool
	}{
		{name: "announced length", length: strconv.Itoa(len(task))},
		{name: "chunked, no length", length: ""},
		{name: "shorter than announced", length: strconv.Itoa(len(task) + 100), wantErr: true},
		{name: "hostile length (1 TiB)", length: strconv.Itoa(1 << 40), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if tc.length != "" {
					w.Header().Set("Content-Length", tc.length)
				} else {
					w.(http.Flusher).Flush() // headers out first: the body goes chunked
				}
				_, _ = io.WriteString(w, task)
			}))
			t.Cleanup(srv.Close)
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			c, err := client.NewAPIClientWithConfig(client.Config{
				HTTP: settings.NewHttpSettings(srv.URL + "/api"), HTTPClient: &http.Client{Transport: tr},
			})
			require.NoError(t, err)
			got, err := c.Tasks().Get(t.Context(), "9151836c-b9b0-497b-9f40-6dc1a2c1e119")
			if tc.wantErr {
				require.Error(t, err)
				require.ErrorContains(t, err, "read answer")
				return
			}
			require.NoError(t, err)
			require.Equal(t, "9151836c-b9b0-497b-9f40-6dc1a2c1e119", got.TaskId)
			require.Equal(t, "fxdomain", got.Domain)
		})
	}
}
