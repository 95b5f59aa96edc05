package main

import (
	"fmt"
	"io"
	"net/netip"
	"slices"
	"sync/atomic"
)

// The server's limits, so that no client can make it hold without end.
const (
	bufferSize = 1024      // how much one recv may take: the seed's BUF_SIZE
	maxClients = 100       // how many clients the loop serves; one more is told "server busy"
	maxLine    = 64 << 10  // the longest line it keeps while it waits for the newline
	maxPending = 256 << 10 // the most replies it keeps for a client that does not read
)

// server is the state of the one thread that serves every client. The
// loop that drives it, serve, is in starter.go (and solution.go).
type server struct {
	stdout   io.Writer
	addr     netip.AddrPort // where it listens
	listener handle
	clients  []*client
	accepted int // clients accepted so far: their numbers
	buf      []byte

	acceptError string      // the last error accept returned, said once
	stopped     atomic.Bool // set by Ctrl-C, from another goroutine
}

// client is one connected client, as the loop sees it.
type client struct {
	h       handle
	n       int // its number, in the order clients were accepted
	open    bool
	closing string // why we close it once its replies are sent; "" while it talks
	partial []byte // received after the last newline: the start of a line
	pending []byte // replies not sent yet: its send buffer was full
}

// listen makes the listening socket: socket, ioctlsocket(FIONBIO), bind,
// listen. FIONBIO comes first, as in the seed, so that accept never waits.
// If a call fails, the socket is closed again.
func (srv *server) listen(at netip.AddrPort) (err error) {
	s, err := openSocket()
	if err != nil {
		return failed("socket", at, err)
	}
	defer func() {
		if err != nil {
			closeSocket(s)
		}
	}()
	srv.listener = s
	if err := setNonblocking(s); err != nil {
		return failed(nameIoctl, at, err)
	}
	if err := bindSocket(s, at); err != nil {
		return failed("bind", at, err)
	}
	if err := listenSocket(s); err != nil {
		return failed("listen", at, err)
	}
	if srv.addr, err = localAddr(s); err != nil {
		return failed("getsockname", at, err)
	}
	fmt.Fprintf(srv.stdout, "listening on %v\n", srv.addr)
	return nil
}

// acceptOne tries accept once; with nobody waiting it returns at once. A
// client past maxClients is told the server is busy and closed.
func (srv *server) acceptOne() {
	if srv.stopping() {
		return // the connection that woke us (see stop) is not a client
	}
	h, peer, err := acceptConn(srv.listener)
	if wouldBlock(err) {
		return
	}
	if err != nil {
		if why := failed("accept", srv.addr, err).Error(); why != srv.acceptError {
			fmt.Fprintln(srv.stdout, why)
			srv.acceptError = why
		}
		return
	}
	srv.accepted++
	c := &client{h: h, n: srv.accepted, open: true}
	if len(srv.clients) >= maxClients {
		sendSome(h, []byte("server busy\n")) // one try: a new socket has room
		srv.closeClient(c, "server busy")
		return
	}
	// Winsock's accept returns a socket as non-blocking as the listener;
	// Linux's does not (accept(2), NOTES), so we say it again.
	if err := setNonblocking(h); err != nil {
		srv.closeClient(c, describe(nameIoctl, err))
		return
	}
	srv.clients = append(srv.clients, c)
	fmt.Fprintf(srv.stdout, "client %d: connected from %v\n", c.n, peer.Addr())
}

// forgetClosed drops the clients closed during the pass from the list the
// loop serves, so that their places go to new clients.
func (srv *server) forgetClosed() {
	srv.clients = slices.DeleteFunc(srv.clients, func(c *client) bool { return !c.open })
}

// stopping tells whether Ctrl-C has asked the server to stop.
func (srv *server) stopping() bool { return srv.stopped.Load() }

// stop asks the loop to stop; Ctrl-C calls it from another goroutine. The
// loop may be asleep in a call that wakes only when a socket is ready, so
// we make one ready: we connect to our own listener and hang up.
func (srv *server) stop() {
	srv.stopped.Store(true)
	to := srv.addr
	if to.Addr().IsUnspecified() { // 0.0.0.0: every interface, loopback included
		to = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), to.Port())
	}
	if s, err := openSocket(); err == nil {
		connectSocket(s, to)
		closeSocket(s)
	}
}

// closeEverything closes every client and the listener.
func (srv *server) closeEverything() {
	for _, c := range srv.clients {
		if c.open {
			closeSocket(c.h)
		}
	}
	srv.clients = nil
	closeSocket(srv.listener)
}

// closeClient closes a client's socket and says why.
func (srv *server) closeClient(c *client, why string) {
	closeSocket(c.h)
	c.open = false
	fmt.Fprintf(srv.stdout, "client %d: closed (%s)\n", c.n, why)
}

// failed makes the one line a failed call prints: the call, the address
// and the OS error with its name, as in
// "bind 127.0.0.1:9901: address already in use (EADDRINUSE)".
func failed(call string, at netip.AddrPort, err error) error {
	return fmt.Errorf("%s %v: %s", call, at, describe("", err))
}

// describe names an error, after the call that returned it if call is
// not "": "recv: connection reset by peer (ECONNRESET)".
func describe(call string, err error) string {
	name, message := errnoName(err)
	if name != "" {
		message += " (" + name + ")"
	}
	if call == "" {
		return message
	}
	return call + ": " + message
}
