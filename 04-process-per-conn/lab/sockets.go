package main

import (
	"fmt"
	"io"
	"net/netip"
	"sync"
)

// sock is one open socket, and the address its errors name: ours for a
// listening socket, the client's for a connection.
type sock struct {
	h       handle
	addr    netip.AddrPort
	closing sync.Once
}

// fail turns a failed call into one line: "bind 127.0.0.1:8001: address
// already in use (EADDRINUSE)".
func fail(call string, addr netip.AddrPort, err error) error {
	return fmt.Errorf("%s %v: %s", call, addr, describe(err))
}

// listen makes the listening socket: socket, SO_REUSEADDR, bind, listen.
func listen(at netip.AddrPort) (*sock, error) {
	h, err := openSocket()
	if err != nil {
		return nil, fail("socket", at, err)
	}
	s := &sock{h: h, addr: at}
	call := "setsockopt"
	err = setReuseAddr(h)
	if err == nil {
		call, err = "bind", bindSocket(h, at)
	}
	if err == nil {
		call, err = "listen", listenSocket(h)
	}
	if err == nil {
		call = "getsockname" // with port 0, the port the system chose
		s.addr, err = localAddr(h)
	}
	if err != nil {
		s.close()
		return nil, fail(call, at, err)
	}
	return s, nil
}

// accept waits for a client and returns its connected socket. A client
// that gave up before we accepted it is not our failure: we wait for the
// next one.
func (s *sock) accept() (*sock, error) {
	for {
		c, peer, err := acceptConn(s.h)
		if err == nil {
			return &sock{h: c, addr: peer}, nil
		}
		if !abortedBeforeAccept(err) {
			return nil, fail("accept", s.addr, err)
		}
	}
}

// inherit returns the socket the parent handed to this child: a listening
// socket or a client's connection.
func inherit(stdin io.Reader) (*sock, error) {
	h, err := inheritedSocket(stdin)
	if err != nil {
		return nil, fmt.Errorf("inheriting the socket: %s", describe(err))
	}
	s := &sock{h: h}
	if s.addr, err = peerAddr(h); err != nil {
		s.addr, _ = localAddr(h) // not connected: the listening socket
	}
	return s, nil
}

// recv receives what has arrived, at most len(buf) bytes. It returns 0
// when the peer has shut down sending.
func (s *sock) recv(buf []byte) (int, error) {
	n, err := recvSome(s.h, buf)
	if err != nil {
		return 0, fail(nameRecv, s.addr, err)
	}
	return n, nil
}

// sendAll sends every byte of buf: one send may take only part of it.
func (s *sock) sendAll(buf []byte) error {
	for len(buf) > 0 {
		n, err := sendSome(s.h, buf)
		if err != nil {
			return fail(nameSend, s.addr, err)
		}
		buf = buf[n:]
	}
	return nil
}

func (s *sock) shutdownSend() error {
	if err := shutdownSend(s.h); err != nil {
		return fail("shutdown", s.addr, err)
	}
	return nil
}

// stopAccepting makes an accept blocked on s return: shutdown wakes it on
// Linux, closesocket on Winsock.
func (s *sock) stopAccepting() {
	shutdownBoth(s.h)
	s.close()
}

// close closes the socket once, however often it is called.
func (s *sock) close() {
	s.closing.Do(func() { closeSocket(s.h) })
}
