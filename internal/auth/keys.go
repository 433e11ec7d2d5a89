package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/batonhq/baton/internal/store"
)

// ErrBadCredentials is a key id and secret that do not match an active
// key: unknown id, wrong secret or revoked key. POST /api/token answers 401.
var ErrBadCredentials = errors.New("auth: wrong key id or secret")

// Bounds on what a token request may carry; real ids are 36 characters and
// secrets 43.
const (
	maxKeyIDLen     = 128
	maxKeySecretLen = 512
	maxKeyNameLen   = 200
)

// Keys manages application keys in a store.KeyStore.
type Keys struct {
	st  store.KeyStore
	now func() time.Time
	// revocations counts Revoke calls, so that an Auth caching which keys
	// are active knows at once when this process revoked one.
	revocations atomic.Int64
}

// NewKeys returns the keys of st; now is the clock (nil: the wall clock).
func NewKeys(st store.KeyStore, now func() time.Time) *Keys {
	if now == nil {
		now = time.Now
	}
	return &Keys{st: st, now: now}
}

// NewKey is a key just created: the only time its secret is known.
type NewKey struct {
	ID     string
	Secret string
	Name   string
}

// Create makes a key with a random id (a UUID, as Orkes's key ids are) and
// a random 256-bit secret, and stores the secret's SHA-256.
func (k *Keys) Create(ctx context.Context, name string) (*NewKey, error) {
	if len(name) > maxKeyNameLen || !utf8.ValidString(name) || strings.ContainsFunc(name, isControl) {
		return nil, fmt.Errorf("auth: create key: the name must be at most %d characters of printable UTF-8", maxKeyNameLen)
	}
	var id [16]byte
	var secret [32]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails
	_, _ = rand.Read(secret[:])
	id[6] = id[6]&0x0f | 0x40 // UUID version 4
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	nk := &NewKey{ID: formatUUID(id), Secret: base64.RawURLEncoding.EncodeToString(secret[:]), Name: name}
	sum := sha256.Sum256([]byte(nk.Secret))
	if err := k.st.CreateAPIKey(ctx, &store.APIKey{ID: nk.ID, Name: name, SecretSHA256: sum[:], CreateTime: k.now()}); err != nil {
		return nil, fmt.Errorf("auth: create key: %w", err)
	}
	return nk, nil
}

// List returns every key, revoked ones included, oldest first.
func (k *Keys) List(ctx context.Context) ([]*store.APIKey, error) {
	ks, err := k.st.ListAPIKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: list keys: %w", err)
	}
	return ks, nil
}

// Revoke revokes a key: no token is issued for it from now on, and the
// tokens already issued are refused. store.ErrNotFound if there is no such
// key.
func (k *Keys) Revoke(ctx context.Context, id string) error {
	err := k.st.RevokeAPIKey(ctx, id, k.now())
	k.revocations.Add(1) // even on error: the key may have been revoked by the time it came
	if err != nil {
		return fmt.Errorf("auth: revoke key: %w", err)
	}
	return nil
}

// HasActive reports whether at least one key is not revoked.
func (k *Keys) HasActive(ctx context.Context) (bool, error) {
	ks, err := k.List(ctx)
	if err != nil {
		return false, err
	}
	for _, key := range ks {
		if !key.Revoked() {
			return true, nil
		}
	}
	return false, nil
}

// Authenticate checks a key id and secret: ErrBadCredentials unless they
// name an active key. The secret's hash is compared in constant time.
func (k *Keys) Authenticate(ctx context.Context, id, secret string) error {
	if id == "" || secret == "" || len(id) > maxKeyIDLen || len(secret) > maxKeySecretLen {
		return ErrBadCredentials
	}
	key, err := k.st.GetAPIKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrBadCredentials
	}
	if err != nil {
		return fmt.Errorf("auth: read key: %w", err)
	}
	sum := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(sum[:], key.SecretSHA256) != 1 || key.Revoked() {
		return ErrBadCredentials
	}
	return nil
}

// active reports whether the key id names an active key (for a token's
// subject, already proven by the token's signature).
func (k *Keys) active(ctx context.Context, id string) (bool, error) {
	key, err := k.st.GetAPIKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("auth: read key: %w", err)
	}
	return !key.Revoked(), nil
}

func formatUUID(b [16]byte) string {
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
