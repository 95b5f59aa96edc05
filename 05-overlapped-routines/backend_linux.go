//go:build linux

package main

import (
	"fmt"
	"io"
)

// backends names the -backend values this system has; the first is the default.
const backends = "uring or poll"

// newEngine makes the engine -backend names. With no name it tries io_uring
// and falls back to the poll(2) emulation where io_uring_setup fails: a
// kernel without it (ENOSYS), a container whose seccomp profile blocks it
// (EPERM), or kernel.io_uring_disabled set (EPERM). It says so in one line.
func newEngine(socks *sockets, backend string, maxClients int, stderr io.Writer) (engine, error) {
	if backend == "poll" {
		return newPollEngine(socks, maxClients)
	}
	e, err := newUringEngine(socks, maxClients)
	if err == nil {
		return e, nil
	}
	if backend == "uring" {
		return nil, &opError{call: "io_uring_setup", err: err}
	}
	fmt.Fprintf(stderr, "io_uring unavailable (%s): using the poll(2) emulation\n", describe(err))
	return newPollEngine(socks, maxClients)
}

func validBackend(name string) bool { return name == "" || name == "uring" || name == "poll" }
