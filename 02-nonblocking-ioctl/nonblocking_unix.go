//go:build unix

// The POSIX twins of the non-blocking calls, through golang.org/x/sys/unix;
// nonblocking_windows.go has the same functions over Winsock.
package main

import (
	"errors"

	"golang.org/x/sys/unix"
)

// nameIoctl is the call that turns non-blocking mode on, as the trace
// names it.
const nameIoctl = "ioctl"

// setNonblocking wraps ioctl(2) with FIONBIO on POSIX and ioctlsocket with
// FIONBIO on Winsock. FIONBIO takes a pointer to an integer (int on POSIX,
// u_long on Winsock); non-zero turns non-blocking mode on. x/sys has
// neither FIONBIO nor ioctlsocket: see fionbio_*.go, ioctlsocket_windows.go.
func setNonblocking(s handle) error {
	return unix.IoctlSetPointerInt(s, fionbio, 1)
}

// wouldBlock tells whether a call on a non-blocking socket found nothing
// to do yet: EAGAIN (also spelt EWOULDBLOCK) on POSIX, WSAEWOULDBLOCK on
// Winsock. It is not a failure: the call did nothing, and we try later.
func wouldBlock(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK)
}
