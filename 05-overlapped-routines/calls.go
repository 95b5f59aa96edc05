package main

import (
	"fmt"
	"net/netip"
)

// The socket calls as the server and the client make them: each one calls
// its twin in sock_unix.go or sock_windows.go, writes a trace line, and turns
// a failure into an error that names the call and the address. The calls
// of the seed's accept loop, on its non-blocking listener, are in
// nonblocking.go; the server's recv and send are the engines' (engine.go).

func (s *sock) bind(addr netip.AddrPort) error {
	err := bindSocket(s.h, addr)
	s.table.tracef("0", err, "bind(%v, %v)", s, addr)
	return s.fail("bind", err)
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

func (s *sock) connect(addr netip.AddrPort) error {
	err := connectSocket(s.h, addr)
	s.table.tracef("0", err, "connect(%v, %v)", s, addr)
	return s.fail("connect", err)
}

// close closes the socket once: a second close of the same socket does
// nothing, so that no handle is closed twice.
func (s *sock) close() {
	t := s.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live[s.n] != s {
		return
	}
	delete(t.live, s.n)
	err := closeSocket(s.h)
	t.tracef("0", err, "%s(%v)", nameClose, s)
}

// fail wraps err, if any, in an error naming the call and the address.
func (s *sock) fail(call string, err error) error {
	if err == nil {
		return nil
	}
	return &opError{call: call, addr: s.label, err: err}
}

// opError is a failed call: "bind 127.0.0.1:27015: address already in use
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

// errorName returns the symbolic name and the message of err, if it has one.
func errorName(err error) (name, message string, ok bool) {
	if named, isNamed := err.(*namedError); isNamed {
		return named.name, named.message, true
	}
	return errnoName(err)
}
