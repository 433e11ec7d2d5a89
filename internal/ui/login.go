package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/batonhq/baton/internal/auth"
)

// The login page, served when the server requires tokens: it exchanges a
// key id and secret for a token, as POST /api/token does, and keeps the
// token in an HttpOnly, SameSite=Strict cookie that the auth guard accepts
// in place of X-Authorization. Scripts cannot read it, and other sites
// cannot make the browser send it.

// maxLoginField bounds what the login form's fields may hold.
const maxLoginField = 1024

type loginData struct {
	Next    string
	KeyID   string
	Problem *problem
}

func (h *Handler) loginPage(r *http.Request) (*view, error) {
	return h.loginView(http.StatusOK, safeNext(r.URL.Query().Get("next")), "", nil), nil
}

func (h *Handler) loginView(status int, next, keyID string, p *problem) *view {
	return &view{status: status, page: "login", title: "Log in", data: loginData{Next: next, KeyID: keyID, Problem: p}}
}

func (h *Handler) login(r *http.Request) (*view, error) {
	if err := r.ParseForm(); err != nil {
		return nil, badInput("cannot read the login form: %v", err)
	}
	id, secret := strings.TrimSpace(r.PostForm.Get("key_id")), strings.TrimSpace(r.PostForm.Get("key_secret"))
	next := safeNext(r.PostForm.Get("next"))
	if len(id) > maxLoginField || len(secret) > maxLoginField {
		return h.loginView(http.StatusBadRequest, next, "", &problem{Status: http.StatusBadRequest, Message: "the key id or secret is too long"}), nil
	}
	if id == "" || secret == "" {
		return h.loginView(http.StatusBadRequest, next, id, &problem{Status: http.StatusBadRequest, Message: "give a key id and its secret"}), nil
	}
	tok, exp, err := h.cfg.Auth.Issue(r.Context(), id, secret)
	if errors.Is(err, auth.ErrBadCredentials) {
		return h.loginView(http.StatusUnauthorized, next, id, &problem{Status: http.StatusUnauthorized, Message: "wrong key id or secret, or the key was revoked"}), nil
	}
	if err != nil {
		h.cfg.Logger.Error("ui: login", "err", err)
		return h.loginView(http.StatusServiceUnavailable, next, id, &problem{Status: http.StatusServiceUnavailable, Message: "the server could not check the key; try again"}), nil
	}
	return &view{redirect: next, cookie: tokenCookie(r, tok, exp)}, nil
}

func (h *Handler) logout(r *http.Request) (*view, error) {
	return &view{redirect: "/login", cookie: tokenCookie(r, "", time.Unix(1, 0))}, nil
}

// tokenCookie holds tok until exp; an expired one deletes the cookie.
func tokenCookie(r *http.Request, tok string, exp time.Time) *http.Cookie {
	c := &http.Cookie{Name: auth.CookieName, Value: tok, Path: "/", Expires: exp, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil}
	if tok == "" {
		c.MaxAge = -1
	}
	return c
}

// safeNext returns where to go after the login: a path on this server,
// never another site ("//evil.example", "/\evil.example", "https://...").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.ContainsAny(next, "\r\n\t") || len(next) > 2048 || strings.HasPrefix(next, "/login") {
		return "/executions"
	}
	return next
}
