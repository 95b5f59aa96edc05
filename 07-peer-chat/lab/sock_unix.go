//go:build unix

// The POSIX twins of the socket calls the room makes, through
// golang.org/x/sys/unix; sock_windows.go has the same functions over
// Winsock. The chapter's sock_unix.go explains each call at more length.
package main

import (
	"errors"
	"net/netip"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// What an error calls recv and send: read(2) and write(2) make them here.
const (
	nameRecv = "read"
	nameSend = "write"
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock: IPv4, TCP.
func openSocket() (handle, error) {
	return unix.Socket(unix.AF_INET, unix.SOCK_STREAM, unix.IPPROTO_TCP)
}

// reuseAddress wraps setsockopt(2) with SO_REUSEADDR on POSIX and
// setsockopt with SO_EXCLUSIVEADDRUSE on Winsock, so that a room started
// again binds its port while the last one's connections are in TIME_WAIT.
func reuseAddress(s handle) error {
	return unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return unix.Bind(s, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error {
	return unix.Listen(s, unix.SOMAXCONN)
}

// acceptConn wraps accept(2) on POSIX and accept on Winsock.
func acceptConn(s handle) (handle, netip.AddrPort, error) {
	for {
		c, sa, err := unix.Accept(s)
		if errors.Is(err, unix.EINTR) {
			continue // a signal came first: the call did nothing, so ask again
		}
		if err != nil {
			return -1, netip.AddrPort{}, err
		}
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

// abortedBeforeAccept tells whether accept failed because the peer reset
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
// bytes than asked: see sendAll. A peer that has gone makes it fail with
// EPIPE; Go ignores the SIGPIPE that comes with it on a socket.
func sendSome(s handle, buf []byte) (int, error) {
	for {
		n, err := unix.Write(s, buf)
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a recv or a send blocked on the
// socket; closing the descriptor alone would not.
func shutdownBoth(s handle) error {
	return unix.Shutdown(s, unix.SHUT_RDWR)
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) error {
	return unix.Close(s)
}

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := unix.Getsockname(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrPort(sa), nil
}

// addrPort turns the address accept or getsockname returns into a
// netip.AddrPort.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*unix.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// errnoName returns the symbolic name and the message of an OS error:
// "EADDRINUSE" and "address already in use".
func errnoName(err error) (name, message string, ok bool) {
	var errno unix.Errno
	if !errors.As(err, &errno) || unix.ErrnoName(errno) == "" {
		return "", "", false
	}
	return unix.ErrnoName(errno), errno.Error(), true
}
