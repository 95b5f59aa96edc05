// The Winsock twins of the datagram calls, through golang.org/x/sys/windows.
// datagram_unix.go has the same functions, with the same names and
// comments, over POSIX.
package main

import (
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The names the trace prints for the datagram calls that differ between
// the twins.
const (
	nameRecvFrom  = "recvfrom"
	nameTruncated = "WSAEMSGSIZE"
	nameNoReset   = "WSAIoctl(%v, SIO_UDP_CONNRESET, FALSE)"
)

// x/sys/windows has recvfrom, but on failure it drops the sender's address,
// which we still want when the failure is WSAEMSGSIZE; so we load it.
var (
	ws2_32       = windows.NewLazySystemDLL("ws2_32.dll")
	procRecvfrom = ws2_32.NewProc("recvfrom")
)

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
