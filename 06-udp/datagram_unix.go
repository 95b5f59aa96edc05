//go:build unix

// The POSIX twins of the datagram calls, through golang.org/x/sys/unix.
// datagram_windows.go has the same functions, with the same names and
// comments, over Winsock.
package main

import (
	"errors"
	"net/netip"

	"golang.org/x/sys/unix"
)

// The names the trace prints for the datagram calls that differ between
// the twins.
const (
	nameRecvFrom  = "recvmsg"
	nameTruncated = "MSG_TRUNC"
	nameNoReset   = "" // POSIX needs no SIO_UDP_CONNRESET
)

// ignorePortUnreachable does nothing on POSIX; on Winsock it wraps WSAIoctl
// with SIO_UDP_CONNRESET off. A POSIX socket that is not connected never
// hears of the ICMP "port unreachable" its datagrams cause (udp(7)).
func ignorePortUnreachable(s handle) error { return nil }

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
