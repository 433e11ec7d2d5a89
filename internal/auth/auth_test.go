package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
)

// clock is a fake clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type fixture struct {
	st    *sqlite.Store
	clock *clock
	auth  *auth.Auth
	key   *auth.NewKey
	h     http.Handler
}

func setup(t testing.TB) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	keys := auth.NewKeys(st, c.Now)
	a, err := auth.New(context.Background(), auth.Config{Keys: keys, Now: c.Now, ServerID: "baton-test",
		OpenPaths: []string{"/static/", "/login"}, Cookie: "baton_token", LoginPath: "/login"})
	require.NoError(t, err)
	k, err := keys.Create(context.Background(), "test")
	require.NoError(t, err)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok "+r.URL.Path) })
	return &fixture{st: st, clock: c, auth: a, key: k, h: a.Handler(next)}
}

func (f *fixture) do(t *testing.T, method, path, body string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func (f *fixture) token(t *testing.T) string {
	t.Helper()
	tok, _, err := f.auth.Issue(context.Background(), f.key.ID, f.key.Secret)
	require.NoError(t, err)
	return tok
}

// refusal is the body of a 401: Conductor's ErrorResponse plus Orkes's code.
type refusal struct {
	Status    int    `json:"status"`
	Message   string `json:"message"`
	Instance  string `json:"instance"`
	Retryable bool   `json:"retryable"`
	Error     string `json:"error"`
}

func decodeRefusal(t *testing.T, w *httptest.ResponseRecorder) refusal {
	t.Helper()
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	var r refusal
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &r), w.Body.String())
	assert.Equal(t, w.Code, r.Status)
	assert.NotEmpty(t, r.Message)
	return r
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestTokenRoundTrip(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tok, exp, err := f.auth.Issue(context.Background(), f.key.ID, f.key.Secret)
	require.NoError(t, err)
	assert.True(t, f.clock.Now().Add(auth.DefaultTokenTTL).Equal(exp), exp)
	id, err := f.auth.Verify(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, f.key.ID, id)

	w := f.do(t, http.MethodGet, "/api/metadata/taskdefs", "", map[string]string{"X-Authorization": tok})
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "ok /api/metadata/taskdefs", w.Body.String())

	// A token from one store is not valid for a server with another
	// signing key.
	other := setup(t)
	_, err = other.auth.Verify(context.Background(), tok)
	require.ErrorIs(t, err, auth.ErrInvalidToken)
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tok := f.token(t)
	f.clock.Add(auth.DefaultTokenTTL - time.Second)
	_, err := f.auth.Verify(context.Background(), tok)
	require.NoError(t, err, "valid until its expiry")
	f.clock.Add(time.Second)
	_, err = f.auth.Verify(context.Background(), tok)
	require.ErrorIs(t, err, auth.ErrExpiredToken)

	w := f.do(t, http.MethodPost, "/api/tasks", "{}", map[string]string{"X-Authorization": tok})
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	r := decodeRefusal(t, w)
	assert.Equal(t, "EXPIRED_TOKEN", r.Error)
	assert.Equal(t, "baton-test", r.Instance)
	assert.False(t, r.Retryable)
}

func TestRefusedTokens(t *testing.T) {
	t.Parallel()
	f := setup(t)
	good := f.token(t)
	parts := strings.Split(good, ".")
	key := f.auth.SigningKey()
	now := f.clock.Now()
	cases := map[string]string{
		"missing":            "",
		"garbage":            "not a token",
		"two parts":          parts[0] + "." + parts[1],
		"four parts":         good + ".x",
		"wrong signature":    parts[0] + "." + parts[1] + "." + b64(strings.Repeat("x", 32)),
		"signature of other": auth.Sign([]byte(strings.Repeat("k", 32)), f.key.ID, now, now.Add(time.Hour)),
		"alg none":           b64(`{"alg":"none","typ":"JWT"}`) + "." + parts[1] + ".",
		"alg none signed":    b64(`{"alg":"none","typ":"JWT"}`) + "." + parts[1] + "." + parts[2],
		"alg lowercase":      b64(`{"alg":"hs256","typ":"JWT"}`) + "." + parts[1] + "." + parts[2],
		"alg RS256":          b64(`{"alg":"RS256","typ":"JWT"}`) + "." + parts[1] + "." + parts[2],
		"crit header":        b64(`{"alg":"HS256","crit":["exp"]}`) + "." + parts[1] + "." + parts[2],
		"padded base64":      parts[0] + "." + parts[1] + "." + parts[2] + "=",
		"unknown key":        auth.Sign(key, "no-such-key", now, now.Add(time.Hour)),
		"no subject":         auth.Sign(key, "", now, now.Add(time.Hour)),
		"issued in future":   auth.Sign(key, f.key.ID, now.Add(time.Hour), now.Add(2*time.Hour)),
		"exp before iat":     auth.Sign(key, f.key.ID, now, now.Add(-time.Second)),
		"huge":               strings.Repeat("a", 5000) + "." + parts[1] + "." + parts[2],
		"many dots":          strings.Repeat(".", 4000),
		"json not object":    b64(`[]`) + "." + parts[1] + "." + parts[2],
		"not utf8":           "\xff\xfe.\xff.\xff",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := f.auth.Verify(context.Background(), tok)
			require.ErrorIs(t, err, auth.ErrInvalidToken)
			hdr := map[string]string{}
			if tok != "" && utf8.ValidString(tok) {
				hdr["X-Authorization"] = tok
			}
			w := f.do(t, http.MethodGet, "/api/workflow/abc", "", hdr)
			assert.Equal(t, http.StatusUnauthorized, w.Code)
			assert.Equal(t, "INVALID_TOKEN", decodeRefusal(t, w).Error)
		})
	}
}

func TestTamperedClaimsAreRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	parts := strings.Split(f.token(t), ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(raw, &c))
	c["exp"] = c["exp"].(float64) + 1e6
	longer, err := json.Marshal(c)
	require.NoError(t, err)
	_, err = f.auth.Verify(context.Background(), parts[0]+"."+b64(string(longer))+"."+parts[2])
	require.ErrorIs(t, err, auth.ErrInvalidToken)
}

func TestRevokedKey(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tok := f.token(t)
	keys := f.auth.Keys()
	require.NoError(t, keys.Revoke(context.Background(), f.key.ID))

	// Issued tokens stop working at once...
	w := f.do(t, http.MethodGet, "/api/workflow/abc", "", map[string]string{"X-Authorization": tok})
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	r := decodeRefusal(t, w)
	assert.Equal(t, "INVALID_TOKEN", r.Error)
	assert.Contains(t, r.Message, "revoked")
	// ...and no new one is issued.
	_, _, err := f.auth.Issue(context.Background(), f.key.ID, f.key.Secret)
	require.ErrorIs(t, err, auth.ErrBadCredentials)

	require.ErrorIs(t, keys.Revoke(context.Background(), "no-such-key"), store.ErrNotFound)
	active, err := keys.HasActive(context.Background())
	require.NoError(t, err)
	assert.False(t, active)
}

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	f := setup(t)
	body := `{"keyId":"` + f.key.ID + `","keySecret":"` + f.key.Secret + `"}`
	w := f.do(t, http.MethodPost, "/api/token", body, map[string]string{"Content-Type": "application/json"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var ans struct{ Token string }
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &ans))
	id, err := f.auth.Verify(context.Background(), ans.Token)
	require.NoError(t, err)
	assert.Equal(t, f.key.ID, id)
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))

	cases := []struct {
		name, method, body string
		status             int
	}{
		{"wrong secret", http.MethodPost, `{"keyId":"` + f.key.ID + `","keySecret":"wrong"}`, http.StatusUnauthorized},
		{"secret of another length", http.MethodPost, `{"keyId":"` + f.key.ID + `","keySecret":"` + f.key.Secret + `x"}`, http.StatusUnauthorized},
		{"unknown key", http.MethodPost, `{"keyId":"nope","keySecret":"` + f.key.Secret + `"}`, http.StatusUnauthorized},
		{"empty object", http.MethodPost, `{}`, http.StatusUnauthorized},
		{"empty body", http.MethodPost, ``, http.StatusBadRequest},
		{"not JSON", http.MethodPost, `keyId=a&keySecret=b`, http.StatusBadRequest},
		{"wrong types", http.MethodPost, `{"keyId":1,"keySecret":true}`, http.StatusBadRequest},
		{"huge id", http.MethodPost, `{"keyId":"` + strings.Repeat("a", 10000) + `","keySecret":"x"}`, http.StatusUnauthorized},
		{"huge body", http.MethodPost, `{"keyId":"` + strings.Repeat("a", 20000) + `"}`, http.StatusRequestEntityTooLarge},
		{"GET", http.MethodGet, ``, http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := f.do(t, tc.method, "/api/token", tc.body, nil)
			assert.Equal(t, tc.status, w.Code)
			r := decodeRefusal(t, w)
			// A refused key carries no token code: the SDKs would answer
			// one with another token request, forever.
			assert.Empty(t, r.Error)
			assert.NotContains(t, w.Body.String(), f.key.Secret)
		})
	}
}

