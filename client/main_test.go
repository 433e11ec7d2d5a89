package client_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	jsonType = "application/json"
	textType = "text/plain;charset=UTF-8" // what Spring sends for produces=TEXT_PLAIN
)

// exchange is one request the fake server expects, and its answer.
type exchange struct {
	// The request, as it must arrive.
	method string
	path   string     // below /api, escaped exactly as on the wire
	query  url.Values // nil: no query string
	ctype  string     // request Content-Type; "" means no body at all
	body   string     // JSON bodies compare as JSON, others byte for byte
	accept string     // request Accept; "" means application/json

	// The answer.
	status int    // defaults to 200
	rtype  string // answer Content-Type; defaults to JSON when answer is set
	answer string
}

// fakeConductor answers a script of exchanges in order and fails the test on
// any request that differs from the script, or when the script is not used up.
type fakeConductor struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	script []exchange
	next   int
}

func newFake(t *testing.T, script ...exchange) *fakeConductor {
	t.Helper()
	f := &fakeConductor{t: t, script: script}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		f.srv.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		assert.Equal(t, len(f.script), f.next, "requests received out of %d scripted", len(f.script))
	})
	return f
}

// serveScript starts a fake Conductor playing script and returns a client for it.
func serveScript(t *testing.T, script ...exchange) *client.APIClient {
	t.Helper()
	return newFake(t, script...).client(t)
}

func (f *fakeConductor) client(t *testing.T) *client.APIClient {
	t.Helper()
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(f.srv.URL + "/api")})
	require.NoError(t, err)
	return c
}

func (f *fakeConductor) serve(w http.ResponseWriter, r *http.Request) {
	t := f.t
	f.mu.Lock()
	if f.next >= len(f.script) {
		f.mu.Unlock()
		assert.Failf(t, "unexpected request", "%s %s", r.Method, r.RequestURI)
		w.WriteHeader(599)
		return
	}
	ex := f.script[f.next]
	f.next++
	f.mu.Unlock()

	checkRequest(t, ex, r)
	if ex.answer != "" {
		w.Header().Set("Content-Type", cmpOr(ex.rtype, jsonType))
	}
	w.WriteHeader(cmpOrInt(ex.status, http.StatusOK))
	_, _ = io.WriteString(w, ex.answer)
}

// checkRequest asserts that r is exactly the request ex describes.
func checkRequest(t *testing.T, ex exchange, r *http.Request) {
	t.Helper()
	path, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	assert.Equal(t, ex.method, r.Method, "method of %s", r.RequestURI)
	assert.Equal(t, "/api"+ex.path, path, "path")
	q, err := url.ParseQuery(rawQuery)
	assert.NoError(t, err)
	if len(ex.query) == 0 {
		assert.Empty(t, rawQuery, "query of %s", r.RequestURI)
	} else {
		assert.Equal(t, ex.query, q, "query of %s", r.RequestURI)
	}
	assert.Equal(t, cmpOr(ex.accept, jsonType), r.Header.Get("Accept"), "Accept")
	assert.Equal(t, "baton-go", r.Header.Get("User-Agent"), "User-Agent")
	assert.Empty(t, r.Header.Get("X-Authorization"), "X-Authorization without auth")
	assert.Equal(t, ex.ctype, r.Header.Get("Content-Type"), "Content-Type")
	body, err := io.ReadAll(r.Body)
	assert.NoError(t, err)
	switch {
	case ex.ctype == "":
		assert.Empty(t, string(body), "body")
	case strings.HasPrefix(ex.ctype, jsonType):
		assert.JSONEq(t, ex.body, string(body), "body of %s %s", r.Method, r.RequestURI)
	default:
		assert.Equal(t, ex.body, string(body), "body")
	}
}

// fixture returns a JSON answer captured from the real Conductor server
// (compat/server/capture-fixtures.sh).
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "model", "testdata", name))
	require.NoError(t, err, "captured fixture %s", name)
	return string(b)
}

// decodeAs decodes a JSON text the way the client must.
func decodeAs[T any](t testing.TB, s string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func cmpOrInt(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// q builds url.Values from key, value pairs.
func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
