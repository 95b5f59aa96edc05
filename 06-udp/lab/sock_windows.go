// The Winsock twins of the socket calls, through golang.org/x/sys/windows.
// sock_unix.go has the same functions, with the same names and comments,
// over POSIX.
package main

import (
	"errors"
	"fmt"
	"net/netip"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// handle is a socket as the OS names it: a SOCKET on Winsock.
type handle = windows.Handle

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error {
	var data windows.WSAData
	return windows.WSAStartup(uint32(0x0202), &data) // MAKEWORD(2, 2)
}

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() { windows.WSACleanup() }

// openSocket wraps socket(2) on POSIX and socket on Winsock: IPv4, UDP.
func openSocket() (handle, error) {
	return windows.Socket(windows.AF_INET, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
}

// ignorePortUnreachable does nothing on POSIX; on Winsock it wraps WSAIoctl
// with SIO_UDP_CONNRESET off. Otherwise Winsock reports the ICMP "port
// unreachable" of a datagram we sent to our next recvfrom, as WSAECONNRESET
// (https://learn.microsoft.com/windows/win32/winsock/winsock-ioctls).
func ignorePortUnreachable(s handle) error {
	var off, returned uint32 // FALSE
	return windows.WSAIoctl(s, windows.SIO_UDP_CONNRESET,
		(*byte)(unsafe.Pointer(&off)), uint32(unsafe.Sizeof(off)), nil, 0, &returned, nil, 0)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return windows.Bind(s, &windows.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
}

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getsockname(s)
	return addrPort(sa), err
}

// setReceiveTimeout wraps setsockopt(2) with SO_RCVTIMEO on POSIX and
// setsockopt with SO_RCVTIMEO on Winsock. Winsock takes a DWORD of
// milliseconds (https://learn.microsoft.com/windows/win32/winsock/sol-socket-socket-options).
func setReceiveTimeout(s handle, d time.Duration) error {
	return windows.SetsockoptInt(s, windows.SOL_SOCKET, windows.SO_RCVTIMEO, int(d.Milliseconds()))
}

// timedOut tells whether a receive failed because SO_RCVTIMEO ran out:
// EAGAIN (EWOULDBLOCK) on POSIX (socket(7)), WSAETIMEDOUT on Winsock.
func timedOut(err error) bool {
	return errors.Is(err, windows.WSAETIMEDOUT)
}

// recvFrom wraps recvfrom(2) on POSIX and recvfrom on Winsock: it waits
// for one datagram and returns its length and its sender.
func recvFrom(s handle, buf []byte) (int, netip.AddrPort, error) {
	n, sa, err := windows.Recvfrom(s, buf, 0)
	return n, addrPort(sa), err
}

// sendTo wraps sendto(2) on POSIX and sendto on Winsock. A datagram goes
// whole or not at all: there is no partial send to loop over.
func sendTo(s handle, buf []byte, to netip.AddrPort) error {
	return windows.Sendto(s, buf, 0, &windows.SockaddrInet4{Port: int(to.Port()), Addr: to.Addr().As4()})
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) { windows.Closesocket(s) }

// addrPort turns an IPv4 address the calls return into a netip.AddrPort.
func addrPort(sa windows.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*windows.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// winsockNames are the errors this program may meet, by their names in
// winsock2.h, with the POSIX wording (chapter 06 has the longer list).
var winsockNames = map[windows.Errno][2]string{
	windows.WSAEADDRINUSE:     {"WSAEADDRINUSE", "address already in use"},
	windows.WSAEADDRNOTAVAIL:  {"WSAEADDRNOTAVAIL", "cannot assign requested address"},
	windows.WSAEACCES:         {"WSAEACCES", "permission denied"},
	windows.WSAECONNRESET:     {"WSAECONNRESET", "connection reset by peer"},
	windows.WSAENETUNREACH:    {"WSAENETUNREACH", "network is unreachable"},
	windows.WSAEHOSTUNREACH:   {"WSAEHOSTUNREACH", "no route to host"},
	windows.WSAETIMEDOUT:      {"WSAETIMEDOUT", "connection timed out"},
	windows.WSANOTINITIALISED: {"WSANOTINITIALISED", "WSAStartup has not been called"},
}

// describe returns an OS error's message and its symbolic name:
// "address already in use" and "WSAEADDRINUSE".
func describe(err error) (message, name string) {
	var errno windows.Errno
	if !errors.As(err, &errno) {
		return err.Error(), ""
	}
	if known, ok := winsockNames[errno]; ok {
		return known[1], known[0]
	}
	return errno.Error(), fmt.Sprint("error ", int(errno))
}
