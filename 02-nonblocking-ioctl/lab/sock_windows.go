// The Winsock twins of the socket calls, through golang.org/x/sys/windows.
// sock_unix.go has the same functions, with the same names and comments,
// over POSIX.
package main

import (
	"errors"
	"net/netip"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// handle is a socket as the OS names it: a SOCKET on Winsock.
type handle = windows.Handle

// The names of the calls that differ between the twins, for error lines.
const (
	nameIoctl = "ioctlsocket"
	namePoll  = "WSAPoll"
)

// x/sys/windows leaves out accept, recv, send and ioctlsocket (Go's own
// sockets use AcceptEx and overlapped I/O), so we load them from
// ws2_32.dll; wsapoll_windows.go loads WSAPoll the same way.
var (
	ws2_32          = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept      = ws2_32.NewProc("accept")
	procRecv        = ws2_32.NewProc("recv")
	procSend        = ws2_32.NewProc("send")
	procIoctlsocket = ws2_32.NewProc("ioctlsocket")
)

// fionbio is FIONBIO, _IOW('f', 126, u_long) in winsock2.h.
const fionbio = 0x8004667e

// socketError is SOCKET_ERROR, what the calls we load return on failure.
const socketError = -1

// startup wraps WSAStartup on Winsock; POSIX sockets need no set-up.
func startup() error {
	var data windows.WSAData
	return windows.WSAStartup(uint32(0x0202), &data) // MAKEWORD(2, 2)
}

// cleanup wraps WSACleanup on Winsock; POSIX sockets need no clean-up.
func cleanup() { windows.WSACleanup() }

// openSocket wraps socket(2) on POSIX and socket on Winsock: an IPv4 TCP
// socket, as in the seed.
func openSocket() (handle, error) {
	return windows.Socket(windows.AF_INET, windows.SOCK_STREAM, windows.IPPROTO_TCP)
}

// setNonblocking wraps ioctl(2) with FIONBIO on POSIX and ioctlsocket with
// FIONBIO on Winsock: from now on no call on s waits.
func setNonblocking(s handle) error {
	mode := uint32(1) // u_long iMode = 1
	r, _, errno := syscall.SyscallN(procIoctlsocket.Addr(), uintptr(s),
		uintptr(fionbio), uintptr(unsafe.Pointer(&mode)))
	return callError(r, errno)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return windows.Bind(s, sockaddr(addr))
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error {
	return windows.Listen(s, windows.SOMAXCONN)
}

// connectSocket wraps connect(2) on POSIX and connect on Winsock.
func connectSocket(s handle, addr netip.AddrPort) error {
	return windows.Connect(s, sockaddr(addr))
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
	sa, _ := rsa.Sockaddr()
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

// recvSome wraps read(2) on POSIX and recv on Winsock. On a socket, read(2)
// is recv(2) with no flags. It returns 0 when the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) {
	return recvOrSend(procRecv, s, buf)
}

// sendSome wraps write(2) on POSIX and send on Winsock. It may send fewer
// bytes than asked. (Go ignores the SIGPIPE a write to a closed connection
// raises: https://pkg.go.dev/os/signal#hdr-SIGPIPE.)
func sendSome(s handle, buf []byte) (int, error) {
	return recvOrSend(procSend, s, buf)
}

// recvOrSend makes the call recv or send, which take the same arguments:
// int recv(SOCKET s, char *buf, int len, int flags).
func recvOrSend(proc *windows.LazyProc, s handle, buf []byte) (int, error) {
	r, _, errno := syscall.SyscallN(proc.Addr(), uintptr(s),
		uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(len(buf)), 0)
	return max(int(int32(r)), 0), callError(r, errno)
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) error {
	return windows.Closesocket(s)
}

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getsockname(s)
	return addrPort(sa), err
}

// wouldBlock tells whether a call on a non-blocking socket found nothing
// to do yet: EAGAIN (also spelt EWOULDBLOCK) on POSIX, WSAEWOULDBLOCK on
// Winsock.
func wouldBlock(err error) bool {
	return errors.Is(err, windows.WSAEWOULDBLOCK)
}

// callError turns what a call loaded from ws2_32.dll returned into an
// error: SOCKET_ERROR means it failed, and errno (WSAGetLastError) says why.
func callError(r uintptr, errno syscall.Errno) error {
	if int32(r) == socketError {
		return windows.Errno(errno)
	}
	return nil
}

// winsockErrors names the Winsock errors this server may meet, with the
// wording of their POSIX twins, so that only the name differs.
var winsockErrors = map[windows.Errno][2]string{
	windows.WSAEACCES:        {"WSAEACCES", "permission denied"},
	windows.WSAEINVAL:        {"WSAEINVAL", "invalid argument"},
	windows.WSAEMFILE:        {"WSAEMFILE", "too many open files"},
	windows.WSAEWOULDBLOCK:   {"WSAEWOULDBLOCK", "resource temporarily unavailable"},
	windows.WSAENOTSOCK:      {"WSAENOTSOCK", "socket operation on non-socket"},
	windows.WSAEADDRINUSE:    {"WSAEADDRINUSE", "address already in use"},
	windows.WSAEADDRNOTAVAIL: {"WSAEADDRNOTAVAIL", "cannot assign requested address"},
	windows.WSAECONNABORTED:  {"WSAECONNABORTED", "software caused connection abort"},
	windows.WSAECONNRESET:    {"WSAECONNRESET", "connection reset by peer"},
	windows.WSAENOBUFS:       {"WSAENOBUFS", "no buffer space available"},
}

// errnoName returns an OS error's symbolic name and message:
// "WSAEADDRINUSE" and "address already in use".
func errnoName(err error) (name, message string) {
	var errno windows.Errno
	if !errors.As(err, &errno) {
		return "", err.Error()
	}
	if known, ok := winsockErrors[errno]; ok {
		return known[0], known[1]
	}
	return "error " + strconv.Itoa(int(errno)), errno.Error()
}

// sockaddr turns an IPv4 address into the form the calls take.
func sockaddr(addr netip.AddrPort) windows.Sockaddr {
	return &windows.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()}
}

// addrPort turns an IPv4 address the calls return into a netip.AddrPort.
func addrPort(sa windows.Sockaddr) netip.AddrPort {
	in4, _ := sa.(*windows.SockaddrInet4)
	if in4 == nil {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(netip.AddrFrom4(in4.Addr), uint16(in4.Port))
}
