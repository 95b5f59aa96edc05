// The I/O completion port: its three calls, and the records whose
// OVERLAPPED a completion names. A socket associated with the port has
// each of its overlapped operations, once done, queued on the port as a
// packet (the bytes, the socket's key, the OVERLAPPED, the status), and
// any thread that waits on the port may take it: no completion routine,
// no alertable wait, no tie between the thread that posts and the one
// that completes.
// https://learn.microsoft.com/windows/win32/fileio/i-o-completion-ports
package main

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// The operations a record is in flight for; each client has one record of
// each (conn.recv, conn.send).
const (
	opRecv = 1
	opSend = 2
)

// stopKey is the completion key of the stop packet: no client has it.
const stopKey = ^uintptr(0)

// ioRecord is one operation in flight, the seed's PER_IO_DATA: the
// OVERLAPPED first, so that the *windows.Overlapped that a completion
// names is the record's address too, then which operation it is for, and
// the WSABUF and flags that WSARecv and WSASend read.
type ioRecord struct {
	overlapped windows.Overlapped
	op         int // opRecv or opSend, set once when the server starts
	wsabuf     windows.WSABuf
	flags      uint32 // WSARecv's lpFlags, which it may write into
}

// recordOf returns the record whose OVERLAPPED a completion names: C's
// CONTAINING_RECORD, which is a plain cast since the OVERLAPPED is the
// record's first field.
func recordOf(overlapped *windows.Overlapped) *ioRecord {
	return (*ioRecord)(unsafe.Pointer(overlapped))
}

// createIoCompletionPort wraps CreateIoCompletionPort with no file: a new
// port. NumberOfConcurrentThreads 0 lets as many of the threads that wait
// on it run at once as there are processors.
func createIoCompletionPort() (windows.Handle, error) {
	return windows.CreateIoCompletionPort(windows.InvalidHandle, 0, 0, 0)
}

// associate wraps CreateIoCompletionPort with a socket: from then on every
// overlapped operation on s that has no completion routine completes as a
// packet on port, carrying key.
func associate(s, port windows.Handle, key uintptr) error {
	_, err := windows.CreateIoCompletionPort(s, port, key, 0)
	return err
}

// getQueuedCompletionStatus wraps GetQueuedCompletionStatus: the calling
// thread waits on the port until a packet comes, at most milliseconds
// (windows.INFINITE: no limit), and returns its bytes, key and OVERLAPPED.
// err is the operation's error (it failed: overlapped is still set), or
// the wait's (overlapped is nil; WAIT_TIMEOUT when no packet came in
// time). A packet posted without an OVERLAPPED (postStop's) returns nil
// for both. It also counts, for the line the server prints as it exits,
// the threads that wait on the port and the completions they take.
func (srv *server) getQueuedCompletionStatus(milliseconds uint32) (bytes uint32, key uintptr, overlapped *windows.Overlapped, err error) {
	srv.noteThread(windows.GetCurrentThreadId())
	err = windows.GetQueuedCompletionStatus(srv.port, &bytes, &key, &overlapped, milliseconds)
	if overlapped != nil {
		srv.noteCompletion(recordOf(overlapped).op, bytes, err)
	}
	return bytes, key, overlapped, err
}

// postStop wraps PostQueuedCompletionStatus: it queues a packet that no
// operation made, with key stopKey and no OVERLAPPED, which one waiting
// thread takes, as it takes any other.
func postStop(port windows.Handle) error {
	return windows.PostQueuedCompletionStatus(port, 0, stopKey, nil)
}