func TestOpenPathsAndBrowsers(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, p := range []string{"/health", "/static/baton.css", "/login"} {
		w := f.do(t, http.MethodGet, p, "", nil)
		assert.Equal(t, http.StatusOK, w.Code, p)
	}
	// Prefix matching only for entries ending in "/".
	w := f.do(t, http.MethodGet, "/loginx", "", nil)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	w = f.do(t, http.MethodGet, "/metrics", "", nil)
	assert.Equal(t, http.StatusUnauthorized, w.Code, "metrics are protected unless listed")

	// A browser is sent to the login page, with where it was going.
	w = f.do(t, http.MethodGet, "/executions?status=FAILED", "", map[string]string{"Accept": "text/html,*/*"})
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/login?next=%2Fexecutions%3Fstatus%3DFAILED", w.Header().Get("Location"))
	// ...but API paths and forms get a 401.
	w = f.do(t, http.MethodGet, "/api/workflow/x", "", map[string]string{"Accept": "text/html"})
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	w = f.do(t, http.MethodPost, "/executions/x/pause", "", map[string]string{"Accept": "text/html"})
	assert.Equal(t, http.StatusUnauthorized, w.Code)

	// The cookie is accepted in place of the header.
	r := httptest.NewRequest(http.MethodGet, "/executions", nil)
	r.AddCookie(&http.Cookie{Name: "baton_token", Value: f.token(t)})
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, r)
	assert.Equal(t, http.StatusOK, rec.Code)
}

func TestStoreFaultIsNot500(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tok := f.token(t)
	require.NoError(t, f.st.Close())
	w := f.do(t, http.MethodGet, "/api/workflow/x", "", map[string]string{"X-Authorization": tok})
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.True(t, decodeRefusal(t, w).Retryable)
	w = f.do(t, http.MethodPost, "/api/token", `{"keyId":"`+f.key.ID+`","keySecret":"`+f.key.Secret+`"}`, nil)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
}

func TestKeys(t *testing.T) {
	t.Parallel()
	f := setup(t)
	keys := f.auth.Keys()
	k2, err := keys.Create(context.Background(), "second")
	require.NoError(t, err)
	assert.Len(t, k2.ID, 36)
	assert.Len(t, k2.Secret, 43, "256 bits, base64url")
	assert.NotEqual(t, f.key.Secret, k2.Secret)
	list, err := keys.List(context.Background())
	require.NoError(t, err)
	require.Len(t, list, 2)
	for _, k := range list {
		assert.NotContains(t, string(k.SecretSHA256), k2.Secret, "only the hash is stored")
		assert.Len(t, k.SecretSHA256, 32)
	}
	_, err = keys.Create(context.Background(), "bad\nname")
	require.Error(t, err)
	_, err = keys.Create(context.Background(), strings.Repeat("n", 201))
	require.Error(t, err)
	require.ErrorIs(t, keys.Authenticate(context.Background(), k2.ID, f.key.Secret), auth.ErrBadCredentials)
	require.NoError(t, keys.Authenticate(context.Background(), k2.ID, k2.Secret))
}

func TestSigningKeyIsKept(t *testing.T) {
	t.Parallel()
	f := setup(t)
	again, err := auth.New(context.Background(), auth.Config{Keys: auth.NewKeys(f.st, f.clock.Now), Now: f.clock.Now})
	require.NoError(t, err)
	assert.Equal(t, f.auth.SigningKey(), again.SigningKey())
	_, err = again.Verify(context.Background(), f.token(t))
	require.NoError(t, err, "a token survives a restart")

	_, err = auth.New(context.Background(), auth.Config{})
	require.Error(t, err)
	_, err = auth.New(context.Background(), auth.Config{Keys: auth.NewKeys(f.st, nil), TokenTTL: -time.Second})
	require.Error(t, err)
}

// A key revoked by another process on the same database (`baton keys
// revoke` beside a running server) is refused within RecheckInterval.
func TestRevokedByAnotherProcess(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.db")
	open := func() *sqlite.Store {
		st, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, st.Close()) })
		return st
	}
	serverDB, cliDB := open(), open()
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	a, err := auth.New(context.Background(), auth.Config{Keys: auth.NewKeys(serverDB, c.Now), Now: c.Now})
	require.NoError(t, err)
	k, err := auth.NewKeys(cliDB, c.Now).Create(context.Background(), "cli")
	require.NoError(t, err)
	tok, _, err := a.Issue(context.Background(), k.ID, k.Secret)
	require.NoError(t, err, "a key made by another process works at once")
	_, err = a.Verify(context.Background(), tok)
	require.NoError(t, err)

	require.NoError(t, auth.NewKeys(cliDB, c.Now).Revoke(context.Background(), k.ID))
	_, _, err = a.Issue(context.Background(), k.ID, k.Secret)
	require.ErrorIs(t, err, auth.ErrBadCredentials, "no new token at once")
	c.Add(auth.RecheckInterval - time.Millisecond)
	_, err = a.Verify(context.Background(), tok)
	require.NoError(t, err, "the key was read active less than RecheckInterval ago")
	c.Add(time.Millisecond)
	_, err = a.Verify(context.Background(), tok)
	require.ErrorIs(t, err, auth.ErrInvalidToken)
}
