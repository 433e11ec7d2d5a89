package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/batonhq/baton/internal/auth"
)

// FuzzVerify: no input panics, every refusal is ErrInvalidToken or
// ErrExpiredToken, and nothing but the issued token itself is accepted
// (trailing data on its last segment aside, none is).
func FuzzVerify(f *testing.F) {
	fx := setup(f)
	good, _, err := fx.auth.Issue(context.Background(), fx.key.ID, fx.key.Secret)
	if err != nil {
		f.Fatal(err)
	}
	parts := strings.Split(good, ".")
	for _, seed := range []string{good, "", ".", "..", "a.b.c", parts[0] + "." + parts[1] + ".", b64(`{"alg":"none"}`) + "." + parts[1] + ".",
		parts[0] + "." + b64(`{"sub":"x","iat":1,"exp":99999999999}`) + "." + parts[2], good + "=", strings.ToUpper(good)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := fx.auth.Verify(context.Background(), tok)
		switch {
		case err == nil:
			if tok != good || id != fx.key.ID {
				t.Fatalf("accepted %q as key %q; only %q was issued", tok, id, good)
			}
		case !errors.Is(err, auth.ErrInvalidToken) && !errors.Is(err, auth.ErrExpiredToken):
			t.Fatalf("Verify(%q): %v, want ErrInvalidToken or ErrExpiredToken", tok, err)
		}
	})
}
