//go:build !linux

package main

import (
	"net"
	"time"
)

// Elsewhere than Linux, the tests time the client's datagrams by when they
// read them (stamp_linux_test.go says why Linux does better).

// stampArrivals does nothing here.
func stampArrivals(conn *net.UDPConn) error { return nil }

// readStamped reads one datagram into buf and returns its length, its
// sender and when it was read.
func readStamped(conn *net.UDPConn, buf []byte) (int, *net.UDPAddr, time.Time, error) {
	n, from, err := conn.ReadFromUDP(buf)
	return n, from, time.Now(), err
}
