//go:build linux

package main

// The structs the kernel and we both read, written as <linux/io_uring.h>
// lays them out, field for field: what io_uring_setup fills in, one
// submission entry, one completion entry, and io_uring_enter's timeout.

// ioUringParams is struct io_uring_params: we fill in the sizes we want, the
// kernel fills in the offsets of each field inside the mapped rings.
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

// sqe is struct io_uring_sqe, 64 bytes: one operation we ask for.
type sqe struct {
	opcode, flags uint8
	ioprio        uint16
	fd            int32
	off           uint64
	addr          uint64 // the buffer, as a plain number the kernel reads
	len           uint32
	opFlags       uint32
	userData      uint64 // our index into the table of operations
	bufIndex      uint16
	personality   uint16
	spliceFdIn    int32
	addr3, pad    uint64
}

// cqe is struct io_uring_cqe, 16 bytes: one operation done.
type cqe struct {
	userData uint64 // the index we gave in the sqe
	res      int32  // what the call would have returned, or -errno
	flags    uint32
}

// getEventsArg is struct io_uring_getevents_arg: how io_uring_enter takes
// a timeout (IORING_ENTER_EXT_ARG, Linux 5.11).
type getEventsArg struct {
	sigmask   uint64
	sigmaskSz uint32
	minWait   uint32
	ts        uint64
}

// kernelTimespec is struct __kernel_timespec, which io_uring_enter reads
// through getEventsArg.ts: two 64-bit fields on every architecture. It is
// not unix.Timespec, the C library's struct timespec, whose fields are 32
// bits on 386 and arm: there the kernel would read 16 bytes from an 8-byte
// struct.
type kernelTimespec struct {
	sec, nsec int64
}
