// The Winsock twins of the calls of the seed's accept loop, through
// golang.org/x/sys/windows; nonblocking_unix.go has the same functions
// over POSIX.
package main

import (
	"errors"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// nameNonblock is the call that turns non-blocking mode on, as the trace
// prints it.
const nameNonblock = "ioctlsocket(%v, FIONBIO, 1)"

// x/sys/windows has no ioctlsocket (Go's own sockets on Windows use
// overlapped I/O and never need it), so we load it from ws2_32.dll.
var procIoctl = ws2_32.NewProc("ioctlsocket")

// fionbio is FIONBIO, _IOW('f', 126, u_long) in winsock2.h.
const fionbio = 0x8004667e

// setNonblocking wraps fcntl(2) with O_NONBLOCK on POSIX and ioctlsocket
// with FIONBIO on Winsock.
func setNonblocking(s handle) error {
	mode := uint32(1)
	r, _, errno := syscall.SyscallN(procIoctl.Addr(), uintptr(s), fionbio, uintptr(unsafe.Pointer(&mode)))
	if int32(r) == socketError {
		return windows.Errno(errno)
	}
	return nil
}

// wouldBlock tells whether a call on a non-blocking socket found nothing
// to do yet: EAGAIN (also spelt EWOULDBLOCK) on POSIX, WSAEWOULDBLOCK on
// Winsock. It is not a failure: the call did nothing, and we try later.
func wouldBlock(err error) bool {
	return errors.Is(err, windows.WSAEWOULDBLOCK)
}

// outOfDescriptors tells whether accept failed for want of a descriptor
// (EMFILE, ENFILE; WSAEMFILE, WSAENOBUFS): the client waits in the backlog
// until a client leaves and frees one.
func outOfDescriptors(err error) bool {
	return errors.Is(err, windows.WSAEMFILE) || errors.Is(err, windows.WSAENOBUFS)
}
