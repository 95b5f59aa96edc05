//go:build linux

package main

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// uringEngine runs the model on io_uring, Linux's own completion interface
// (not a POSIX one: POSIX's is aio(7)): postRecv and postSend queue an
// IORING_OP_RECV or IORING_OP_SEND whose user_data is the record's slot,
// and alertableWait is io_uring_enter, which submits them and waits for
// completions. The kernel calls no routine: once io_uring_enter returns,
// we reap each completion and call its operation's routine ourselves.
type uringEngine struct {
	ring     *ring
	arena    []byte // every record's buffer, mapped outside the Go heap
	socks    *sockets
	listener *sock // the socket of the accept in flight, if any
}

// The ring's sizes: submissions are handed over at every wait, so a few
// hundred slots suffice; every client may have one operation completing at
// once, so the completion queue is larger (and the kernel keeps any
// overflow, IORING_FEAT_NODROP, rather than lose it).
const (
	submissionEntries = 1024
	completionEntries = 16384
)

var errQueueFull = errors.New("submission queue still full after io_uring_enter")

// setupRing is newRing; a test replaces it to play a system without io_uring.
var setupRing = newRing

// ownThreadFlags tell the kernel that one thread, the one that makes the
// ring, submits every operation and reaps every completion (SINGLE_ISSUER),
// and so that it may keep the work that finishes each completion until
// that thread waits in io_uring_enter with GETEVENTS (DEFER_TASKRUN),
// instead of interrupting it to do that work as each packet comes: fewer
// wake-ups, and the completions arrive in batches, in our alertable wait.
// It is io_uring's own "routines run only in my alertable wait". Linux 6.1
// has them; an older kernel refuses them with EINVAL, and the ring is made
// without. (io_uring_setup(2))
const ownThreadFlags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN

// newUringEngine makes the ring and the arena. It must run on the thread
// that will serve (runServer locks it): with IORING_SETUP_SINGLE_ISSUER,
// a submission from any other thread fails with EEXIST.
func newUringEngine(socks *sockets, maxClients int) (*uringEngine, error) {
	r, err := setupRing(submissionEntries, completionEntries, ownThreadFlags)
	socks.tracef("ring", err, "io_uring_setup(%d, {cq_entries %d, IORING_SETUP_CQSIZE|SINGLE_ISSUER|DEFER_TASKRUN})",
		submissionEntries, completionEntries)
	if err == unix.EINVAL {
		r, err = setupRing(submissionEntries, completionEntries, 0)
		socks.tracef("ring", err, "io_uring_setup(%d, {cq_entries %d, IORING_SETUP_CQSIZE})",
			submissionEntries, completionEntries)
	}
	if err != nil {
		return nil, err
	}
	arena, err := newArena(maxClients)
	if err != nil {
		r.close()
		return nil, err
	}
	return &uringEngine{ring: r, arena: arena, socks: socks}, nil
}

func (e *uringEngine) buffer(slot int) []byte { return arenaBuffer(e.arena, slot) }

// blockingSockets is true: io_uring first tries a recv or send without
// waiting, and if the socket is not ready it arms a poll and tries again
// once it is, so a blocking socket never blocks our thread. On an
// O_NONBLOCK socket the kernel's own retry, which may run on an io_uring
// worker, is non-blocking too, and under load the operation can complete
// with -EAGAIN (https://github.com/axboe/liburing/issues/364,
// https://github.com/scylladb/seastar/pull/3479), which a routine would
// take for a failure.
func (e *uringEngine) blockingSockets() bool { return true }

func (e *uringEngine) postRecv(c *record) error {
	return e.post(IORING_OP_RECV, "IORING_OP_RECV", c, c.buf)
}

func (e *uringEngine) postSend(c *record) error {
	return e.post(IORING_OP_SEND, "IORING_OP_SEND", c, c.buf[c.sent:c.filled])
}

// cancelUserData marks the completion of an IORING_OP_ASYNC_CANCEL itself:
// no record and no accept has it.
const cancelUserData = 1 << 33

// cancel queues an IORING_OP_ASYNC_CANCEL of the operation whose user_data
// is userData: io_uring's CancelIoEx. The operation then completes with
// -ECANCELED, and its routine runs in the next wait; if it was completing
// already, it completes as it would have. The socket stays open: its
// routine closes it.
func (e *uringEngine) cancel(s *sock, userData uint64) {
	q, err := e.sqe()
	if err != nil {
		s.shutdownBoth() // no room in the queue: shutdown wakes it too
		return
	}
	q.opcode, q.fd, q.addr, q.userData = IORING_OP_ASYNC_CANCEL, -1, userData, cancelUserData
	e.ring.push()
	if e.socks.tracing() {
		e.socks.tracef("queued", nil, "IORING_OP_ASYNC_CANCEL(%s, user_data %s)", s, userDataName(userData))
	}
}

// userDataName is how the trace names a user_data.
func userDataName(userData uint64) string {
	switch userData {
	case acceptUserData:
		return "accept"
	case cancelUserData:
		return "cancel"
	}
	return fmt.Sprint(userData)
}

// sqe returns the next free submission entry; when the queue is full, it
// first hands the kernel what is queued, which frees every slot.
func (e *uringEngine) sqe() (*sqe, error) {
	q := e.ring.nextSQE()
	if q == nil {
		if _, err := e.ring.enter(0, 0); err != nil {
			return nil, err
		}
		if q = e.ring.nextSQE(); q == nil {
			return nil, errQueueFull
		}
	}
	return q, nil
}

// post fills one submission entry: the operation, the socket, the buffer
// by its address, and the record's slot as user_data, never a Go pointer.
func (e *uringEngine) post(op uint8, name string, c *record, buf []byte) error {
	q, err := e.sqe()
	if err != nil {
		return err
	}
	q.opcode = op
	q.fd = int32(c.s.h)
	q.addr = uint64(uintptr(unsafe.Pointer(&buf[0])))
	q.len = uint32(len(buf))
	q.userData = uint64(c.slot)
	if op == IORING_OP_SEND {
		q.opFlags = unix.MSG_NOSIGNAL // a gone peer is an EPIPE result, not a signal
	}
	e.ring.push()
	if e.socks.tracing() {
		e.socks.tracef("queued", nil, "%s(%v, %d bytes, user_data %d)", name, c.s, len(buf), c.slot)
	}
	return nil
}

// postAccept queues an IORING_OP_ACCEPT on the listener. We ask for no
// address (addr and addr2 are 0) and read it with getpeername once the
// client has come.
func (e *uringEngine) postAccept(listener *sock) error {
	q, err := e.sqe()
	if err != nil {
		return err
	}
	q.opcode, q.fd, q.userData = IORING_OP_ACCEPT, int32(listener.h), acceptUserData
	q.opFlags = unix.SOCK_CLOEXEC
	e.ring.push()
	e.listener = listener
	if e.socks.tracing() {
		e.socks.tracef("queued", nil, "IORING_OP_ACCEPT(%v, user_data accept)", listener)
	}
	return nil
}

func (e *uringEngine) close() {
	e.ring.close()
	unix.Munmap(e.arena)
}
