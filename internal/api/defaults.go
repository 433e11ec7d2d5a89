package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// Jackson builds request objects with their Java constructors, so a field
// the body leaves out keeps the Java default: a TaskDef without retryCount
// retries 3 times, a WorkflowDef without version is version 1 and
// restartable. Only the decoder can tell "left out" from "set to zero", so
// definitions are decoded here into values that already hold those defaults
// (C/metadata/tasks/TaskDef.java; model.DecodableWorkflowDef for
// WorkflowDef.java and WorkflowTask.java), and the collections Conductor
// always emits are made non-nil so that they come back as {} and [].

// newTaskDef is a TaskDef with TaskDef.java's field defaults.
func newTaskDef() *model.TaskDef {
	d := model.NewTaskDef("")
	d.RuntimeMetadata = []string{}
	return d
}

// decodeTaskDef decodes one TaskDef body.
func decodeTaskDef(b []byte, what string) (*model.TaskDef, error) {
	d := newTaskDef()
	if err := decodeJSON(b, d, what); err != nil {
		return nil, err
	}
	return d, checkTaskDef("", d)
}

// decodeWorkflowDef decodes one WorkflowDef body.
func decodeWorkflowDefJSON(b []byte, what string) (*model.WorkflowDef, error) {
	d := model.DecodableWorkflowDef()
	if err := decodeJSON(b, d, what); err != nil {
		return nil, err
	}
	model.FillTaskDefaults(d.Tasks)
	return d, checkWorkflowDef("", d)
}

// decodeEach decodes a JSON array body element by element, so that each
// element starts from its Java defaults; errors name the element.
func decodeEach(b []byte, what string, each func(i int, raw []byte) error) error {
	var raws []json.RawMessage
	if err := decodeJSON(b, &raws, what); err != nil {
		return err
	}
	for i, raw := range raws {
		if err := each(i, raw); err != nil {
			return within(err, fmt.Sprintf("element [%d] of the request body", i))
		}
	}
	return nil
}

// decodeTaskDefs decodes the body of POST /api/metadata/taskdefs.
func decodeTaskDefs(b []byte) ([]model.TaskDef, error) {
	const what = `a JSON array of TaskDef objects, e.g. [{"name":"task_1","retryCount":3}]`
	defs := emptyUnlessNull[model.TaskDef](b) // [] is "empty", null "null" (Conductor's messages differ)
	err := decodeEach(b, what, func(i int, raw []byte) error {
		d, err := decodeTaskDef(raw, taskDefExample)
		if err == nil {
			defs = append(defs, *d)
		}
		return err
	})
	return defs, err
}

// decodeWorkflowDefs decodes the body of PUT /api/metadata/workflow.
func decodeWorkflowDefs(b []byte) ([]model.WorkflowDef, error) {
	what := fmt.Sprintf("a JSON array of WorkflowDef objects, e.g. [%s]", workflowDefJSONExample)
	defs := emptyUnlessNull[model.WorkflowDef](b)
	err := decodeEach(b, what, func(i int, raw []byte) error {
		d, err := decodeWorkflowDefJSON(raw, workflowDefExample)
		if err == nil {
			defs = append(defs, *d)
		}
		return err
	})
	return defs, err
}

// inlineWorkflowDef re-decodes a start request's inline workflowDef from
// its Java defaults; the plain decode left omitted fields at zero.
func inlineWorkflowDef(body []byte, req *model.StartWorkflowRequest) error {
	if req.WorkflowDef == nil {
		return nil
	}
	var raw struct {
		WorkflowDef json.RawMessage `json:"workflowDef"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return invalidf("request body field \"workflowDef\": %v", err)
	}
	d, err := decodeWorkflowDefJSON(raw.WorkflowDef, workflowDefExample)
	if err != nil {
		return within(err, `request body field "workflowDef"`)
	}
	req.WorkflowDef = d
	return nil
}

// within prefixes a 400's message with where in the body it applies; other
// errors (413, validation errors with their own paths) pass unchanged.
func within(err error, where string) error {
	var e *engine.Error
	if errors.As(err, &e) && e.Kind == engine.KindInvalid && e.Status == 0 && len(e.ValidationErrors) == 0 {
		return invalidf("%s: %s", where, e.Message)
	}
	return err
}

// emptyUnlessNull returns nil for a JSON null body and an empty, non-nil
// slice otherwise, so that the engine can tell an empty list from none.
func emptyUnlessNull[T any](b []byte) []T {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	return []T{}
}
