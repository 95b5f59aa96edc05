//go:build unix

// The POSIX twins of the socket calls the lab makes, through
// golang.org/x/sys/unix. sock_windows.go has the same functions over
// Winsock. The chapter's sock_unix.go explains each one at more length.
package main

import (
	"errors"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// The names errors give recv and send: on a socket, read(2) and write(2)
// are recv(2) and send(2) with no flags.
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
func bindSocket(s handle, addr netip.AddrPort) error {
	return unix.Bind(s, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error { return unix.Listen(s, unix.SOMAXCONN) }

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
		if !errors.Is(err, unix.EINTR) { // a signal came first: ask again
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
// WSAECONNRESET on Winsock, and WSAENOTCONN under Wine.
func abortedBeforeAccept(err error) bool { return errors.Is(err, unix.ECONNABORTED) }

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

// wake makes a thread blocked in accept or recv on s return, and says
// whether it closed s. On POSIX, shutdown(2) with SHUT_RDWR does it, and
// s is closed afterwards, once no thread is in a call on it: closing alone
// would not wake the thread on Linux. Winsock needs closesocket: shutdown
// leaves a blocked recv waiting, and fails on a listening socket.
func wake(s handle) (closed bool) {
	unix.Shutdown(s, unix.SHUT_RDWR)
	return false
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) { unix.Close(s) }

// errnoName returns an OS error's symbolic name and message:
// "EADDRINUSE" and "address already in use".
func errnoName(err error) (name, message string) {
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return "unknown", err.Error()
	}
	if name = unix.ErrnoName(errno); name == "" {
		name = "errno " + strconv.Itoa(int(errno))
	}
	return name, errno.Error()
}

// addrPort turns the address accept or getsockname returned into a
// netip.AddrPort.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*unix.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}
