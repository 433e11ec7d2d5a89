package server

import (
	"context"
	"fmt"
)

// AuthRequired reports whether the server requires tokens (Config.Auth).
func (s *Server) AuthRequired() bool { return s.auth != nil }

// CreateAPIKey creates an application key and returns its id and secret,
// which POST /api/token exchanges for a token (settings.NewAuthenticationSettings
// in a client). The secret is not stored, only its SHA-256: this is the
// only time it is known. `baton keys create` does the same on a database
// file.
func (s *Server) CreateAPIKey(ctx context.Context, name string) (keyID, secret string, err error) {
	k, err := s.keys.Create(ctx, name)
	if err != nil {
		return "", "", fmt.Errorf("server: %w", err)
	}
	return k.ID, k.Secret, nil
}

// RevokeAPIKey revokes a key: no token is issued for it from now on, and
// the tokens it has are refused from their next request. (A key revoked by
// another process on the same database is refused within a second.)
func (s *Server) RevokeAPIKey(ctx context.Context, keyID string) error {
	if err := s.keys.Revoke(ctx, keyID); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// checkAuth refuses to listen on a non-loopback address with
// authentication on and no active key to authenticate with (Config.Auth
// off there was refused by New already).
func (s *Server) checkAuth(ctx context.Context) error {
	if s.auth == nil {
		return nil
	}
	active, err := s.keys.HasActive(ctx)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	switch {
	case active:
		return nil
	case loopback(s.cfg.Addr):
		s.log.Warn("server: authentication is on but no key exists: create one with `baton keys create`")
		return nil
	default:
		return insecure(s.cfg.Addr, "authentication is on but no active key exists")
	}
}
