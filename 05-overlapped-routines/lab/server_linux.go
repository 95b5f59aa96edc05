//go:build linux

// The server: one thread and one ring. Every accept, recv and send is a
// request in the ring's submission queue; io_uring_enter hands them to the
// kernel and waits; each completion's user_data says which operation of
// which connection it ends, and complete hands it on: to onAccept, onSend
// (conn_linux.go), or onRecv, which is yours to change (starter_linux.go).
package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// The sizes of things, all fixed when the server starts.
const (
	bufferSize = 1024 // the seed's BUF_SIZE: one buffer, own or provided
	maxClients = 512  // connections served at once; one more is closed at once
)

// The operations in flight. A request's user_data is its operation and the
// slot of its connection (see userData), so that each completion finds both.
const (
	opAccept = 1
	opRecv   = 2
	opSend   = 3
)

func userData(op, slot int) uint64 { return uint64(op)<<32 | uint64(slot) }

// server is the one thread that serves every client through the ring.
type server struct {
	ring     *ring
	bufs     *bufferRing
	own      []byte       // the connections' own buffers, mapped outside Go's heap
	conns    []conn       // by slot
	free     []int        // the slots not in use
	starved  []*conn      // connections whose recv waits for a buffer (waitForBuffer)
	queued   []queuedRecv // recvs not yet submitted (see submit)
	listener int
	addr     string
	stderr   io.Writer
	spare    sqe // filled in and thrown away when the queue is full (see queue)

	accepting bool        // an accept is in flight
	stopping  atomic.Bool // Ctrl-C came, or -clients were served
	stopped   bool        // every client has been told to go
	limit     int         // -clients; 0: no limit
	left      int         // clients that have come and gone
	failed    error       // what stops the server from inside the loop

	// What the program reports as it exits.
	clients, echoed, recvRequests, recvCompletions, outOfBuffers int
}

// serve sets up the ring, the buffers and the listener, says "listening
// on", and serves until stop is closed or -clients have been served.
func serve(cfg config, stdout, stderr io.Writer, stop <-chan struct{}) error {
	srv, err := newServer(cfg, stderr)
	if err != nil {
		return err
	}
	listener, addr, err := listenOn(cfg.at)
	if err != nil {
		srv.release()
		return err
	}
	srv.listener, srv.addr = listener, addr.String()
	fmt.Fprintf(stdout, "listening on %v\n", addr)

	stopWatching := srv.stopWhenClosed(stop)
	err = srv.loop()
	stopWatching()
	unix.Close(listener)
	if srv.inFlight() == 0 { // else the kernel may still use the buffers: leave them to the exit
		srv.release()
	}
	fmt.Fprintf(stdout, "clients: %d, bytes echoed: %d, recv requests: %d, recv completions: %d, out of buffers: %d\n",
		srv.clients, srv.echoed, srv.recvRequests, srv.recvCompletions, srv.outOfBuffers)
	return err
}

// loop waits for completions and handles each, until the server stops and
// its last client is gone. It runs on one OS thread, which submits every
// request and runs every completion.
func (srv *server) loop() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	srv.postAccept()
	for srv.inFlight() > 0 {
		if err := srv.submit(1); err != nil {
			return failed("io_uring_enter", "", err)
		}
		for c, ok := srv.ring.nextCQE(); ok; c, ok = srv.ring.nextCQE() {
			srv.complete(c)
		}
		if srv.stopping.Load() && !srv.stopped {
			srv.stopAll()
		}
		srv.feedStarved()
	}
	return srv.failed
}

// complete hands one completion to what it completes.
func (srv *server) complete(c cqe) {
	op, slot := int(c.userData>>32), int(uint32(c.userData))
	if op == opAccept {
		srv.onAccept(c.res)
		return
	}
	cn := &srv.conns[slot]
	switch {
	case op == opSend:
		srv.onSend(cn, c.res)
	case srv.countRecv(cn, c):
		onRecv(srv, cn, c.res, c.flags)
	}
	srv.closeIfDone(cn)
}

// countRecv counts a recv completion, and what it holds, for the line the
// server prints as it exits. It says whether onRecv gets it: a recv the
// kernel turned down as postRecv wrote it ends the server (refused).
func (srv *server) countRecv(cn *conn, c cqe) bool {
	srv.recvCompletions++
	if c.flags&IORING_CQE_F_MORE == 0 {
		cn.recvs-- // the request has ended
	}
	if c.flags&IORING_CQE_F_BUFFER != 0 {
		srv.bufs.held++
	}
	if c.res == -int32(unix.ENOBUFS) {
		srv.outOfBuffers++
	}
	switch {
	case c.res == -int32(unix.EINVAL):
		srv.refused(cn, unix.EINVAL)
	case c.res == -int32(unix.ENOBUFS) && cn.recvEntry.bufGroup != bufferGroup:
		srv.refused(cn, unix.ENOBUFS) // no such ring: it would fail for ever
	default:
		return true
	}
	return false
}

// queue returns a cleared submission entry for op on cn (nil for the
// accept), its user_data set; the caller fills in the rest, and the next
// io_uring_enter hands it to the kernel. It counts the recv requests.
func (srv *server) queue(op int, cn *conn) *sqe {
	q := srv.ring.nextSQE()
	if q == nil {
		// Every slot is taken: hand the kernel what is there, which frees them.
		srv.submit(0)
		if q = srv.ring.nextSQE(); q == nil {
			srv.fail(errors.New("io_uring_enter: the submission queue stays full"))
			return &srv.spare
		}
	}
	slot := 0
	if cn != nil {
		slot = cn.slot
	}
	q.userData = userData(op, slot)
	if op == opRecv {
		srv.recvRequests++
		cn.recvs++
		srv.queued = append(srv.queued, queuedRecv{cn, q})
	}
	return q
}

// inFlight counts what the loop still waits for: the accept, and every
// connection not yet closed.
func (srv *server) inFlight() int {
	n := len(srv.conns) - len(srv.free)
	if srv.accepting {
		n++
	}
	return n
}
