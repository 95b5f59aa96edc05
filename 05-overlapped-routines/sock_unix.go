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
	nameSocket   = "socket(%s, SOCK_STREAM, IPPROTO_TCP)"
	nameNonblock = "fcntl(%v, F_SETFL, O_NONBLOCK)"
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
		c, err := acceptNoAddr(s)
		if errors.Is(err, unix.EINTR) {
			continue // a signal arrived first: the call did nothing, so ask again
		}
		if err != nil {
			return -1, netip.AddrPort{}, err
		}
		sa, err := unix.Getpeername(c)
		if err != nil {
			return c, netip.AddrPort{}, nil // gone already: its first recv will say so
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

// wouldBlock tells whether a call on a non-blocking socket failed only
// because it would have had to wait: EAGAIN on POSIX, WSAEWOULDBLOCK on
// Winsock.
func wouldBlock(err error) bool {
	return errors.Is(err, unix.EAGAIN)
}

// outOfDescriptors tells whether accept failed for want of a descriptor
// (EMFILE, ENFILE; WSAEMFILE, WSAENOBUFS): the client waits in the backlog
// until a client leaves and frees one.
func outOfDescriptors(err error) bool {
	return errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE)
}

// setTimeout wraps setsockopt(2) with SO_RCVTIMEO and SO_SNDTIMEO on
// POSIX and setsockopt with the same options on Winsock: a recv or send
// that waits longer fails, with EAGAIN on POSIX; on Linux a connect that
// takes longer fails with EINPROGRESS (socket(7)).
// option is SO_RCVTIMEO or SO_SNDTIMEO.
func setTimeout(s handle, option int, d time.Duration) error {
	tv := unix.NsecToTimeval(d.Nanoseconds())
	return unix.SetsockoptTimeval(s, unix.SOL_SOCKET, option, &tv)
}

// The options setTimeout sets.
const (
	soRcvTimeo = unix.SO_RCVTIMEO
	soSndTimeo = unix.SO_SNDTIMEO
)

// timedOut tells whether a recv or send failed because its timeout
// (setTimeout) ran out: EAGAIN (EWOULDBLOCK) on POSIX, WSAETIMEDOUT on
// Winsock.
func timedOut(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK)
}

// connectTimedOut tells whether a connect failed because the timeout of
// setTimeout ran out: EINPROGRESS on Linux, whose connect honours
// SO_SNDTIMEO (socket(7)). Winsock's connect does not: it gives up only
// when Windows does.
func connectTimedOut(err error) bool {
	return errors.Is(err, unix.EINPROGRESS)
}

// errTimedOut is what a connect that took too long reports, as in 02.
var errTimedOut error = unix.ETIMEDOUT

// setNonblocking wraps fcntl(2) with O_NONBLOCK on POSIX and ioctlsocket
// with FIONBIO on Winsock.
func setNonblocking(s handle) error {
	return unix.SetNonblock(s, true)
}

// cancelCloses says how sock.cancel ends an operation in flight: on POSIX
// shutdown(2) wakes it, and the descriptor stays ours to close.
const cancelCloses = false

// connectSocket wraps connect(2) on POSIX and connect on Winsock.
func connectSocket(s handle, addr netip.AddrPort) error {
	err := unix.Connect(s, sockaddr(addr))
	if !errors.Is(err, unix.EINTR) {
		return err
	}
	// A connect interrupted by a signal goes on in the kernel; calling it again
	// would fail with EALREADY. We wait until the socket is writable, then read
	// the outcome from SO_ERROR (connect(2), "EINTR").
	fds := []unix.PollFd{{Fd: int32(s), Events: unix.POLLOUT}}
	for {
		_, err = unix.Poll(fds, -1)
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
// is send(2) with no flags. It may send fewer bytes than asked: see sendAll.
// A peer that has gone makes it fail with EPIPE: the Go runtime ignores the
// SIGPIPE that comes with it for descriptors other than 1 and 2
// (https://pkg.go.dev/os/signal#hdr-SIGPIPE).
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
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in accept or recv
// on that socket; closing the descriptor alone would not.
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

// peerAddr wraps getpeername(2) on POSIX and getpeername on Winsock.
func peerAddr(s handle) (netip.AddrPort, error) {
	sa, err := unix.Getpeername(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrPort(sa), nil
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
