package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/batonhq/baton/model"
)

// httpKind matches Conductor's HttpTask (and HTTPTaskMapper): SCHEDULED,
// then the system task runner makes the call described by the input's
// http_request (or the input itself) off the decide loop, at most
// HTTPTaskConcurrency at once. A 2xx answer completes the task (leaves it
// IN_PROGRESS when asyncComplete), anything else fails it, and the task
// definition's retries apply. The output is {response: {statusCode,
// reasonPhrase, headers, body}}, the body parsed as JSON when it is JSON.
type httpKind struct{ systemKind }

func (httpKind) async() bool { return true }

// validate is WorkflowTaskTypeConstraint.isHttpTaskValid, less its look at
// the registered task definition's inputTemplate (validateIn does that).
func (httpKind) validate(*model.WorkflowTask) []string { return nil }

func (httpKind) validateIn(e *Engine, wt *model.WorkflowTask) []string {
	in := wt.InputParameters
	_, req := in["http_request"]
	_, uri := in["uri"]
	_, method := in["method"]
	if req || uri || method || templateHas(e, wt, "http_request") {
		return nil
	}
	return []string{paramRequired("inputParameters.http_request or inputParameters.uri", model.TaskTypeHTTP, wt.Name)}
}

// templateHas reports whether the task's definition (inline or registered)
// has key in its inputTemplate.
func templateHas(e *Engine, wt *model.WorkflowTask, key string) bool {
	def := wt.TaskDefinition
	if def == nil {
		d, err := e.meta.taskDef(context.Background(), wt.Name)
		if err != nil || d == nil {
			return false
		}
		def = d
	}
	_, ok := def.InputTemplate[key]
	return ok
}

func (httpKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	params := make(map[string]any, len(mc.wt.InputParameters)+1)
	for k, v := range mc.wt.InputParameters {
		params[k] = v
	}
	params["asyncComplete"] = mc.wt.AsyncComplete
	input, err := e.taskInput(mc.x, params, mc.wt.TaskDefinition, mc.taskID)
	if err != nil {
		return nil, err
	}
	t := mc.newTask(e)
	t.InputData = input
	t.Status = model.TaskScheduled
	t.CallbackAfterSeconds = int64(mc.wt.StartDelay)
	if def := mc.wt.TaskDefinition; def != nil {
		t.RateLimitPerFrequency = def.RateLimitPerFrequency
		t.RateLimitFrequencyInSeconds = def.RateLimitFrequencyInSeconds
	}
	return []*model.WorkerTask{t}, nil
}

func (httpKind) cancel(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) error {
	t.Status = model.TaskCanceled
	return nil
}

// httpInput is HttpTask.Input.
type httpInput struct {
	URI               string         `json:"uri"`
	Method            string         `json:"method"`
	Headers           map[string]any `json:"headers"`
	Body              any            `json:"body"`
	Accept            any            `json:"accept"`
	ContentType       string         `json:"contentType"`
	ConnectionTimeOut *int           `json:"connectionTimeOut"`
	ReadTimeOut       *int           `json:"readTimeOut"`
}

// prepare reads the request under the workflow's lock and returns the call.
func (httpKind) prepare(e *Engine, _ *execution, t *model.WorkerTask) offLoopJob {
	raw := t.InputData["http_request"]
	if raw == nil {
		raw = t.InputData
	}
	var in httpInput
	b, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(b, &in)
	}
	asyncComplete := e.asyncComplete(t)
	return func(ctx context.Context) func(*model.WorkerTask) {
		fail := func(reason string, output any) func(*model.WorkerTask) {
			return func(t *model.WorkerTask) {
				t.WorkerId = e.cfg.ServerID
				t.Status = model.TaskFailed
				t.ReasonForIncompletion = reason
				if output != nil {
					t.OutputData = map[string]any{"response": output}
				}
			}
		}
		switch {
		case err != nil:
			return fail("Failed to invoke HTTP task due to: http_request is not an HTTP request: "+err.Error(), nil)
		case in.URI == "":
			return fail("Missing HTTP URI.  See documentation for HttpTask for required input parameters", nil)
		case in.Method == "":
			return fail("No HTTP method specified", nil)
		}
		resp, callErr := e.httpCall(ctx, &in)
		if callErr != nil {
			msg := "java.lang.Exception: " + callErr.Error()
			return fail("Failed to invoke HTTP task due to: "+msg, msg)
		}
		return func(t *model.WorkerTask) {
			t.WorkerId = e.cfg.ServerID
			t.OutputData = map[string]any{"response": resp}
			t.Status = model.TaskCompleted
			if asyncComplete {
				t.Status = model.TaskInProgress
			}
		}
	}
}

