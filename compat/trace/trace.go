package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Step kinds.
const (
	KindCall  = "call"  // one HTTP exchange
	KindNote  = "note"  // a value the scenario derived (a delay bucket, an elapsed-time class, ...)
	KindCheck = "check" // an expectation ported from a Conductor spec, with whether it held
	KindFinal = "final" // the final state of one workflow (see package scenario's projection)
)

// Trace is the observable record of one scenario run against one server.
type Trace struct {
	Scenario string `json:"scenario"`
	// Source names the Conductor spec a scenario was ported from ("SimpleWorkflowSpec: ..."),
	// or says what the scenario covers when it is the suite's own.
	Source string `json:"source,omitempty"`
	Steps  []Step `json:"steps"`
	// Aborted says why the scenario could not go on (a task that never became pollable, ...).
	// A golden trace never has it; a target that aborts differs from the golden by it.
	Aborted string `json:"aborted,omitempty"`
}

// Step is one entry of a trace. Which fields are set depends on Kind.
type Step struct {
	Kind  string `json:"kind"`
	Label string `json:"label,omitempty"`
	// Await, on a call, says the call was repeated (unrecorded) until this condition held; only
	// the last exchange is recorded, so the number of attempts does not leak into the trace.
	Await string `json:"await,omitempty"`

	Method       string              `json:"method,omitempty"`
	Path         string              `json:"path,omitempty"` // template, e.g. /workflow/{workflowId}
	Args         []string            `json:"args,omitempty"` // the template's values, in order
	Query        map[string][]string `json:"query,omitempty"`
	RequestType  string              `json:"requestType,omitempty"`
	Request      any                 `json:"request,omitempty"`
	Status       int                 `json:"status,omitempty"`
	ContentType  string              `json:"contentType,omitempty"` // as sent, e.g. text/plain;charset=UTF-8
	MediaType    string              `json:"mediaType,omitempty"`   // normalised: lower case, no parameters
	BodyKind     string              `json:"bodyKind,omitempty"`    // none, json or text
	Response     any                 `json:"response,omitempty"`
	Value        any                 `json:"value,omitempty"` // note and final: the value; check: the detail
	OK           *bool               `json:"ok,omitempty"`    // check: whether it held
	TransportErr string              `json:"transportError,omitempty"`
}

// Name is how diffs and allowlist paths refer to a step: its label, or "METHOD path".
func (s Step) Name() string {
	n := s.Label
	if n == "" && s.Kind == KindCall {
		n = s.Method + " " + s.Path
	}
	if n == "" {
		n = s.Kind
	}
	// Dots and brackets separate path segments; keep them out of step names.
	return strings.NewReplacer(".", "_", "[", "(", "]", ")").Replace(n)
}

// MediaType lower-cases a Content-Type and drops its parameters ("text/plain;charset=UTF-8"
// becomes "text/plain"), so servers that spell the charset differently still compare equal there.
func MediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// Generic converts a trace into plain JSON values (maps, slices, json.Number, strings, bools),
// the form that Normalize and Diff work on and that golden files hold.
func Generic(t *Trace) (map[string]any, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode trace %s: %w", t.Scenario, err)
	}
	return decodeGeneric(b)
}

func decodeGeneric(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode trace: %w", err)
	}
	return m, nil
}

// ReadGolden loads a golden trace written by WriteGolden.
func ReadGolden(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read golden trace (run the suite with -update against the real server to create it): %w", err)
	}
	m, err := decodeGeneric(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	maskRacy(m)
	return m, nil
}

// WriteGolden writes a normalised trace as indented JSON with sorted keys, so that a re-recorded
// golden file only changes where behaviour changed.
func WriteGolden(path string, generic map[string]any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(generic); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create golden dir: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write golden trace: %w", err)
	}
	return nil
}
