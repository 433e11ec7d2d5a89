//go:build !linux

package client

import (
	"io"
	"net"
)

// newRawIO returns conn itself: raw system calls are used on Linux only.
func newRawIO(conn net.Conn) (io.Reader, io.Writer) { return conn, conn }
