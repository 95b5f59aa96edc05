//go:build unix

// The POSIX twins of the socket calls the lab makes, through
// golang.org/x/sys/unix; sock_windows.go has the same functions over Winsock.
// The chapter's sock_unix.go explains each choice at more length.
package main

import (
	"errors"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// The names errors give the calls that differ between the twins: on a
// socket, read(2) and write(2) are recv(2) and send(2) with no flags.
const (
	nameRecv = "read"
	nameSend = "write"
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock.
func openSocket() (handle, error) {
	return unix.Socket(unix.AF_INET, unix.SOCK_STREAM, unix.IPPROTO_TCP)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, at netip.AddrPort) error {
	return unix.Bind(s, &unix.SockaddrInet4{Port: int(at.Port()), Addr: at.Addr().As4()})
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error {
	return unix.Listen(s, unix.SOMAXCONN)
}

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := unix.Getsockname(s)
	return addrPort(sa), err
}

// acceptConn wraps accept(2) on POSIX and accept on Winsock.
func acceptConn(s handle) (handle, netip.AddrPort, error) {
	for {
		c, sa, err := unix.Accept(s)
		if err == nil {
			if err := setNoDelay(c); err != nil {
				return -1, netip.AddrPort{}, err
			}
		}
		if !errors.Is(err, unix.EINTR) { // EINTR: a signal came first; ask again
			return c, addrPort(sa), err
		}
	}
}

// setNoDelay turns Nagle's algorithm off on an accepted socket, as on every
// TCP socket of the course (chapter 04's lesson measures why). A socket
// that refuses is closed, and its error is accept's.
func setNoDelay(c handle) error {
	if err := unix.SetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err != nil {
		unix.Close(c)
		return err
	}
	return nil
}

// abortedBeforeAccept tells whether accept failed because the client reset
// the connection before we accepted it: ECONNABORTED on POSIX,
// WSAECONNRESET on Winsock (WSAENOTCONN under Wine).
func abortedBeforeAccept(err error) bool {
	return errors.Is(err, unix.ECONNABORTED)
}

// recvSome wraps read(2) on POSIX and recv on Winsock. It returns 0 when
// the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) {
	for {
		n, err := unix.Read(s, buf)
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

// sendSome wraps write(2) on POSIX and send on Winsock. It may send fewer
// bytes than asked. A peer that has gone makes it fail with EPIPE; Go
// ignores the SIGPIPE that comes with it (os/signal, "SIGPIPE").
func sendSome(s handle, buf []byte) (int, error) {
	for {
		n, err := unix.Write(s, buf)
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

// shutdownSend wraps shutdown(2) with SHUT_WR on POSIX and shutdown with
// SD_SEND on Winsock: the peer reads end-of-stream.
func shutdownSend(s handle) error {
	return unix.Shutdown(s, unix.SHUT_WR)
}

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in accept or recv
// on that socket; closing the descriptor alone would not.
func shutdownBoth(s handle) error {
	return unix.Shutdown(s, unix.SHUT_RDWR)
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) error {
	return unix.Close(s)
}

// describe names an OS error: "connection reset by peer (ECONNRESET)".
func describe(err error) string {
	var errno unix.Errno
	if errors.As(err, &errno) && unix.ErrnoName(errno) != "" {
		return fmt.Sprintf("%v (%s)", errno, unix.ErrnoName(errno))
	}
	return err.Error()
}

// addrPort turns an IPv4 address the calls return into a netip.AddrPort.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*unix.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}
