//go:build unix && !linux

package main

import (
	"time"

	"golang.org/x/sys/unix"
)

// acceptNoAddr wraps accept(2); on this system through x/sys/unix, which
// allocates the peer's address on every call.
func acceptNoAddr(s int) (int, error) {
	fd, _, err := unix.Accept(s)
	return fd, err
}

// namePoll is the call pollTimeout makes, as the trace names it.
const namePoll = "poll"

// pollTimeout wraps poll(2).
func pollTimeout(fds []unix.PollFd, timeout time.Duration, ts *unix.Timespec) (int, error) {
	return unix.Poll(fds, int(timeout/time.Millisecond))
}
