//go:build unix

// The POSIX twins of the socket timeouts (timeout.go). timeout_windows.go
// has the same functions over Winsock.
package main

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"
)

// setReceiveTimeout wraps setsockopt(2) with SO_RCVTIMEO on POSIX and
// setsockopt with SO_RCVTIMEO on Winsock: a blocking receive that waits
// longer than d fails. POSIX takes a struct timeval; the receive fails with
// EAGAIN (socket(7)).
func setReceiveTimeout(s handle, d time.Duration) error {
	tv := unix.NsecToTimeval(d.Nanoseconds())
	return unix.SetsockoptTimeval(s, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
}

// setSendTimeout wraps setsockopt(2) with SO_SNDTIMEO on POSIX and
// setsockopt with SO_SNDTIMEO on Winsock: a blocking send that waits
// longer than d fails. On Linux it bounds connect too, which then fails
// with EINPROGRESS (socket(7)).
func setSendTimeout(s handle, d time.Duration) error {
	tv := unix.NsecToTimeval(d.Nanoseconds())
	return unix.SetsockoptTimeval(s, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
}

// timedOut tells whether a call failed because its timeout ran out:
// EAGAIN (EWOULDBLOCK) from a receive or a send, EINPROGRESS from a
// connect, on POSIX; WSAETIMEDOUT on Winsock.
func timedOut(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK) || errors.Is(err, unix.EINPROGRESS)
}

// errTimedOut is what a connect that took longer than -timeout reports.
var errTimedOut error = unix.ETIMEDOUT
