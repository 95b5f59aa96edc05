// The peer's address of a socket the model did not get from accept with an
// address: one AcceptEx filled (acceptex_windows.go, waitWithAccept).
// getpeername_unix.go is its twin.
package main

import (
	"net/netip"

	"golang.org/x/sys/windows"
)

// peerAddr wraps getpeername(2) on POSIX and getpeername on Winsock.
func peerAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getpeername(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrPort(sa), nil
}
