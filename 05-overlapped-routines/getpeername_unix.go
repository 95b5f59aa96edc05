//go:build unix

// The peer's address of a socket the model did not get from accept(2)
// with an address: one the seed's accept loop took with no address
// (acceptConn, over acceptNoAddr), or one an io_uring accept made
// (adopt, in accept.go, which uringwait_linux.go calls).
// getpeername_windows.go is its twin.
package main

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// peerAddr wraps getpeername(2) on POSIX and getpeername on Winsock.
func peerAddr(s handle) (netip.AddrPort, error) {
	sa, err := unix.Getpeername(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrPort(sa), nil
}
