// WSAPoll is Winsock's poll(2), and x/sys/windows does not have it (Go's
// own sockets on Windows wait with I/O completion ports instead), so this
// file loads it from ws2_32.dll and names its array's entry and its events.
package main

import (
	"syscall"
	"unsafe"
)

var procWSAPoll = ws2_32.NewProc("WSAPoll")

// pollFd is one entry of poll's array: a socket, the events we wait for,
// and the events poll found (Revents). On Winsock it is WSAPOLLFD.
type pollFd struct {
	Fd      handle
	Events  int16
	Revents int16
}

// The events poll may wait for: bytes to read, a client to accept or a
// hang-up (pollIn), and room in the send buffer (pollOut). WSAPoll takes
// POLLRDNORM and POLLWRNORM, the bits of POLLIN and POLLOUT it supports;
// it refuses some of the others (winsock2.h, and the MSDN page below).
const (
	pollIn  int16 = 0x0100 // POLLRDNORM
	pollOut int16 = 0x0010 // POLLWRNORM
)

// pollFdFor returns the entry of poll's array that waits for events on s.
func pollFdFor(s handle, events int16) pollFd {
	return pollFd{Fd: s, Events: events}
}

// pollSockets wraps poll(2) on POSIX and WSAPoll on Winsock. It waits
// until at least one socket of fds is ready, or timeout milliseconds
// (-1: no timeout), sets each entry's Revents, and returns how many
// entries have some. WSAPoll is
// int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
// (https://learn.microsoft.com/windows/win32/api/winsock2/nf-winsock2-wsapoll).
func pollSockets(fds []pollFd, timeout int) (int, error) {
	r, _, errno := syscall.SyscallN(procWSAPoll.Addr(),
		uintptr(unsafe.Pointer(unsafe.SliceData(fds))), uintptr(len(fds)), uintptr(timeout))
	return max(int(int32(r)), 0), callError(r, errno)
}
