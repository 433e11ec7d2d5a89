package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/batonhq/baton/internal/engine"
)

// readBody reads the whole body of a request that carries JSON: a body
// declared as another media type is refused (checkJSONContentType).
func readBody(r *http.Request) ([]byte, error) {
	if err := checkJSONContentType(r); err != nil {
		return nil, err
	}
	return readRawBody(r)
}

// checkJSONContentType accepts a request whose Content-Type is JSON
// (application/json or application/*+json, as Jackson's converter reads)
// or absent. Conductor answers any other type on a JSON endpoint with a
// 500 (HttpMediaTypeNotSupportedException); Baton answers 415 Unsupported
// Media Type. A missing Content-Type is read as JSON, where Spring would
// refuse it as application/octet-stream.
func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return nil
	}
	return &engine.Error{Kind: engine.KindInvalid, Status: http.StatusUnsupportedMediaType,
		Message: fmt.Sprintf("Content-Type '%s' is not supported: send the request body as application/json", ct)}
}

// readRawBody reads the whole request body, whatever its type. A body over
// the limit comes back as the *http.MaxBytesError that errorResponse
// answers with 413.
func readRawBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, invalidf("cannot read the request body: %v", err)
	}
	return b, nil
}

// decodeBody decodes the request's JSON body into v. what names the expected
// body in messages, e.g. "a TaskResult object". Unknown fields are ignored,
// as Conductor's Jackson setup ignores them (FAIL_ON_UNKNOWN_PROPERTIES off);
// everything else a person could get wrong — no body, broken JSON, a string
// where a number belongs, data after the value — is a 400 that says where.
func decodeBody(r *http.Request, v any, what string) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeJSON(b, v, what)
}

// decodeJSON is decodeBody on bytes already read.
func decodeJSON(b []byte, v any, what string) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return invalidf("request body is missing: send %s as JSON", what)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return decodeError(err, what)
	}
	if rest := bytes.TrimSpace(b[dec.InputOffset():]); len(rest) > 0 {
		return invalidf("request body has data after the JSON value, at byte %d: send exactly one JSON value (%s)",
			dec.InputOffset()+1, what)
	}
	return nil
}

// decodeError explains a JSON decoding error in terms of the request.
func decodeError(err error, what string) error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.As(err, &syntax):
		return invalidf("request body is not valid JSON: %v (at byte %d); send %s", syntax, syntax.Offset, what)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return invalidf("request body is not valid JSON: it ends before the value is complete; send %s", what)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return invalidf("request body must be %s, got %s", what, describeJSONValue(typ.Value))
		}
		return invalidf("request body field %q must be %s, got %s (the body is %s)",
			typ.Field, describeGoType(typ.Type), describeJSONValue(typ.Value), what)
	default:
		return invalidf("request body cannot be read as %s: %v", what, err)
	}
}

// describeJSONValue names the JSON value json.UnmarshalTypeError reports
// ("string", "number 1.5", "object", ...).
func describeJSONValue(v string) string {
	switch {
	case v == "object", v == "array":
		return "an " + v
	case v == "bool":
		return "true or false"
	case strings.HasPrefix(v, "number "):
		return "the number " + strings.TrimPrefix(v, "number ")
	case v == "":
		return "a value of another type"
	default:
		return "a " + v
	}
}

// describeGoType says in JSON terms what a Go field accepts.
func describeGoType(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return fmt.Sprintf("an integer (%s)", t.Kind())
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "a " + t.Kind().String()
	}
}
