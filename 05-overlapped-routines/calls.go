package main

import (
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// The socket calls as the server and the client make them: each one calls
// its twin in sock_unix.go or sock_windows.go, writes a trace line, and turns
// a failure into an error that names the call and the address.

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

// errWouldBlock is what accept returns when no client is waiting.
var errWouldBlock = errors.New("no client waiting")

// accept takes a waiting client and returns its connected socket, or
// errWouldBlock at once when nobody waits (the listener is non-blocking:
// EAGAIN, WSAEWOULDBLOCK). The seed's loop tries that ten times a second;
// the trace leaves those tries out, or it would change with every run. A
// client that gave up between connecting and our accept makes accept fail;
// that is not our failure, so we go on (UNP 5.11). The trace leaves out the
// client's port, which changes from run to run.
func (s *sock) accept() (*sock, error) {
	for {
		h, peer, err := acceptConn(s.h)
		if wouldBlock(err) {
			return nil, errWouldBlock
		}
		if err != nil {
			s.table.tracef("", err, "accept(%v)", s)
			if abortedBeforeAccept(err) || outOfDescriptors(err) {
				return nil, errWouldBlock
			}
			return nil, s.fail("accept", err)
		}
		c := s.table.add(h, peer.String())
		s.table.tracef(fmt.Sprintf("%v from %v", c, peer.Addr()), nil, "accept(%v)", s)
		return c, nil
	}
}

// adopt enters in the table a socket that a posted accept returned, as
// accept does for its own: numbered, labelled with its peer's address.
// call is the trace line's left side.
func (s *sock) adopt(h handle, call string) *sock {
	peer, _ := peerAddr(h)
	c := s.table.add(h, peer.String())
	if s.table.trace != nil {
		s.table.tracef(fmt.Sprintf("%v from %v", c, peer.Addr()), nil, "%s", call)
	}
	return c
}

// setNonblocking is the seed's ioctlsocket(FIONBIO, 1): accept, recv and
// send on the socket return at once instead of waiting.
func (s *sock) setNonblocking() error {
	err := setNonblocking(s.h)
	s.table.tracef("0", err, "%s", fmt.Sprintf(nameNonblock, s))
	return s.fail("set non-blocking", err)
}

// cancel makes the operation in flight on the socket complete, so that its
// routine runs: shutdown on POSIX (the pending recv reads end-of-stream),
// closesocket on Winsock (the routine is told WSA_OPERATION_ABORTED).
func (s *sock) cancel() {
	if cancelCloses {
		s.close()
		return
	}
	err := shutdownBoth(s.h)
	s.table.tracef("0", err, "shutdown(%v, %s)", s, nameShutBoth)
}

// setTimeouts bounds every wait of a recv or send on the socket, and on
// Linux of a connect, to d: SO_RCVTIMEO and SO_SNDTIMEO.
func (s *sock) setTimeouts(d time.Duration) error {
	for _, o := range []struct {
		option int
		name   string
	}{{soRcvTimeo, "SO_RCVTIMEO"}, {soSndTimeo, "SO_SNDTIMEO"}} {
		err := setTimeout(s.h, o.option, d)
		s.table.tracef("0", err, "setsockopt(%v, SOL_SOCKET, %s, %v)", s, o.name, d)
		if err != nil {
			return s.fail("setsockopt "+o.name, err)
		}
	}
	return nil
}

func (s *sock) connect(addr netip.AddrPort) error {
	err := connectSocket(s.h, addr)
	s.table.tracef("0", err, "connect(%v, %v)", s, addr)
	if connectTimedOut(err) {
		err = errTimedOut // the timeout of setTimeout ran out
	}
	return s.fail("connect", err)
}

// recv receives what has arrived, at most len(buf) bytes, waiting until
// something has. It returns 0 when the peer has shut down its sending half.
func (s *sock) recv(buf []byte) (int, error) {
	n, err := recvSome(s.h, buf)
	s.table.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameRecv, s, len(buf))
	return n, s.fail(nameRecv, err)
}

// sendAll sends every byte of buf. One send may take only part of it (the
// seed assumes it takes all), so we call again with the rest until none is left.
func (s *sock) sendAll(buf []byte) error {
	for len(buf) > 0 {
		n, err := sendSome(s.h, buf)
		s.table.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameSend, s, len(buf))
		if err != nil {
			return s.fail(nameSend, err)
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

// close closes the socket once; a socket that closeAll closed already is
// left alone, so that no handle is closed twice.
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
	return where + ": " + e.describe()
}

// describe is the error alone: "connection reset by peer (ECONNRESET)".
func (e *opError) describe() string {
	if name, message, ok := errorName(e.err); ok {
		return fmt.Sprintf("%s (%s)", message, name)
	}
	return e.err.Error()
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
