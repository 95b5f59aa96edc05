// The Winsock twins of the socket calls, through golang.org/x/sys/windows.
// sock_unix.go has the same functions, with the same names and comments,
// over POSIX. Only what must differ between the two differs.
package main

import (
	"errors"
	"net/netip"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// handle is a socket as the OS names it: a SOCKET on Winsock.
type handle = windows.Handle

// The names the trace prints for the calls that differ between the twins.
const (
	nameClose     = "closesocket"
	nameRecvFrom  = "recvfrom"
	nameTruncated = "WSAEMSGSIZE"
	nameFailed    = "SOCKET_ERROR"
	nameResolver  = "GetAddrInfoW"
	nameStartup   = "WSAStartup(2.2)"
	nameCleanup   = "WSACleanup()"
	nameNoReset   = "WSAIoctl(%v, SIO_UDP_CONNRESET, FALSE)"
)

// x/sys/windows has recvfrom, but on failure it drops the sender's address,
// which we still want when the failure is WSAEMSGSIZE; so we load it.
var (
	ws2_32       = windows.NewLazySystemDLL("ws2_32.dll")
	procRecvfrom = ws2_32.NewProc("recvfrom")
)

// socketError is SOCKET_ERROR, what recvfrom returns when it fails.
const socketError = -1

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error {
	var data windows.WSAData
	return windows.WSAStartup(uint32(0x0202), &data) // MAKEWORD(2, 2)
}

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() { windows.WSACleanup() }

// openSocket wraps socket(2) on POSIX and socket on Winsock, for UDP.
func openSocket(family int) (handle, error) {
	return windows.Socket(family, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
}

// ignorePortUnreachable does nothing on POSIX; on Winsock it wraps WSAIoctl
// with SIO_UDP_CONNRESET off. Winsock reports the ICMP "port unreachable"
// that one of our datagrams caused to the next recvfrom on the socket, even
// one that is not connected, as WSAECONNRESET: a client that left before
// its echo arrived would make the server's next recvfrom fail
// (https://learn.microsoft.com/windows/win32/winsock/winsock-ioctls).
func ignorePortUnreachable(s handle) error {
	var off uint32 // FALSE
	var returned uint32
	return windows.WSAIoctl(s, windows.SIO_UDP_CONNRESET,
		(*byte)(unsafe.Pointer(&off)), uint32(unsafe.Sizeof(off)), nil, 0, &returned, nil, 0)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return windows.Bind(s, sockaddr(addr))
}

// connectSocket wraps connect(2) on POSIX and connect on Winsock. On a UDP
// socket it sends nothing: it fixes the one peer the socket talks to.
func connectSocket(s handle, addr netip.AddrPort) error {
	return windows.Connect(s, sockaddr(addr))
}

// setReceiveTimeout wraps setsockopt(2) with SO_RCVTIMEO on POSIX and
// setsockopt with SO_RCVTIMEO on Winsock. Winsock takes a DWORD of
// milliseconds, not a timeval, and 0 means no timeout; a receive that times
// out fails with WSAETIMEDOUT (https://learn.microsoft.com/windows/win32/winsock/sol-socket-socket-options).
func setReceiveTimeout(s handle, d time.Duration) error {
	return windows.SetsockoptInt(s, windows.SOL_SOCKET, windows.SO_RCVTIMEO, int(d.Milliseconds()))
}

// timedOut tells whether a receive failed because its timeout ran out:
// EAGAIN (EWOULDBLOCK) on POSIX, WSAETIMEDOUT on Winsock.
func timedOut(err error) bool {
	return errors.Is(err, windows.WSAETIMEDOUT)
}

// recvFrom wraps recvmsg(2) on POSIX and recvfrom on Winsock: it receives
// one datagram, whole, and its sender. A datagram longer than buf is cut to
// fit and the rest is lost; recvfrom says so by failing with WSAEMSGSIZE
// after it has filled buf (https://learn.microsoft.com/windows/win32/api/winsock/nf-winsock-recvfrom).
func recvFrom(s handle, buf []byte) (n int, from netip.AddrPort, truncated bool, err error) {
	var p *byte
	if len(buf) > 0 {
		p = &buf[0]
	}
	var rsa windows.RawSockaddrAny
	size := int32(unsafe.Sizeof(rsa))
	r, _, errno := syscall.SyscallN(procRecvfrom.Addr(), uintptr(s),
		uintptr(unsafe.Pointer(p)), uintptr(int32(len(buf))), 0,
		uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&size)))
	if int32(r) == socketError && windows.Errno(errno) != windows.WSAEMSGSIZE {
		return 0, netip.AddrPort{}, false, windows.Errno(errno)
	}
	if sa, err := rsa.Sockaddr(); err == nil {
		from = addrPort(sa)
	}
	if int32(r) == socketError {
		return len(buf), from, true, nil
	}
	return int(int32(r)), from, false, nil
}

// sendTo wraps sendto(2) on POSIX and sendto on Winsock. A datagram goes
// whole or not at all, so there is no partial send to loop over.
func sendTo(s handle, buf []byte, to netip.AddrPort) error {
	return windows.Sendto(s, buf, 0, sockaddr(to))
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) error {
	return windows.Closesocket(s)
}

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getsockname(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrPort(sa), nil
}

// sockaddr turns an address into the form the calls take.
func sockaddr(addr netip.AddrPort) windows.Sockaddr {
	if addr.Addr().Is4() {
		return &windows.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()}
	}
	return &windows.SockaddrInet6{Port: int(addr.Port()), Addr: addr.Addr().As16()}
}

// addrPort turns an address the calls return into a netip.AddrPort.
func addrPort(sa windows.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *windows.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *windows.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// The address families resolve may return.
const (
	afINET  = windows.AF_INET
	afINET6 = windows.AF_INET6
)
