package batontest_test

import (
	"fmt"
	"net"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/server"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestServerIsUpAndStoppedByCleanup(t *testing.T) {
	t.Parallel()
	var addr string
	t.Run("uses the server", func(t *testing.T) {
		srv := batontest.NewServer(t)
		u, err := url.Parse(srv.URL())
		require.NoError(t, err)
		require.Equal(t, "127.0.0.1", u.Hostname())
		require.Equal(t, "/api", u.Path)
		require.Equal(t, srv.URL(), srv.Client().BaseURL())
		require.Equal(t, srv.URL(), srv.Server().URL())
		defs, err := srv.Client().Metadata().ListTaskDefs(t.Context())
		require.NoError(t, err)
		require.Empty(t, defs, "every server starts empty")
		addr = u.Host
	})
	_, err := net.Dial("tcp", addr)
	require.Error(t, err, "the server is stopped once its test has finished")
}

func TestServersAreIndependent(t *testing.T) {
	t.Parallel()
	a, b := batontest.NewServer(t), batontest.NewServer(t)
	require.NotEqual(t, a.URL(), b.URL())
}

// fakeTB records what NewServer reports; Fatalf ends the goroutine as
// testing.T's does.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	fatal    string
	cleanups []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = strings.TrimSpace(fmt.Sprintf(format, args...))
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

func TestBadConfigFailsTheTest(t *testing.T) {
	t.Parallel()
	tb := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		batontest.NewServerWithConfig(tb, server.Config{Addr: "no-port"})
	}()
	<-done
	require.Contains(t, tb.fatal, `batontest: server: invalid config: Addr "no-port" is not host:port`)
	for i := len(tb.cleanups) - 1; i >= 0; i-- {
		tb.cleanups[i]()
	}
}
