package main

import (
	"fmt"
	"net/netip"
)

// acceptOne tries accept once. A client past maxClients is told the
// server is busy and closed at once: the loop polls maxClients at most.
func (srv *server) acceptOne() (busy bool) {
	s, err := srv.listener.accept()
	if err != nil {
		// Out of descriptors (EMFILE) or memory: the client stays in
		// the queue, and we go on serving the ones we have. We say so
		// once.
		if why := err.Error(); why != srv.acceptError {
			fmt.Fprintf(srv.stdout,
				"%s; serving the clients we have\n", why)
			srv.acceptError = why
		}
		return false
	}
	if s == nil {
		return false
	}
	srv.acceptError = ""
	srv.accepted++
	c := &client{s: s, n: srv.accepted, open: true}
	// Each send goes out at once (TCP_NODELAY): with Nagle's algorithm on,
	// a reply sent in pieces could wait for the client's delayed ACK, up to
	// 40 ms or more, on every round trip. Chapter 04's lesson shows it:
	// ../04-process-per-conn/README.md#nagles-algorithm-and-delayed-ack.
	if err := s.setNoDelay(); err != nil {
		srv.closeClient(c, err.Error())
		return true
	}
	if len(srv.clients) >= srv.config.maxClients {
		// One try: a new socket has room.
		s.send([]byte(busyLine + "\n"))
		srv.closeClient(c, fmt.Sprintf(
			"server busy: %d clients already", len(srv.clients)))
		return true
	}
	// Winsock's accept returns a socket as non-blocking as the listener;
	// Linux's does not (accept(2), NOTES), so we say it again, on both.
	if err := s.setNonblocking(); err != nil {
		srv.closeClient(c, err.Error())
		return true
	}
	srv.clients = append(srv.clients, c)
	peer, _ := netip.ParseAddrPort(s.label)
	fmt.Fprintf(srv.stdout, "client %d: connected from %v\n",
		c.n, peer.Addr())
	return true
}
