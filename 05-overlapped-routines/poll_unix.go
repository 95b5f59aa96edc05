//go:build unix

package main

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// pollEngine emulates completion routines over readiness, for systems
// without io_uring. The kernel does not do the I/O for us here: we ask
// poll(2) which sockets are ready, do the read or write ourselves, and
// queue the routine with its outcome. The routines still run only inside
// alertableWait, so the model above cannot tell the difference; the cost
// is a scan of every waiting socket on every wait.
type pollEngine struct {
	arena    []byte
	socks    *sockets
	waiting  []*record     // records whose operation waits for readiness
	fds      []unix.PollFd // poll's array, rebuilt from waiting at each wait
	done     []completion  // operations done, routines not yet run
	timeout  unix.Timespec // ppoll's timeout, kept here so no call allocates it
	listener *sock         // set while an accept is posted
}

// completion is one finished operation and what its routine will be told.
type completion struct {
	slot int
	n    int
	err  error
}

func newPollEngine(socks *sockets, maxClients int) (*pollEngine, error) {
	arena, err := newArena(maxClients)
	if err != nil {
		return nil, err
	}
	return &pollEngine{arena: arena, socks: socks,
		waiting: make([]*record, 0, maxClients),
		fds:     make([]unix.PollFd, 0, maxClients),
		done:    make([]completion, 0, maxClients)}, nil
}

func (e *pollEngine) buffer(slot int) []byte { return arenaBuffer(e.arena, slot) }

// cancel wakes the socket's operation with shutdown: poll says "ready",
// and the read reads end-of-stream (the accept fails with EINVAL).
func (e *pollEngine) cancel(s *sock, userData uint64) { s.shutdownBoth() }

// shutdownBoth makes the operation in flight on the socket complete, so
// that its routine runs: shutdown(2) with SHUT_RDWR wakes it (a recv
// reads end-of-stream), and the descriptor stays ours to close.
func (s *sock) shutdownBoth() {
	err := shutdownBoth(s.h)
	s.table.tracef("0", err, "shutdown(%v, %s)", s, nameShutBoth)
}

// blockingSockets is false: we do the read or write ourselves once poll
// says "ready", and a non-blocking socket makes sure it never waits.
func (e *pollEngine) blockingSockets() bool { return false }

// postRecv and postSend only note the wish: the I/O happens once poll says
// the socket is ready.
func (e *pollEngine) postRecv(c *record) error { return e.post(c) }
func (e *pollEngine) postSend(c *record) error { return e.post(c) }

func (e *pollEngine) post(c *record) error {
	e.waiting = append(e.waiting, c)
	return nil
}

// postAccept adds the listener to what poll watches: when it is readable,
// a client waits, and accept will not block.
func (e *pollEngine) postAccept(listener *sock) error {
	e.listener = listener
	return nil
}

// alertableWait polls every waiting socket, does the I/O on each ready one,
// then runs the routines of the operations that are done.
func (e *pollEngine) alertableWait(srv *server, timeout time.Duration) (int, error) {
	e.fds = e.fds[:0]
	for _, c := range e.waiting {
		events := int16(unix.POLLIN)
		if c.op == opSend {
			events = unix.POLLOUT
		}
		e.fds = append(e.fds, unix.PollFd{Fd: int32(c.s.h), Events: events})
	}
	if e.listener != nil {
		e.fds = append(e.fds, unix.PollFd{Fd: int32(e.listener.h), Events: unix.POLLIN})
	}
	n, err := pollTimeout(e.fds, timeout, &e.timeout)
	if err == unix.EINTR {
		n, err = 0, nil
	}
	if err != nil {
		return 0, &opError{call: namePoll, err: err}
	}
	if n > 0 && e.socks.tracing() {
		e.socks.tracef(fmt.Sprint(n), nil, "%s(%d fds, %v)", namePoll, len(e.fds), timeout)
	}

	// Do the I/O of each ready socket; keep waiting those that are not.
	kept := e.waiting[:0]
	for i, c := range e.waiting {
		if e.fds[i].Revents == 0 || !e.attempt(c) {
			kept = append(kept, c)
		}
	}
	clear(e.waiting[len(kept):])
	e.waiting = kept
	var accepted *sock
	var acceptErr error
	acceptDone := false
	if l := e.listener; l != nil && e.fds[len(e.fds)-1].Revents != 0 {
		accepted, acceptErr = l.accept()
		acceptDone = acceptErr != errWouldBlock
		if acceptDone {
			e.listener = nil
		}
	}

	// The routines run now, in the wait, in the order their I/O was done.
	ran := 0
	for _, d := range e.done {
		srv.complete(d.slot, d.n, d.err)
		ran++
	}
	e.done = e.done[:0]
	if acceptDone {
		onAcceptComplete(srv, accepted, acceptErr)
		ran++
	}
	return ran, nil
}

// attempt does the record's read or write now that its socket is ready,
// and queues its completion; false if it would still block.
func (e *pollEngine) attempt(c *record) bool {
	var n int
	var err error
	if c.op == opSend {
		n, err = sendSome(c.s.h, c.buf[c.sent:c.filled])
		if e.socks.tracing() {
			e.socks.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameSend, c.s, c.filled-c.sent)
		}
	} else {
		n, err = recvSome(c.s.h, c.buf)
		if e.socks.tracing() {
			e.socks.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameRecv, c.s, len(c.buf))
		}
	}
	if wouldBlock(err) {
		return false
	}
	if err != nil {
		n = 0
	}
	e.done = append(e.done, completion{slot: c.slot, n: n, err: err})
	return true
}

func (e *pollEngine) close() { unix.Munmap(e.arena) }
