package sdkcheck_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// baseURL is the API root of the server under test (COMPAT_BASE_URL).
var baseURL = strings.TrimRight(os.Getenv("COMPAT_BASE_URL"), "/")

func TestMain(m *testing.M) {
	// Every host, proxy and transport is closed by its test's cleanup, so
	// nothing may be left running here.
	goleak.VerifyTestMain(m)
}

// requireServer returns the API root, skipping with COMPAT=off and failing
// without COMPAT_BASE_URL: in CI a missing server must not look like a pass.
func requireServer(t *testing.T) string {
	t.Helper()
	if os.Getenv("COMPAT") == "off" {
		t.Skip("COMPAT=off: SDK checks against a real server skipped")
	}
	if baseURL == "" {
		t.Fatal("no server to test: set COMPAT_BASE_URL to a Conductor API root (e.g. http://127.0.0.1:8080/api), " +
			"or run compat/run.sh, which starts the real Conductor server; COMPAT=off skips these tests")
	}
	return baseURL
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return hex.EncodeToString(b)
}
