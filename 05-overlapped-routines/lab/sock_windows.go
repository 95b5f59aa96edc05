// The socket calls the Windows half of the lab makes, through
// golang.org/x/sys/windows; recv and send are overlapped operations whose
// completions come through the port (port_windows.go).
package main

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"
)

// x/sys/windows leaves out the blocking accept (Go itself uses AcceptEx),
// so we load it from ws2_32.dll.
var (
	ws2_32     = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept = ws2_32.NewProc("accept")
)

// sdBoth is SD_BOTH, shutdown's both directions (winsock2.h).
const sdBoth = 2

// startup wraps WSAStartup, which Winsock needs before any other call.
func startup() error {
	var data windows.WSAData
	return windows.WSAStartup(uint32(0x0202), &data) // MAKEWORD(2, 2)
}

// listenOn wraps WSASocket with WSA_FLAG_OVERLAPPED, bind, listen and
// getsockname: it returns the listening socket and the address it is bound
// to (with port 0, the port the system chose). The sockets accept makes
// from it take overlapped I/O too.
func listenOn(at netip.AddrPort) (windows.Handle, netip.AddrPort, error) {
	var sa windows.Sockaddr = &windows.SockaddrInet4{Port: int(at.Port()), Addr: at.Addr().As4()}
	family := windows.AF_INET
	if at.Addr().Is6() {
		family, sa = windows.AF_INET6, &windows.SockaddrInet6{Port: int(at.Port()), Addr: at.Addr().As16()}
	}
	s, err := windows.WSASocket(int32(family), windows.SOCK_STREAM, windows.IPPROTO_TCP, nil, 0, windows.WSA_FLAG_OVERLAPPED)
	if err != nil {
		return windows.InvalidHandle, at, failed("WSASocket", at.String(), err)
	}
	call := "bind"
	err = windows.Bind(s, sa)
	if err == nil {
		call, err = "listen", windows.Listen(s, windows.SOMAXCONN)
	}
	var bound windows.Sockaddr
	if err == nil {
		call = "getsockname"
		bound, err = windows.Getsockname(s)
	}
	if err != nil {
		windows.Closesocket(s)
		return windows.InvalidHandle, at, failed(call, at.String(), err)
	}
	return s, addrPort(bound), nil
}

// acceptClient wraps accept: it waits for the next client. Closing the
// listener from another thread makes it fail, which is how the server
// stops it. Wine 8 may fail a waiting accept with WSAEWOULDBLOCK although
// the socket blocks (see 03-thread-per-conn/lab): we wait again.
func acceptClient(l windows.Handle) (windows.Handle, error) {
	for {
		r, _, errno := syscall.SyscallN(procAccept.Addr(), uintptr(l), 0, 0)
		if c := windows.Handle(r); c != windows.InvalidHandle {
			// Nagle's algorithm off, as on every TCP socket of the course
			// (chapter 04's lesson measures why).
			err := windows.SetsockoptInt(c, windows.IPPROTO_TCP, windows.TCP_NODELAY, 1)
			if err != nil {
				windows.Closesocket(c)
				return windows.InvalidHandle, err
			}
			return c, nil
		}
		if errno != windows.WSAEWOULDBLOCK {
			return windows.InvalidHandle, errno
		}
	}
}

// abortedBeforeAccept tells whether accept failed because the client reset
// before we took it: WSAECONNRESET on Windows, WSAENOTCONN under Wine.
func abortedBeforeAccept(err error) bool {
	return err == windows.WSAECONNRESET || err == windows.WSAENOTCONN
}

// peerName wraps getpeername: the client's address, for error lines.
func peerName(s windows.Handle) string {
	sa, err := windows.Getpeername(s)
	if err != nil {
		return "client"
	}
	return addrPort(sa).String()
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

// failed is one line naming the call, the address and the OS error with
// its symbolic name: "bind 127.0.0.1:9190: address already in use (WSAEADDRINUSE)".
func failed(call, addr string, err error) error {
	where := strings.TrimSpace(call + " " + addr)
	var errno windows.Errno
	if errors.As(err, &errno) {
		name, message := errnoName(errno)
		return fmt.Errorf("%s: %s (%s)", where, message, name)
	}
	return fmt.Errorf("%s: %v", where, err)
}

// errnoName returns the symbolic name of an error the lab may meet, and
// its message in POSIX's words as the chapter prints it. A completion
// reports a failed operation with the status the kernel gave it, so a
// reset reads ERROR_NETNAME_DELETED there, not WSAECONNRESET.
func errnoName(errno windows.Errno) (name, message string) {
	switch errno {
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
	case windows.WSAESHUTDOWN:
		return "WSAESHUTDOWN", "cannot send after transport endpoint shutdown"
	case windows.WSAENOTSOCK:
		return "WSAENOTSOCK", "socket operation on non-socket"
	case windows.WSAEINVAL:
		return "WSAEINVAL", "invalid argument"
	case windows.ERROR_NETNAME_DELETED:
		return "ERROR_NETNAME_DELETED", "connection reset by peer"
	case windows.ERROR_CONNECTION_ABORTED:
		return "ERROR_CONNECTION_ABORTED", "software caused connection abort"
	case windows.ERROR_OPERATION_ABORTED:
		return "WSA_OPERATION_ABORTED", "operation aborted"
	case windows.ERROR_INVALID_HANDLE:
		return "ERROR_INVALID_HANDLE", "bad handle"
	}
	return "error " + strconv.Itoa(int(errno)), errno.Error()
}
