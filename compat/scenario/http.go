package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/batonhq/baton/compat/trace"
)

// M is a JSON object.
type M = map[string]any

// S is the context a scenario runs in: it sends calls, records them, and knows the scenario's
// name prefix and the ids it has seen.
type S struct {
	ctx    context.Context
	tgt    Target
	base   string
	prefix string
	full   bool
	tr     *trace.Trace

	kinds     map[string]string // id -> trace.IDWorkflow / IDTask, learned from context
	workflows []string          // workflow ids in the order learned, for the final states
	pending   map[string]M      // tasks a NoTask check polled unexpectedly, by "task|domain"
	replace   map[string]string // run-specific literals and their tokens (see Alias)
	cleanups  []func()          // run when the scenario ends (its loopback servers)
	racy      []trace.Racy      // fields the scenario declared racy (see racyFrom)
}

// Req is one HTTP call.
type Req struct {
	Method string
	// Path is the template recorded in the trace ("/workflow/{workflowId}/pause"); each {...}
	// is replaced by the next element of Args, path-escaped.
	Path  string
	Args  []string
	Query url.Values
	// Body is sent as JSON (with Content-Type application/json unless ContentType says otherwise).
	Body any
	// Raw, when set, is sent exactly as is (malformed JSON, plain text); it wins over Body.
	Raw *string
	// ContentType overrides the request Content-Type.
	ContentType string
	// Label names the step in the trace and in diffs; defaults to "METHOD path".
	Label string
	// View transforms the decoded response before it is recorded (filtering a list down to this
	// scenario's own definitions, for example).
	View func(any) any
}

// Resp is a decoded response.
type Resp struct {
	Status      int
	ContentType string
	Raw         []byte
	JSON        any // decoded when the body is JSON; nil otherwise
	Elapsed     time.Duration
}

// Text is the body as a string (the text/plain answers: ids, versions).
func (r *Resp) Text() string { return string(r.Raw) }

// Obj is the body as a JSON object, or nil.
func (r *Resp) Obj() M {
	m, _ := r.JSON.(M)
	return m
}

// List is the body as a JSON array, or nil.
func (r *Resp) List() []any {
	l, _ := r.JSON.([]any)
	return l
}

// send performs a call without recording it.
func (s *S) send(r Req) (*Resp, error) {
	p := r.Path
	for _, a := range r.Args {
		i := strings.Index(p, "{")
		j := strings.Index(p, "}")
		if i < 0 || j < i {
			return nil, fmt.Errorf("path %q has fewer placeholders than args", r.Path)
		}
		p = p[:i] + url.PathEscape(a) + p[j+1:]
	}
	u := s.base + p
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	var body io.Reader
	ct := r.ContentType
	switch {
	case r.Raw != nil:
		body = strings.NewReader(*r.Raw)
	case r.Body != nil:
		b, err := json.Marshal(r.Body)
		if err != nil {
			return nil, fmt.Errorf("encode request body: %w", err)
		}
		body = bytes.NewReader(b)
		if ct == "" {
			ct = "application/json"
		}
	}
	req, err := http.NewRequestWithContext(s.ctx, r.Method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	start := time.Now()
	resp, err := s.tgt.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("read response of %s %s: %w", r.Method, r.Path, err)
	}
	out := &Resp{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Raw: raw, Elapsed: time.Since(start)}
	if len(bytes.TrimSpace(raw)) > 0 && (trace.MediaType(out.ContentType) == "application/json" || json.Valid(raw)) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			out.JSON = v
		}
	}
	return out, nil
}

// Do performs a call and records it. A transport error aborts the scenario: there is nothing to
// compare after the server stopped answering.
func (s *S) Do(r Req) *Resp {
	resp, err := s.send(r)
	if err != nil {
		s.record(r, nil, "", err)
		s.abort("%s %s: %v", r.Method, r.Path, err)
	}
	s.record(r, resp, "", nil)
	return resp
}

// record appends a call step.
func (s *S) record(r Req, resp *Resp, await string, err error) {
	st := trace.Step{Kind: trace.KindCall, Label: r.Label, Await: await, Method: r.Method, Path: r.Path,
		Args: r.Args, Query: r.Query, RequestType: r.ContentType}
	switch {
	case r.Raw != nil:
		st.Request = *r.Raw
		if st.RequestType == "" {
			st.RequestType = "(none)"
		}
	case r.Body != nil:
		st.Request = r.Body
	}
	if err != nil {
		st.TransportErr = err.Error()
		s.tr.Steps = append(s.tr.Steps, st)
		return
	}
	st.Status = resp.Status
	st.ContentType = resp.ContentType
	st.MediaType = trace.MediaType(resp.ContentType)
	switch {
	case len(resp.Raw) == 0:
		st.BodyKind = "none"
	case resp.JSON != nil:
		st.BodyKind = "json"
		st.Response = s.view(resp.JSON, r.View)
	default:
		st.BodyKind = "text"
		st.Response = resp.Text()
	}
	s.tr.Steps = append(s.tr.Steps, st)
}

func (s *S) view(v any, f func(any) any) any {
	if f != nil {
		v = f(v)
	}
	if !s.full {
		v = elide(v)
	}
	return v
}

// abort stops the scenario; the trace records why.
func (s *S) abort(format string, args ...any) {
	panic(errAbort{reason: fmt.Sprintf(format, args...)})
}

// learn remembers an id's kind (so a bare id in a text/plain answer becomes <wfN>, not <idN>)
// and, for workflows, that its final state belongs in the trace.
func (s *S) learn(id, kind string) {
	if id == "" {
		return
	}
	if _, ok := s.kinds[id]; ok {
		return
	}
	s.kinds[id] = kind
	if kind == trace.IDWorkflow {
		s.workflows = append(s.workflows, id)
	}
}

// Note records a value the scenario derived.
func (s *S) Note(label string, v any) {
	s.tr.Steps = append(s.tr.Steps, trace.Step{Kind: trace.KindNote, Label: label, Value: v})
}

// Check records an expectation (ported from a Conductor spec) and whether it held. It does not
// stop the scenario: the golden trace shows what the real server did.
func (s *S) Check(label string, ok bool) {
	s.tr.Steps = append(s.tr.Steps, trace.Step{Kind: trace.KindCheck, Label: label, OK: &ok})
}

// N returns the scenario-unique name for a definition name.
func (s *S) N(name string) string { return s.prefix + name }

// racyFrom declares fields racy (trace.Racy) in the next n steps the scenario records (0: in all
// of them, the final states included): the fields of the task rows with reference ref, or of the
// workflow objects when ref is "". Only for an outcome the real server decides by a race that
// waiting cannot settle; the scenario then checks what every outcome has in common.
func (s *S) racyFrom(ref string, n int, fields ...string) {
	from := len(s.tr.Steps)
	to := 0
	if n > 0 {
		to = from + n
	}
	s.racy = append(s.racy, trace.Racy{From: from, To: to, Ref: ref, Fields: fields})
}

// racyUntil is racyFrom for a span whose end the scenario marks: the returned func ends it before
// the next step the scenario records.
func (s *S) racyUntil(ref string, fields ...string) (end func()) {
	s.racyFrom(ref, 0, fields...)
	i := len(s.racy) - 1
	return func() { s.racy[i].To = len(s.tr.Steps) }
}
