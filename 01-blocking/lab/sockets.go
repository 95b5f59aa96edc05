package main

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
)

// sockets is the table of the program's open sockets, so that Ctrl-C can
// close whatever is still open: that makes a blocked call return.
type sockets struct {
	mu      sync.Mutex
	live    map[*sock]bool
	stopped bool // closeAll has run: a socket accepted now is closed at once
}

// sock is one open socket, and the address its errors name: ours for the
// listener, the client's for a client.
type sock struct {
	table *sockets
	h     handle
	addr  string
}

// errStopped is what accept returns for a client that arrives as we stop.
var errStopped = errors.New("the server is stopping")

// open makes the listening socket.
func (t *sockets) open(at netip.AddrPort) (*sock, error) {
	h, err := openSocket()
	if err != nil {
		return nil, fmt.Errorf("socket %v: %s", at, describe(err))
	}
	return t.add(h, at.String())
}

func (t *sockets) add(h handle, addr string) (*sock, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		closeSocket(h)
		return nil, errStopped
	}
	if t.live == nil {
		t.live = make(map[*sock]bool)
	}
	s := &sock{table: t, h: h, addr: addr}
	t.live[s] = true
	return s, nil
}

// closeAll shuts down and closes every socket still open.
func (t *sockets) closeAll() {
	t.mu.Lock()
	left := t.live
	t.live, t.stopped = nil, true
	t.mu.Unlock()
	for s := range left {
		shutdownBoth(s.h)
		closeSocket(s.h)
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

// Each call below goes to its twin in sock_unix.go or sock_windows.go and
// turns a failure into one line naming the call, the address and the error.

func (s *sock) bind(at netip.AddrPort) error { return s.fail("bind", bindSocket(s.h, at)) }

func (s *sock) listen() error { return s.fail("listen", listenSocket(s.h)) }

func (s *sock) shutdownSend() error { return s.fail("shutdown", shutdownSend(s.h)) }

// localAddr returns the address we listen on: with port 0, the port the
// system chose.
func (s *sock) localAddr() (netip.AddrPort, error) {
	addr, err := localAddr(s.h)
	return addr, s.fail("getsockname", err)
}

// accept waits for a client and returns its connected socket. A client
// that gave up between connecting and our accept makes accept fail; that
// is not our failure, so we wait for the next one (UNP 5.11).
func (s *sock) accept() (*sock, error) {
	for {
		h, peer, err := acceptConn(s.h)
		if err != nil && abortedBeforeAccept(err) {
			continue
		}
		if err != nil {
			return nil, s.fail("accept", err)
		}
		return s.table.add(h, peer.String())
	}
}

// recv receives what has arrived, at most len(buf) bytes, waiting until
// something has. It returns 0 when the peer has shut down its sending half.
func (s *sock) recv(buf []byte) (int, error) {
	n, err := recvSome(s.h, buf)
	return n, s.fail(nameRecv, err)
}

// sendAll sends every byte of buf: one send may take only part of it.
func (s *sock) sendAll(buf []byte) error {
	for len(buf) > 0 {
		n, err := sendSome(s.h, buf)
		if err != nil {
			return s.fail(nameSend, err)
		}
		buf = buf[n:]
	}
	return nil
}

// fail turns err, if any, into "recv 127.0.0.1:50123: connection reset by
// peer (ECONNRESET)".
func (s *sock) fail(call string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %s: %s", call, s.addr, describe(err))
}
