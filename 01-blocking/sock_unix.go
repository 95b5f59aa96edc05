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
	nameCancel   = "" // POSIX wakes a blocked call by shutdown alone
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock.
func openSocket(family int) (handle, error) {
	return unix.Socket(family, unix.SOCK_STREAM, unix.IPPROTO_TCP)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return unix.Bind(s, sockaddr(addr))
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
