package clicheck_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// baseURL is the API root of the server under test (COMPAT_BASE_URL).
var baseURL = strings.TrimRight(os.Getenv("COMPAT_BASE_URL"), "/")

// batonBin is the `baton` binary built by TestMain.
var batonBin string

func TestMain(m *testing.M) {
	os.Exit(build(m))
}

func build(m *testing.M) int {
	dir, err := os.MkdirTemp("", "clicheck")
	if err != nil {
		fmt.Fprintln(os.Stderr, "clicheck:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	batonBin = filepath.Join(dir, "baton")
	out, err := exec.Command("go", "build", "-o", batonBin, "github.com/batonhq/baton/cmd/baton").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "clicheck: go build cmd/baton: %v\n%s", err, out)
		return 1
	}
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "clicheck: goleak:", err)
			return 1
		}
	}
	return code
}

// requireServer returns the API root, skipping with COMPAT=off and failing
// without COMPAT_BASE_URL, as compat/sdkcheck does.
func requireServer(t *testing.T) string {
	t.Helper()
	if os.Getenv("COMPAT") == "off" {
		t.Skip("COMPAT=off: CLI checks against a real server skipped")
	}
	if baseURL == "" {
		t.Fatal("no server to test: set COMPAT_BASE_URL to a Conductor API root (e.g. http://127.0.0.1:8080/api), " +
			"or run compat/run.sh; COMPAT=off skips these tests")
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

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

// baton runs the binary against url, with the URL in the environment as
// scripts set it.
func baton(t *testing.T, url string, args ...string) result {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), batonBin, args...)
	cmd.Env = append(os.Environ(), "CONDUCTOR_SERVER_URL="+url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("run baton %v: %v", args, err)
	}
	return r
}

// want runs the binary and checks its exit code.
func want(t *testing.T, url string, code int, args ...string) result {
	t.Helper()
	r := baton(t, url, args...)
	if r.code != code {
		t.Fatalf("baton %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}
