package workflow

import (
	"encoding/json"
	"strings"
)

// HttpTask is an HTTP task: the server makes the call described by its
// HttpInput and records status, headers and body as the task's output.
type HttpTask struct {
	SimpleTask
}

// HttpMethod is an HTTP request method.
type HttpMethod string

// HTTP methods.
const (
	GET     HttpMethod = "GET"
	PUT     HttpMethod = "PUT"
	POST    HttpMethod = "POST"
	DELETE  HttpMethod = "DELETE"
	HEAD    HttpMethod = "HEAD"
	OPTIONS HttpMethod = "OPTIONS"
	PATCH   HttpMethod = "PATCH"
)

// HttpInput is the request of an HTTP task (Conductor's HttpTask.Input).
type HttpInput struct {
	// Method defaults to GET.
	Method HttpMethod
	// Uri is the URL to call; it may hold expressions.
	Uri string
	// Headers are sent with the request. Several values of one header are
	// joined with ", ".
	Headers map[string][]string
	// Accept is the Accept header. Empty means application/json.
	Accept string
	// ContentType is the body's type. Empty means application/json.
	ContentType string
	// ConnectionTimeOut bounds connecting, in milliseconds.
	ConnectionTimeOut int16
	// ReadTimeout bounds waiting for the answer, in milliseconds.
	ReadTimeout int16
	// Body is sent as JSON, or as text for a string with another ContentType.
	Body any
}

// MarshalJSON writes the request with Conductor's field names. conductor-go
// writes ConnectionTimeOut and readTimeout, which Conductor's case-sensitive
// reader ignores, and each header as a list, which Conductor sends as the
// text "[value]".
func (in HttpInput) MarshalJSON() ([]byte, error) {
	type wire struct {
		Method            HttpMethod     `json:"method"`
		Uri               string         `json:"uri"`
		Headers           map[string]any `json:"headers,omitempty"`
		Accept            string         `json:"accept,omitempty"`
		ContentType       string         `json:"contentType,omitempty"`
		ConnectionTimeOut int16          `json:"connectionTimeOut,omitempty"`
		ReadTimeOut       int16          `json:"readTimeOut,omitempty"`
		Body              any            `json:"body,omitempty"`
	}
	w := wire{
		Method: in.Method, Uri: in.Uri, Accept: in.Accept, ContentType: in.ContentType,
		ConnectionTimeOut: in.ConnectionTimeOut, ReadTimeOut: in.ReadTimeout, Body: in.Body,
	}
	if w.Method == "" {
		w.Method = GET
	}
	if len(in.Headers) > 0 {
		w.Headers = make(map[string]any, len(in.Headers))
		for k, v := range in.Headers {
			w.Headers[k] = strings.Join(v, ", ")
		}
	}
	return json.Marshal(w)
}

// NewHttpTask returns an HTTP task making the call input describes. A nil
// input is reported by Validate.
func NewHttpTask(taskRefName string, input *HttpInput) *HttpTask {
	in := HttpInput{}
	if input != nil {
		in = *input
	}
	if in.Method == "" {
		in.Method = GET
	}
	return &HttpTask{SimpleTask{Task: newTask(string(HTTP), taskRefName, HTTP, map[string]any{"http_request": &in})}}
}

// httpURI returns the URI of an http_request input, "" when there is none.
func httpURI(v any) string {
	switch in := v.(type) {
	case *HttpInput:
		return in.Uri
	case HttpInput:
		return in.Uri
	case map[string]any:
		s, _ := in["uri"].(string)
		return s
	}
	return ""
}
