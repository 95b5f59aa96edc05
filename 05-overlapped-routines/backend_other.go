//go:build unix && !linux

package main

import "io"

// backends names the -backend values this system has; the first is the default.
const backends = "poll (io_uring is Linux's)"

// newEngine makes the engine -backend names: here only the poll(2)
// emulation, since io_uring is Linux's alone.
func newEngine(socks *sockets, backend string, maxClients int, stderr io.Writer) (engine, error) {
	return newPollEngine(socks, maxClients)
}

func validBackend(name string) bool { return name == "" || name == "poll" }
