//go:build unix

// The POSIX twins of the stream calls (stream.go), through
// golang.org/x/sys/unix. stream_windows.go has the same functions, with the
// same names and comments, over Winsock.
package main

import (
	"errors"
	"net/netip"

	"golang.org/x/sys/unix"
)

// setNoDelay wraps setsockopt(2) with TCP_NODELAY on POSIX and setsockopt
// on Winsock: each send goes out at once, even while an earlier one is
// not yet acknowledged (Nagle's algorithm off).
func setNoDelay(s handle) error {
	return unix.SetsockoptInt(s, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error {
	return unix.Listen(s, unix.SOMAXCONN)
}

// acceptConn wraps accept(2) on POSIX and accept on Winsock. The
// connection is marked close-on-exec at once, as openSocket's sockets are:
// the one child meant to have it gets it as its descriptor 3, not by
// accident. (Linux's accept4 with SOCK_CLOEXEC does both in one call; macOS
// has no accept4. Only the accept loop starts programs, so no exec slips in
// between the two calls.)
func acceptConn(s handle) (handle, netip.AddrPort, error) {
	for {
		c, sa, err := unix.Accept(s)
		if errors.Is(err, unix.EINTR) {
			continue // a signal arrived first: the call did nothing, so ask again
		}
		if err != nil {
			return -1, netip.AddrPort{}, err
		}
		unix.CloseOnExec(c)
		return c, addrPort(sa), nil
	}
}

// abortedBeforeAccept tells whether accept failed because the client reset
// the connection before we accepted it: ECONNABORTED on POSIX (Linux
// accepts such a connection and lets recv report the reset), WSAECONNRESET
// on Winsock.
func abortedBeforeAccept(err error) bool {
	return errors.Is(err, unix.ECONNABORTED)
}

// recvSome wraps read(2) on POSIX and recv on Winsock. On a socket, read(2)
// is recv(2) with no flags. It returns 0 when the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) {
	for {
		n, err := unix.Read(s, buf)
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

// sendSome wraps write(2) on POSIX and send on Winsock. On a socket, write(2)
// is send(2) with no flags. It may send fewer bytes than asked: its caller
// sends the rest. A peer that has gone makes it fail with EPIPE: the Go
// runtime ignores the SIGPIPE that comes with it for descriptors other
// than 1 and 2 (https://pkg.go.dev/os/signal#hdr-SIGPIPE).
func sendSome(s handle, buf []byte) (int, error) {
	for {
		n, err := unix.Write(s, buf)
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

// shutdownSend wraps shutdown(2) with SHUT_WR on POSIX and shutdown with
// SD_SEND on Winsock: the peer reads end-of-stream, and we can still receive.
func shutdownSend(s handle) error {
	return unix.Shutdown(s, unix.SHUT_WR)
}
