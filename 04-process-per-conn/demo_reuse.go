package main

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
)

// restartOnSamePort is the demo's second part: the server restarts on the
// port it just left, without SO_REUSEADDR and then with it.
func restartOnSamePort(stdout io.Writer, port uint16, trace bool) error {
	fmt.Fprint(stdout, explainTimeWait)
	shown := strconv.Itoa(int(port))
	without := restart(port, false, trace)
	show(stdout, "the server again, without the option", without, shown)
	with := restart(port, true, trace)
	show(stdout, "the server again, with it", with, shown)
	fmt.Fprint(stdout, "\nChapter 05 serves many clients in one thread, with overlapped I/O.\n")
	return nil
}

// restart starts the server on port, as "server -addr 127.0.0.1:PORT" with
// or without -reuseaddr, and stops it as soon as it listens.
func restart(port uint16, reuseAddr bool, trace bool) *terminal {
	command := fmt.Sprintf("04-process-per-conn server -addr 127.0.0.1:%d", port)
	if !reuseAddr {
		command += " -reuseaddr=false"
	}
	t := newTerminal(command)
	config := serverConfig{at: endpoint{"127.0.0.1", port}, maxProcs: 2,
		reuseAddr: reuseAddr, trace: trace}
	stop, done, _, err := startServer(t, config, trace)
	if err != nil {
		t.finish(err)
		return t
	}
	stopServer(t, stop, done)
	return t
}

// startServer runs the server on terminal t, in a goroutine, and returns
// once it listens: its stop, where its result comes, and its address; or
// the error that ended it before it could listen.
func startServer(t *terminal, config serverConfig, trace bool) (
	chan<- os.Signal, <-chan error, netip.AddrPort, error) {
	ready := make(chan netip.AddrPort, 1)
	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveChildren(demoSockets(t, trace), t, config,
			func(addr netip.AddrPort) { ready <- addr }, stop)
	}()
	select {
	case addr := <-ready:
		return stop, done, addr, nil
	case err := <-done:
		return nil, nil, netip.AddrPort{}, err
	}
}

// stopServer does to the server that prints on t what Ctrl-C does in its
// terminal, waits until it has stopped, and prints its last line, after
// what went wrong meanwhile, if anything did.
func stopServer(t *terminal, stop chan<- os.Signal, done <-chan error) {
	if err := interruptAndWait(stop, os.Interrupt, done, t); err != nil {
		fmt.Fprintln(t, err)
	}
	fmt.Fprintln(t, "interrupt: server stopped")
}
