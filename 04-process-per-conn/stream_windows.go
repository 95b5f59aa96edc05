// The Winsock twins of the stream calls (stream.go), through
// golang.org/x/sys/windows. stream_unix.go has the same functions, with the
// same names and comments, over POSIX.
package main

import (
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// x/sys/windows leaves out accept, recv and send (Go itself uses AcceptEx
// and overlapped I/O), so we load them from ws2_32.dll.
var (
	ws2_32     = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept = ws2_32.NewProc("accept")
	procRecv   = ws2_32.NewProc("recv")
	procSend   = ws2_32.NewProc("send")
)

// The shutdown directions, by their Winsock names (winsock2.h).
const (
	sdSend = 1 // SD_SEND
	sdBoth = 2 // SD_BOTH
)

// setNoDelay wraps setsockopt(2) with TCP_NODELAY on POSIX and setsockopt
// on Winsock: each send goes out at once, even while an earlier one is
// not yet acknowledged (Nagle's algorithm off).
func setNoDelay(s handle) error {
	return windows.SetsockoptInt(s, windows.IPPROTO_TCP, windows.TCP_NODELAY, 1)
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
	sa, err := rsa.Sockaddr()
	if err != nil {
		return handle(r), netip.AddrPort{}, nil
	}
	return handle(r), addrPort(sa), nil
}

// abortedBeforeAccept tells whether accept failed because the client reset
// the connection before we accepted it: ECONNABORTED on POSIX (Linux
// accepts such a connection and lets recv report the reset), WSAECONNRESET
// on Winsock. Wine reports it as WSAENOTCONN, which a listening socket
// cannot otherwise return from accept.
func abortedBeforeAccept(err error) bool {
	return err == windows.WSAECONNRESET || err == windows.WSAENOTCONN
}

// recvSome wraps read(2) on POSIX and recv on Winsock. On a socket, read(2)
// is recv(2) with no flags. It returns 0 when the peer has shut down sending.
func recvSome(s handle, buf []byte) (int, error) {
	return recvOrSend(procRecv, s, buf)
}

// sendSome wraps write(2) on POSIX and send on Winsock. On a socket, write(2)
// is send(2) with no flags. It may send fewer bytes than asked: its caller
// sends the rest. Winsock raises no signal when the peer has gone: send
// fails with WSAECONNRESET or WSAECONNABORTED.
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
	if int32(r) == socketError {
		return 0, windows.Errno(errno)
	}
	return int(int32(r)), nil
}

// shutdownSend wraps shutdown(2) with SHUT_WR on POSIX and shutdown with
// SD_SEND on Winsock: the peer reads end-of-stream, and we can still receive.
func shutdownSend(s handle) error {
	return windows.Shutdown(s, sdSend)
}
