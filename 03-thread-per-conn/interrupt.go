// How the server stops on Ctrl-C: its threads cannot be called back in a
// blocked call, so stop wakes every call (stop.go, join.go) and thread 1
// joins them all before the server returns.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// serveUntilInterrupted runs the server on the main thread until -clients
// have come and gone, or until Ctrl-C (SIGINT, CTRL_C_EVENT or
// CTRL_BREAK_EVENT on Windows) or SIGTERM. A thread blocked in accept or
// recv cannot be called back; stop wakes each blocked call instead, each
// call then reports errInterrupted, and we wait for every thread. The
// server's last line comes after WSACleanup, once no socket is left.
func serveUntilInterrupted(socks *sockets, stdout, stderr io.Writer, config serverConfig) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	err := serveThreads(socks, stdout, stderr, config, nil, stop)
	var stopped *interrupted
	if errors.As(err, &stopped) {
		fmt.Fprintln(stdout, stopped)
		return 0
	}
	if err != nil {
		return exitStatus(err, stderr)
	}
	clients := "clients"
	if config.clients == 1 {
		clients = "client"
	}
	fmt.Fprintf(stdout, "served %d %s: server stopped\n", config.clients, clients)
	return 0
}
