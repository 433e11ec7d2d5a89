package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/batonhq/baton/settings"
)

// defaultTokenTTL is assumed for a token whose lifetime cannot be read (not
// a JWT, or no exp claim); it is what the official Go SDK assumes for all.
const defaultTokenTTL = 30 * time.Minute

// tokenSource fetches tokens from POST /token and shares one among all
// requests until it is due for renewal or the server refuses it. Fetches
// are single-flight: concurrent callers wait for the one in progress.
type tokenSource struct {
	c      *APIClient
	auth   *settings.AuthenticationSettings
	margin time.Duration
	now    func() time.Time
	log    *slog.Logger

	mu      sync.Mutex
	tok     string
	renewAt time.Time
	flight  *tokenFlight // the fetch in progress, if any

	// waitHook, set only by tests, runs when a caller starts waiting for
	// another caller's fetch.
	waitHook func()
}

// tokenFlight is one fetch that several callers wait for.
type tokenFlight struct {
	done chan struct{} // closed when the fields below are set
	tok  string
	err  error
	// abandoned is set when the fetch failed because the context of the
	// caller that ran it ended; the waiters then try again themselves.
	abandoned bool
}

func newTokenSource(c *APIClient, auth *settings.AuthenticationSettings, margin time.Duration, now func() time.Time, log *slog.Logger) *tokenSource {
	return &tokenSource{c: c, auth: auth, margin: margin, now: now, log: log}
}

// token returns a token that is not due for renewal, fetching one if needed.
// A failed fetch is an error: no request goes out without its token.
func (s *tokenSource) token(ctx context.Context) (string, error) {
	for {
		s.mu.Lock()
		if s.tok != "" && s.now().Before(s.renewAt) {
			tok := s.tok
			s.mu.Unlock()
			return tok, nil
		}
		if f := s.flight; f != nil {
			hook := s.waitHook
			s.mu.Unlock()
			if hook != nil {
				hook()
			}
			select {
			case <-f.done:
			case <-ctx.Done():
				return "", fmt.Errorf("conductor: wait for token: %w", ctx.Err())
			}
			if f.abandoned {
				continue
			}
			return f.tok, f.err
		}
		f := &tokenFlight{done: make(chan struct{})}
		s.flight = f
		s.mu.Unlock()

		tok, renewAt, err := s.fetch(ctx)

		s.mu.Lock()
		if err == nil {
			s.tok, s.renewAt = tok, renewAt
		}
		f.tok, f.err, f.abandoned = tok, err, err != nil && ctx.Err() != nil
		s.flight = nil
		s.mu.Unlock()
		close(f.done)
		return tok, err
	}
}

// invalidate drops tok after the server refused it. A token fetched since
// then by another request is kept, so a burst of 401s costs one fetch.
func (s *tokenSource) invalidate(tok string) {
	s.mu.Lock()
	if s.tok == tok {
		s.tok = ""
	}
	s.mu.Unlock()
}

// fetch exchanges the key for a token and says when to renew it.
func (s *tokenSource) fetch(ctx context.Context) (string, time.Time, error) {
	r := request{method: http.MethodPost, path: "/token"}
	payload, err := json.Marshal(s.auth.GetBody()) // {"keyId": ..., "keySecret": ...}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("conductor: POST /token: encode body: %w", err)
	}
	resp, err := s.c.send(ctx, r, payload, "application/json", "") // the caller bounds the fetch
	if err != nil {
		return "", time.Time{}, err // already "conductor: POST /token: ..."
	}
	ok, err := s.c.read(resp, r)
	if errors.Is(err, ErrUnauthorized) {
		return "", time.Time{}, fmt.Errorf("%w (check the key id and secret)", err)
	}
	if err != nil {
		return "", time.Time{}, err
	}
	var t struct {
		Token string `json:"token"`
	}
	if _, err := decode(ok, r, &t); err != nil {
		return "", time.Time{}, err
	}
	if t.Token == "" {
		return "", time.Time{}, errors.New("conductor: POST /token: the answer has no token")
	}
	now := s.now()
	ttl := tokenTTL(t.Token, now)
	wait := ttl - s.margin
	if wait < ttl/2 {
		// A token shorter-lived than twice the margin is still reused for
		// half its life rather than fetched for every request.
		wait = ttl / 2
	}
	s.log.DebugContext(ctx, "conductor: fetched token", "ttl", ttl, "renew_in", wait)
	return t.Token, now.Add(wait), nil
}

// tokenTTL says how long a token lives, from its JWT claims read without
// verification (the server verifies; the client only needs to know when to
// renew). With both iat and exp the lifetime does not depend on the two
// clocks agreeing; with exp alone it is measured from now.
func tokenTTL(tok string, now time.Time) time.Duration {
	iat, exp, ok := jwtTimes(tok)
	switch {
	case !ok:
		return defaultTokenTTL
	case iat > 0 && exp > iat:
		return time.Duration(exp-iat) * time.Second
	default:
		return max(time.Unix(exp, 0).Sub(now), 0)
	}
}

// jwtTimes reads the iat (0 when absent) and exp claims of a JWT.
func jwtTimes(tok string) (iat, exp int64, ok bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return 0, 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return 0, 0, false
	}
	var claims struct {
		Iat json.Number `json:"iat"`
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return 0, 0, false
	}
	e, err := claims.Exp.Float64()
	if err != nil || e <= 0 || e > 1<<40 {
		return 0, 0, false
	}
	i, err := claims.Iat.Float64()
	if err != nil || i < 0 || i > 1<<40 {
		i = 0
	}
	return int64(i), int64(e), true
}
