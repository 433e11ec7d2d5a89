//go:build linux

package client

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// rawIO reads and writes a TCP connection with raw system calls inside
// syscall.RawConn's callbacks: the connection's deadline, close and wait
// for readiness stay the poller's, but each read and write skips the
// runtime's system-call bookkeeping. That bookkeeping wakes the runtime's
// monitor thread whenever the process was idle before the call, which a
// worker waiting on its server nearly always is: two wake-ups per task, a
// tenth of the worker's CPU (docs/benchmarks.md). The calls never block:
// the socket is non-blocking, so a call that would wait returns EAGAIN and
// the poller waits instead.
type rawIO struct {
	conn net.Conn
	rc   syscall.RawConn

	// The call in progress, for the callbacks (made once, so that a call
	// allocates nothing). A connection is used by one exchange at a time.
	buf           []byte
	n             int
	errno         syscall.Errno
	onRead, onWrt func(fd uintptr) bool
}

// newRawIO returns conn's reader and writer: rawIO for a TCP connection,
// conn itself otherwise.
func newRawIO(conn net.Conn) (io.Reader, io.Writer) {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return conn, conn
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return conn, conn
	}
	r := &rawIO{conn: conn, rc: rc}
	r.onRead, r.onWrt = r.read, r.write
	return r, r
}

func (r *rawIO) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.buf, r.n, r.errno = p, 0, 0
	err := r.rc.Read(r.onRead)
	n, errno := r.n, r.errno
	r.buf = nil
	switch {
	case err != nil:
		return 0, r.opError("read", err)
	case errno != 0:
		return 0, r.opError("read", os.NewSyscallError("read", errno))
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// read is the read callback: false to wait for the socket to be readable.
func (r *rawIO) read(fd uintptr) bool {
	for {
		m, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&r.buf[0])), uintptr(len(r.buf)))
		switch e {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		}
		r.n, r.errno = int(m), e
		return true
	}
}

func (r *rawIO) Write(p []byte) (int, error) {
	r.buf, r.n, r.errno = p, 0, 0
	err := r.rc.Write(r.onWrt)
	n, errno := r.n, r.errno
	r.buf = nil
	switch {
	case err != nil:
		return n, r.opError("write", err)
	case errno != 0:
		return n, r.opError("write", os.NewSyscallError("write", errno))
	}
	return n, nil
}

// write is the write callback: it writes until all is written, or returns
// false to wait for the socket to take more.
func (r *rawIO) write(fd uintptr) bool {
	for r.n < len(r.buf) {
		m, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&r.buf[r.n])), uintptr(len(r.buf)-r.n))
		switch e {
		case 0:
			r.n += int(m)
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false
		default:
			r.errno = e
			return true
		}
	}
	return true
}

// opError is err as net.Conn's Read and Write report it.
func (r *rawIO) opError(op string, err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) { // from RawConn: "raw-read", "raw-write"
		err = oe.Err
	}
	return &net.OpError{Op: op, Net: "tcp", Source: r.conn.LocalAddr(), Addr: r.conn.RemoteAddr(), Err: err}
}
