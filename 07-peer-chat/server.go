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
// with it until the peer's side closes. Its listener sets SO_REUSEADDR
// before bind, as the seed's does, so that a restarted server need not
// wait for the last chat's connection to leave TIME_WAIT. ready, if not
// nil, learns the address as soon as a peer may connect.
func serveOnePeer(socks *sockets, stdin io.Reader, stdout io.Writer,
	at endpoint, ready func(netip.AddrPort)) error {
	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2-4. Create a socket, bind it and listen (setup.go). The deferred
	// close closes it on every return below.
	listener, addr, err := listenOn(socks, at, (*sock).setReuseAddr)
	if err != nil {
		return err
	}
	defer listener.close()
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
	// Each send goes out at once (TCP_NODELAY): with Nagle's algorithm
	// on, a line sent in pieces could wait for the peer's delayed ACK, up
	// to 40 ms or more. Chapter 04's lesson shows it:
	// ../04-process-per-conn/README.md#nagles-algorithm-and-delayed-ack.
	if err := peer.setNoDelay(); err != nil {
		return err
	}
	listener.close()
	fmt.Fprintf(stdout, "peer connected from %s\n", peer.label)

	return chat(peer, stdin, stdout)
}
