package sqlite_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		// The durability test's child process: no leak check, it is killed.
		os.Exit(m.Run())
	}
	goleak.VerifyTestMain(m)
}