// httpCall makes the request; an answer outside 2xx is an error worded as
// Spring's RestTemplate words it ("404 Not Found: \"<body>\"").
func (e *Engine) httpCall(ctx context.Context, in *httpInput) (map[string]any, error) {
	u, err := url.Parse(in.URI)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("URI is not absolute: %s", in.URI)
	}
	if err := e.allowedHost(u); err != nil {
		return nil, err
	}
	method := strings.ToUpper(in.Method)
	var body io.Reader
	if in.Body != nil && method != http.MethodGet && method != http.MethodHead {
		var b []byte
		if s, ok := in.Body.(string); ok {
			b = []byte(s)
		} else if b, err = json.Marshal(in.Body); err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	connect, read := 3000, 3000
	if in.ConnectionTimeOut != nil && *in.ConnectionTimeOut > 0 {
		connect = *in.ConnectionTimeOut
	}
	if in.ReadTimeOut != nil && *in.ReadTimeOut > 0 {
		read = *in.ReadTimeOut
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(connect+read)*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	contentType := in.ContentType
	if contentType == "" {
		contentType = "application/json"
	}
	req.Header.Set("Content-Type", contentType)
	accept := []string{"application/json"}
	switch a := in.Accept.(type) {
	case string:
		accept = []string{a}
	case []any:
		accept = accept[:0]
		for _, v := range a {
			accept = append(accept, fmt.Sprint(v))
		}
	}
	req.Header.Set("Accept", strings.Join(accept, ", "))
	for k, v := range in.Headers {
		if v != nil {
			req.Header.Add(k, fmt.Sprint(v))
		}
	}
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           (&net.Dialer{Timeout: time.Duration(connect) * time.Millisecond}).DialContext,
			ResponseHeaderTimeout: time.Duration(read) * time.Millisecond,
			DisableKeepAlives:     true,
		},
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return e.allowedHost(r.URL)
		},
	}
	res, err := client.Do(req)
	if err == nil && retriedStatus(method, res.StatusCode) {
		// Conductor's RestTemplate runs on Apache HttpClient 5, whose
		// DefaultHttpRequestRetryStrategy sends an idempotent request once
		// more after a 429 or 503, after Retry-After or one second.
		wait := retryAfter(res.Header.Get("Retry-After"))
		_ = res.Body.Close()
		again := req.Clone(ctx)
		if req.GetBody != nil {
			if again.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		if err = e.sleep(ctx, wait); err == nil {
			res, err = client.Do(again)
		}
	}
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			// Apache HttpClient's HttpHostConnectException, which Conductor's RestTemplate reports.
			err = fmt.Errorf("Connect to %s://%s failed: Connection refused", req.URL.Scheme, req.URL.Host) //nolint:staticcheck // Conductor's message
		}
		return nil, fmt.Errorf("I/O error on %s request for %q: %w", method, in.URI, err)
	}
	defer res.Body.Close()
	const maxBody = 10 << 20
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("I/O error on %s request for %q: %w", method, in.URI, err)
	}
	if len(raw) > maxBody {
		return nil, fmt.Errorf("response of %s request for %q is larger than %d bytes", method, in.URI, maxBody)
	}
	phrase := http.StatusText(res.StatusCode)
	if res.StatusCode < 200 || res.StatusCode > 299 {
		text := "[no body]"
		if len(raw) > 0 {
			text = strconvQuote(string(raw))
		}
		// Spring's DefaultResponseErrorHandler.getErrorMessage.
		return nil, fmt.Errorf("%d %s on %s request for %q: %s", res.StatusCode, phrase, method, in.URI, text)
	}
	headers := map[string]any{}
	for k, vs := range res.Header {
		list := make([]any, len(vs))
		for i, v := range vs {
			list[i] = v
		}
		headers[k] = list
	}
	return map[string]any{"statusCode": res.StatusCode, "reasonPhrase": phrase, "headers": headers, "body": responseBody(raw)}, nil
}

// retriedStatus reports whether HttpClient 5 retries an answer: 429 or 503
// to an idempotent method (DefaultHttpRequestRetryStrategy).
func retriedStatus(method string, status int) bool {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return false
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// maxRetryAfter bounds how long a Retry-After answer holds an HTTP task's
// slot; HttpClient has no bound.
const maxRetryAfter = 10 * time.Second

// retryAfter is the wait before the retry: Retry-After in seconds, else 1s.
func retryAfter(header string) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(header)); err == nil && n >= 0 {
		return min(time.Duration(n)*time.Second, maxRetryAfter)
	}
	return time.Second
}

// sleep waits d on the engine's clock, or until ctx ends.
func (e *Engine) sleep(ctx context.Context, d time.Duration) error {
	done := make(chan struct{})
	stop := e.clock.AfterFunc(d, func() { close(done) })
	defer stop()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// strconvQuote wraps an answer's body in double quotes, as Spring does.
func strconvQuote(s string) string { return `"` + s + `"` }

// responseBody is HttpTask.extractBody: JSON objects, arrays and numbers
// as values, anything else as text.
func responseBody(raw []byte) any {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	switch v.(type) {
	case map[string]any, []any, float64:
		return v
	case string:
		return v
	}
	return string(raw)
}

// allowedHost applies HTTPTaskAllowedHosts.
func (e *Engine) allowedHost(u *url.URL) error {
	allowed := e.cfg.HTTPTaskAllowedHosts
	if len(allowed) == 0 {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	for _, a := range allowed {
		a = strings.ToLower(strings.TrimSpace(a))
		switch {
		case a == host:
			return nil
		case strings.HasPrefix(a, "*.") && strings.HasSuffix(host, a[1:]):
			return nil
		}
	}
	return fmt.Errorf("host %s is not in the server's HTTPTaskAllowedHosts", u.Hostname())
}
