package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Content types as Conductor sends them: Spring Boot's JSON type carries no
// charset; endpoints declared produces=TEXT_PLAIN get the charset appended
// by StringHttpMessageConverter.
const (
	contentTypeJSON = "application/json"
	contentTypeText = "text/plain;charset=UTF-8"
)

// writeJSON answers status with v as JSON. Like Jackson, it does not escape
// <, > and & (Go's encoder would).
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client went away; nothing left to tell it
	return nil
}

// ok answers 200 with v as JSON.
func ok(w http.ResponseWriter, v any) error { return writeJSON(w, http.StatusOK, v) }

// writeText answers 200 with s as text/plain, as Conductor answers ids.
func writeText(w http.ResponseWriter, s string) error {
	w.Header().Set("Content-Type", contentTypeText)
	w.Header().Set("Content-Length", strconv.Itoa(len(s)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(s))
	return nil
}

// empty answers 200 with no body, as Conductor's void handlers do.
func empty(w http.ResponseWriter) error {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// noContent answers 204, as Conductor's handlers annotated NO_CONTENT and
// its empty polls do.
func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeError answers err as Conductor's ErrorResponse and logs it: server
// faults at Error, client mistakes at Debug.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	resp := h.errorResponse(err)
	if resp.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(err)))
	}
	if resp.Status >= 500 {
		h.cfg.Logger.Error("api: request failed", "method", r.Method, "path", r.URL.Path, "status", resp.Status, "err", err)
	} else {
		h.cfg.Logger.Debug("api: request refused", "method", r.Method, "path", r.URL.Path, "status", resp.Status, "err", err)
	}
	if werr := writeJSON(w, resp.Status, resp); werr != nil {
		h.cfg.Logger.Error("api: cannot write error answer", "err", werr)
	}
}

// errorResponse maps err to Conductor's ErrorResponse (ApplicationExceptionMapper.java
// and ValidationExceptionMapper.java): the status from the engine error's
// kind unless it names one, retryable only for transient conditions, and no
// instance on validation failures, as Conductor leaves it out there.
func (h *Handler) errorResponse(err error) model.ErrorResponse {
	var (
		ee       *engine.Error
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		return model.ErrorResponse{Status: http.StatusRequestEntityTooLarge, Instance: h.cfg.ServerID,
			Message: fmt.Sprintf("request body is larger than the server's limit of %s (MaxBodyBytes, flag --max-body-bytes); send less data (large payloads belong in external storage)", byteSize(tooLarge.Limit))}
	case errors.As(err, &ee):
		resp := model.ErrorResponse{Status: statusOf(ee), Message: ee.Error(), Instance: h.cfg.ServerID,
			Retryable: ee.Kind == engine.KindUnavailable, ValidationErrors: ee.ValidationErrors}
		if len(ee.ValidationErrors) > 0 {
			resp.Instance = ""
		}
		return resp
	case errors.Is(err, store.ErrUnavailable):
		return model.ErrorResponse{Status: http.StatusServiceUnavailable, Instance: h.cfg.ServerID, Retryable: true,
			Message: err.Error() + "; nothing was changed, try again later"}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return model.ErrorResponse{Status: http.StatusServiceUnavailable, Instance: h.cfg.ServerID, Retryable: true,
			Message: "the request was cancelled before it completed (" + err.Error() + "); try again"}
	default:
		return model.ErrorResponse{Status: http.StatusInternalServerError, Message: err.Error(), Instance: h.cfg.ServerID}
	}
}

// retryAfterSeconds is the Retry-After of a 503: what the engine asks for,
// the storage's wait for a write the store refused, else one second.
func retryAfterSeconds(err error) int {
	var ee *engine.Error
	switch {
	case errors.As(err, &ee) && ee.RetryAfter > 0:
		return max(1, int(ee.RetryAfter.Round(time.Second)/time.Second))
	case errors.Is(err, store.ErrUnavailable):
		return int(engine.StorageRetryAfter / time.Second)
	default:
		return 1
	}
}

// statusOf is the HTTP status of an engine error.
func statusOf(e *engine.Error) int {
	if e.Status >= 400 && e.Status <= 599 {
		return e.Status
	}
	switch e.Kind {
	case engine.KindInvalid:
		return http.StatusBadRequest
	case engine.KindNotFound:
		return http.StatusNotFound
	case engine.KindConflict:
		return http.StatusConflict
	case engine.KindUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// invalidf is a 400 for a request the API cannot accept.
func invalidf(format string, args ...any) error {
	return engine.Errorf(engine.KindInvalid, format, args...)
}

// notFoundf is a 404 for an entity that does not exist.
func notFoundf(format string, args ...any) error {
	return engine.Errorf(engine.KindNotFound, format, args...)
}

// notImplemented is a 501 for a Conductor endpoint Baton does not offer yet.
func notImplemented(what string) error {
	return &engine.Error{Kind: engine.KindInvalid, Status: http.StatusNotImplemented,
		Message: what + " is not supported by Baton yet"}
}

// validationFailed is Conductor's answer to a failed bean-validation
// constraint on a service argument (ConstraintViolationException).
func validationFailed(path, message string, invalid any) error {
	return engine.Invalid(model.ValidationError{Path: path, Message: message, InvalidValue: invalid})
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}
