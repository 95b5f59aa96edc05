//go:build linux

package main

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// conn is one client: its socket, what it has in flight, and the bytes
// received that wait to be echoed, oldest first.
type conn struct {
	slot    int
	fd      int // -1: the slot is free
	peer    string
	buf     []byte  // its own buffer, for a recv that names one
	queue   []chunk // received, not yet echoed in full
	sent    int     // bytes of queue[0] sent so far
	sending bool    // a send is in flight
	recvs   int     // recv requests in flight: a multishot one counts until it ends
	ending  bool    // no more recv: echo what is queued, then close

	recvEntry sqe // the last recv submitted, as postRecv wrote it (see refused)
}

// chunk is what one recv completion brought.
type chunk struct {
	data   []byte
	buffer int // the provided buffer that holds data, or ownBuffer
}

// ownBuffer marks a chunk in the connection's own buffer, c.buf.
const ownBuffer = -1

// postAccept queues an IORING_OP_ACCEPT on the listener. One is always in
// flight until the server stops: that is what Ctrl-C completes.
func (srv *server) postAccept() {
	if srv.stopping.Load() {
		return
	}
	q := srv.queue(opAccept, nil)
	q.opcode, q.fd, q.opFlags = IORING_OP_ACCEPT, int32(srv.listener), unix.SOCK_CLOEXEC
	srv.accepting = true
}

// onAccept admits the client the accept brought, if a slot is free, and
// accepts the next. A client that reset before we took it (ECONNABORTED) is
// no failure of ours.
func (srv *server) onAccept(res int32) {
	srv.accepting = false
	switch {
	case srv.stopping.Load(): // we shut the listener down ourselves
		if res >= 0 {
			unix.Close(int(res))
		}
		return
	case res >= 0 && len(srv.free) == 0:
		unix.Close(int(res)) // every slot is in use
	case res >= 0:
		// Nagle's algorithm off, as on every TCP socket of the course
		// (chapter 04's lesson measures why).
		err := unix.SetsockoptInt(int(res), unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		if err != nil {
			unix.Close(int(res))
			srv.fail(failed("setsockopt TCP_NODELAY", srv.addr, err))
			return
		}
		srv.admit(int(res))
	case res != -int32(unix.ECONNABORTED):
		srv.fail(failed("accept", srv.addr, unix.Errno(-res)))
		return
	}
	srv.postAccept()
}

// admit gives the client a slot and its first recv.
func (srv *server) admit(fd int) {
	slot := srv.free[len(srv.free)-1]
	srv.free = srv.free[:len(srv.free)-1]
	own := srv.own[slot*bufferSize : (slot+1)*bufferSize : (slot+1)*bufferSize]
	cn := &srv.conns[slot]
	*cn = conn{slot: slot, fd: fd, peer: peerName(fd), buf: own}
	srv.clients++
	postRecv(srv, cn)
}

// echo queues data to be sent back to c after what is queued already, and
// sends it unless a send is in flight. buffer is the provided buffer that
// holds data, or ownBuffer: onEchoed is told which once it is all sent.
func (srv *server) echo(c *conn, data []byte, buffer int) {
	c.queue = append(c.queue, chunk{data, buffer})
	if !c.sending {
		srv.postSend(c)
	}
}

// postSend queues an IORING_OP_SEND of what is left of the oldest chunk.
// MSG_NOSIGNAL: a client that has gone is an EPIPE result, not a signal.
func (srv *server) postSend(c *conn) {
	data := c.queue[0].data[c.sent:]
	q := srv.queue(opSend, c)
	q.opcode, q.fd, q.opFlags = IORING_OP_SEND, int32(c.fd), unix.MSG_NOSIGNAL
	q.addr, q.len = uint64(uintptr(unsafe.Pointer(&data[0]))), uint32(len(data))
	c.sending = true
}

// onSend runs when a send completes: a send may take part of what it was
// given, so we send the rest; a chunk sent in full goes to onEchoed, and the
// next one is sent. A failed send ends the connection.
func (srv *server) onSend(c *conn, res int32) {
	c.sending = false
	if res < 0 {
		srv.hangUp(c, "send", res)
		for _, dropped := range c.queue {
			onEchoed(srv, c, dropped.buffer)
		}
		c.queue, c.sent = nil, 0
		return
	}
	c.sent += int(res)
	srv.echoed += int(res)
	if c.sent < len(c.queue[0].data) {
		srv.postSend(c)
		return
	}
	done := c.queue[0]
	c.queue, c.sent = c.queue[1:], 0
	onEchoed(srv, c, done.buffer)
	if len(c.queue) > 0 {
		srv.postSend(c)
	}
}

// hangUp ends c's receiving: what is queued is still echoed, then c
// closes. res is the call's result: 0, the client has gone; -errno, the
// call failed, which we say in one line (unless we are stopping).
func (srv *server) hangUp(c *conn, call string, res int32) {
	if res < 0 && !srv.stopped {
		fmt.Fprintln(srv.stderr, failed(call, c.peer, unix.Errno(-res)))
	}
	c.ending = true
}

// waitForBuffer notes that the kernel ended c's recv because the ring had
// no buffer left (ENOBUFS); feedStarved posts it again once it has one.
func (srv *server) waitForBuffer(c *conn) {
	srv.starved = append(srv.starved, c)
}

// feedStarved posts again the recvs that waitForBuffer noted, once some
// buffer is back in the ring.
func (srv *server) feedStarved() {
	if len(srv.starved) == 0 || srv.bufs.held == len(srv.bufs.entries) {
		return
	}
	starved := srv.starved
	srv.starved = nil
	for _, c := range starved {
		if c.fd >= 0 && !c.ending && c.recvs == 0 {
			postRecv(srv, c)
		}
	}
}

// closeIfDone closes c once it is ending and nothing is in flight on it,
// and frees its slot.
func (srv *server) closeIfDone(c *conn) {
	if c.fd < 0 || !c.ending || c.sending || c.recvs > 0 {
		return
	}
	unix.Close(c.fd)
	c.fd = -1
	srv.free = append(srv.free, c.slot)
	srv.left++
	if srv.left == srv.limit {
		srv.stop()
	}
}
