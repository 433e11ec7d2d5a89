package api

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
)

func TestPollRelease(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxPollerIDLen+1)
	cases := []struct {
		name, method, target, poller string
		status                       int
		calls                        []call
	}{
		{name: "a batch poll passes its poller id", method: "GET", target: "/api/tasks/poll/batch/t?timeout=0", poller: "host-1",
			status: 200, calls: []call{c("Poll", "t", engine.PollRequest{Count: 1, PollerID: "host-1"})}},
		{name: "a single poll passes its poller id", method: "GET", target: "/api/tasks/poll/t", poller: "host-1",
			status: 204, calls: []call{c("Poll", "t", engine.PollRequest{Count: 1, Timeout: singlePollWait, PollerID: "host-1"})}},
		{name: "a poll without one has none", method: "GET", target: "/api/tasks/poll/batch/t?timeout=0",
			status: 200, calls: []call{c("Poll", "t", engine.PollRequest{Count: 1})}},
		{name: "a poller id too long", method: "GET", target: "/api/tasks/poll/batch/t", poller: long, status: 400},
		{name: "a poller id with control characters", method: "GET", target: "/api/tasks/poll/t", poller: "a\tb", status: 400},
		{name: "release", method: "POST", target: "/api/tasks/poll/release?pollerId=host-1",
			status: 204, calls: []call{c("ReleasePolls", "host-1")}},
		{name: "release without an id", method: "POST", target: "/api/tasks/poll/release", status: 400},
		{name: "release with an empty id", method: "POST", target: "/api/tasks/poll/release?pollerId=", status: 400},
		{name: "release with an id too long", method: "POST", target: "/api/tasks/poll/release?pollerId=" + long, status: 400},
		{name: "release with a non-ASCII id", method: "POST", target: "/api/tasks/poll/release?pollerId=%C3%A9", status: 400},
		{name: "GET polls a task type named release", method: "GET", target: "/api/tasks/poll/release?pollerId=x",
			status: 204, calls: []call{c("Poll", "release", engine.PollRequest{Count: 1, Timeout: singlePollWait})}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			req := httptest.NewRequest(tc.method, tc.target, nil)
			if tc.poller != "" {
				req.Header.Set(headerPollerID, tc.poller)
			}
			rec := httptest.NewRecorder()
			newTestHandler(f, Config{}).ServeHTTP(rec, req)
			resp := rec.Result()
			body := readAll(t, resp)
			require.Equal(t, tc.status, resp.StatusCode, "body: %s", body)
			require.Equal(t, capabilities, resp.Header.Get(headerCapabilities), "every answer names Baton's capabilities")
			require.Equal(t, tc.calls, nilIfEmpty(f.recorded()))
		})
	}
}
