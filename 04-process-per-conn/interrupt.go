// How the server stops on Ctrl-C: it cannot be called back in a blocked
// call, so stop wakes its accept (stop.go), each child is asked to stop and
// reaped (stopping.go), and the server returns.
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// serveUntilInterrupted runs the server until it has served -clients
// clients, or until Ctrl-C (SIGINT, or CTRL_C_EVENT on Windows) or SIGTERM:
// then it stops accepting, asks its children to stop, waits for them, and
// exits 0, having said on stderr what went wrong meanwhile, if anything
// did, as chapter 01's does.
func serveUntilInterrupted(socks *sockets, stdout, stderr io.Writer, config serverConfig) int {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)

	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() { done <- serveChildren(socks, stdout, config, nil, stop) }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-signals:
		if err := interruptAndWait(stop, sig, done, stderr); err != nil {
			fmt.Fprintln(stderr, err)
		}
		fmt.Fprintln(stdout, &interrupted{sig})
		return 0
	}
}
