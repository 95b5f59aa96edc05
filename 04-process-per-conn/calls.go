package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// The socket calls as the server and the client make them: each one calls
// its twin in sock_unix.go or sock_windows.go, writes a trace line, and turns
// a failure into an error that names the call and the address. Once the
// process is stopping (sockets.stop), each reports errInterrupted instead
// of what its call returned.

// setReuseAddr sets SO_REUSEADDR (SO_EXCLUSIVEADDRUSE on Winsock): see
// the twins for what each means.
func (s *sock) setReuseAddr() error {
	err := setReuseAddr(s.h)
	s.table.tracef("0", err, "setsockopt(%v, SOL_SOCKET, %s, 1)", s, nameReuse)
	return s.fail("setsockopt "+nameReuse, err)
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
	if err == nil {
		s.table.setState(s, listening)
	}
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

// accept waits for a client and returns its connected socket. A client
// that gave up between connecting and our accept makes accept fail; that
// is not our failure, so we wait for the next one (UNP 5.11). The trace
// leaves out the client's port, which changes from run to run. Once the
// server is stopping, the client may be stop's own: we close it. The
// socket is fresh: the server hands it to a child and makes no call on it
// that could block, unless it turns the client away (busy marks it
// connected then).
func (s *sock) accept() (*sock, error) {
	for {
		h, peer, err := acceptConn(s.h)
		if err != nil {
			s.table.tracef("", err, "accept(%v)", s)
			if abortedBeforeAccept(err) && !s.table.stopped() {
				continue
			}
			return nil, s.fail("accept", err)
		}
		c := s.table.add(h, peer.String(), fresh)
		c.peer = peer
		s.table.tracef(fmt.Sprintf("%v from %v", c, peer.Addr()), nil, "accept(%v)", s)
		if err := s.fail("accept", nil); err != nil {
			c.close()
			return nil, err
		}
		return c, nil
	}
}

// setTimeouts bounds each later wait of a blocking call on the socket by
// d: SO_RCVTIMEO for a receive, SO_SNDTIMEO for a send (and, on Linux, for
// connect). A call that waits longer fails (see timedOut).
func (s *sock) setTimeouts(d time.Duration) error {
	err := setReceiveTimeout(s.h, d)
	s.table.tracef("0", err, "setsockopt(%v, SOL_SOCKET, SO_RCVTIMEO, %v)", s, d)
	if err != nil {
		return s.fail("setsockopt SO_RCVTIMEO", err)
	}
	err = setSendTimeout(s.h, d)
	s.table.tracef("0", err, "setsockopt(%v, SOL_SOCKET, SO_SNDTIMEO, %v)", s, d)
	return s.fail("setsockopt SO_SNDTIMEO", err)
}

func (s *sock) connect(addr netip.AddrPort) error {
	err := connectSocket(s.h, addr)
	s.table.tracef("0", err, "connect(%v, %v)", s, addr)
	if err == nil {
		s.table.setState(s, connected)
	}
	return s.fail("connect", err)
}

// recv receives what has arrived, at most len(buf) bytes, waiting until
// something has. It returns 0 when the peer has shut down its sending half.
func (s *sock) recv(buf []byte) (int, error) {
	n, err := recvSome(s.h, buf)
	if s.table.tracing() {
		s.table.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameRecv, s, len(buf))
	}
	return n, s.fail(nameRecv, err)
}

// sendAll sends every byte of buf. One send may take only part of it (the
// seed assumes it takes all), so we call again with the rest until none is left.
func (s *sock) sendAll(buf []byte) error {
	for len(buf) > 0 {
		n, err := sendSome(s.h, buf)
		if s.table.tracing() {
			s.table.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameSend, s, len(buf))
		}
		if err := s.fail(nameSend, err); err != nil {
			return err
		}
		buf = buf[n:]
	}
	return nil
}

func (s *sock) shutdownSend() error {
	err := shutdownSend(s.h)
	s.table.tracef("0", err, "shutdown(%v, %s)", s, nameShutWR)
	return s.fail("shutdown", err)
}

// wake makes a call blocked on the socket return, as stop does, without
// closing it; a socket closed already is left alone.
func (s *sock) wake() {
	t := s.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live[s.n] == s {
		t.wake(s)
	}
}

// handTo starts the child k and hands it this connection.
func (s *sock) handTo(k *child) error {
	var err error
	k.stopPipe, err = startChild(k.cmd, s.h)
	s.table.tracef("0", err, formatStartChild, k.n, s)
	if err != nil {
		return &opError{call: fmt.Sprintf("child %d", k.n), addr: s.label, err: err}
	}
	return nil
}

// stopChild asks the child k, which serves this connection, to stop.
func (s *sock) stopChild(k *child) error {
	err := stopChild(k.cmd, k.stopPipe)
	s.table.tracef("0", err, formatStopChild, k.n)
	return err
}

// inherit returns the socket the server handed to this child process.
func (t *sockets) inherit(stdin io.Reader) (*sock, error) {
	h, err := inheritedSocket(stdin)
	var s *sock
	result := ""
	if err == nil {
		s = t.add(h, "", connected)
		if peer, perr := peerAddr(h); perr == nil {
			s.peer, s.label = peer, peer.String()
		}
		result = fmt.Sprintf(formatInherited, s)
	}
	t.tracef(result, err, "%s", nameInherit)
	if err != nil {
		return nil, &opError{call: "inheriting the client's socket", err: err}
	}
	return s, nil
}

// close closes the socket once: a second close of the same socket does
// nothing, so that no handle is closed twice. It holds the table's lock,
// so that stop never wakes a handle closed under it.
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

// errInterrupted is what every call reports once the process is stopping.
var errInterrupted = errors.New("interrupted")

// fail wraps err, if any, in an error naming the call and the address; once
// the process is stopping, it is errInterrupted, whatever the call returned.
func (s *sock) fail(call string, err error) error {
	if s.table.stopped() {
		return errInterrupted
	}
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
