package client_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// recorder answers every request with the capabilities header caps (none
// when empty) and 200 [], and records the requests.
type recorder struct {
	mu   sync.Mutex
	caps string
	reqs []*http.Request
}

func (rec *recorder) serve(t *testing.T) *client.APIClient {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r)
		caps := rec.caps
		rec.mu.Unlock()
		if caps != "" {
			w.Header().Set("Baton-Capabilities", caps)
		}
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = w.Write([]byte("[]"))
	}))
	t.Cleanup(srv.Close)
	return client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api"))
}

func (rec *recorder) last() *http.Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.reqs[len(rec.reqs)-1]
}

func TestCanReleasePollsIsLearned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		caps string
		want bool
	}{
		{"", false},
		{"poll-release", true},
		{"something-else, poll-release", true},
		{"poll-release-v9", false},
		{"something-else", false},
	} {
		rec := &recorder{caps: tc.caps}
		api := rec.serve(t)
		require.False(t, api.CanReleasePolls(), "nothing is known before the first answer")
		_, err := api.Tasks().BatchPoll(t.Context(), "t", client.BatchPollOptions{})
		require.NoError(t, err)
		require.Equal(t, tc.want, api.CanReleasePolls(), "capabilities %q", tc.caps)
	}
	api, err := client.NewAPIClientWithConfig(client.Config{PollRelease: true})
	require.NoError(t, err)
	require.True(t, api.CanReleasePolls(), "a config that says so needs no answer")
}

func TestPollerIDAndReleasePolls(t *testing.T) {
	t.Parallel()
	rec := &recorder{caps: "poll-release"}
	api := rec.serve(t)
	ctx := t.Context()

	_, err := api.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{PollerID: "host-1"})
	require.NoError(t, err)
	require.Equal(t, "host-1", rec.last().Header.Get("Baton-Poller-Id"))
	_, err = api.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{})
	require.NoError(t, err)
	require.Empty(t, rec.last().Header.Values("Baton-Poller-Id"), "no id, no header")
	_, _ = api.Tasks().Poll(ctx, "t", client.PollOptions{PollerID: "host-2"})
	require.Equal(t, "host-2", rec.last().Header.Get("Baton-Poller-Id"))

	require.NoError(t, api.Tasks().ReleasePolls(ctx, "host-1"))
	r := rec.last()
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "/api/tasks/poll/release", r.URL.Path)
	require.Equal(t, "host-1", r.URL.Query().Get("pollerId"))

	rec.mu.Lock()
	n := len(rec.reqs)
	rec.mu.Unlock()
	require.ErrorContains(t, api.Tasks().ReleasePolls(ctx, ""), "poller id is required")
	for _, bad := range []string{strings.Repeat("x", 129), "a\nb", "tab\there", "é"} {
		require.ErrorContains(t, api.Tasks().ReleasePolls(ctx, bad), "poller id", "id %q", bad)
		_, err := api.Tasks().BatchPoll(ctx, "t", client.BatchPollOptions{PollerID: bad})
		require.ErrorContains(t, err, "poller id", "id %q", bad)
		_, err = api.Tasks().Poll(ctx, "t", client.PollOptions{PollerID: bad})
		require.ErrorContains(t, err, "poller id", "id %q", bad)
	}
	require.NoError(t, api.Tasks().ReleasePolls(ctx, strings.Repeat("x", 128)))
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Len(t, rec.reqs, n+1, "a bad id sends nothing")
}

// TestReleasePollsOnConductor: Conductor has no such route; the error says
// so with ErrUnsupported.
func TestReleasePollsOnConductor(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"status":404,"message":"No static resource tasks/poll/release."}`))
	}))
	t.Cleanup(srv.Close)
	api := client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api"))
	require.ErrorIs(t, api.Tasks().ReleasePolls(t.Context(), "h"), client.ErrUnsupported)
}
