// The Winsock twins of the socket calls the room makes, through
// golang.org/x/sys/windows; sock_unix.go has the same functions over
// POSIX. The chapter's sock_windows.go explains each call at more length.
package main

import (
	"errors"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// handle is a socket as the OS names it: a SOCKET on Winsock.
type handle = windows.Handle

// What an error calls recv and send.
const (
	nameRecv = "recv"
	nameSend = "send"
)

// x/sys/windows leaves out the blocking accept, recv and send, so we load
// them from ws2_32.dll.
var (
	ws2_32     = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept = ws2_32.NewProc("accept")
	procRecv   = ws2_32.NewProc("recv")
	procSend   = ws2_32.NewProc("send")
)

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error {
	var data windows.WSAData
	return windows.WSAStartup(uint32(0x0202), &data) // MAKEWORD(2, 2)
}

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() { windows.WSACleanup() }

// openSocket wraps socket(2) on POSIX and socket on Winsock: IPv4, TCP.
func openSocket() (handle, error) {
	return windows.Socket(windows.AF_INET, windows.SOCK_STREAM, windows.IPPROTO_TCP)
}

// reuseAddress wraps setsockopt(2) with SO_REUSEADDR on POSIX and
// setsockopt with SO_EXCLUSIVEADDRUSE on Winsock, so that a room started
// again binds its port while the last one's connections are in TIME_WAIT.
// Winsock does that without being asked, and its SO_REUSEADDR would let
// another program take our port, so we ask that nobody share it. x/sys
// does not define SO_EXCLUSIVEADDRUSE: winsock2.h has ((int)(~SO_REUSEADDR)).
func reuseAddress(s handle) error {
	return windows.SetsockoptInt(s, windows.SOL_SOCKET, ^windows.SO_REUSEADDR, 1)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return windows.Bind(s, &windows.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error {
	return windows.Listen(s, windows.SOMAXCONN)
}

// acceptConn wraps accept(2) on POSIX and accept on Winsock.
func acceptConn(s handle) (handle, netip.AddrPort, error) {
	var rsa windows.RawSockaddrAny
	size := int32(unsafe.Sizeof(rsa))
	r, _, errno := syscall.SyscallN(procAccept.Addr(), uintptr(s),
		uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&size)))
	if handle(r) == windows.InvalidHandle {
		return windows.InvalidHandle, netip.AddrPort{}, windows.Errno(errno)
	}
	if err := setNoDelay(handle(r)); err != nil {
		return windows.InvalidHandle, netip.AddrPort{}, err
	}
	sa, err := rsa.Sockaddr()
	if err != nil {
		return handle(r), netip.AddrPort{}, nil
	}
	return handle(r), addrPort(sa), nil
}

// setNoDelay turns Nagle's algorithm off on an accepted socket, as on every
// TCP socket of the course (chapter 04's lesson measures why). A socket
// that refuses is closed, and its error is accept's.
func setNoDelay(c handle) error {
	if err := windows.SetsockoptInt(c, windows.IPPROTO_TCP, windows.TCP_NODELAY, 1); err != nil {
		windows.Closesocket(c)
		return err
	}
	return nil
}

// abortedBeforeAccept tells whether accept failed because the peer reset
// the connection before we accepted it: ECONNABORTED on POSIX,
// WSAECONNRESET on Winsock (Wine says WSAENOTCONN).
func abortedBeforeAccept(err error) bool {
	return err == windows.WSAECONNRESET || err == windows.WSAENOTCONN
}

// recvSome wraps read(2) on POSIX and recv on Winsock. It returns 0 when
// the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) {
	return recvOrSend(procRecv, s, buf)
}

// sendSome wraps write(2) on POSIX and send on Winsock. It may send fewer
// bytes than asked: see sendAll. A peer that has gone makes it fail with
// WSAECONNRESET or WSAECONNABORTED.
func sendSome(s handle, buf []byte) (int, error) {
	return recvOrSend(procSend, s, buf)
}

// recvOrSend makes the call recv or send, which take the same arguments:
// int recv(SOCKET s, char *buf, int len, int flags).
func recvOrSend(proc *windows.LazyProc, s handle, buf []byte) (int, error) {
	r, _, errno := syscall.SyscallN(proc.Addr(), uintptr(s),
		uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(int32(len(buf))), 0)
	if int32(r) == -1 { // SOCKET_ERROR
		return 0, windows.Errno(errno)
	}
	return int(int32(r)), nil
}

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a recv or a send blocked on the
// socket; closing the descriptor alone would not.
func shutdownBoth(s handle) error {
	return windows.Shutdown(s, 2) // SD_BOTH
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

// addrPort turns the address accept or getsockname returns into a
// netip.AddrPort.
func addrPort(sa windows.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*windows.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// winsockErrors names the Winsock errors the room may meet, with the
// wording of their POSIX twins (the chapter's errors_windows.go has more).
var winsockErrors = map[windows.Errno][2]string{
	windows.WSAEACCES:        {"WSAEACCES", "permission denied"},
	windows.WSAEADDRINUSE:    {"WSAEADDRINUSE", "address already in use"},
	windows.WSAEADDRNOTAVAIL: {"WSAEADDRNOTAVAIL", "cannot assign requested address"},
	windows.WSAECONNABORTED:  {"WSAECONNABORTED", "software caused connection abort"},
	windows.WSAECONNRESET:    {"WSAECONNRESET", "connection reset by peer"},
	windows.WSAEMFILE:        {"WSAEMFILE", "too many open files"},
	windows.WSAENOBUFS:       {"WSAENOBUFS", "no buffer space available"},
	windows.WSAENOTSOCK:      {"WSAENOTSOCK", "socket operation on non-socket"},
	windows.WSAESHUTDOWN:     {"WSAESHUTDOWN", "cannot send after transport endpoint shutdown"},
	windows.WSAEINTR:         {"WSAEINTR", "interrupted system call"},
}

// errnoName returns the symbolic name and the message of an OS error:
// "WSAEADDRINUSE" and "address already in use".
func errnoName(err error) (name, message string, ok bool) {
	var errno windows.Errno
	if !errors.As(err, &errno) {
		return "", "", false
	}
	known, ok := winsockErrors[errno]
	return known[0], known[1], ok
}
