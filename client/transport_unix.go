//go:build unix

package client

import (
	"errors"
	"net"
	"syscall"
)

// closedByPeer reads from conn without waiting: a connection the server
// closed reads as the end of the stream, one it wrote to unasked reads
// bytes; an open, quiet one has nothing to read yet. The connection's
// deadline cannot do this: a read past its deadline fails before trying.
func closedByPeer(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	var n int
	var readErr error
	var buf [1]byte
	if err := rc.Read(func(fd uintptr) bool {
		n, readErr = syscall.Read(int(fd), buf[:])
		return true // never wait
	}); err != nil {
		return true
	}
	return n > 0 || !errors.Is(readErr, syscall.EAGAIN)
}
