// How the server stops on Ctrl-C: it cannot be called back in a blocked
// call, so stop wakes its accept (stop.go), each child is asked to stop and
// reaped (server.go), and the server returns.
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
// exits 0.
func serveUntilInterrupted(srv *server, stdout, stderr io.Writer) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	done := make(chan error, 1)
	go func() { done <- srv.serve(nil) }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-stop:
		srv.stopAndWait(done)
		fmt.Fprintf(srv.out, "%v: server stopped\n", sig)
		return 0
	}
}
