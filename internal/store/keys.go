package store

import (
	"context"
	"time"
)

// APIKey is an application key: an id and a secret that POST /api/token
// exchanges for a token. Only the secret's SHA-256 is kept.
type APIKey struct {
	ID           string
	Name         string // what the key is for, as its creator described it
	SecretSHA256 []byte
	CreateTime   time.Time
	RevokeTime   time.Time // zero while the key is active
}

// Revoked reports whether the key has been revoked.
func (k *APIKey) Revoked() bool { return !k.RevokeTime.IsZero() }

// KeyStore keeps application keys and the server's generated secrets. It is
// separate from Store: the engine never needs it.
type KeyStore interface {
	// CreateAPIKey adds a key; ErrConflict if its id exists. A nil key, an
	// empty id or an empty hash is ErrInvalid.
	CreateAPIKey(ctx context.Context, k *APIKey) error
	// GetAPIKey returns a key, revoked or not, or ErrNotFound.
	GetAPIKey(ctx context.Context, id string) (*APIKey, error)
	// ListAPIKeys returns every key, revoked ones included, oldest first.
	ListAPIKeys(ctx context.Context) ([]*APIKey, error)
	// RevokeAPIKey marks a key revoked at the given time, or returns
	// ErrNotFound. Revoking a revoked key keeps its first revocation time.
	RevokeAPIKey(ctx context.Context, id string, at time.Time) error
	// ServerSecret returns the secret stored under name, storing generated
	// first when there is none (so concurrent callers and processes all get
	// the first one stored).
	ServerSecret(ctx context.Context, name string, generated []byte) ([]byte, error)
}
