// How the server stops on Ctrl-C: its one thread is in an alertable wait,
// not blocked in a call of its own, so it notices within one wait, cancels
// what is in flight (drain, serve.go) and returns.
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// serveUntilInterrupted runs the server until Ctrl-C (SIGINT, or
// CTRL_C_EVENT on Windows) or SIGTERM. The server's thread notices within
// one alertable wait, cancels what is in flight, runs those routines, and
// returns.
func serveUntilInterrupted(socks *sockets, stdout, stderr io.Writer, cfg serverConfig) int {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)

	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		cfg.stop = stop
		done <- runServer(socks, stdout, stderr, cfg)
	}()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-signals:
		close(stop)
		select {
		case err := <-done:
			if err != nil {
				return exitStatus(err, stderr)
			}
		case <-time.After(stopGrace + time.Second):
			fmt.Fprintf(stderr, "the server did not stop within %v\n", stopGrace)
		}
		fmt.Fprintf(stdout, "%v: server stopped\n", sig)
		return 0
	}
}
