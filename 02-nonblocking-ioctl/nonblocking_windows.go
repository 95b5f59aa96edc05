// The Winsock twins of the non-blocking calls, through
// golang.org/x/sys/windows; nonblocking_unix.go has the same functions over
// POSIX.
package main

import (
	"errors"

	"golang.org/x/sys/windows"
)

// nameIoctl is the call that turns non-blocking mode on, as the trace
// names it.
const nameIoctl = "ioctlsocket"

// setNonblocking wraps ioctl(2) with FIONBIO on POSIX and ioctlsocket with
// FIONBIO on Winsock. FIONBIO takes a pointer to an integer (int on POSIX,
// u_long on Winsock); non-zero turns non-blocking mode on. x/sys has
// neither FIONBIO nor ioctlsocket: see fionbio_*.go, ioctlsocket_windows.go.
func setNonblocking(s handle) error {
	mode := uint32(1) // u_long iMode = 1, as in the seed
	return ioctlsocket(s, fionbio, &mode)
}

// wouldBlock tells whether a call on a non-blocking socket found nothing
// to do yet: EAGAIN (also spelt EWOULDBLOCK) on POSIX, WSAEWOULDBLOCK on
// Winsock. It is not a failure: the call did nothing, and we try later.
func wouldBlock(err error) bool {
	return errors.Is(err, windows.WSAEWOULDBLOCK)
}
