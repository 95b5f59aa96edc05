//go:build unix

// The POSIX twins of the socket calls, through golang.org/x/sys/unix.
// sock_windows.go has the same functions, with the same names and comments,
// over Winsock. Only what must differ between the two differs.
package main

import (
	"errors"
	"net/netip"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// The names the trace prints for the calls that differ between the twins.
const (
	nameClose    = "close"
	nameShutBoth = "SHUT_RDWR"
	nameShutWR   = "SHUT_WR"
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
		c, err := acceptNoAddr(s)
		if errors.Is(err, unix.EINTR) {
			continue // a signal arrived first: the call did nothing, so ask again
		}
		if err != nil {
			return -1, netip.AddrPort{}, err
		}
		peer, err := peerAddr(c)
		if err != nil {
			return c, netip.AddrPort{}, nil // gone already: its first recv will say so
		}
		return c, peer, nil
	}
}

// abortedBeforeAccept tells whether accept failed because the client reset
// the connection before we accepted it: ECONNABORTED on POSIX (Linux
// accepts such a connection and lets recv report the reset), WSAECONNRESET
// on Winsock.
func abortedBeforeAccept(err error) bool {
	return errors.Is(err, unix.ECONNABORTED)
}

// connectSocket wraps connect(2) on POSIX and connect on Winsock.
func connectSocket(s handle, addr netip.AddrPort) error {
	err := unix.Connect(s, sockaddr(addr))
	if !errors.Is(err, unix.EINTR) {
		return err
	}
	// A connect interrupted by a signal goes on in the kernel; calling it again
	// would fail with EALREADY. We wait until the socket is writable, then read
	// the outcome from SO_ERROR (connect(2), "EINTR"); no longer than the
	// socket's SO_SNDTIMEO, if it has one, as connect itself would.
	wait := -1
	if tv, err := unix.GetsockoptTimeval(s, unix.SOL_SOCKET, unix.SO_SNDTIMEO); err == nil && tv.Nano() > 0 {
		wait = int(max(time.Duration(tv.Nano())/time.Millisecond, 1))
	}
	fds := []unix.PollFd{{Fd: int32(s), Events: unix.POLLOUT}}
	for {
		var ready int
		ready, err = unix.Poll(fds, wait)
		if err == nil && ready == 0 {
			return unix.EINPROGRESS // as a connect whose SO_SNDTIMEO ran out
		}
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		return err
	}
	soerr, err := unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return err
	}
	if soerr != 0 {
		return unix.Errno(soerr)
	}
	return nil
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

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in recv or send on
// that socket (and in accept on a listener); closing the descriptor alone
// would not.
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
