// The Winsock twins of the calls the lab makes, through
// golang.org/x/sys/windows; sock_unix.go has the same functions over POSIX,
// and child_windows.go the calls that hand a socket to a child. The
// chapter's sock_windows.go explains each choice at more length.
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

// openSocket wraps socket(2) on POSIX and socket on Winsock. A SOCKET is
// not inherited by the programs we start unless we hand it over.
func openSocket() (handle, error) {
	return windows.Socket(windows.AF_INET, windows.SOCK_STREAM, windows.IPPROTO_TCP)
}

// soExclusiveAddrUse is SO_EXCLUSIVEADDRUSE, ((int)(~SO_REUSEADDR)) in
// winsock2.h; x/sys/windows does not name it.
const soExclusiveAddrUse = ^windows.SO_REUSEADDR

// setReuseAddr wraps setsockopt(2) with SO_REUSEADDR on POSIX and setsockopt
// with SO_EXCLUSIVEADDRUSE on Winsock: a restarted server may bind at once.
// (Winsock's own SO_REUSEADDR would let any program bind our port.)
func setReuseAddr(s handle) error {
	return windows.SetsockoptInt(s, windows.SOL_SOCKET, soExclusiveAddrUse, 1)
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

// peerAddr wraps getpeername(2) on POSIX and getpeername on Winsock.
func peerAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getpeername(s)
	return addrPort(sa), err
}

// acceptConn wraps accept(2) on POSIX and accept on Winsock.
//
// Wine 8 wakes every accept waiting on a socket when one client connects,
// and those that do not get the client fail with WSAEWOULDBLOCK, although
// the socket blocks; Windows, like POSIX, leaves them waiting. The pool's
// threads all wait in accept, so we wait again for Wine.
func acceptConn(s handle) (handle, netip.AddrPort, error) {
	var rsa windows.RawSockaddrAny
	for {
		size := int32(unsafe.Sizeof(rsa))
		r, _, errno := syscall.SyscallN(procAccept.Addr(), uintptr(s),
			uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&size)))
		if handle(r) != windows.InvalidHandle {
			if err := setNoDelay(handle(r)); err != nil {
				return windows.InvalidHandle, netip.AddrPort{}, err
			}
			sa, _ := rsa.Sockaddr()
			return handle(r), addrPort(sa), nil
		}
		if errno != windows.WSAEWOULDBLOCK {
			return windows.InvalidHandle, netip.AddrPort{}, windows.Errno(errno)
		}
	}
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
// bytes than asked: see sendAll.
func sendSome(s handle, buf []byte) (int, error) {
	return recvOrSend(procSend, s, buf)
}

// recvOrSend makes the call recv or send, which take the same arguments:
// int recv(SOCKET s, char *buf, int len, int flags).
func recvOrSend(proc *windows.LazyProc, s handle, buf []byte) (int, error) {
	var p *byte
	if len(buf) > 0 {
		p = &buf[0]
	}
	r, _, errno := syscall.SyscallN(proc.Addr(), uintptr(s),
		uintptr(unsafe.Pointer(p)), uintptr(int32(len(buf))), 0)
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
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in accept on that
// socket; closing the descriptor alone would not.
func shutdownBoth(s handle) error {
	return windows.Shutdown(s, 2) // SD_BOTH
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) error {
	return windows.Closesocket(s)
}

// winsockErrors names the Winsock errors this lab is likely to meet, with
// the words of their POSIX twins.
var winsockErrors = map[windows.Errno][2]string{
	windows.WSAEACCES:       {"WSAEACCES", "permission denied"},
	windows.WSAEADDRINUSE:   {"WSAEADDRINUSE", "address already in use"},
	windows.WSAECONNABORTED: {"WSAECONNABORTED", "software caused connection abort"},
	windows.WSAECONNRESET:   {"WSAECONNRESET", "connection reset by peer"},
	windows.WSAEINVAL:       {"WSAEINVAL", "invalid argument"},
	windows.WSAENOTSOCK:     {"WSAENOTSOCK", "socket operation on non-socket"},
}

// describe names an OS error: "address already in use (WSAEADDRINUSE)".
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
