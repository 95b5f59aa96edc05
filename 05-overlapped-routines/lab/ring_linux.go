//go:build linux

// The lab's io_uring: the chapter's ring (../ring_linux.go), cut down to
// what this server needs. Its wait has no timeout: Ctrl-C wakes it by
// shutting the listener down, which completes the accept in flight.
// https://man7.org/linux/man-pages/man7/io_uring.7.html
package main

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The constants of <linux/io_uring.h> that every version of this server
// uses; buffers_linux.go has those of provided buffers and multishot.
const (
	IORING_FEAT_SINGLE_MMAP = 1 << 0
	IORING_ENTER_GETEVENTS  = 1 << 0
	IORING_OFF_SQ_RING      = 0
	IORING_OFF_SQES         = 0x10000000

	IORING_OP_ACCEPT = 13
	IORING_OP_SEND   = 26
	IORING_OP_RECV   = 27
)

// ioUringParams is struct io_uring_params: the kernel fills in where each
// head, tail and array lives inside the memory it shares with us.
type ioUringParams struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFd uint32
	resv                                                                   [3]uint32
	sqOff                                                                  struct {
		head, tail, ringMask, ringEntries, flags, dropped, array, resv1 uint32
		userAddr                                                        uint64
	}
	cqOff struct {
		head, tail, ringMask, ringEntries, overflow, cqes, flags, resv1 uint32
		userAddr                                                        uint64
	}
}

// sqe is struct io_uring_sqe, 64 bytes, with the fields this lab fills.
type sqe struct {
	opcode   uint8
	flags    uint8  // IOSQE_*, such as IOSQE_BUFFER_SELECT
	ioprio   uint16 // for a recv or send: IORING_RECV_MULTISHOT and the like
	fd       int32
	off      uint64
	addr     uint64 // the buffer, as a plain number the kernel reads
	len      uint32
	opFlags  uint32 // the flags of send(2) and recv(2), such as MSG_NOSIGNAL
	userData uint64 // which operation of which connection: see userData
	bufGroup uint16 // with IOSQE_BUFFER_SELECT: the buffer ring to take from
	_        [22]byte
}

// cqe is struct io_uring_cqe, 16 bytes: one completion.
type cqe struct {
	userData uint64 // as the sqe gave it
	res      int32  // what the call would have returned, or -errno
	flags    uint32 // IORING_CQE_F_*, and a buffer's id in the upper 16 bits
}

// ring is one io_uring: we move the submission tail and the completion
// head, the kernel the other two, and both sides read them atomically.
type ring struct {
	fd             int
	sqMem, sqeMem  []byte
	sqHead, sqTail *uint32
	sqMask         uint32
	sqArray        []uint32
	sqes           []sqe
	tail           uint32 // the submission tail, with the entries not yet handed over
	cqHead, cqTail *uint32
	cqMask         uint32
	cqes           []cqe
}

// newRing wraps io_uring_setup(2) and maps the rings it made: entries
// submission slots, twice as many completion slots.
func newRing(entries uint32) (*ring, error) {
	var p ioUringParams
	fd, _, errno := unix.Syscall(unix.SYS_IO_URING_SETUP, uintptr(entries), uintptr(unsafe.Pointer(&p)), 0)
	if errno != 0 {
		return nil, errno
	}
	r := &ring{fd: int(fd)}
	if p.features&IORING_FEAT_SINGLE_MMAP == 0 { // Linux 5.4
		r.close()
		return nil, unix.EOPNOTSUPP
	}
	size := max(p.sqOff.array+p.sqEntries*4, p.cqOff.cqes+p.cqEntries*uint32(unsafe.Sizeof(cqe{})))
	var err error
	r.sqMem, err = unix.Mmap(r.fd, IORING_OFF_SQ_RING, int(size),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err == nil {
		r.sqeMem, err = unix.Mmap(r.fd, IORING_OFF_SQES, int(p.sqEntries)*int(unsafe.Sizeof(sqe{})),
			unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	}
	if err != nil {
		r.close()
		return nil, err
	}
	at := func(off uint32) *uint32 { return (*uint32)(unsafe.Pointer(&r.sqMem[off])) }
	r.sqHead, r.sqTail, r.sqMask = at(p.sqOff.head), at(p.sqOff.tail), *at(p.sqOff.ringMask)
	r.sqArray = unsafe.Slice(at(p.sqOff.array), p.sqEntries)
	r.sqes = unsafe.Slice((*sqe)(unsafe.Pointer(&r.sqeMem[0])), p.sqEntries)
	r.cqHead, r.cqTail, r.cqMask = at(p.cqOff.head), at(p.cqOff.tail), *at(p.cqOff.ringMask)
	r.cqes = unsafe.Slice((*cqe)(unsafe.Pointer(&r.sqMem[p.cqOff.cqes])), p.cqEntries)
	r.tail = *r.sqTail
	return r, nil
}

// nextSQE returns a cleared submission entry to fill in, or nil when every
// slot holds one the kernel has not taken yet. The kernel sees it at the
// next enter.
func (r *ring) nextSQE() *sqe {
	if r.tail-atomic.LoadUint32(r.sqHead) > r.sqMask {
		return nil
	}
	i := r.tail & r.sqMask
	r.sqes[i], r.sqArray[i] = sqe{}, i
	r.tail++
	return &r.sqes[i]
}

// enter wraps io_uring_enter(2): it publishes the entries filled in since
// last time (a store of the tail with release order, after every write to
// them), hands them to the kernel, and waits until minComplete completions
// are there. A signal (EINTR) or a full completion queue (EBUSY) ends the
// wait early; the caller reaps what is there and comes back.
func (r *ring) enter(minComplete uint32) error {
	atomic.StoreUint32(r.sqTail, r.tail)
	toSubmit := r.tail - atomic.LoadUint32(r.sqHead)
	flags := uintptr(0)
	if minComplete > 0 {
		flags = IORING_ENTER_GETEVENTS
	}
	_, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd),
		uintptr(toSubmit), uintptr(minComplete), flags, 0, 0)
	switch errno {
	case 0, unix.EINTR, unix.EBUSY, unix.EAGAIN:
		return nil
	}
	return errno
}

// nextCQE copies out the oldest completion and frees its slot; ok is false
// when there is none.
func (r *ring) nextCQE() (c cqe, ok bool) {
	head := *r.cqHead
	if head == atomic.LoadUint32(r.cqTail) { // acquire: the entry is written before the tail
		return cqe{}, false
	}
	c = r.cqes[head&r.cqMask]
	atomic.StoreUint32(r.cqHead, head+1) // release: the kernel may reuse the slot
	return c, true
}

// register wraps io_uring_register(2), which the chapter never needs: it
// hands the kernel a resource to keep, such as a ring of buffers.
func (r *ring) register(opcode uintptr, arg unsafe.Pointer, nrArgs uintptr) error {
	_, _, errno := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(r.fd), opcode, uintptr(arg), nrArgs, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// close unmaps the rings and closes the ring's descriptor, which cancels
// whatever is still in flight.
func (r *ring) close() {
	for _, mem := range [][]byte{r.sqeMem, r.sqMem} {
		if mem != nil {
			unix.Munmap(mem)
		}
	}
	unix.Close(r.fd)
}
