//go:build linux

// The socket calls the lab makes itself, through golang.org/x/sys/unix;
// accept, recv and send are io_uring operations (server_linux.go).
package main

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"
)

// listenOn wraps socket(2), bind(2), listen(2) and getsockname(2): it
// returns the listening socket and the address it is bound to (with port
// 0, the port the system chose).
func listenOn(at netip.AddrPort) (int, netip.AddrPort, error) {
	family, sa := unix.AF_INET, unix.Sockaddr(&unix.SockaddrInet4{Port: int(at.Port()), Addr: at.Addr().As4()})
	if at.Addr().Is6() {
		family, sa = unix.AF_INET6, &unix.SockaddrInet6{Port: int(at.Port()), Addr: at.Addr().As16()}
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		return -1, at, failed("socket", at.String(), err)
	}
	call := "bind"
	err = unix.Bind(fd, sa)
	if err == nil {
		call, err = "listen", unix.Listen(fd, unix.SOMAXCONN)
	}
	var bound unix.Sockaddr
	if err == nil {
		call = "getsockname"
		bound, err = unix.Getsockname(fd)
	}
	if err != nil {
		unix.Close(fd)
		return -1, at, failed(call, at.String(), err)
	}
	return fd, addrPort(bound), nil
}

// peerName wraps getpeername(2): the client's address, for error lines.
func peerName(fd int) string {
	sa, err := unix.Getpeername(fd)
	if err != nil {
		return "client"
	}
	return addrPort(sa).String()
}

// addrPort turns an address the calls return into a netip.AddrPort.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// shutdownBoth wraps shutdown(2) with SHUT_RDWR: the operations in flight
// on the socket complete (a recv reads end-of-stream, an accept fails), and
// the descriptor stays ours to close.
func shutdownBoth(fd int) { unix.Shutdown(fd, unix.SHUT_RDWR) }

// failed is one line naming the call, the address and the OS error with
// its symbolic name: "bind 127.0.0.1:9190: address already in use (EADDRINUSE)".
func failed(call, addr string, err error) error {
	where := strings.TrimSpace(call + " " + addr)
	var errno unix.Errno
	if errors.As(err, &errno) {
		return fmt.Errorf("%s: %v (%s)", where, errno, unix.ErrnoName(errno))
	}
	return fmt.Errorf("%s: %v", where, err)
}
