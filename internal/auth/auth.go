package auth

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// DefaultTokenTTL is how long a token lives unless Config.TokenTTL says
// otherwise: an hour, as Orkes's. The official SDKs renew theirs after 30
// (Go) or 45 (JavaScript, Python) minutes without reading its expiry, so a
// shorter lifetime breaks the Go SDK, which does not renew on a 401.
const DefaultTokenTTL = time.Hour

// RecheckInterval is how long a key found active is taken to stay active
// without reading it again. A key revoked by this process (Keys.Revoke) is
// refused at once; one revoked by another process on the same database
// (`baton keys revoke` beside a running server) within this interval.
const RecheckInterval = time.Second

// maxCachedKeys bounds the active-key cache; it is emptied when full.
const maxCachedKeys = 10000

// signingKeyName is the name of the token signing key in the KeyStore.
const signingKeyName = "jwt-hs256"

// Config configures an Auth.
type Config struct {
	// Keys are the application keys tokens are issued for. Required.
	Keys *Keys
	// TokenTTL is how long an issued token is valid. Defaults to
	// DefaultTokenTTL (1h).
	TokenTTL time.Duration
	// Now is the clock tokens are issued and checked on. Defaults to
	// time.Now.
	Now func() time.Time
	// Logger receives refused requests (at Debug) and store faults.
	// Defaults to a logger that discards everything.
	Logger *slog.Logger
	// ServerID is the "instance" of error answers.
	ServerID string
	// OpenPaths are served without a token besides /health, /api/health and POST
	// /api/token: exact paths, or prefixes when they end in "/" (e.g.
	// "/static/").
	OpenPaths []string
	// Cookie, when set, is the name of a cookie whose value is accepted as
	// the token when X-Authorization is absent (the web UI's login).
	Cookie string
	// LoginPath, when set, is where a browser asking for a page without a
	// valid token is redirected (303, with ?next=), instead of a 401.
	LoginPath string
}

// Auth issues and verifies tokens, and guards an http.Handler with them.
type Auth struct {
	cfg  Config
	keys *Keys
	key  []byte // HS256 signing key

	mu     sync.Mutex
	active map[string]activeKey // key id → when it was last read active
}

// activeKey is a key read active at checked, when Keys had seen
// revocations revocations.
type activeKey struct {
	checked     time.Time
	revocations int64
}

// New returns an Auth whose tokens are signed with the key kept in the
// KeyStore, generating and storing a random 256-bit one on first use.
func New(ctx context.Context, cfg Config) (*Auth, error) {
	if cfg.Keys == nil {
		return nil, errors.New("auth: Config.Keys is required")
	}
	if cfg.TokenTTL < 0 {
		return nil, fmt.Errorf("auth: TokenTTL %v must not be negative (0 means %v)", cfg.TokenTTL, DefaultTokenTTL)
	}
	cfg.TokenTTL = cmp.Or(cfg.TokenTTL, DefaultTokenTTL)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh) // crypto/rand.Read never fails
	key, err := cfg.Keys.st.ServerSecret(ctx, signingKeyName, fresh)
	if err != nil {
		return nil, fmt.Errorf("auth: token signing key: %w", err)
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("auth: the stored token signing key has %d bytes, want 32", len(key))
	}
	return &Auth{cfg: cfg, keys: cfg.Keys, key: key, active: map[string]activeKey{}}, nil
}

// Keys returns the keys tokens are issued for.
func (a *Auth) Keys() *Keys { return a.keys }

// Issue checks a key id and secret and returns a token for the key with
// its expiry. ErrBadCredentials unless they name an active key.
func (a *Auth) Issue(ctx context.Context, keyID, secret string) (string, time.Time, error) {
	if err := a.keys.Authenticate(ctx, keyID, secret); err != nil {
		return "", time.Time{}, err
	}
	now := a.cfg.Now()
	exp := now.Add(a.cfg.TokenTTL)
	// Whole seconds (NumericDate); iat rounded down and exp up keep the
	// lifetime at least TokenTTL.
	iat := now.Unix()
	expUnix := exp.Unix()
	if exp.After(time.Unix(expUnix, 0)) {
		expUnix++
	}
	return sign(a.key, claims{Sub: keyID, Iat: iat, Exp: expUnix}), time.Unix(expUnix, 0), nil
}

// Verify checks a token and returns the key id it was issued to. The key
// must still be active: a revoked key's tokens are refused at once, or
// within RecheckInterval when another process revoked it.
// ErrExpiredToken or ErrInvalidToken for a token that is refused; any other
// error is the store's.
func (a *Auth) Verify(ctx context.Context, tok string) (string, error) {
	now := a.cfg.Now()
	c, err := verify(a.key, tok, now)
	if err != nil {
		return "", err
	}
	revocations := a.keys.revocations.Load()
	a.mu.Lock()
	e, cached := a.active[c.Sub]
	a.mu.Unlock()
	if cached && e.revocations == revocations && now.Sub(e.checked) < RecheckInterval && !now.Before(e.checked) {
		return c.Sub, nil
	}
	ok, err := a.keys.active(ctx, c.Sub)
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !ok {
		delete(a.active, c.Sub)
		return "", fmt.Errorf("%w: the key was revoked", ErrInvalidToken)
	}
	if len(a.active) >= maxCachedKeys {
		clear(a.active)
	}
	a.active[c.Sub] = activeKey{checked: now, revocations: revocations}
	return c.Sub, nil
}
