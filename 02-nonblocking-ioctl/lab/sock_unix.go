//go:build unix

// The POSIX twins of the socket calls, through golang.org/x/sys/unix.
// sock_windows.go has the same functions, with the same names and comments,
// over Winsock.
package main

import (
	"errors"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// pollFd is one entry of poll's array: a socket, the events we wait for,
// and the events poll found (Revents).
type pollFd = unix.PollFd

// The events poll may wait for: bytes to read, a client to accept or a
// hang-up (pollIn), and room in the send buffer (pollOut).
const (
	pollIn  int16 = unix.POLLIN
	pollOut int16 = unix.POLLOUT
)

// The names of the calls that differ between the twins, for error lines.
const (
	nameIoctl = "ioctl"
	namePoll  = "poll"
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock: an IPv4 TCP
// socket, as in the seed.
func openSocket() (handle, error) {
	return unix.Socket(unix.AF_INET, unix.SOCK_STREAM, unix.IPPROTO_TCP)
}

// setNonblocking wraps ioctl(2) with FIONBIO on POSIX and ioctlsocket with
// FIONBIO on Winsock: from now on no call on s waits.
func setNonblocking(s handle) error {
	return unix.IoctlSetPointerInt(s, fionbio, 1)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return unix.Bind(s, sockaddr(addr))
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error {
	return unix.Listen(s, unix.SOMAXCONN)
}

// connectSocket wraps connect(2) on POSIX and connect on Winsock.
func connectSocket(s handle, addr netip.AddrPort) error {
	return unix.Connect(s, sockaddr(addr))
}

// acceptConn wraps accept(2) on POSIX and accept on Winsock.
func acceptConn(s handle) (handle, netip.AddrPort, error) {
	for {
		c, sa, err := unix.Accept(s)
		if err == nil {
			if err := setNoDelay(c); err != nil {
				return -1, netip.AddrPort{}, err
			}
			return c, addrPort(sa), nil
		}
		if !errors.Is(err, unix.EINTR) {
			return -1, netip.AddrPort{}, err
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

// recvSome wraps read(2) on POSIX and recv on Winsock. On a socket, read(2)
// is recv(2) with no flags. It returns 0 when the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) {
	for {
		n, err := unix.Read(s, buf)
		if !errors.Is(err, unix.EINTR) {
			return max(n, 0), err
		}
	}
}

// sendSome wraps write(2) on POSIX and send on Winsock. It may send fewer
// bytes than asked. (Go ignores the SIGPIPE a write to a closed connection
// raises: https://pkg.go.dev/os/signal#hdr-SIGPIPE.)
func sendSome(s handle, buf []byte) (int, error) {
	for {
		n, err := unix.Write(s, buf)
		if !errors.Is(err, unix.EINTR) {
			return max(n, 0), err
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
	return addrPort(sa), err
}

// pollFdFor returns the entry of poll's array that waits for events on s.
func pollFdFor(s handle, events int16) pollFd {
	return pollFd{Fd: int32(s), Events: events}
}

// pollSockets wraps poll(2) on POSIX and WSAPoll on Winsock. It waits
// until at least one socket of fds is ready, or timeout milliseconds
// (-1: no timeout), sets each entry's Revents, and returns how many
// entries have some.
func pollSockets(fds []pollFd, timeout int) (int, error) {
	for {
		n, err := unix.Poll(fds, timeout)
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

// wouldBlock tells whether a call on a non-blocking socket found nothing
// to do yet: EAGAIN (also spelt EWOULDBLOCK) on POSIX, WSAEWOULDBLOCK on
// Winsock.
func wouldBlock(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK)
}

// errnoName returns an OS error's symbolic name and message:
// "EADDRINUSE" and "address already in use".
func errnoName(err error) (name, message string) {
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return "", err.Error()
	}
	if name = unix.ErrnoName(errno); name == "" {
		name = "errno " + strconv.Itoa(int(errno))
	}
	return name, errno.Error()
}

// sockaddr turns an IPv4 address into the form the calls take.
func sockaddr(addr netip.AddrPort) unix.Sockaddr {
	return &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()}
}

// addrPort turns an IPv4 address the calls return into a netip.AddrPort.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	in4, _ := sa.(*unix.SockaddrInet4)
	if in4 == nil {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(netip.AddrFrom4(in4.Addr), uint16(in4.Port))
}
