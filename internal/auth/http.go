package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
)

// TokenPath is where keys are exchanged for tokens, as on Orkes.
const TokenPath = "/api/token"

// HeaderName is the request header that carries the token (no "Bearer").
const HeaderName = "X-Authorization"

// CookieName is the cookie in which the web UI keeps a token after its
// login (HttpOnly, SameSite=Strict).
const CookieName = "baton_token"

// maxTokenRequest bounds the body of POST /api/token.
const maxTokenRequest = 16 << 10

// Error codes of Orkes's 401 answers. The JavaScript and Python SDKs fetch
// a new token and retry the request once on these two, and on nothing else.
const (
	codeExpired = "EXPIRED_TOKEN"
	codeInvalid = "INVALID_TOKEN"
)

// errorAnswer is Conductor's ErrorResponse with Orkes's "error" code.
type errorAnswer struct {
	model.ErrorResponse
	Error string `json:"error,omitempty"`
}

// tokenRequest is the body of POST /api/token.
type tokenRequest struct {
	KeyID     string `json:"keyId"`
	KeySecret string `json:"keySecret"`
}

// Handler guards next: POST /api/token issues tokens, GET /health and
// Config.OpenPaths are served as they are, and every other request needs a
// valid token in X-Authorization (or the Config.Cookie cookie).
func (a *Auth) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == TokenPath:
			a.serveToken(w, r)
			return
		case r.URL.Path == "/health" || r.URL.Path == "/api/health" || a.open(r.URL.Path):
			next.ServeHTTP(w, r)
			return
		}
		tok := r.Header.Get(HeaderName)
		if tok == "" && a.cfg.Cookie != "" {
			if c, err := r.Cookie(a.cfg.Cookie); err == nil {
				tok = c.Value
			}
		}
		_, err := a.Verify(r.Context(), tok)
		if err == nil {
			next.ServeHTTP(w, r)
			return
		}
		if a.cfg.LoginPath != "" && wantsPage(r) {
			http.Redirect(w, r, a.cfg.LoginPath+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		a.refuse(w, r, tok, err)
	})
}

func (a *Auth) open(path string) bool {
	for _, p := range a.cfg.OpenPaths {
		if path == p || strings.HasSuffix(p, "/") && strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// wantsPage reports whether r is a browser asking for a page, rather than
// an API client.
func wantsPage(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		!strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// refuse answers a request whose token was refused.
func (a *Auth) refuse(w http.ResponseWriter, r *http.Request, tok string, err error) {
	var ans errorAnswer
	switch {
	case errors.Is(err, ErrExpiredToken):
		ans = a.answer(http.StatusUnauthorized, codeExpired, "the token has expired: get a new one at POST /api/token")
	case errors.Is(err, ErrInvalidToken) && tok == "":
		ans = a.answer(http.StatusUnauthorized, codeInvalid, "this server requires authentication: send a token from POST /api/token in the X-Authorization header")
	case errors.Is(err, ErrInvalidToken):
		detail := strings.TrimPrefix(err.Error(), ErrInvalidToken.Error())
		ans = a.answer(http.StatusUnauthorized, codeInvalid, "the token is not valid"+detail+": get a new one at POST /api/token")
	default:
		// The key could not be read: the server's fault, and passing.
		a.cfg.Logger.Error("auth: verify token", "method", r.Method, "path", r.URL.Path, "err", err)
		ans = a.answer(http.StatusServiceUnavailable, "", "the server could not check the token; try again")
		ans.Retryable = true
	}
	a.cfg.Logger.Debug("auth: request refused", "method", r.Method, "path", r.URL.Path, "status", ans.Status, "error", ans.Error)
	writeJSON(w, ans.Status, ans)
}

func (a *Auth) answer(status int, code, msg string) errorAnswer {
	return errorAnswer{ErrorResponse: model.ErrorResponse{Status: status, Message: msg, Instance: a.cfg.ServerID}, Error: code}
}

// serveToken answers POST /api/token: {"keyId": ..., "keySecret": ...} →
// {"token": ...}.
func (a *Auth) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, a.answer(http.StatusMethodNotAllowed, "", "use POST "+TokenPath+` with {"keyId": ..., "keySecret": ...}`))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTokenRequest))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeJSON(w, http.StatusRequestEntityTooLarge, a.answer(http.StatusRequestEntityTooLarge, "", "the token request is larger than "+strconv.Itoa(maxTokenRequest)+" bytes"))
		return
	case err != nil:
		writeJSON(w, http.StatusBadRequest, a.answer(http.StatusBadRequest, "", "cannot read the token request: "+err.Error()))
		return
	}
	var req tokenRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, a.answer(http.StatusBadRequest, "", `the token request must be JSON {"keyId": ..., "keySecret": ...}: `+err.Error()))
		return
	}
	tok, _, err := a.Issue(r.Context(), req.KeyID, req.KeySecret)
	switch {
	case errors.Is(err, ErrBadCredentials):
		// No token code here: the SDKs would answer one by asking for a
		// token again, with the same key.
		a.cfg.Logger.Debug("auth: token refused", "key_id", truncate(req.KeyID, maxKeyIDLen))
		writeJSON(w, http.StatusUnauthorized, a.answer(http.StatusUnauthorized, "", "wrong key id or secret, or the key was revoked"))
	case err != nil:
		a.cfg.Logger.Error("auth: issue token", "err", err)
		ans := a.answer(http.StatusServiceUnavailable, "", "the server could not check the key; try again")
		ans.Retryable = true
		writeJSON(w, ans.Status, ans)
	default:
		writeJSON(w, http.StatusOK, map[string]string{"token": tok})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // strings, ints and bools always encode
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
