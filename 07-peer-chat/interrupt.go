// How a side stops on Ctrl-C: a flow blocked in a call cannot be called
// back, so stop wakes the call (stop.go) and the side returns.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// untilInterrupted runs side, the server or the client as name says, until
// it returns, or until Ctrl-C (SIGINT, or CTRL_C_EVENT on Windows) or
// SIGTERM. A flow blocked in accept or recv cannot be called back; stop
// wakes the call instead, each call then reports errInterrupted, and we
// wait for side to return.
func untilInterrupted(socks *sockets, stdout, stderr io.Writer, name string, side func() error) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	done := make(chan error, 1)
	go func() { done <- side() }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-stop:
		closeWakers := socks.stop()
		// side closes its own sockets as it returns. Should a system not
		// wake its call, we stop all the same after stopGrace.
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, errInterrupted) {
				fmt.Fprintln(stderr, err)
			}
		case <-time.After(stopGrace):
			fmt.Fprintf(stderr, "a call did not return within %v of being woken\n", stopGrace)
		}
		closeWakers()
		fmt.Fprintf(stdout, "%v: %s stopped\n", sig, name)
		return 0
	}
}
