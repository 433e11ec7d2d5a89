package auth_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/internal/store/sqlite"
)

// BenchmarkVerify measures what authentication adds to each request: the
// token's signature and claims, and the key's revocation lookup in a file
// database (a primary-key read on the reader pool).
func BenchmarkVerify(b *testing.B) {
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, st.Close()) })
	keys := auth.NewKeys(st, nil)
	a, err := auth.New(context.Background(), auth.Config{Keys: keys})
	require.NoError(b, err)
	k, err := keys.Create(context.Background(), "bench")
	require.NoError(b, err)
	tok, _, err := a.Issue(context.Background(), k.ID, k.Secret)
	require.NoError(b, err)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Verify(context.Background(), tok); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifySignature is BenchmarkVerify without the key lookup.
func BenchmarkVerifySignature(b *testing.B) {
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, st.Close()) })
	keys := auth.NewKeys(st, nil)
	a, err := auth.New(context.Background(), auth.Config{Keys: keys})
	require.NoError(b, err)
	k, err := keys.Create(context.Background(), "bench")
	require.NoError(b, err)
	tok, _, err := a.Issue(context.Background(), k.ID, k.Secret)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if err := a.VerifySignature(tok); err != nil {
			b.Fatal(err)
		}
	}
}
