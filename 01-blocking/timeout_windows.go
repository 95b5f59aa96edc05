// The Winsock twins of the socket timeouts (timeout.go). timeout_unix.go
// has the same functions over POSIX.
package main

import (
	"errors"
	"time"

	"golang.org/x/sys/windows"
)

// setReceiveTimeout wraps setsockopt(2) with SO_RCVTIMEO on POSIX and
// setsockopt with SO_RCVTIMEO on Winsock: a blocking receive that waits
// longer than d fails. Winsock takes a DWORD of milliseconds, and 0 means
// no timeout; the receive fails with WSAETIMEDOUT
// (https://learn.microsoft.com/windows/win32/winsock/sol-socket-socket-options).
func setReceiveTimeout(s handle, d time.Duration) error {
	return windows.SetsockoptInt(s, windows.SOL_SOCKET, windows.SO_RCVTIMEO, int(d.Milliseconds()))
}

// setSendTimeout wraps setsockopt(2) with SO_SNDTIMEO on POSIX and
// setsockopt with SO_SNDTIMEO on Winsock: a blocking send that waits
// longer than d fails. Winsock documents it for send calls only, not for
// connect, which waits for the system's own limit.
func setSendTimeout(s handle, d time.Duration) error {
	return windows.SetsockoptInt(s, windows.SOL_SOCKET, windows.SO_SNDTIMEO, int(d.Milliseconds()))
}

// timedOut tells whether a call failed because its timeout ran out:
// EAGAIN (EWOULDBLOCK) from a receive or a send, EINPROGRESS from a
// connect, on POSIX; WSAETIMEDOUT on Winsock.
func timedOut(err error) bool {
	return errors.Is(err, windows.WSAETIMEDOUT)
}

// errTimedOut is what a connect that took longer than -timeout reports.
var errTimedOut error = windows.WSAETIMEDOUT
