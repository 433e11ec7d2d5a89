package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/batonhq/baton/model"
)

// Sentinels matched by errors.Is against an *APIError.
var (
	// ErrNotFound matches a 404 answer: unknown workflow, task or definition.
	ErrNotFound = errors.New("conductor: not found")
	// ErrConflict matches a 409 answer: the resource exists or is in the
	// wrong state for the call.
	ErrConflict = errors.New("conductor: conflict")
	// ErrUnsupported matches an answer saying the server has no such
	// endpoint (405, 501, or a 404 for the route itself), e.g. update-v2 on
	// an older Conductor.
	ErrUnsupported = errors.New("conductor: endpoint not supported by server")
	// ErrUnauthorized matches 401 and 403 answers that survived a token refresh.
	ErrUnauthorized = errors.New("conductor: unauthorized")
)

// maxErrorText bounds how much of a body that is not Conductor's error JSON
// (an HTML page from a proxy, say) goes into Error().
const maxErrorText = 200

// APIError is a non-2xx answer from the server.
type APIError struct {
	// Method and Path name the request, e.g. "POST" and "/tasks".
	Method, Path string
	// StatusCode is the HTTP status.
	StatusCode int
	// Response is Conductor's error body; zero when the body was not one.
	Response model.ErrorResponse
	// Body is the raw body, at most 4 KiB of it.
	Body []byte

	base string // the client's base URL, for APIHint
}

// Error reads like
// "conductor: GET /workflow/42: 404 Not Found: No such workflow found by id: 42",
// followed by each validation error as "; path: message".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("conductor: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if msg := e.message(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	for _, v := range e.Response.ValidationErrors {
		b.WriteString("; ")
		if v.Path != "" {
			b.WriteString(v.Path)
			b.WriteString(": ")
		}
		b.WriteString(v.Message)
	}
	if hint := e.APIHint(); hint != "" {
		b.WriteString(" (")
		b.WriteString(hint)
		b.WriteByte(')')
	}
	return b.String()
}

// APIHint returns advice for a 404 that is most likely a base URL without
// its /api root (http://localhost:8080 rather than
// http://localhost:8080/api): "the server has no such route; did you mean
// http://localhost:8080/api?". It is empty for any other error.
func (e *APIError) APIHint() string {
	if !e.routeMissing() {
		return ""
	}
	if meant := apiRoot(e.base); meant != "" {
		return "the server has no such route; did you mean " + meant + "?"
	}
	return ""
}

// apiRoot returns base with /api added when its path has no /api segment,
// or "" when it has one (or is empty or malformed).
func apiRoot(base string) string {
	u, err := url.Parse(base)
	if base == "" || err != nil || slices.Contains(strings.Split(u.Path, "/"), "api") {
		return ""
	}
	return strings.TrimRight(base, "/") + "/api"
}

// errHTMLAnswer is the error for a 2xx answer that is a web page: no API
// call has one, but Conductor's UI answers every GET outside /api with its
// index page, so a base URL without /api gets one.
func errHTMLAnswer(base string, r request, status int) error {
	hint := "is the base URL the API root?"
	if meant := apiRoot(base); meant != "" {
		hint = "did you mean " + meant + "?"
	}
	return fmt.Errorf("conductor: %s %s: the server answered %d with a web page, not the API (%s)", r.method, r.path, status, hint)
}

// message is Conductor's message, or else the start of the raw body on one line.
func (e *APIError) message() string {
	if e.Response.Message != "" {
		return e.Response.Message
	}
	s := strings.Join(strings.FieldsFunc(string(e.Body), unicode.IsSpace), " ")
	if len(s) > maxErrorText {
		s = strings.ToValidUTF8(s[:maxErrorText], "") + "…"
	}
	return s
}

// Is lets errors.Is match the sentinels of this package.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && !e.routeMissing()
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnsupported:
		return e.StatusCode == http.StatusMethodNotAllowed || e.StatusCode == http.StatusNotImplemented || e.routeMissing()
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	}
	return false
}

// Retryable reports whether the same request may succeed later: 429, 5xx,
// or a body that says so (Conductor's TransientException). Transport
// trouble shows as other errors, not as an *APIError.
func (e *APIError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500 || e.Response.Retryable
}

// routeMissing tells a 404 for an unknown route (Spring's
// NoResourceFoundException, or a bare 404 without Conductor's message) from a
// 404 for an unknown entity, which always carries a message.
func (e *APIError) routeMissing() bool {
	if e.StatusCode != http.StatusNotFound {
		return false
	}
	if e.Response.Message == "" {
		return true
	}
	return containsFold(e.Response.Message, "no static resource") || containsFold(e.Response.Message, "no endpoint")
}
