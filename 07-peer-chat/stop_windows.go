// The Winsock twins of the calls stop makes to wake a blocked call without
// closing its socket (stop.go). stop_unix.go has the same functions over
// POSIX.
package main

import "golang.org/x/sys/windows"

// shutdownBoth wraps shutdown(2) with SHUT_RDWR on POSIX and shutdown with
// SD_BOTH on Winsock. On Linux it wakes a thread blocked in recv or send on
// that socket (and in accept on a listener); closing the descriptor alone
// would not.
func shutdownBoth(s handle) error {
	return windows.Shutdown(s, sdBoth)
}

// cancelBlocked wraps CancelIoEx on Winsock; POSIX needs no such call.
// Winsock's shutdown page speaks of the calls made after it, not of one
// already blocked (https://learn.microsoft.com/en-us/windows/win32/api/winsock/nf-winsock-shutdown),
// and Wine leaves such a recv waiting. A blocking call on a socket is I/O
// pending on its handle, and CancelIoEx cancels that from any thread: the
// call fails with WSA_OPERATION_ABORTED.
// https://learn.microsoft.com/en-us/windows/win32/fileio/cancelioex-func
func cancelBlocked(s handle) error {
	err := windows.CancelIoEx(s, nil)
	if err == windows.ERROR_NOT_FOUND {
		return nil // no call was pending: shutdown has done the rest
	}
	return err
}
