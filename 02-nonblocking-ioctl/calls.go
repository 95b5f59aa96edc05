package main

import (
	"fmt"
	"net/netip"
	"strings"
)

// The socket calls as the server and the client make them: each one calls
// its twin in sock_unix.go or sock_windows.go, writes a trace line, and turns
// a failure into an error that names the call and the address.

// setNonblocking makes every later call on the socket return at once: the
// lesson of this chapter.
func (s *sock) setNonblocking() error {
	err := setNonblocking(s.h)
	s.table.tracef("0", err, "%s(%v, FIONBIO, 1)", nameIoctl, s)
	return s.fail(nameIoctl, err)
}

// setNoDelay turns Nagle's algorithm off: see chapter 04's lesson.
func (s *sock) setNoDelay() error {
	err := setNoDelay(s.h)
	s.table.tracef("0", err, "setsockopt(%v, IPPROTO_TCP, TCP_NODELAY, 1)", s)
	return s.fail("setsockopt TCP_NODELAY", err)
}

func (s *sock) bind(addr netip.AddrPort) error {
	err := bindSocket(s.h, addr)
	s.table.tracef("0", err, "bind(%v, %v)", s, addr)
	return s.fail("bind", err)
}

func (s *sock) listen() error {
	err := listenSocket(s.h)
	s.table.tracef("0", err, "listen(%v, SOMAXCONN)", s)
	return s.fail("listen", err)
}

// localAddr returns the address the socket is bound to: with port 0, the
// port the system chose.
func (s *sock) localAddr() (netip.AddrPort, error) {
	addr, err := localAddr(s.h)
	s.table.tracef(addr.String(), err, "getsockname(%v)", s)
	if err == nil {
		s.label = addr.String()
	}
	return addr, s.fail("getsockname", err)
}

// accept takes a client that has connected, if one has: with nobody
// waiting it returns nil at once. A client that gave up between
// connecting and our accept is nobody too (UNP 5.11). The trace leaves
// out the client's port, which changes from run to run.
func (s *sock) accept() (*sock, error) {
	h, peer, err := acceptConn(s.h)
	if err != nil {
		s.traceAgain("accept", "", err, "accept(%v)", s)
		if wouldBlock(err) || abortedBeforeAccept(err) {
			return nil, nil
		}
		return nil, s.fail("accept", err)
	}
	c := s.table.add(h, peer.String())
	s.traceAgain("accept", fmt.Sprintf("%v from %v", c, peer.Addr()), nil, "accept(%v)", s)
	return c, nil
}

// connect starts the handshake, or asks how it goes: on a non-blocking
// socket the same call does both (see connectProgress).
func (s *sock) connect(addr netip.AddrPort) error {
	err := connectSocket(s.h, addr)
	s.traceAgain("connect", "0", err, "connect(%v, %v)", s, addr)
	return s.fail("connect", err)
}

// pendingError returns the error of a handshake that failed, if it has.
func (s *sock) pendingError() error {
	failed, err := pendingError(s.h)
	result := "0 (no error)"
	if failed != nil {
		name, _, _ := errorName(failed)
		result = "0 (error " + name + ")"
	}
	s.traceAgain("getsockopt", result, err, "getsockopt(%v, SOL_SOCKET, SO_ERROR)", s)
	if err != nil {
		return s.fail("getsockopt", err)
	}
	return s.fail("connect", failed)
}

// recv takes what has arrived, at most len(buf) bytes. With nothing there
// it returns blocked instead of waiting. n is 0 when the peer has shut
// down its sending half.
func (s *sock) recv(buf []byte) (n int, blocked bool, err error) {
	n, err = recvSome(s.h, buf)
	s.traceAgain(nameRecv, fmt.Sprint(n), err, "%s(%v, %d bytes)", nameRecv, s, len(buf))
	if wouldBlock(err) {
		return 0, true, nil
	}
	return n, false, s.fail(nameRecv, err)
}

// send sends what the socket's send buffer has room for, which may be
// part of buf. With no room at all it returns blocked instead of waiting.
func (s *sock) send(buf []byte) (n int, blocked bool, err error) {
	n, err = sendSome(s.h, buf)
	s.traceAgain(nameSend, fmt.Sprint(n), err, "%s(%v, %d bytes)", nameSend, s, len(buf))
	if wouldBlock(err) {
		return 0, true, nil
	}
	return n, false, s.fail(nameSend, err)
}

// close closes the socket once: a second close of the same socket is left
// alone, so that no handle is closed twice.
func (s *sock) close() {
	t := s.table
	t.mu.Lock()
	_, open := t.live[s.n]
	delete(t.live, s.n)
	t.mu.Unlock()
	if open {
		err := closeSocket(s.h)
		t.tracef("0", err, "%s(%v)", nameClose, s)
	}
}

// traceAgain traces a call that a non-blocking program makes again and
// again. A result the same as the call's last one on this socket, such as
// a second "would block" in a row, is not traced: the trace would grow by
// a line per pass and say nothing new.
func (s *sock) traceAgain(call, result string, err error, format string, args ...any) {
	line := traceResult(result, err)
	if s.lastResult == nil {
		s.lastResult = make(map[string]string)
	}
	if s.lastResult[call] == line && (err != nil || strings.HasPrefix(result, "0")) {
		return
	}
	s.lastResult[call] = line
	s.table.tracef(result, err, format, args...)
}

// fail wraps err, if any, in an error naming the call and the address.
func (s *sock) fail(call string, err error) error {
	if err == nil {
		return nil
	}
	return &opError{call: call, addr: s.label, err: err}
}

// opError is a failed call: "bind 127.0.0.1:9901: address already in use
// (EADDRINUSE)", one line with the call, the address and the OS error's name,
// and, where the error alone would puzzle, why it happened.
type opError struct {
	call string
	addr string
	why  string // "" or what the error means here, said before it
	err  error
}

func (e *opError) Error() string {
	where := e.call
	if e.addr != "" {
		where += " " + e.addr
	}
	if e.why != "" {
		where += ": " + e.why
	}
	if name, message, ok := errorName(e.err); ok {
		return fmt.Sprintf("%s: %s (%s)", where, message, name)
	}
	return fmt.Sprintf("%s: %v", where, e.err)
}

func (e *opError) Unwrap() error { return e.err }

// namedError is an error that is not an errno but has a symbolic name all
// the same, such as getaddrinfo's EAI_NONAME.
type namedError struct{ name, message string }

func (e *namedError) Error() string { return e.message }

// errorName returns the symbolic name and the message of an error, if it
// has one.
func errorName(err error) (name, message string, ok bool) {
	if named, isNamed := err.(*namedError); isNamed {
		return named.name, named.message, true
	}
	return errnoName(err)
}
