package api

import (
	"net/http"
	"unicode"
)

// Baton's own additions to the task API, for workers that know they talk to
// Baton: a poll names its poller in the Baton-Poller-Id header (Conductor
// ignores it), and POST /api/tasks/poll/release?pollerId=... ends that
// poller's waiting polls with no task, so a worker's shutdown need not wait
// out an idle long poll. Every answer carries Baton-Capabilities, from
// which a client learns it may use them.
const (
	headerPollerID     = "Baton-Poller-Id"
	headerCapabilities = "Baton-Capabilities"
	capabilities       = "poll-release"
	maxPollerIDLen     = 128
)

// pollerID reads the optional Baton-Poller-Id header of a poll.
func pollerID(r *http.Request) (string, error) {
	return checkPollerID(headerPollerID+" header", r.Header.Get(headerPollerID), false)
}

func checkPollerID(what, id string, required bool) (string, error) {
	switch {
	case id == "" && required:
		return "", invalidf("%s is required", what)
	case len(id) > maxPollerIDLen:
		return "", invalidf("%s is %d bytes long; at most %d", what, len(id), maxPollerIDLen)
	}
	for _, r := range id {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return "", invalidf("%s %q must be printable ASCII", what, id)
		}
	}
	return id, nil
}

// POST /api/tasks/poll/release?pollerId=...: end the waiting polls of a
// poller, and any it sends later, with no task; 204.
func (h *Handler) releasePolls(w http.ResponseWriter, r *http.Request) error {
	id, err := checkPollerID("query parameter pollerId", query(r).str("pollerId"), true)
	if err != nil {
		return err
	}
	h.svc.ReleasePolls(id)
	return noContent(w)
}
