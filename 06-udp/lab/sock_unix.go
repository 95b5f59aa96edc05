//go:build unix

// The POSIX twins of the socket calls, through golang.org/x/sys/unix.
// sock_windows.go has the same functions, with the same names and comments,
// over Winsock.
package main

import (
	"errors"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"
)

// handle is a socket as the OS names it: a file descriptor on POSIX.
type handle = int

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error { return nil }

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() {}

// openSocket wraps socket(2) on POSIX and socket on Winsock: IPv4, UDP.
func openSocket() (handle, error) {
	return unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
}

// ignorePortUnreachable does nothing on POSIX; on Winsock it wraps WSAIoctl
// with SIO_UDP_CONNRESET off. A POSIX socket that is not connected never
// hears of the ICMP "port unreachable" its datagrams cause (udp(7)).
func ignorePortUnreachable(s handle) error { return nil }

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return unix.Bind(s, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
}

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := unix.Getsockname(s)
	return addrPort(sa), err
}

// setReceiveTimeout wraps setsockopt(2) with SO_RCVTIMEO on POSIX and
// setsockopt with SO_RCVTIMEO on Winsock. POSIX takes a struct timeval.
func setReceiveTimeout(s handle, d time.Duration) error {
	tv := unix.NsecToTimeval(d.Nanoseconds())
	return unix.SetsockoptTimeval(s, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
}

// timedOut tells whether a receive failed because SO_RCVTIMEO ran out:
// EAGAIN (EWOULDBLOCK) on POSIX (socket(7)), WSAETIMEDOUT on Winsock.
func timedOut(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK)
}

// recvFrom wraps recvfrom(2) on POSIX and recvfrom on Winsock: it waits
// for one datagram and returns its length and its sender. A receive with a
// timeout fails with EINTR when a signal comes, whatever SA_RESTART says
// (signal(7)): we call it again.
func recvFrom(s handle, buf []byte) (int, netip.AddrPort, error) {
	for {
		n, sa, err := unix.Recvfrom(s, buf, 0)
		if !errors.Is(err, unix.EINTR) {
			return n, addrPort(sa), err
		}
	}
}

// sendTo wraps sendto(2) on POSIX and sendto on Winsock. A datagram goes
// whole or not at all: there is no partial send to loop over.
func sendTo(s handle, buf []byte, to netip.AddrPort) error {
	sa := &unix.SockaddrInet4{Port: int(to.Port()), Addr: to.Addr().As4()}
	for {
		err := unix.Sendto(s, buf, 0, sa)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) { unix.Close(s) }

// addrPort turns an IPv4 address the calls return into a netip.AddrPort.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*unix.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// describe returns an OS error's message and its symbolic name:
// "address already in use" and "EADDRINUSE".
func describe(err error) (message, name string) {
	var errno unix.Errno
	if errors.As(err, &errno) {
		return errno.Error(), unix.ErrnoName(errno)
	}
	return err.Error(), ""
}
