// The calls as a non-blocking socket makes them: each returns at once,
// and "it would block" (wouldBlock) is not a failure but an answer, so the
// program calls again on a later pass.
// The twins are nonblocking_unix.go and nonblocking_windows.go; the
// non-blocking connect is connect.go.
package main

import (
	"fmt"
	"strings"
)

// setNonblocking makes every later call on the socket return at once: the
// lesson of this chapter.
func (s *sock) setNonblocking() error {
	err := setNonblocking(s.h)
	s.table.tracef("0", err, "%s(%v, FIONBIO, 1)", nameIoctl, s)
	return s.fail(nameIoctl, err)
}

// accept takes a client that has connected, if one has: with nobody
// waiting it returns nil at once. A client that gave up between
// connecting and our accept is nobody too (UNP 5.11). The trace leaves
// out the client's port, which changes from run to run; the client's
// label keeps it, for -timestamps, which prints it as the seed does.
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
	result := fmt.Sprintf("%v from %v", c, peer.Addr())
	s.traceAgain("accept", result, nil, "accept(%v)", s)
	return c, nil
}

// recv takes what has arrived, at most len(buf) bytes. With nothing there
// it returns blocked instead of waiting. n is 0 when the peer has shut
// down its sending half.
func (s *sock) recv(buf []byte) (n int, blocked bool, err error) {
	n, err = recvSome(s.h, buf)
	if s.table.tracing() {
		s.traceAgain(nameRecv, fmt.Sprint(n), err,
			"%s(%v, %d bytes)", nameRecv, s, len(buf))
	}
	if wouldBlock(err) {
		return 0, true, nil
	}
	return n, false, s.fail(nameRecv, err)
}

// send sends what the socket's send buffer has room for, which may be
// part of buf. With no room at all it returns blocked instead of waiting.
func (s *sock) send(buf []byte) (n int, blocked bool, err error) {
	n, err = sendSome(s.h, buf)
	if s.table.tracing() {
		s.traceAgain(nameSend, fmt.Sprint(n), err,
			"%s(%v, %d bytes)", nameSend, s, len(buf))
	}
	if wouldBlock(err) {
		return 0, true, nil
	}
	return n, false, s.fail(nameSend, err)
}

// traceAgain traces a call that a non-blocking program makes again and
// again. A result the same as the call's last one on this socket, such as
// a second "would block" in a row, is not traced: the trace would grow by
// a line per pass and say nothing new.
func (s *sock) traceAgain(call, result string, err error,
	format string, args ...any) {
	outcome := result
	if err != nil {
		outcome = err.Error()
	}
	if s.lastResult == nil {
		s.lastResult = make(map[string]string)
	}
	same := s.lastResult[call] == outcome
	if same && (err != nil || strings.HasPrefix(result, "0")) {
		return
	}
	s.lastResult[call] = outcome
	s.table.tracef(result, err, format, args...)
}
