//go:build linux

// Provided buffers (Linux 5.19): instead of naming a buffer in every recv,
// we register a ring of buffers with the kernel once, and a recv that asks
// for it (IOSQE_BUFFER_SELECT) takes the next free one as data arrives and
// names it in its completion. That buffer is then ours, until we put it
// back in the ring. See io_uring_register(2), IORING_REGISTER_PBUF_RING,
// and io_uring_setup_buf_ring(3).
package main

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The constants of <linux/io_uring.h> for provided buffers and multishot recv.
const (
	IORING_REGISTER_PBUF_RING = 22     // io_uring_register: a ring of buffers
	IOSQE_BUFFER_SELECT       = 1 << 5 // sqe.flags: take a buffer from the ring sqe.bufGroup names
	IORING_RECV_MULTISHOT     = 1 << 1 // sqe.ioprio of a recv: keep receiving (Linux 6.0)
	IORING_CQE_F_BUFFER       = 1 << 0 // cqe.flags: a buffer holds the data; its id is above the shift
	IORING_CQE_F_MORE         = 1 << 1 // cqe.flags: the request is still armed; more completions will come
	IORING_CQE_BUFFER_SHIFT   = 16
)

// bufferGroup is our ring's id (bgid), which a recv names in sqe.bufGroup.
const bufferGroup = 1

// ioUringBuf is struct io_uring_buf: one entry of the ring. The ring's tail
// lives in the resv field of its first entry.
type ioUringBuf struct {
	addr uint64
	len  uint32
	bid  uint16
	resv uint16
}

// ioUringBufReg is struct io_uring_buf_reg, the argument of IORING_REGISTER_PBUF_RING.
type ioUringBufReg struct {
	ringAddr    uint64
	ringEntries uint32
	bgid        uint16
	flags       uint16
	resv        [3]uint64
}

// bufferRing is our side of the ring: its entries, which the kernel reads,
// and the buffers they point to, both mapped outside Go's heap so that
// nothing moves or frees them while the kernel writes.
type bufferRing struct {
	mapped  []byte // the ring's memory, which entries is
	entries []ioUringBuf
	memory  []byte // every buffer: buffer id i is the i-th bufferSize bytes
	tail    uint16 // where the next buffer we give back goes
	held    int    // buffers that completions gave us and we have not given back
}

// newBufferRing maps count buffers (a power of two) and a ring of count
// entries, registers the ring as bufferGroup, and gives every buffer to
// the kernel.
func newBufferRing(r *ring, count int) (*bufferRing, error) {
	entries, err := unix.Mmap(-1, 0, count*int(unsafe.Sizeof(ioUringBuf{})),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE) // page-aligned, as the kernel wants
	if err != nil {
		return nil, err
	}
	memory, err := unix.Mmap(-1, 0, count*bufferSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		unix.Munmap(entries)
		return nil, err
	}
	b := &bufferRing{mapped: entries, entries: unsafe.Slice((*ioUringBuf)(unsafe.Pointer(&entries[0])), count), memory: memory, held: count}
	reg := ioUringBufReg{ringAddr: uint64(uintptr(unsafe.Pointer(&entries[0]))), ringEntries: uint32(count), bgid: bufferGroup}
	if err := r.register(IORING_REGISTER_PBUF_RING, unsafe.Pointer(&reg), 1); err != nil {
		b.close()
		return nil, err
	}
	for id := range count {
		b.giveBack(id)
	}
	return b, nil
}

// buffer returns the bytes of buffer id.
func (b *bufferRing) buffer(id int) []byte {
	return b.memory[id*bufferSize : (id+1)*bufferSize : (id+1)*bufferSize]
}

// giveBack puts buffer id back in the ring, for the kernel to fill again:
// its entry goes at the tail, then the tail moves on. The kernel may write
// into the buffer as soon as it sees the new tail.
func (b *bufferRing) giveBack(id int) {
	e := &b.entries[int(b.tail)&(len(b.entries)-1)]
	e.addr, e.len, e.bid = uint64(uintptr(unsafe.Pointer(&b.buffer(id)[0]))), bufferSize, uint16(id)
	b.tail++
	b.held--
	// The tail must be stored with release order, after the entry. It is
	// 16 bits and Go has no 16-bit atomic store, so we store the 32 bits
	// that hold it and the first entry's bid, which only we write, as is.
	word := [2]uint16{b.entries[0].bid, b.tail}
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&b.entries[0].bid)), *(*uint32)(unsafe.Pointer(&word)))
}

// close unmaps the ring and the buffers; the ring of operations must be
// closed first, so that the kernel no longer uses them.
func (b *bufferRing) close() {
	unix.Munmap(b.mapped)
	unix.Munmap(b.memory)
}
