//go:build unix

// The POSIX twins of the socket calls, through golang.org/x/sys/unix.
// sock_windows.go has the same functions, with the same names and comments,
// over Winsock. Only what must differ between the two differs.
package main

import (
	"errors"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// The names the trace prints for the calls that differ between the twins.
const (
	nameClose    = "close"
	nameRecv     = "read"
	nameSend     = "write"
	nameFailed   = "-1"
	nameResolver = "getaddrinfo"
	nameStartup  = "" // POSIX has no WSAStartup and no WSACleanup
	nameCleanup  = ""
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock.
func openSocket(family int) (handle, error) {
	return unix.Socket(family, unix.SOCK_STREAM, unix.IPPROTO_TCP)
}

// setNoDelay wraps setsockopt(2) with TCP_NODELAY on POSIX and setsockopt
// on Winsock: each send goes out at once, even while an earlier one is
// not yet acknowledged (Nagle's algorithm off).
func setNoDelay(s handle) error {
	return unix.SetsockoptInt(s, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return unix.Bind(s, sockaddr(addr))
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
			continue // a signal arrived first: the call did nothing, so ask again
		}
		if err != nil {
			return -1, netip.AddrPort{}, err
		}
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

// errnoName returns the symbolic name and the message of an OS error:
// "EADDRINUSE" and "address already in use".
func errnoName(err error) (name, message string, ok bool) {
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return "", "", false
	}
	name = unix.ErrnoName(errno)
	if name == "" {
		name = "errno " + strconv.Itoa(int(errno))
	}
	return name, errno.Error(), true
}

// sockaddr turns an address into the form the calls take.
func sockaddr(addr netip.AddrPort) unix.Sockaddr {
	if addr.Addr().Is4() {
		return &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()}
	}
	return &unix.SockaddrInet6{Port: int(addr.Port()), Addr: addr.Addr().As16()}
}

// addrPort turns an address the calls return into a netip.AddrPort.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// The address families resolve may return.
const (
	afINET  = unix.AF_INET
	afINET6 = unix.AF_INET6
)
