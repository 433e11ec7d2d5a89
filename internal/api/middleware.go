package api

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/engine"
)

// ServeHTTP serves one request: panics become a 500 ErrorResponse, the body
// is bounded by Config.MaxBodyBytes, and a malformed query string is a 400
// before any handler runs.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	w.Header().Set(headerCapabilities, capabilities)
	if obs := h.cfg.Observe; obs != nil {
		start := time.Now()
		defer func() { // before recoverPanic's defer, so it sees the 500
			pattern := r.Pattern // set by the mux on r itself
			if pattern == "/" {
				pattern = "" // the catch-all: no route matched
			}
			obs(pattern, sw.status(), time.Since(start))
		}()
	}
	defer h.recoverPanic(sw, r)
	if r.Body != nil {
		r.Body = http.MaxBytesReader(sw, r.Body, h.cfg.MaxBodyBytes)
	}
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		h.writeError(sw, r, invalidf("malformed query string %q: %v; escape special characters with %%XX", r.URL.RawQuery, err))
		return
	}
	h.mux.ServeHTTP(sw, r)
}

// recoverPanic turns a handler's panic into a logged 500, so that no panic
// reaches a user or takes the server down.
func (h *Handler) recoverPanic(sw *statusWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler { //nolint:errorlint // net/http's own sentinel, compared as net/http does
		panic(v)
	}
	h.cfg.Logger.Error("api: panic serving request", "method", r.Method, "path", r.URL.Path,
		"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	if sw.wroteHeader {
		// Part of an answer is out: abort the connection rather than let a
		// truncated answer pass for a complete one.
		panic(http.ErrAbortHandler)
	}
	msg := fmt.Sprint(v)
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	h.writeError(sw, r, &engine.Error{Kind: engine.KindInternal,
		Message: fmt.Sprintf("internal error serving %s %s (%s); this is a Baton bug, the server log has the stack", r.Method, r.URL.Path, msg)})
}

// noRoute answers a request no pattern matched: 405 with Allow when another
// method has the path (Spring's HttpRequestMethodNotSupportedException), 200
// with Allow for OPTIONS, else 404 with Spring's NoResourceFoundException
// message, which clients recognise as "no such endpoint".
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	allowed := h.allowed(r)
	switch {
	case len(allowed) == 0:
		h.writeError(w, r, errNoRoute(r))
	case r.Method == http.MethodOptions:
		w.Header().Set("Allow", strings.Join(append(allowed, http.MethodOptions), ","))
		w.WriteHeader(http.StatusOK)
	default:
		w.Header().Set("Allow", strings.Join(allowed, ","))
		h.writeError(w, r, &engine.Error{Kind: engine.KindInvalid, Status: http.StatusMethodNotAllowed,
			Message: fmt.Sprintf("Request method '%s' is not supported", r.Method)})
	}
}

// probeMethods are the methods the API uses, in the order Allow lists them.
var probeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete}

// allowed returns the methods for which some route matches r's path.
func (h *Handler) allowed(r *http.Request) []string {
	var out []string
	for _, m := range probeMethods {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		_, pattern := h.mux.Handler(probe)
		if pattern == "" || pattern == "/" {
			continue
		}
		if ops, ok := h.actions[pattern]; ok {
			action, err := url.PathUnescape(path.Base(r.URL.EscapedPath()))
			if _, known := ops[action]; err != nil || !known {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// errNoRoute is the 404 for a path the API does not have.
func errNoRoute(r *http.Request) error {
	return &engine.Error{Kind: engine.KindNotFound,
		Message: "No static resource " + strings.Trim(r.URL.Path, "/") + "."} // Spring names the path without its slashes
}

// statusWriter remembers whether the answer has started, and its status.
type statusWriter struct {
	http.ResponseWriter
	wroteHeader bool
	code        int
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader && code >= 200 {
		w.wroteHeader = true
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.wroteHeader = true
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// status is the answer's status code; 200 when the handler wrote nothing,
// as net/http then sends.
func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
