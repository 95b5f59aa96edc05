// How the server stops on Ctrl-C: its threads cannot be called back in a
// blocked call, so stop wakes every call (stop.go, join.go) and thread 1
// joins them all before the server returns.
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// serveUntilInterrupted runs the accept loop on the main thread until
// -clients have come and gone, or until Ctrl-C (SIGINT, CTRL_C_EVENT or
// CTRL_BREAK_EVENT on Windows) or SIGTERM. A thread blocked in accept or
// recv cannot be called back; stop wakes each blocked call instead, each
// call then reports errInterrupted, and we wait for every thread. The
// server's last line comes after WSACleanup, once no socket is left.
func serveUntilInterrupted(srv *server, stderr io.Writer, at endpoint) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	if _, err := srv.listen(at); err != nil {
		if srv.listener != nil {
			srv.listener.close()
		}
		srv.socks.cleanup()
		return exitStatus(err, stderr)
	}
	stopped := make(chan os.Signal, 1)
	go func() {
		sig := <-stop
		srv.stop()
		stopped <- sig
	}()

	if err := srv.acceptLoop(); err != nil {
		srv.stop()
		srv.wait(stopGrace)
		srv.socks.cleanup()
		return exitStatus(err, stderr)
	}

	if !srv.isStopping() {
		srv.socks.cleanup()
		clients := "clients"
		if srv.maxClients == 1 {
			clients = "client"
		}
		srv.out.printf("served %d %s: server stopped\n", srv.maxClients, clients)
		return 0
	}
	sig := <-stopped
	if !srv.wait(stopGrace) {
		fmt.Fprintf(stderr, "a thread did not return within %v of being woken\n", stopGrace)
	}
	srv.socks.cleanup()
	srv.out.printf("%v: server stopped\n", sig)
	return 0
}
