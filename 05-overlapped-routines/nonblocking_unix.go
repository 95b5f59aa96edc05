//go:build unix

// The POSIX twins of the calls of the seed's accept loop, through
// golang.org/x/sys/unix; nonblocking_windows.go has the same functions
// over Winsock.
package main

import (
	"errors"

	"golang.org/x/sys/unix"
)

// nameNonblock is the call that turns non-blocking mode on, as the trace
// prints it.
const nameNonblock = "fcntl(%v, F_SETFL, O_NONBLOCK)"

// setNonblocking wraps fcntl(2) with O_NONBLOCK on POSIX and ioctlsocket
// with FIONBIO on Winsock.
func setNonblocking(s handle) error {
	return unix.SetNonblock(s, true)
}

// wouldBlock tells whether a call on a non-blocking socket found nothing
// to do yet: EAGAIN (also spelt EWOULDBLOCK) on POSIX, WSAEWOULDBLOCK on
// Winsock. It is not a failure: the call did nothing, and we try later.
func wouldBlock(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EWOULDBLOCK)
}

// outOfDescriptors tells whether accept failed for want of a descriptor
// (EMFILE, ENFILE; WSAEMFILE, WSAENOBUFS): the client waits in the backlog
// until a client leaves and frees one.
func outOfDescriptors(err error) bool {
	return errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE)
}
