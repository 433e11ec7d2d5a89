//go:build unix

package client

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDirectTransportProbesIdleConnections(t *testing.T) {
	t.Parallel()
	closed := make(chan struct{})
	u, conns := scriptedServer(t, func(n int, c net.Conn, r *bufio.Reader) {
		if _, ok := readRequest(r); !ok {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		if n == 1 {
			_ = c.(*net.TCPConn).CloseWrite()
			close(closed)
			readRequest(r) // would swallow a request sent on this connection
		}
	})
	tr, clock := testTransport(t)
	_, _, err := roundTrip(t, tr, http.MethodPost, u, "{}")
	require.NoError(t, err)
	<-closed
	// Wait for the close to reach the client's side of the pooled connection.
	tr.mu.Lock()
	pooled := tr.idle[strings.TrimPrefix(u, "http://")][0]
	tr.mu.Unlock()
	waitForEOF(t, pooled.conn)

	clock.Add(2) // idle past probeAfter
	_, got, err := roundTrip(t, tr, http.MethodPost, u, "{}")
	require.NoError(t, err, "the closed connection was found before the POST went out")
	require.Equal(t, "ok", got)
	require.Equal(t, int64(2), conns.Load())
}

// waitForEOF blocks until the peer's close has arrived on c, without taking
// anything from it (a TCP end of stream reads again as the end).
func waitForEOF(t *testing.T, c net.Conn) {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, err := c.Read(make([]byte, 1))
	require.ErrorIs(t, err, io.EOF)
	require.NoError(t, c.SetReadDeadline(time.Time{}))
}

// waitForBytes blocks until c has bytes to read, without taking them.
func waitForBytes(t *testing.T, c net.Conn) {
	t.Helper()
	rc, err := c.(syscall.Conn).SyscallConn()
	require.NoError(t, err)
	var buf [1]byte
	require.NoError(t, rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK)
		return n > 0 || err != syscall.EAGAIN
	}))
}

func TestClosedByPeer(t *testing.T) {
	t.Parallel()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	pair := func() (client, server net.Conn) {
		c, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", ln.Addr().String())
		require.NoError(t, err)
		s, err := ln.Accept()
		require.NoError(t, err)
		return c, s
	}

	c, s := pair()
	require.False(t, closedByPeer(c), "an open, quiet connection")
	c.Close()
	s.Close()

	c, s = pair()
	_, err = s.Write([]byte("stray"))
	require.NoError(t, err)
	waitForBytes(t, c)
	require.True(t, closedByPeer(c), "bytes nobody asked for make the connection unusable")
	c.Close()
	s.Close()

	c, s = pair()
	s.Close()
	waitForEOF(t, c)
	require.True(t, closedByPeer(c), "a closed connection")
	c.Close()
}
