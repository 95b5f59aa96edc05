//go:build unix

package main

import "golang.org/x/sys/unix"

// newArena maps one block of memory for every record's buffer. The kernel
// writes into a buffer long after the call that named it returned, so it
// must stay where it is and stay allocated until the routine has run: Go's
// collector neither moves nor frees memory it did not allocate.
func newArena(maxClients int) ([]byte, error) {
	return unix.Mmap(-1, 0, maxClients*bufferSize,
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
}

// arenaBuffer is the buffer of one record: its own bufferSize bytes, with
// no room to grow into its neighbour's.
func arenaBuffer(arena []byte, slot int) []byte {
	at := slot * bufferSize
	return arena[at : at+bufferSize : at+bufferSize]
}
