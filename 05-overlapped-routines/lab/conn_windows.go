package main

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// conn is one client, the seed's PER_HANDLE_DATA: its socket, its buffer,
// and a record for each operation, a recv and a send, which take turns:
// the recv fills buf, the send sends it back, then the next recv.
type conn struct {
	recv, send ioRecord
	slot       int            // its index in srv.conns, and its completion key
	sock       windows.Handle // InvalidHandle: the slot is free
	peer       string
	buf        [bufferSize]byte
	filled     int // bytes the last recv put in buf
	sent       int // bytes of those sent back so far
}

// acceptInBackground runs the accept loop in a goroutine of its own, and
// returns a channel closed when the loop has ended: shutDown ends it by
// closing the listener.
func (srv *server) acceptInBackground() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			s, err := acceptClient(srv.listener)
			switch {
			case err == nil:
				srv.admit(s)
			case srv.isStopping():
				return // we closed the listener ourselves
			case !abortedBeforeAccept(err):
				srv.fail(failed("accept", srv.addr, err))
				return
			}
		}
	}()
	return done
}

// admit gives a new client a record, sets its SO_SNDBUF if -sndbuf asks,
// associates its socket with the port, its slot as the key, and calls
// onAccept. With every record in use, or once the server is stopping, the
// client is closed at once.
func (srv *server) admit(s windows.Handle) {
	srv.mu.Lock()
	if srv.stopping || len(srv.free) == 0 {
		srv.mu.Unlock()
		windows.Closesocket(s)
		return
	}
	slot := srv.free[0]
	srv.free = srv.free[1:]
	c := &srv.conns[slot]
	c.sock, c.peer, c.filled, c.sent = s, peerName(s), 0, 0
	srv.open++
	srv.clients++
	srv.mu.Unlock()
	if srv.sndbuf > 0 {
		windows.SetsockoptInt(s, windows.SOL_SOCKET, windows.SO_SNDBUF, srv.sndbuf)
	}
	if err := associate(s, srv.port, uintptr(slot)); err != nil {
		srv.release(c, "CreateIoCompletionPort", err)
		return
	}
	onAccept(srv, c)
}

// release closes c's socket and frees its record for another client. Call
// it once per client, when nothing is in flight on it any more: its last
// operation has completed (0 bytes, or an error), or a post failed. call
// and err name what ended it, for the line the server prints; err nil
// means the client has gone.
func (srv *server) release(c *conn, call string, err error) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if c.sock == windows.InvalidHandle {
		panic(fmt.Sprintf("release: the record of slot %d is free already: release each client once, "+
			"when its last operation has completed", c.slot))
	}
	if err != nil && !srv.stopping {
		fmt.Fprintln(srv.stderr, failed(call, c.peer, err))
	}
	windows.Closesocket(c.sock)
	c.sock = windows.InvalidHandle
	srv.free = append(srv.free, c.slot)
	srv.open--
	srv.left++
	if srv.left == srv.limit {
		srv.stopLocked()
	}
	srv.noteClosedLocked()
}
