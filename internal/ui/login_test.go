package ui_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
)

func setupAuth(t *testing.T) (*testBundle, string, string) {
	t.Helper()
	b := setup(t, batontest.WithAuth())
	id, secret := b.srv.APIKey()
	return b, id, secret
}

func tokenCookie(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, line := range h.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		require.NoError(t, err)
		if c.Name == "baton_token" {
			return c
		}
	}
	t.Fatalf("no baton_token cookie in %q", h.Values("Set-Cookie"))
	return nil
}

func TestLoginFlow(t *testing.T) {
	t.Parallel()
	b, id, secret := setupAuth(t)
	page := map[string]string{"Accept": "text/html"}

	status, h, _ := b.do(t, http.MethodGet, "/executions?status=RUNNING", nil, page)
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, "/login?next=%2Fexecutions%3Fstatus%3DRUNNING", h.Get("Location"))

	status, h, body := b.do(t, http.MethodGet, "/login?next=%2Fexecutions%3Fstatus%3DRUNNING", nil, page)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, h.Get("Content-Security-Policy"), "form-action 'self'")
	require.Contains(t, body, `name="next" value="/executions?status=RUNNING"`)
	require.Contains(t, body, `type="password"`)
	require.NotContains(t, body, `id="logout"`, "nothing to log out of yet")

	form := url.Values{"key_id": {id}, "key_secret": {secret + "x"}, "next": {"/executions?status=RUNNING"}}
	status, h, body = b.do(t, http.MethodPost, "/login", form, page)
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, body, "wrong key id or secret")
	require.Empty(t, h.Values("Set-Cookie"))
	require.NotContains(t, body, secret, "the secret is not echoed")

	form.Set("key_secret", secret)
	status, h, _ = b.do(t, http.MethodPost, "/login", form, page)
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, "/executions?status=RUNNING", h.Get("Location"))
	c := tokenCookie(t, h)
	require.True(t, c.HttpOnly)
	require.Equal(t, http.SameSiteStrictMode, c.SameSite)
	require.Equal(t, "/", c.Path)
	require.False(t, c.Secure, "plain HTTP here; Secure is set over TLS")

	withCookie := map[string]string{"Accept": "text/html", "Cookie": "baton_token=" + c.Value}
	status, _, body = b.do(t, http.MethodGet, "/executions", nil, withCookie)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `id="logout"`)
	status, _, _ = b.do(t, http.MethodGet, "/api/metadata/taskdefs", nil, withCookie)
	require.Equal(t, http.StatusOK, status, "the cookie also carries the UI's API calls")

	status, h, _ = b.do(t, http.MethodPost, "/logout", url.Values{}, withCookie)
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, "/login", h.Get("Location"))
	cleared := tokenCookie(t, h)
	require.Empty(t, cleared.Value)
	require.Negative(t, cleared.MaxAge)
}

func TestLoginRefusesHostileInput(t *testing.T) {
	t.Parallel()
	b, id, secret := setupAuth(t)
	for _, next := range []string{"//evil.example/x", `/\evil.example`, "https://evil.example/", "javascript:alert(1)", "/login?next=/login", ""} {
		form := url.Values{"key_id": {id}, "key_secret": {secret}, "next": {next}}
		status, h, _ := b.do(t, http.MethodPost, "/login", form, nil)
		require.Equal(t, http.StatusSeeOther, status, next)
		require.Equal(t, "/executions", h.Get("Location"), "never leaves the server: %q", next)
	}
	for name, form := range map[string]url.Values{
		"empty":        {},
		"no secret":    {"key_id": {id}},
		"huge id":      {"key_id": {strings.Repeat("a", 5000)}, "key_secret": {secret}},
		"huge secret":  {"key_id": {id}, "key_secret": {strings.Repeat("s", 5000)}},
		"control char": {"key_id": {id + "\x00"}, "key_secret": {secret}},
	} {
		status, h, _ := b.do(t, http.MethodPost, "/login", form, nil)
		require.Contains(t, []int{http.StatusBadRequest, http.StatusUnauthorized}, status, name)
		require.Empty(t, h.Values("Set-Cookie"), name)
	}
	// Another site cannot log a browser in (login CSRF).
	form := url.Values{"key_id": {id}, "key_secret": {secret}}
	status, h, _ := b.do(t, http.MethodPost, "/login", form, map[string]string{"Sec-Fetch-Site": "cross-site"})
	require.Equal(t, http.StatusForbidden, status)
	require.Empty(t, h.Values("Set-Cookie"))
	// A forged or stale cookie is no login.
	status, h, _ = b.do(t, http.MethodGet, "/executions", nil, map[string]string{"Accept": "text/html", "Cookie": "baton_token=forged"})
	require.Equal(t, http.StatusSeeOther, status)
	require.True(t, strings.HasPrefix(h.Get("Location"), "/login?next="))
}

func TestNoLoginPageWithoutAuth(t *testing.T) {
	t.Parallel()
	b := setup(t)
	status, _, _ := b.do(t, http.MethodGet, "/login", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
	_, _, body := b.do(t, http.MethodGet, "/executions", nil, nil)
	require.NotContains(t, body, `id="logout"`)
}

// Over HTTPS the token cookie is also Secure: the browser never sends it in
// clear.
func TestLoginCookieIsSecureOverTLS(t *testing.T) {
	t.Parallel()
	b, id, secret := setupAuth(t)
	form := url.Values{"key_id": {id}, "key_secret": {secret}}
	r := httptest.NewRequest(http.MethodPost, "https://baton.example/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	require.NotNil(t, r.TLS)
	w := httptest.NewRecorder()
	b.srv.Server().Handler().ServeHTTP(w, r)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	c := tokenCookie(t, w.Result().Header)
	require.True(t, c.Secure)
	require.True(t, c.HttpOnly)
}
