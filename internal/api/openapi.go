package api

import (
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/model"
)

// The OpenAPI 3.0 document served at GET /api-docs. Conductor serves its own
// there through springdoc (3.32.1 answers 500, a springdoc version clash), so
// Baton writes its own from the same sources the handlers use: the
// operations below, one per route of routes(), and schemas read by
// reflection from the model types the handlers encode and decode, so that a
// field added to a model type is documented without a second edit.
//
// To document a new route, add an operation to apiOperations (the test
// TestOpenAPICoversRoutes fails until the two agree).

// apiDoc is the document, built once.
var apiDoc = sync.OnceValues(func() ([]byte, error) { return json.Marshal(buildOpenAPI()) })

// GET /api-docs: the OpenAPI document as JSON.
func (h *Handler) apiDocs(w http.ResponseWriter, _ *http.Request) error {
	b, err := apiDoc()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// jsonObject is a JSON object as the document holds it.
type jsonObject = map[string]any

// apiOperation is one documented operation.
type apiOperation struct {
	method, path string
	id, tag      string
	summary      string
	params       []jsonObject        // query parameters (path ones are derived from the path)
	pathTypes    map[string]string   // path parameters that are not strings: name → type
	pathEnums    map[string][]string // path parameters with a fixed set of values
	body         *apiBody            // nil when the operation reads no body
	answers      map[int]apiAnswer
	links        map[string]apiLink
	headers      []jsonObject // header parameters
	open         bool         // served without a token even when authentication is on
	guard        bool         // served by the authentication guard, not the API
}

// apiBody is a request body: JSON shaped like a Go value, or text.
type apiBody struct {
	json     any    // a value of the Go type the handler decodes
	text     string // the description of a text body, when json is nil
	optional bool
	example  any        // a body that works on an empty server, nil when none
	extra    jsonObject // schema keywords beyond the Go type's, e.g. minItems
	named    bool       // the object (or each item) must have a non-empty name
}

// apiAnswer is one documented answer.
type apiAnswer struct {
	desc     string
	json     any  // the Go value the handler encodes, nil when none
	nullable bool // the JSON body may be null
	text     bool // a text/plain body
	error    bool // Conductor's ErrorResponse
}

// apiLink is an OpenAPI link from the 200 answer to another operation.
type apiLink struct {
	to     string            // operationId
	params map[string]string // parameter → runtime expression
}

// opt shapes an operation.
type opt func(*apiOperation)

func op(route, id, tag, summary string, opts ...opt) apiOperation {
	method, path, _ := strings.Cut(route, " ")
	o := apiOperation{method: method, path: path, id: id, tag: tag, summary: summary, answers: map[int]apiAnswer{}}
	for _, f := range opts {
		f(&o)
	}
	// Every operation can meet a malformed query string (400) and a server
	// that is stopping (503).
	errs(http.StatusBadRequest, http.StatusServiceUnavailable)(&o)
	return o
}

// qparam documents a query parameter of the given JSON type.
func qparam(name, typ, desc string) opt {
	return func(o *apiOperation) {
		o.params = append(o.params, jsonObject{"name": name, "in": "query", "description": desc, "schema": jsonObject{"type": typ}})
	}
}

// qint documents a 32-bit integer query parameter with bounds; max < 0
// means none but the type's.
func qint(name string, minimum, maximum int, desc string) opt {
	return func(o *apiOperation) {
		schema := jsonObject{"type": "integer", "format": "int32", "minimum": minimum, "maximum": math.MaxInt32}
		if maximum >= 0 {
			schema["maximum"] = maximum
		}
		o.params = append(o.params, jsonObject{"name": name, "in": "query", "description": desc, "schema": schema})
	}
}

// qrequired documents a required string query parameter.
func qrequired(name, desc string) opt {
	return func(o *apiOperation) {
		o.params = append(o.params, jsonObject{"name": name, "in": "query", "required": true, "description": desc,
			"schema": jsonObject{"type": "string", "minLength": 1}})
	}
}

// qlist documents a repeatable string query parameter.
func qlist(name, desc string) opt {
	return func(o *apiOperation) {
		o.params = append(o.params, jsonObject{"name": name, "in": "query", "description": desc, "explode": true,
			"schema": jsonObject{"type": "array", "items": jsonObject{"type": "string"}}})
	}
}

// qlistRequired documents a repeatable string query parameter that must
// have a value.
func qlistRequired(name, desc string) opt {
	return func(o *apiOperation) {
		o.params = append(o.params, jsonObject{"name": name, "in": "query", "description": desc, "explode": true, "required": true,
			"schema": jsonObject{"type": "array", "minItems": 1, "items": jsonObject{"type": "string", "minLength": 1, "pattern": `[^\s,]`}}})
	}
}

// pathInteger types a path parameter as an integer.
func pathInteger(name string) opt {
	return func(o *apiOperation) {
		if o.pathTypes == nil {
			o.pathTypes = map[string]string{}
		}
		o.pathTypes[name] = "integer"
	}
}

// jsonBody documents a required JSON request body shaped like v, and the
// 413 and 415 answers every JSON body can get.
func jsonBody(v any) opt {
	return func(o *apiOperation) {
		o.body = &apiBody{json: v}
		errs(http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)(o)
	}
}

// example gives the JSON body an example, one that works on an empty
// server, so that fuzzers reach the operations that need what it creates.
func example(v any) opt {
	return func(o *apiOperation) { o.body.example = v }
}

// bodyItems bounds the length of a JSON array body.
func bodyItems(minimum, maximum int) opt {
	return func(o *apiOperation) {
		o.body.extra = jsonObject{"minItems": minimum}
		if maximum >= 0 {
			o.body.extra["maxItems"] = maximum
		}
	}
}

// namedBody says the JSON body (or each of its items) needs a non-empty
// name, where the type's schema cannot: a task definition embedded in a
// workflow task may have none.
func namedBody() opt {
	return func(o *apiOperation) { o.body.named = true }
}

// textBody documents a required body of any text.
func textBody(desc string) opt {
	return func(o *apiOperation) {
		o.body = &apiBody{text: desc}
		errs(http.StatusRequestEntityTooLarge)(o)
	}
}

// answersJSON documents a 200 answer whose body is v as JSON.
func answersJSON(desc string, v any) opt {
	return func(o *apiOperation) { o.answers[http.StatusOK] = apiAnswer{desc: desc, json: v} }
}

// answersJSONOrNull documents a 200 answer whose body is v as JSON, or
// null.
func answersJSONOrNull(desc string, v any) opt {
	return func(o *apiOperation) { o.answers[http.StatusOK] = apiAnswer{desc: desc, json: v, nullable: true} }
}

// answersText documents a 200 answer with a text/plain body.
func answersText(desc string) opt {
	return func(o *apiOperation) { o.answers[http.StatusOK] = apiAnswer{desc: desc, text: true} }
}

// answersEmpty documents an answer with no body.
func answersEmpty(status int, desc string) opt {
	return func(o *apiOperation) { o.answers[status] = apiAnswer{desc: desc} }
}

// errs documents error answers, each a Conductor ErrorResponse.
func errs(statuses ...int) opt {
	return func(o *apiOperation) {
		for _, s := range statuses {
			o.answers[s] = apiAnswer{error: true}
		}
	}
}

// link documents that the 200 answer's values feed another operation.
func link(name, to string, params map[string]string) opt {
	return func(o *apiOperation) {
		if o.links == nil {
			o.links = map[string]apiLink{}
		}
		o.links[name] = apiLink{to: to, params: params}
	}
}

// noAuth marks an operation served without a token.
func noAuth() opt { return func(o *apiOperation) { o.open = true } }

// servedByGuard marks an operation the authentication guard in front of
// the API serves (POST /api/token): no token needed, and its answers carry
// no Baton-Capabilities header.
func servedByGuard() opt {
	return func(o *apiOperation) { o.open, o.guard = true, true }
}

// pollerIDSchema is the schema of a poller id: printable ASCII, at most
// maxPollerIDLen bytes (checkPollerID).
func pollerIDSchema(minLength int) jsonObject {
	return jsonObject{"type": "string", "minLength": minLength, "maxLength": maxPollerIDLen, "pattern": `^[ -~]*$`}
}

// pollerHeader documents the optional Baton-Poller-Id request header of
// the poll operations.
func pollerHeader() opt {
	return func(o *apiOperation) {
		o.headers = append(o.headers, jsonObject{"name": headerPollerID, "in": "header",
			"description": "Baton's own: names the poller, so that POST /api/tasks/poll/release can end its waiting polls.",
			"schema":      pollerIDSchema(0)})
	}
}

// qpollerID documents the required pollerId query parameter of POST
// /api/tasks/poll/release.
func qpollerID() opt {
	return func(o *apiOperation) {
		o.params = append(o.params, jsonObject{"name": "pollerId", "in": "query", "required": true,
			"description": "The Baton-Poller-Id its polls sent.", "schema": pollerIDSchema(1)})
	}
}

// tokenRequest is the body of POST /api/token (internal/auth).
type tokenRequest struct {
	KeyID     string `json:"keyId"`
	KeySecret string `json:"keySecret"`
}

// tokenAnswer is the answer of POST /api/token.
type tokenAnswer struct {
	Token string `json:"token"`
}

// authErrorResponse is the 401 of the authentication guard: Conductor's
// ErrorResponse with Orkes's error code, on which the SDKs fetch a new
// token and retry once.
type authErrorResponse struct {
	model.ErrorResponse
	Error string `json:"error,omitempty"`
}

// errorStatuses are the ErrorResponse answers the document names, each with
// what it means.
var errorStatuses = map[int]string{
	http.StatusBadRequest:            "The request is malformed or fails validation.",
	http.StatusNotFound:              "The entity does not exist.",
	http.StatusMethodNotAllowed:      "The path exists for other methods.",
	http.StatusConflict:              "The entity exists already or is in a state that forbids the operation.",
	http.StatusRequestEntityTooLarge: "The body is larger than the server's limit.",
	http.StatusUnsupportedMediaType:  "The body is not JSON.",
	http.StatusNotImplemented:        "Conductor has this endpoint; Baton does not offer it yet.",
	http.StatusServiceUnavailable:    "The server is stopping or the request was cancelled; retry.",
}

// pathParam matches a {name} path segment.
var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// buildOpenAPI assembles the document.
func buildOpenAPI() jsonObject {
	reg := newSchemaRegistry()
	ops := apiOperations()
	paths := jsonObject{}
	for _, o := range ops {
		item, _ := paths[o.path].(jsonObject)
		if item == nil {
			item = jsonObject{}
			paths[o.path] = item
		}
		item[strings.ToLower(o.method)] = o.document(reg)
	}
	responses := jsonObject{}
	for status, desc := range errorStatuses {
		resp := jsonObject{"description": desc,
			"content": jsonObject{contentTypeJSON: jsonObject{"schema": reg.ref(reflect.TypeFor[model.ErrorResponse]())}},
			"headers": jsonObject{headerCapabilities: capabilitiesHeader(false)}}
		if status == http.StatusServiceUnavailable {
			resp["headers"].(jsonObject)["Retry-After"] = jsonObject{
				"description": "Seconds to wait before retrying; on every 503 of the API.",
				"schema":      jsonObject{"type": "integer", "minimum": 1}}
		}
		responses["Error"+strconv.Itoa(status)] = resp
	}
	responses["Unauthorized"] = jsonObject{
		"description": "The server requires authentication and the token is missing, invalid or expired " +
			"(error INVALID_TOKEN or EXPIRED_TOKEN: get a new token and retry), or, at POST " + auth.TokenPath +
			", the key is wrong or revoked (no error code).",
		"content": jsonObject{contentTypeJSON: jsonObject{"schema": reg.ref(reflect.TypeFor[authErrorResponse]())}}}
	tags := []jsonObject{}
	seen := map[string]bool{}
	for _, o := range ops {
		if !seen[o.tag] {
			seen[o.tag] = true
			tags = append(tags, jsonObject{"name": o.tag})
		}
	}
	return jsonObject{
		"openapi": "3.0.3",
		"info": jsonObject{
			"title":   "Baton",
			"version": "1",
			"description": "Conductor's REST API as Baton serves it. Every error answer is Conductor's ErrorResponse. " +
				"Not listed: GET /metrics (Prometheus text) and the web UI's pages.",
			"license": jsonObject{"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"},
		},
		"tags":  tags,
		"paths": paths,
		// A token is needed only when the server requires authentication
		// (off on loopback by default): {} makes it optional.
		"security": []jsonObject{{}, {"token": []string{}}},
		"components": jsonObject{"schemas": reg.schemas, "responses": responses,
			"securitySchemes": jsonObject{"token": jsonObject{"type": "apiKey", "in": "header", "name": auth.HeaderName,
				"description": "A token from POST " + auth.TokenPath + ", without a Bearer prefix."}}},
	}
}

// document is the operation's OpenAPI object.
func (o apiOperation) document(reg *schemaRegistry) jsonObject {
	params := []jsonObject{}
	for _, m := range pathParam.FindAllStringSubmatch(o.path, -1) {
		schema := jsonObject{"type": "string", "minLength": 1, "pattern": `^[^/]+$`}
		if t, ok := o.pathTypes[m[1]]; ok {
			schema = jsonObject{"type": t, "format": "int32"}
		}
		if enum, ok := o.pathEnums[m[1]]; ok {
			schema = jsonObject{"type": "string", "enum": enum}
		}
		params = append(params, jsonObject{"name": m[1], "in": "path", "required": true, "schema": schema})
	}
	params = append(params, o.params...)
	params = append(params, o.headers...)
	responses := jsonObject{}
	for status, a := range o.answers {
		var resp jsonObject
		switch {
		case a.error:
			resp = jsonObject{"$ref": "#/components/responses/Error" + strconv.Itoa(status)}
		case a.json != nil:
			schema := reg.schema(reflect.TypeOf(a.json))
			if a.nullable {
				schema = jsonObject{"allOf": []jsonObject{schema}, "nullable": true}
			}
			resp = jsonObject{"description": a.desc, "content": jsonObject{contentTypeJSON: jsonObject{"schema": schema}}}
		case a.text:
			resp = jsonObject{"description": a.desc, "content": jsonObject{"text/plain": jsonObject{"schema": jsonObject{"type": "string"}}}}
		default:
			resp = jsonObject{"description": a.desc}
		}
		if !a.error && !o.guard {
			resp["headers"] = jsonObject{headerCapabilities: capabilitiesHeader(true)}
		}
		if status == http.StatusOK && len(o.links) > 0 {
			links := jsonObject{}
			for name, l := range o.links {
				links[name] = jsonObject{"operationId": l.to, "parameters": l.params}
			}
			resp["links"] = links
		}
		responses[strconv.Itoa(status)] = resp
	}
	if !o.open || o.guard {
		responses["401"] = jsonObject{"$ref": "#/components/responses/Unauthorized"}
	}
	out := jsonObject{"operationId": o.id, "tags": []string{o.tag}, "summary": o.summary, "responses": responses}
	if o.open {
		out["security"] = []jsonObject{}
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	switch {
	case o.body == nil:
	case o.body.json != nil:
		schema := reg.schema(reflect.TypeOf(o.body.json))
		for k, v := range o.body.extra {
			schema[k] = v
		}
		if o.body.named {
			named := jsonObject{"properties": jsonObject{"name": jsonObject{"type": "string", "minLength": 1}}}
			if items, ok := schema["items"].(jsonObject); ok {
				schema["items"] = jsonObject{"allOf": []jsonObject{items, named}}
			} else {
				schema = jsonObject{"allOf": []jsonObject{schema, named}}
			}
		}
		media := jsonObject{"schema": schema}
		if o.body.example != nil {
			media["example"] = o.body.example
		}
		out["requestBody"] = jsonObject{"required": !o.body.optional, "content": jsonObject{contentTypeJSON: media}}
	default:
		out["requestBody"] = jsonObject{"required": true, "description": o.body.text,
			"content": jsonObject{"text/plain": jsonObject{"schema": jsonObject{"type": "string", "minLength": 1}}}}
	}
	return out
}

// capabilitiesHeader documents the Baton-Capabilities answer header: on
// every answer of the API (required), not on those of the authentication
// guard in front of it.
func capabilitiesHeader(required bool) jsonObject {
	return jsonObject{"required": required, "schema": jsonObject{"type": "string", "enum": []string{capabilities}},
		"description": "Baton's own: what Baton offers beyond Conductor's API, separated by commas (poll-release: " +
			"POST /api/tasks/poll/release and the Baton-Poller-Id header). Absent on the authentication guard's answers."}
}
