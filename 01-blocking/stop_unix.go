//go:build unix

// The POSIX twins of the calls stop makes to wake a blocked call without
// closing its socket (stop.go). stop_windows.go has the same functions over
// Winsock.
package main

import "golang.org/x/sys/unix"

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in recv or send on
// that socket (and in accept on a listener); closing the descriptor alone
// would not.
func shutdownBoth(s handle) error {
	return unix.Shutdown(s, unix.SHUT_RDWR)
}

// cancelBlocked wraps CancelIoEx on Winsock; POSIX needs no such call:
// shutdown has woken the thread blocked on the socket already.
func cancelBlocked(s handle) error { return nil }
