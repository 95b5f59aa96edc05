package main

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
)

// bufferSize is how much one recv may take: the seed's buf[512].
const bufferSize = 512

// sockets is the table of open sockets, so that Ctrl-C can close what is
// still open, and so that no socket is closed twice. It also counts the
// calls in progress on them, so that Ctrl-C can wait for the calls it
// woke to return before the program exits.
type sockets struct {
	mu      sync.Mutex
	live    map[*sock]bool
	stopped bool          // closeAll was called: a failing call is the stop
	calls   int           // accept, recv and send calls in progress
	idle    chan struct{} // closed when calls falls to 0, if closeAll waits
}

// sock is one open socket. Its methods make the calls of sock_unix.go or
// sock_windows.go and name the call and the address in an error.
type sock struct {
	table *sockets
	h     handle
	label string // the address an error names: ours for the listener, the peer's otherwise
}

// listen makes the listening socket: socket, setsockopt, bind, listen,
// and getsockname for the port the system chose when asked for port 0.
func (t *sockets) listen(at netip.AddrPort) (*sock, error) {
	h, err := openSocket()
	if err != nil {
		return nil, failed("socket", at.String(), err)
	}
	s := t.add(h, at.String())
	// SO_REUSEADDR (SO_EXCLUSIVEADDRUSE on Winsock): see the twins.
	call, err := "setsockopt", reuseAddress(h)
	if err == nil {
		call, err = "bind", bindSocket(h, at)
	}
	if err == nil {
		call, err = "listen", listenSocket(h)
	}
	var bound netip.AddrPort
	if err == nil {
		bound, err = localAddr(h)
		call = "getsockname"
	}
	if err != nil {
		s.close()
		return nil, s.fail(call, err)
	}
	s.label = bound.String()
	return s, nil
}

// add enters a new socket in the table.
func (t *sockets) add(h handle, label string) *sock {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live == nil {
		t.live = make(map[*sock]bool)
	}
	s := &sock{table: t, h: h, label: label}
	t.live[s] = true
	return s
}

// accept waits for a peer and returns its connected socket. A peer that
// reset before we accepted it is not our failure: we wait for the next.
func (s *sock) accept() (*sock, error) {
	defer s.table.call()()
	for {
		h, from, err := acceptConn(s.h)
		if err != nil && abortedBeforeAccept(err) {
			continue
		}
		if err != nil {
			return nil, s.fail("accept", err)
		}
		return s.table.add(h, from.String()), nil
	}
}

// from is the peer's address without its port, which changes every run.
func (s *sock) from() string {
	at, err := netip.ParseAddrPort(s.label)
	if err != nil {
		return s.label
	}
	return at.Addr().String()
}

// recv receives what has arrived, at most len(buf) bytes, waiting until
// something has. It returns 0 when the peer has shut down its sending half.
func (s *sock) recv(buf []byte) (int, error) {
	defer s.table.call()()
	n, err := recvSome(s.h, buf)
	return n, s.fail(nameRecv, err)
}

// sendAll sends every byte of buf: one send may take only part of it. It
// blocks while the peer's buffers are full, that is while it reads no more.
func (s *sock) sendAll(buf []byte) error {
	defer s.table.call()()
	for len(buf) > 0 {
		n, err := sendSome(s.h, buf)
		if err != nil {
			return s.fail(nameSend, err)
		}
		buf = buf[n:]
	}
	return nil
}

// shutdown shuts down both halves of the connection: a recv or a send
// blocked on the socket returns, and the peer reads end-of-stream. It
// leaves a socket that is closed already alone.
func (s *sock) shutdown() {
	s.table.mu.Lock()
	defer s.table.mu.Unlock()
	if s.table.live[s] {
		shutdownBoth(s.h)
	}
}

// close closes the socket once; one that closeAll closed is left alone.
func (s *sock) close() {
	s.table.mu.Lock()
	open := s.table.live[s]
	delete(s.table.live, s)
	s.table.mu.Unlock()
	if open {
		closeSocket(s.h)
	}
}

// fail wraps err, if any, in an error naming the call and the address.
func (s *sock) fail(call string, err error) error {
	if err == nil {
		return nil
	}
	return failed(call, s.label, err)
}

// failed is one line with the call, the address and the OS error's name:
// "bind 127.0.0.1:8001: address already in use (EADDRINUSE)".
func failed(call, addr string, err error) error {
	where := strings.TrimSpace(call + " " + addr)
	if name, message, ok := errnoName(err); ok {
		return fmt.Errorf("%s: %s (%s)", where, message, name)
	}
	return fmt.Errorf("%s: %v", where, err)
}
