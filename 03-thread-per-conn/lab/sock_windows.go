// The Winsock twins of the socket calls the lab makes, through
// golang.org/x/sys/windows. sock_unix.go has the same functions over
// POSIX. The chapter's sock_windows.go explains each one at more length.
package main

import (
	"net/netip"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// handle is a socket as the OS names it: a SOCKET on Winsock.
type handle = windows.Handle

// The names errors give recv and send.
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

// openSocket wraps socket(2) on POSIX and socket on Winsock.
func openSocket() (handle, error) {
	return windows.Socket(windows.AF_INET, windows.SOCK_STREAM, windows.IPPROTO_TCP)
}

// bindSocket wraps bind(2) on POSIX and bind on Winsock.
func bindSocket(s handle, addr netip.AddrPort) error {
	return windows.Bind(s, &windows.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
}

// listenSocket wraps listen(2) on POSIX and listen on Winsock.
func listenSocket(s handle) error { return windows.Listen(s, windows.SOMAXCONN) }

// localAddr wraps getsockname(2) on POSIX and getsockname on Winsock.
func localAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getsockname(s)
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
			return handle(r), netip.AddrPort{}, errno
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
// WSAECONNRESET on Winsock, and WSAENOTCONN under Wine.
func abortedBeforeAccept(err error) bool {
	return err == windows.WSAECONNRESET || err == windows.WSAENOTCONN
}

// recvSome wraps read(2) on POSIX and recv on Winsock. It returns 0 when
// the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) { return recvOrSend(procRecv, s, buf) }

// sendSome wraps write(2) on POSIX and send on Winsock. It may send fewer
// bytes than asked: see sendAll.
func sendSome(s handle, buf []byte) (int, error) { return recvOrSend(procSend, s, buf) }

// recvOrSend makes the call recv or send, which take the same arguments:
// int recv(SOCKET s, char *buf, int len, int flags). It returns
// SOCKET_ERROR (-1) on failure.
func recvOrSend(proc *windows.LazyProc, s handle, buf []byte) (int, error) {
	r, _, errno := syscall.SyscallN(proc.Addr(), uintptr(s),
		uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(int32(len(buf))), 0)
	if int32(r) == -1 {
		return 0, errno
	}
	return int(int32(r)), nil
}

// wake makes a thread blocked in accept or recv on s return, and says
// whether it closed s. On POSIX, shutdown(2) with SHUT_RDWR does it, and
// s is closed afterwards, once no thread is in a call on it: closing alone
// would not wake the thread on Linux. Winsock needs closesocket: shutdown
// leaves a blocked recv waiting, and fails on a listening socket
// (https://learn.microsoft.com/windows/win32/api/winsock/nf-winsock-closesocket).
func wake(s handle) (closed bool) {
	windows.Closesocket(s)
	return true
}

// closeSocket wraps close(2) on POSIX and closesocket on Winsock.
func closeSocket(s handle) { windows.Closesocket(s) }

// errnoName returns an OS error's symbolic name and message, the message
// in POSIX's words as the chapter prints it: "WSAEADDRINUSE" and "address
// already in use". The lab names only the errors it can meet.
func errnoName(err error) (name, message string) {
	switch err {
	case windows.WSAEADDRINUSE:
		return "WSAEADDRINUSE", "address already in use"
	case windows.WSAEADDRNOTAVAIL:
		return "WSAEADDRNOTAVAIL", "cannot assign requested address"
	case windows.WSAEACCES:
		return "WSAEACCES", "permission denied"
	case windows.WSAEMFILE:
		return "WSAEMFILE", "too many open files"
	case windows.WSAECONNRESET:
		return "WSAECONNRESET", "connection reset by peer"
	case windows.WSAECONNABORTED:
		return "WSAECONNABORTED", "software caused connection abort"
	}
	if errno, ok := err.(windows.Errno); ok {
		return "error " + strconv.Itoa(int(errno)), errno.Error()
	}
	return "unknown", err.Error()
}

// addrPort turns the address accept or getsockname returned into a
// netip.AddrPort.
func addrPort(sa windows.Sockaddr) netip.AddrPort {
	if sa, ok := sa.(*windows.SockaddrInet4); ok {
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}
