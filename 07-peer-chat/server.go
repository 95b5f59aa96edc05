package main

import (
	"fmt"
	"io"
	"net/netip"
)

// endpoint is where a program listens or connects: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// serveOnePeer is the seed's server: it waits for one peer, then chats
// with it until the peer's side closes. ready, if not nil, learns the
// address as soon as a peer may connect.
func serveOnePeer(socks *sockets, stdin io.Reader, stdout io.Writer, at endpoint,
	ready func(netip.AddrPort)) error {
	// Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	addrs, err := socks.resolve(at.host, at.port, afINET, true)
	if err != nil {
		return err
	}
	listener, err := socks.open(addrs[0])
	if err != nil {
		return err
	}
	defer listener.close()

	// The seed sets SO_REUSEADDR before bind, so that a restarted server
	// need not wait for the last chat's connection to leave TIME_WAIT.
	if err := listener.setReuseAddr(); err != nil {
		return err
	}
	if err := listener.bind(addrs[0]); err != nil {
		return err
	}
	if err := listener.listen(); err != nil {
		return err
	}
	addr, err := listener.localAddr()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on %v\n", addr)
	if ready != nil {
		ready(addr)
	}

	// One peer, as in the seed: we close the listener once it is here.
	peer, err := listener.accept()
	if err != nil {
		return err
	}
	defer peer.close()
	// Each send goes out at once (TCP_NODELAY): with Nagle's algorithm on, a
	// line sent in pieces could wait for the peer's delayed ACK, up to
	// 40 ms or more. Chapter 04's lesson shows it:
	// ../04-process-per-conn/README.md#nagles-algorithm-and-delayed-ack.
	if err := peer.setNoDelay(); err != nil {
		return err
	}
	listener.close()
	fmt.Fprintf(stdout, "peer connected from %s\n", peer.label)

	return chat(peer, stdin, stdout)
}
