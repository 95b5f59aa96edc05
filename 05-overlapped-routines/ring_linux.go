//go:build linux

// A small io_uring, written here so that a student can see every part of it:
// two rings of memory shared with the kernel, one where we queue operations
// (the submission queue) and one where the kernel reports them done (the
// completion queue), and one system call, io_uring_enter, that hands the
// kernel our new entries and waits for completions.
// https://man7.org/linux/man-pages/man7/io_uring.7.html
package main

import (
	"errors"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The constants of <linux/io_uring.h> that we use; x/sys/unix has only the
// system call numbers.
const (
	IORING_SETUP_CQSIZE        = 1 << 3
	IORING_SETUP_SINGLE_ISSUER = 1 << 12
	IORING_SETUP_DEFER_TASKRUN = 1 << 13
	IORING_FEAT_SINGLE_MMAP    = 1 << 0
	IORING_FEAT_NODROP         = 1 << 1
	IORING_FEAT_EXT_ARG        = 1 << 8
	IORING_ENTER_GETEVENTS     = 1 << 0
	IORING_ENTER_EXT_ARG       = 1 << 3
	IORING_OFF_SQ_RING         = 0
	IORING_OFF_SQES            = 0x10000000

	IORING_OP_NOP          = 0
	IORING_OP_ACCEPT       = 13
	IORING_OP_ASYNC_CANCEL = 14
	IORING_OP_SEND         = 26
	IORING_OP_RECV         = 27
)

// ring is one io_uring. The head and tail fields point into memory the
// kernel shares: we move the submission tail and the completion head, the
// kernel moves the other two, and both sides read them with atomic loads.
type ring struct {
	fd             int
	sqMem, sqeMem  []byte
	sqHead, sqTail *uint32
	sqMask         uint32
	sqArray        []uint32
	sqes           []sqe
	cqHead, cqTail *uint32
	cqMask         uint32
	cqes           []cqe
	unsubmitted    uint32 // entries queued since the last io_uring_enter
	timeout        kernelTimespec
	waitArg        getEventsArg
}

var errNoExtArg = errors.New("io_uring without IORING_FEAT_EXT_ARG (Linux 5.11)")

// newRing makes a ring of sqEntries submission and cqEntries completion
// entries (powers of two): io_uring_setup(2), then mmap(2) of its memory.
// flags adds IORING_SETUP_ flags to IORING_SETUP_CQSIZE.
func newRing(sqEntries, cqEntries, flags uint32) (*ring, error) {
	p := ioUringParams{cqEntries: cqEntries, flags: IORING_SETUP_CQSIZE | flags}
	fd, _, errno := unix.Syscall6(unix.SYS_IO_URING_SETUP, uintptr(sqEntries),
		uintptr(unsafe.Pointer(&p)), 0, 0, 0, 0)
	if errno != 0 {
		return nil, errno
	}
	r := &ring{fd: int(fd)}
	if p.features&IORING_FEAT_EXT_ARG == 0 || p.features&IORING_FEAT_SINGLE_MMAP == 0 {
		unix.Close(r.fd)
		return nil, errNoExtArg
	}

	// One mapping holds both rings (IORING_FEAT_SINGLE_MMAP, Linux 5.4); the
	// array of sqes is a second one.
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

	// Pointers into the shared memory, at the offsets the kernel gave.
	u32 := func(off uint32) *uint32 { return (*uint32)(unsafe.Pointer(&r.sqMem[off])) }
	r.sqHead, r.sqTail, r.sqMask = u32(p.sqOff.head), u32(p.sqOff.tail), *u32(p.sqOff.ringMask)
	r.sqArray = unsafe.Slice(u32(p.sqOff.array), p.sqEntries)
	r.sqes = unsafe.Slice((*sqe)(unsafe.Pointer(&r.sqeMem[0])), p.sqEntries)
	r.cqHead, r.cqTail, r.cqMask = u32(p.cqOff.head), u32(p.cqOff.tail), *u32(p.cqOff.ringMask)
	r.cqes = unsafe.Slice((*cqe)(unsafe.Pointer(&r.sqMem[p.cqOff.cqes])), p.cqEntries)
	return r, nil
}

// nextSQE returns the next free submission entry, cleared, or nil when the
// queue is full: every slot holds an entry the kernel has not consumed yet.
// The entry is ours to fill in; push then hands it to the kernel.
func (r *ring) nextSQE() *sqe {
	head := atomic.LoadUint32(r.sqHead) // the kernel moves it as it consumes
	tail := *r.sqTail                   // only we move it
	if tail-head > r.sqMask {           // unsigned: right even once tail wraps past 2³²
		return nil
	}
	i := tail & r.sqMask
	r.sqes[i] = sqe{}
	r.sqArray[i] = i
	return &r.sqes[i]
}

// push publishes the entry nextSQE returned: a store of the tail with
// release order, after every write to the entry. The kernel reads it at
// the next io_uring_enter.
func (r *ring) push() {
	atomic.StoreUint32(r.sqTail, *r.sqTail+1)
	r.unsubmitted++
}

// enter wraps io_uring_enter(2): it submits what we queued and, when
// minComplete > 0, waits until that many completions are there or timeout
// passes. It returns how many entries the kernel consumed.
func (r *ring) enter(minComplete uint32, timeout time.Duration) (int, error) {
	flags := uintptr(0)
	arg, argSize := uintptr(0), uintptr(0)
	if minComplete > 0 {
		r.timeout = kernelTimespec{sec: int64(timeout / time.Second), nsec: int64(timeout % time.Second)}
		r.waitArg = getEventsArg{ts: uint64(uintptr(unsafe.Pointer(&r.timeout)))}
		flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG
		arg, argSize = uintptr(unsafe.Pointer(&r.waitArg)), unsafe.Sizeof(r.waitArg)
	}
	n, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd),
		uintptr(r.unsubmitted), uintptr(minComplete), flags, arg, argSize)
	// ETIME: the timeout passed; EINTR: a signal came first; EBUSY and
	// EAGAIN: completions must be reaped before more can be submitted.
	// None is a failure: the caller reaps what is there and comes back.
	switch errno {
	case 0, unix.ETIME, unix.EINTR, unix.EBUSY, unix.EAGAIN:
	default:
		return 0, errno
	}
	if errno == 0 {
		r.unsubmitted -= uint32(n)
	}
	return int(n), nil
}

// nextCQE copies out the oldest completion and frees its slot; ok is false
// when the queue is empty.
func (r *ring) nextCQE() (c cqe, ok bool) {
	head := *r.cqHead                        // only we move it
	if head == atomic.LoadUint32(r.cqTail) { // acquire: the entry is written before the tail
		return cqe{}, false
	}
	c = r.cqes[head&r.cqMask]
	atomic.StoreUint32(r.cqHead, head+1) // release: the kernel may reuse the slot
	return c, true
}

// close unmaps the rings and closes the ring's descriptor.
func (r *ring) close() {
	if r.sqeMem != nil {
		unix.Munmap(r.sqeMem)
	}
	if r.sqMem != nil {
		unix.Munmap(r.sqMem)
	}
	unix.Close(r.fd)
}
