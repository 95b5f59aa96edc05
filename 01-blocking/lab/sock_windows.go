// The Winsock twins of the socket calls the lab makes, through
// golang.org/x/sys/windows; sock_unix.go has the same functions over POSIX.
// The chapter's sock_windows.go explains each choice at more length.
package main

import (
	"fmt"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// handle is a socket as the OS names it: a SOCKET on Winsock.
type handle = windows.Handle

// The names errors give the calls that differ between the twins.
const (
	nameRecv = "recv"
	nameSend = "send"
)

// x/sys/windows leaves out the blocking accept, recv and send (Go itself
// uses AcceptEx and overlapped I/O), so we load them from ws2_32.dll.
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

// openSocket wraps socket(2) on POSIX and socket on Winsock.
func openSocket() (handle, error) {
	return windows.Socket(windows.AF_INET, windows.SOCK_STREAM, windows.IPPROTO_TCP)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, at netip.AddrPort) error {
	return windows.Bind(s, &windows.SockaddrInet4{Port: int(at.Port()), Addr: at.Addr().As4()})
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error {
	return windows.Listen(s, windows.SOMAXCONN)
}

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getsockname(s)
	return addrPort(sa), err
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

// abortedBeforeAccept tells whether accept failed because the client reset
// the connection before we accepted it: ECONNABORTED on POSIX,
// WSAECONNRESET on Winsock (WSAENOTCONN under Wine).
func abortedBeforeAccept(err error) bool {
	return err == windows.WSAECONNRESET || err == windows.WSAENOTCONN
}

// recvSome wraps read(2) on POSIX and recv on Winsock. It returns 0 when
// the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) {
	return recvOrSend(procRecv, s, buf)
}

// sendSome wraps write(2) on POSIX and send on Winsock. It may send fewer
// bytes than asked. A peer that has gone makes it fail with WSAECONNRESET.
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

// shutdownSend wraps shutdown(2) with SHUT_WR on POSIX and shutdown with
// SD_SEND on Winsock: the peer reads end-of-stream.
func shutdownSend(s handle) error {
	return windows.Shutdown(s, 1) // SD_SEND
}

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in accept or recv
// on that socket; closing the descriptor alone would not.
func shutdownBoth(s handle) error {
	return windows.Shutdown(s, 2) // SD_BOTH
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) error {
	return windows.Closesocket(s)
}

// winsockErrors gives the errors this server may meet their winsock2.h
// names and their POSIX twins' wording; the chapter's errors_windows.go has
// the longer list.
var winsockErrors = map[windows.Errno][2]string{
	windows.WSAEACCES:               {"WSAEACCES", "permission denied"},
	windows.WSAEADDRINUSE:           {"WSAEADDRINUSE", "address already in use"},
	windows.WSAEADDRNOTAVAIL:        {"WSAEADDRNOTAVAIL", "cannot assign requested address"},
	windows.WSAECONNABORTED:         {"WSAECONNABORTED", "software caused connection abort"},
	windows.WSAECONNRESET:           {"WSAECONNRESET", "connection reset by peer"},
	windows.WSAEINTR:                {"WSAEINTR", "interrupted system call"},
	windows.WSAENOTSOCK:             {"WSAENOTSOCK", "socket operation on non-socket"},
	windows.ERROR_OPERATION_ABORTED: {"WSA_OPERATION_ABORTED", "operation aborted"},
}

// describe names an OS error: "connection reset by peer (WSAECONNRESET)".
func describe(err error) string {
	if errno, ok := err.(windows.Errno); ok {
		if known, found := winsockErrors[errno]; found {
			return fmt.Sprintf("%s (%s)", known[1], known[0])
		}
		return fmt.Sprintf("%v (error %d)", err, int(errno))
	}
	return err.Error()
}

// addrPort turns an IPv4 address the calls return into a netip.AddrPort.
func addrPort(sa windows.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*windows.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}
