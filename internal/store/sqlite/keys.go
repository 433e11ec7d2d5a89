package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/batonhq/baton/internal/store"
)

var _ store.KeyStore = (*Store)(nil)

// Keys are read and written rarely (a key on each token request and, for
// revocation, on each authenticated request: a primary-key lookup), so their
// statements are not prepared up front.

// CreateAPIKey adds a key, or returns store.ErrConflict if its id exists.
func (s *Store) CreateAPIKey(ctx context.Context, k *store.APIKey) error {
	if k == nil || k.ID == "" || len(k.SecretSHA256) == 0 {
		return fmt.Errorf("sqlite: create key: %w: the id and secret hash must be set", store.ErrInvalid)
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO api_keys (id, name, secret_sha256, create_time, revoke_time)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			k.ID, k.Name, k.SecretSHA256, millis(k.CreateTime), millis(k.RevokeTime))
		return noRowsIs(res, err, fmt.Errorf("key %s: %w", k.ID, store.ErrConflict))
	})
}

// GetAPIKey returns a key or store.ErrNotFound.
func (s *Store) GetAPIKey(ctx context.Context, id string) (k *store.APIKey, err error) {
	err = s.read(func() error {
		k, err = scanKey(s.r.QueryRowContext(ctx, `SELECT id, name, secret_sha256, create_time, revoke_time FROM api_keys WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("key %s: %w", id, store.ErrNotFound)
		}
		return err
	})
	return k, err
}

// ListAPIKeys returns every key, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context) (ks []*store.APIKey, err error) {
	ks = []*store.APIKey{}
	err = s.read(func() error {
		rows, err := s.r.QueryContext(ctx, `SELECT id, name, secret_sha256, create_time, revoke_time FROM api_keys ORDER BY create_time, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, err := scanKey(rows)
			if err != nil {
				return err
			}
			ks = append(ks, k)
		}
		return rows.Err()
	})
	return ks, err
}

// RevokeAPIKey marks a key revoked, or returns store.ErrNotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.tx.ExecContext(ctx, `UPDATE api_keys SET revoke_time = CASE WHEN revoke_time = 0 THEN ? ELSE revoke_time END WHERE id = ?`,
			max(millis(at), 1), id)
		return noRowsIs(res, err, fmt.Errorf("key %s: %w", id, store.ErrNotFound))
	})
}

// ServerSecret returns the secret stored under name, storing generated
// first when there is none.
func (s *Store) ServerSecret(ctx context.Context, name string, generated []byte) ([]byte, error) {
	if name == "" || len(generated) == 0 {
		return nil, fmt.Errorf("sqlite: server secret: %w: the name and generated value must be set", store.ErrInvalid)
	}
	var v []byte
	err := s.write(ctx, func(ctx context.Context, tx *wtx) error {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, generated); err != nil {
			return err
		}
		return tx.tx.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = ?`, name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: server secret %s: %w", name, err)
	}
	return v, nil
}

func scanKey(row interface{ Scan(...any) error }) (*store.APIKey, error) {
	var (
		k              store.APIKey
		created, revok int64
	)
	if err := row.Scan(&k.ID, &k.Name, &k.SecretSHA256, &created, &revok); err != nil {
		return nil, err
	}
	k.CreateTime = time.UnixMilli(created)
	if revok != 0 {
		k.RevokeTime = time.UnixMilli(revok)
	}
	return &k, nil
}

// millis is t in Unix milliseconds, 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
