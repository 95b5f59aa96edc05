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
	nameClose     = "close"
	nameRecvFrom  = "recvmsg"
	nameTruncated = "MSG_TRUNC"
	nameFailed    = "-1"
	nameResolver  = "getaddrinfo"
	nameStartup   = "" // POSIX has no WSAStartup and no WSACleanup
	nameCleanup   = ""
	nameNoReset   = "" // POSIX needs no SIO_UDP_CONNRESET
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock, for UDP.
func openSocket(family int) (handle, error) {
	return unix.Socket(family, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
}

// ignorePortUnreachable does nothing on POSIX; on Winsock it wraps WSAIoctl
// with SIO_UDP_CONNRESET off. A POSIX socket that is not connected never
// hears of the ICMP "port unreachable" its datagrams cause (udp(7)).
func ignorePortUnreachable(s handle) error { return nil }

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return unix.Bind(s, sockaddr(addr))
}

// connectSocket wraps connect(2) on POSIX and connect on Winsock. On a UDP
// socket it sends nothing: it fixes the one peer the socket talks to.
func connectSocket(s handle, addr netip.AddrPort) error {
	for {
		err := unix.Connect(s, sockaddr(addr))
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

// setReceiveTimeout wraps setsockopt(2) with SO_RCVTIMEO on POSIX and
// setsockopt with SO_RCVTIMEO on Winsock. POSIX takes a struct timeval; a
// receive that times out fails with EAGAIN (socket(7)).
func setReceiveTimeout(s handle, d time.Duration) error {
	tv := unix.NsecToTimeval(d.Nanoseconds())
	return unix.SetsockoptTimeval(s, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
}

// timedOut tells whether a receive failed because its timeout ran out:
// EAGAIN (EWOULDBLOCK) on POSIX, WSAETIMEDOUT on Winsock.
func timedOut(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK)
}

// recvFrom wraps recvmsg(2) on POSIX and recvfrom on Winsock: it receives
// one datagram, whole, and its sender. A datagram longer than buf is cut to
// fit and the rest is lost; recvmsg says so with MSG_TRUNC in its flags
// (recv(2)), which recvfrom(2) cannot return, so we use recvmsg.
func recvFrom(s handle, buf []byte) (n int, from netip.AddrPort, truncated bool, err error) {
	for {
		n, _, flags, sa, err := unix.Recvmsg(s, buf, nil, 0)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 0, netip.AddrPort{}, false, err
		}
		return n, addrPort(sa), flags&unix.MSG_TRUNC != 0, nil
	}
}

// sendTo wraps sendto(2) on POSIX and sendto on Winsock. A datagram goes
// whole or not at all, so there is no partial send to loop over.
func sendTo(s handle, buf []byte, to netip.AddrPort) error {
	for {
		err := unix.Sendto(s, buf, 0, sockaddr(to))
		if !errors.Is(err, unix.EINTR) {
			return err
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
