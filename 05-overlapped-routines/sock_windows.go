// The Winsock twins of the socket calls, through golang.org/x/sys/windows.
// sock_unix.go has the same functions, with the same names and comments,
// over POSIX. Only what must differ between the two differs.
package main

import (
	"net/netip"

	"golang.org/x/sys/windows"
)

// handle is a socket as the OS names it: a SOCKET on Winsock.
type handle = windows.Handle

// The names the trace prints for the calls that differ between the twins.
const (
	nameClose    = "closesocket"
	nameShutBoth = "SD_BOTH"
	nameShutWR   = "SD_SEND"
	nameRecv     = "recv"
	nameSend     = "send"
	nameFailed   = "SOCKET_ERROR"
	nameResolver = "GetAddrInfoW"
	nameStartup  = "WSAStartup(2.2)"
	nameCleanup  = "WSACleanup()"
)

// socketError is SOCKET_ERROR, what a Winsock call returns when it fails.
const socketError = -1

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error {
	var data windows.WSAData
	return windows.WSAStartup(uint32(0x0202), &data) // MAKEWORD(2, 2)
}

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() { windows.WSACleanup() }

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return windows.Bind(s, sockaddr(addr))
}

// connectSocket wraps connect(2) on POSIX and connect on Winsock.
func connectSocket(s handle, addr netip.AddrPort) error {
	return windows.Connect(s, sockaddr(addr))
}

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in recv or send on
// that socket (and in accept on a listener); closing the descriptor alone
// would not.
func shutdownBoth(s handle) error {
	return windows.Shutdown(s, sdBoth)
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
