//go:build unix

// The POSIX twins of the calls the lab makes, through golang.org/x/sys/unix;
// sock_windows.go has the same functions over Winsock, and child_unix.go
// the calls that hand a socket to a child. The chapter's sock_unix.go
// explains each choice at more length.
package main

import (
	"errors"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// The names errors give the calls that differ between the twins.
const (
	nameRecv = "read"
	nameSend = "write"
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock. We mark the
// socket close-on-exec, so that a child gets it only when we hand it over.
func openSocket() (handle, error) {
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, unix.IPPROTO_TCP)
	if err == nil {
		unix.CloseOnExec(s)
	}
	return s, err
}

// setReuseAddr wraps setsockopt(2) with SO_REUSEADDR on POSIX and setsockopt
// with SO_EXCLUSIVEADDRUSE on Winsock: a restarted server may bind at once.
func setReuseAddr(s handle) error {
	return unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
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

// peerAddr wraps getpeername(2) on POSIX and getpeername on Winsock.
func peerAddr(s handle) (netip.AddrPort, error) {
	sa, err := unix.Getpeername(s)
	return addrPort(sa), err
}

// acceptConn wraps accept(2) on POSIX and accept on Winsock. The new
// socket is close-on-exec too.
func acceptConn(s handle) (handle, netip.AddrPort, error) {
	for {
		c, sa, err := unix.Accept(s)
		if errors.Is(err, unix.EINTR) {
			continue // a signal came first: the call did nothing, so ask again
		}
		if err != nil {
			return -1, netip.AddrPort{}, err
		}
		unix.CloseOnExec(c)
		if err := setNoDelay(c); err != nil {
			return -1, netip.AddrPort{}, err
		}
		return c, addrPort(sa), nil
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
// WSAECONNRESET on Winsock.
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
// bytes than asked: see sendAll.
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
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in accept on that
// socket; closing the descriptor alone would not.
func shutdownBoth(s handle) error {
	return unix.Shutdown(s, unix.SHUT_RDWR)
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) error {
	return unix.Close(s)
}

// describe names an OS error: "address already in use (EADDRINUSE)".
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
