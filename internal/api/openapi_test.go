package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/auth"
)

// TestOpenAPICoversRoutes walks the router: every pattern routes registers
// (and every action of an {action} pattern) serves a documented operation,
// and every documented operation reaches a registered handler.
func TestOpenAPICoversRoutes(t *testing.T) {
	t.Parallel()
	h := NewHandler(newFake(), Config{}).(*Handler)

	served := map[string]bool{} // pattern, or pattern + " " + action
	for _, p := range h.patterns {
		if ops, ok := h.actions[p]; ok {
			for action := range ops {
				served[p+" "+action] = true
			}
			continue
		}
		served[p] = true
	}

	reached := map[string]bool{}
	var guarded []string
	for _, o := range apiOperations() {
		route := o.method + " " + o.path
		if o.guard {
			// Served by the authentication guard in front of the API.
			guarded = append(guarded, route)
			continue
		}
		method, path := o.method, o.path
		target := concretePath(path)
		req := httptest.NewRequest(method, target, nil)
		_, pattern := h.mux.Handler(req)
		require.NotContains(t, []string{"", "/"}, pattern, "documented %s is not served", route)
		key := pattern
		if _, ok := h.actions[pattern]; ok {
			key += " " + target[strings.LastIndex(target, "/")+1:]
		}
		require.True(t, served[key], "documented %s reaches %q, which serves no such operation", route, key)
		reached[key] = true
	}
	var undocumented []string
	for k := range served {
		if !reached[k] {
			undocumented = append(undocumented, k)
		}
	}
	sort.Strings(undocumented)
	require.Empty(t, undocumented, "routes served but not documented in apiOperations (openapi_ops.go)")
	// The guard's only route, which routes() does not serve.
	require.Equal(t, []string{"POST " + auth.TokenPath}, guarded)
	_, pattern := h.mux.Handler(httptest.NewRequest(http.MethodPost, auth.TokenPath, nil))
	require.Equal(t, "/", pattern, "POST %s is the guard's; the API must not serve it too", auth.TokenPath)
}

// concretePath fills a documented path's parameters with sample values.
func concretePath(path string) string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllStringFunc(path, func(p string) string {
		if p == "{version}" {
			return "1"
		}
		return "x" + strings.Trim(p, "{}")
	})
}

// TestOpenAPIDocumentIsValid loads the served document with kin-openapi and
// validates it against the OpenAPI 3.0 specification.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	resp := do(t, newFake(), http.MethodGet, "/api-docs", "")
	body := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, ctJSON, resp.Header.Get("Content-Type"))

	doc, err := openapi3.NewLoader().LoadFromData([]byte(body))
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	require.Equal(t, "3.0.3", doc.OpenAPI)

	ids := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, operation := range item.Operations() {
			require.False(t, ids[operation.OperationID], "operationId %s is used twice", operation.OperationID)
			ids[operation.OperationID] = true
			require.NotEmpty(t, operation.Responses.Map(), "%s %s documents no answer", method, path)
			require.NotNil(t, operation.Responses.Value("400"), "%s %s: every operation can answer 400", method, path)
		}
	}
	// Every link names an operation that exists.
	for path, item := range doc.Paths.Map() {
		for method, operation := range item.Operations() {
			for status, r := range operation.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for name, l := range r.Value.Links {
					require.True(t, ids[l.Value.OperationID], "%s %s %s: link %s names unknown operation %q",
						method, path, status, name, l.Value.OperationID)
				}
			}
		}
	}
}

// TestOpenAPISchemasFollowJSONTags checks the reflection against a type
// whose encoding is known: ErrorResponse.
func TestOpenAPISchemasFollowJSONTags(t *testing.T) {
	t.Parallel()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any `json:"properties"`
				Required   []string                  `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	b, err := apiDoc()
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &doc))
	e := doc.Components.Schemas["ErrorResponse"]
	require.ElementsMatch(t, []string{"status", "code", "message", "instance", "retryable", "validationErrors", "metadata"},
		keys(e.Properties))
	require.Equal(t, "integer", e.Properties["status"]["type"])
	require.Equal(t, []string{"status", "retryable"}, e.Required)
	// A field always written, even when nil, is nullable.
	wt := doc.Components.Schemas["WorkerTask"].Properties["taskDefinition"]
	require.Equal(t, true, wt["nullable"])
	// Enums come from the model's lists.
	require.Contains(t, doc.Components.Schemas["TaskResult"].Properties["status"]["enum"], "FAILED_WITH_TERMINAL_ERROR")
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return slices.Sorted(slices.Values(out))
}

// requireAnswerMatchesDocument validates an answer against the served
// document with kin-openapi's response validation.
func requireAnswerMatchesDocument(t *testing.T, method, target, reqBody string, resp *http.Response, body string) {
	t.Helper()
	b, err := apiDoc()
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(b)
	require.NoError(t, err)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	req := httptest.NewRequest(method, "http://baton"+target, strings.NewReader(reqBody))
	req.Header.Set("Content-Type", ctJSON)
	route, params, err := router.FindRoute(req)
	require.NoError(t, err)
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{ExcludeRequestBody: true}}
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(strings.NewReader(body)),
	}), "%s %s answered %d %s", method, target, resp.StatusCode, body)
}
