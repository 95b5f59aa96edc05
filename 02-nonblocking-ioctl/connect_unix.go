//go:build unix

// The POSIX twins of the non-blocking connect, through golang.org/x/sys/unix;
// connect_windows.go has the same functions over Winsock. The two systems
// answer a connect in progress with different errors, and this is where
// the difference lives.
package main

import (
	"errors"
	"net/netip"

	"golang.org/x/sys/unix"
)

// connectSocket wraps connect(2) on POSIX and connect on Winsock. On a
// non-blocking socket it starts the handshake and returns at once; see
// connectProgress for what a second call returns.
func connectSocket(s handle, addr netip.AddrPort) error {
	return unix.Connect(s, sockaddr(addr))
}

// connectProgress reads what connect returned on a non-blocking socket.
// POSIX: EINPROGRESS the first time, EALREADY while the handshake goes on,
// and once it is done 0 (Linux, the first time) or EISCONN (connect(2),
// "EINPROGRESS"); an interrupted connect (EINTR) goes on in the kernel too.
// Winsock: WSAEWOULDBLOCK, then WSAEALREADY or WSAEINVAL (a Winsock 1.1
// answer, the connect page says), then WSAEISCONN
// (https://learn.microsoft.com/windows/win32/api/winsock2/nf-winsock2-connect).
func connectProgress(err error) connectState {
	switch {
	case err == nil || errors.Is(err, unix.EISCONN):
		return connected
	case errors.Is(err, unix.EINPROGRESS), errors.Is(err, unix.EALREADY), errors.Is(err, unix.EINTR):
		return connecting
	}
	return connectFailed
}

// pendingError wraps getsockopt(2) with SO_ERROR on POSIX and getsockopt
// with SO_ERROR on Winsock: the error of a handshake that failed while we
// were not calling, such as a refused connection. Reading it clears it.
func pendingError(s handle) (error, error) {
	soerr, err := unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil || soerr == 0 {
		return nil, err
	}
	return unix.Errno(soerr), nil
}

// errTimedOut is what a connect that took longer than -timeout reports.
var errTimedOut error = unix.ETIMEDOUT
