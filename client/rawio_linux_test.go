//go:build linux

package client

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = (&net.Dialer{}).DialContext(t.Context(), "tcp", ln.Addr().String())
	require.NoError(t, err)
	server = <-accepted
	require.NotNil(t, server)
	t.Cleanup(func() {
		_ = client.Close()
		_ = server.Close()
	})
	return client, server
}

func TestRawIOMovesEveryByte(t *testing.T) {
	t.Parallel()
	client, server := tcpPair(t)
	rd, wr := newRawIO(client)
	require.IsType(t, &rawIO{}, rd)

	// More than the socket buffers hold: the write waits for the reader.
	out := make([]byte, 16<<20)
	_, _ = rand.Read(out)
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(server, int64(len(out))))
		got <- b
	}()
	n, err := wr.Write(out)
	require.NoError(t, err)
	require.Equal(t, len(out), n)
	require.True(t, bytes.Equal(out, <-got))

	// And back, in whatever pieces the reads bring.
	go func() { _, _ = server.Write(out) }()
	back := make([]byte, len(out))
	_, err = io.ReadFull(rd, back)
	require.NoError(t, err)
	require.True(t, bytes.Equal(out, back))

	n, err = rd.Read(nil)
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestRawIOErrors(t *testing.T) {
	t.Parallel()
	client, server := tcpPair(t)
	rd, wr := newRawIO(client)

	require.NoError(t, client.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err := rd.Read(make([]byte, 8))
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	require.Equal(t, "read", op.Op)
	require.NoError(t, client.SetReadDeadline(time.Time{}))

	require.NoError(t, server.Close())
	_, err = rd.Read(make([]byte, 8))
	require.ErrorIs(t, err, io.EOF, "the peer's close")
	// The first write may pass; the peer answers it with a reset.
	err = nil
	for i := 0; i < 100 && err == nil; i++ {
		_, err = wr.Write([]byte("after the close"))
	}
	require.True(t, errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET), "%v", err)
	require.ErrorAs(t, err, &op)
	require.Equal(t, "write", op.Op)

	require.NoError(t, client.Close())
	_, err = rd.Read(make([]byte, 8))
	require.ErrorIs(t, err, net.ErrClosed)
}

func TestRawIOOnlyForTCP(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	rd, wr := newRawIO(a)
	require.Same(t, a, rd)
	require.Same(t, a, wr)
}
