package main

import (
	"fmt"
	"io"
	"net/netip"
)

// serve is chapter 06's echo server, cut to what the lab needs: every
// datagram goes back, unchanged, to whoever sent it.
func serve(stdout io.Writer, at netip.AddrPort) error {
	s, err := openUDP(at)
	if err != nil {
		return err
	}
	defer closeUDP(s)
	if err := bindSocket(s, at); err != nil {
		return failed("bind", at, err)
	}
	bound, err := localAddr(s) // with port 0, the port the system chose
	if err != nil {
		return failed("getsockname", at, err)
	}
	fmt.Fprintf(stdout, "listening on %v\n", bound)

	// The server does not read the sequence number: it echoes bytes.
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := recvFrom(s, buf)
		if err != nil {
			return failed("recvfrom", bound, err)
		}
		// A failed sendto concerns that one client: we say so and go on.
		if err := sendTo(s, buf[:n], from); err != nil {
			fmt.Fprintln(stdout, failed("sendto", from, err))
			continue
		}
		fmt.Fprintf(stdout, "echoed %d bytes to %v\n", n, from.Addr())
	}
}
