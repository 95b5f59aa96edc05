// The seed's accept loop: its listener is non-blocking (ioctlsocket with
// FIONBIO), so that accept returns at once when nobody waits, and the
// thread goes back to its alertable wait. The twins are
// nonblocking_unix.go and nonblocking_windows.go.
package main

import (
	"errors"
	"fmt"
)

// setNonblocking is the seed's ioctlsocket(FIONBIO, 1): accept, recv and
// send on the socket return at once instead of waiting.
func (s *sock) setNonblocking() error {
	err := setNonblocking(s.h)
	s.table.tracef("0", err, nameNonblock, s)
	return s.fail("set non-blocking", err)
}

// errWouldBlock is what accept returns when no client is waiting.
var errWouldBlock = errors.New("no client waiting")

// accept takes a waiting client and returns its connected socket, or
// errWouldBlock at once when nobody waits (the listener is non-blocking:
// EAGAIN, WSAEWOULDBLOCK). The seed's loop tries that ten times a second;
// the trace leaves those tries out, or it would change with every run. A
// client that gave up between connecting and our accept makes accept fail,
// and so does a want of descriptors; neither is our failure, so we go on
// (UNP 5.11). The trace, and the errors the client's socket names, leave
// out the client's port, which changes from run to run.
func (s *sock) accept() (*sock, error) {
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
	c := s.table.add(h, peer.Addr().String())
	s.table.tracef(fmt.Sprintf("%v from %v", c, peer.Addr()), nil, "accept(%v)", s)
	return c, nil
}
