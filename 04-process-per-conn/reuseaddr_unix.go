//go:build unix

package main

import "golang.org/x/sys/unix"

// nameReuse is the option setReuseAddr sets, as the trace names it.
const nameReuse = "SO_REUSEADDR"

// setReuseAddr wraps setsockopt(2) with SO_REUSEADDR on POSIX and setsockopt
// with SO_EXCLUSIVEADDRUSE on Winsock: the option each system's server sets
// before bind. On POSIX it lets a restarted server bind while connections
// of the last one wait in TIME_WAIT (socket(7)).
func setReuseAddr(s handle) error {
	return unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
}
