package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
)

// maxDatagram is the largest UDP payload over IPv4: an IP datagram holds at
// most 65,535 bytes, less 20 of IP header and 8 of UDP header.
const maxDatagram = 65507

// endpoint is where a program serves or sends: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// serverConfig is what the server's flags ask for.
type serverConfig struct {
	at     endpoint
	buffer int  // how much one recvfrom may take (the seed: 1024)
	count  int  // stop after this many datagrams; 0: never
	ports  bool // log the sender's port too
}

// serveDatagrams is the seed's server, made to last: it echoes every
// datagram to its sender until it has served config.count of them, or
// until Ctrl-C stops it: every call then reports errInterrupted, and so do
// we. ready, if not nil, learns the address as soon as datagrams may come.
func serveDatagrams(socks *sockets, stdout io.Writer, config serverConfig,
	ready func(netip.AddrPort)) error {
	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2-3. Create a datagram socket and bind it (bind.go). The deferred
	// close closes it on every return below. There is no listen and no
	// accept: no connection will come, and one socket receives from every
	// client.
	server, addr, err := bindOn(socks, config.at)
	if err != nil {
		return err
	}
	defer server.close()
	fmt.Fprintf(stdout, "listening on %v\n", addr)
	if ready != nil {
		ready(addr)
	}

	// 4. Receive and send, a datagram at a time, from and to anyone. One
	// buffer, reused: a datagram bigger than it is cut, never spread over
	// two receives.
	buf := make([]byte, config.buffer)
	for served := 0; config.count == 0 || served < config.count; served++ {
		err := echoOne(server, stdout, buf, config.ports)
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "served %d datagram%s\n",
		config.count, plural(config.count))
	return nil
}

// echoOne receives one datagram and sends it back to whoever sent it.
// recvfrom blocks until a datagram is there; each call takes one datagram
// whole, whatever its size, so two sends are always two receives.
func echoOne(server *sock, stdout io.Writer, buf []byte, ports bool) error {
	n, from, truncated, err := server.recvFrom(buf)
	if err != nil {
		return err
	}
	who := from.Addr().String()
	if ports {
		who = from.String()
	}

	// The seed's recvBuf was 1024 bytes and it never looked: a longer
	// datagram came in cut, and it sent back the cut copy. We say so, and
	// send nothing, so that the client does not take it for the echo.
	if truncated {
		fmt.Fprintf(stdout, "datagram of more than %d bytes from %s: "+
			"truncated (%s), not echoed\n",
			len(buf), who, nameTruncated)
		return nil
	}
	fmt.Fprintf(stdout, "datagram of %d bytes from %s\n", n, who)

	// We send back the n bytes received, not the whole buffer as the seed
	// did. A failed sendto concerns that one client: we say so and go on,
	// unless it failed because Ctrl-C stopped us.
	err = server.sendTo(buf[:n], from)
	if errors.Is(err, errInterrupted) {
		return err
	}
	if err != nil {
		fmt.Fprintf(stdout, "echo not sent: %v\n", err)
	}
	return nil
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
