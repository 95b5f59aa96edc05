//go:build linux

// Two calls made on every round of the server's loop, written so that they
// allocate nothing: x/sys/unix's Accept and Poll each put a small struct
// on the heap per call (the peer's address, the timeout).
package main

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// acceptNoAddr wraps accept4(2) with no address: we ask getpeername for
// it only once a client has come, not on every try that finds nobody.
func acceptNoAddr(s int) (int, error) {
	fd, _, errno := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(s), 0, 0, unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

// namePoll is the call pollTimeout makes, as the trace names it.
const namePoll = "ppoll"

// pollTimeout wraps ppoll(2), with the timeout kept in ts by the caller.
func pollTimeout(fds []unix.PollFd, timeout time.Duration, ts *unix.Timespec) (int, error) {
	*ts = unix.NsecToTimespec(int64(timeout))
	var p *unix.PollFd
	if len(fds) > 0 {
		p = &fds[0]
	}
	n, _, errno := unix.Syscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(p)), uintptr(len(fds)),
		uintptr(unsafe.Pointer(ts)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
