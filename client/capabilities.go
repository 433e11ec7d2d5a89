package client

import (
	"fmt"
	"net/http"
	"strings"
)

// Baton's server names what it can do beyond Conductor's API in the
// Baton-Capabilities header of every answer; polls name their poller in
// Baton-Poller-Id.
const (
	headerCapabilities = "Baton-Capabilities"
	headerPollerID     = "Baton-Poller-Id"
	capPollRelease     = "poll-release"
)

// CanReleasePolls reports whether the server is known to end a poller's
// waiting polls on request (TaskClient.ReleasePolls): Baton's server does,
// Conductor does not. It is true when Config.PollRelease says so or once
// any answer has carried Baton's capability header; before that, for a
// Conductor server and with NewAPIClient's defaults, it is false.
func (c *APIClient) CanReleasePolls() bool {
	return c.cfg.PollRelease || c.pollRelease.Load()
}

// maxPollerID is the longest poller id Baton's server takes.
const maxPollerID = 128

// checkPollerID refuses, before any request, a poller id the server would
// refuse or that cannot be sent in a header: longer than 128 bytes, or
// anything but printable ASCII.
func checkPollerID(op, id string) error {
	if len(id) > maxPollerID {
		return fmt.Errorf("conductor: %s: poller id is %d bytes long; at most %d", op, len(id), maxPollerID)
	}
	for _, r := range id {
		if r < 0x20 || r > 0x7e {
			return fmt.Errorf("conductor: %s: poller id %q must be printable ASCII", op, id)
		}
	}
	return nil
}

// learnCapabilities records the capabilities an answer announces.
func (c *APIClient) learnCapabilities(h http.Header) {
	v := h.Get(headerCapabilities)
	if v == "" || c.pollRelease.Load() {
		return
	}
	for _, cp := range strings.Split(v, ",") {
		if strings.TrimSpace(cp) == capPollRelease {
			c.pollRelease.Store(true)
		}
	}
}
