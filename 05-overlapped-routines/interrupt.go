// How the server stops on Ctrl-C: its one thread is in an alertable wait,
// not blocked in a call of its own, so the loop looks at the signal
// between two waits, cancels what is in flight (drain, serve.go) and
// returns.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// serveUntilInterrupted runs the server until Ctrl-C (SIGINT, or
// CTRL_C_EVENT on Windows) or SIGTERM, or until -clients says it is done.
// The server's thread never waits in a call for long, so it can look at
// the signal itself between two alertable waits, and end every client on
// its own: the signal closes nothing here. Once the server has closed its
// sockets (and called WSACleanup), we say it was interrupted, as the last
// line, and exit 0.
func serveUntilInterrupted(socks *sockets, stdout, stderr io.Writer, config serverConfig) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	err := runServer(socks, stdout, stderr, config, nil, stop)
	var stopped *interrupted
	if errors.As(err, &stopped) {
		fmt.Fprintln(stdout, stopped)
		return 0
	}
	return exitStatus(err, stderr)
}
