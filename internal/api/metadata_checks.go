package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// Only the HTTP layer sees what a request body left out and what it set:
// the engine gets definitions already filled with Java's defaults. The
// checks here need that difference.

// checkExplicitZeros refuses a task definition whose body sets
// responseTimeoutSeconds or backoffScaleFactor to 0. Conductor checks
// @Min(1) on both; Baton's decoder starts from the defaults (3600 and 1),
// so a 0 here was sent. at is the definition's validation path
// ("registerTaskDef.arg0[2]").
func checkExplicitZeros(at string, d *model.TaskDef) []model.ValidationError {
	var errs []model.ValidationError
	if d.ResponseTimeoutSeconds == 0 {
		errs = append(errs, model.ValidationError{Path: at + ".responseTimeoutSeconds", InvalidValue: "0",
			Message: "TaskDef responseTimeoutSeconds: 0 should be minimum 1 second"})
	}
	if d.BackoffScaleFactor == 0 {
		errs = append(errs, model.ValidationError{Path: at + ".backoffScaleFactor", InvalidValue: "0",
			Message: "Backoff scale factor. Applicable for LINEAR_BACKOFF"})
	}
	return errs
}

// checkTaskDefZeros applies checkExplicitZeros to every definition of a
// registration.
func checkTaskDefZeros(defs []model.TaskDef) error {
	var errs []model.ValidationError
	for i := range defs {
		errs = append(errs, checkExplicitZeros(fmt.Sprintf("registerTaskDef.arg0[%d]", i), &defs[i])...)
	}
	if len(errs) > 0 {
		return engine.Invalid(errs...)
	}
	return nil
}

// withAbsentValues drops the invalidValue "" of validation errors whose
// field the body did not send: Hibernate Validator reports the null it saw
// there, which Conductor leaves out, while Baton's definition holds "".
// A field sent as "" keeps invalidValue "". Paths are Conductor's
// ("registerWorkflowDef.arg0.tasks[0].name"); arg0 is the body.
func withAbsentValues(err error, body []byte) error {
	var e *engine.Error
	if !errors.As(err, &e) || len(e.ValidationErrors) == 0 {
		return err
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return err
	}
	for i := range e.ValidationErrors {
		v := &e.ValidationErrors[i]
		if s, ok := v.InvalidValue.(string); !ok || s != "" {
			continue
		}
		_, rest, ok := strings.Cut(v.Path, ".arg0")
		if !ok {
			continue
		}
		if val, found := lookupPath(doc, rest); !found || val == nil {
			v.InvalidValue = nil
		}
	}
	return err
}

// lookupPath follows a validation path's tail (".tasks[0].name",
// "[1].name", ".decisionCases[a][0]") through decoded JSON.
func lookupPath(doc any, path string) (any, bool) {
	cur := doc
	for path != "" {
		var key string
		switch path[0] {
		case '.':
			end := strings.IndexAny(path[1:], ".[")
			if end < 0 {
				key, path = path[1:], ""
			} else {
				key, path = path[1:end+1], path[end+1:]
			}
		case '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return nil, false
			}
			key, path = path[1:end], path[end+1:]
			if list, ok := cur.([]any); ok {
				n, err := strconv.Atoi(key)
				if err != nil || n < 0 || n >= len(list) {
					return nil, false
				}
				cur = list[n]
				continue
			}
		default:
			return nil, false
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[key]; !ok {
			return nil, false
		}
	}
	return cur, true
}
