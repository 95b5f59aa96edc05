package main

import (
	"fmt"
	"io"
	"net/netip"
)

// restartOnSamePort is the demo's second part: the server restarts on the
// port it just left, without SO_REUSEADDR and then with it.
func restartOnSamePort(stdout io.Writer, port uint16, trace bool) error {
	fmt.Fprint(stdout, explainTimeWait)
	without := restart(port, false, trace)
	show(stdout, "the server again, without the option", without, port)
	with := restart(port, true, trace)
	show(stdout, "the server again, with it", with, port)
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
	cfg := serverConfig{at: endpoint{"127.0.0.1", port}, maxProcs: 2, reuseAddr: reuseAddr, trace: trace}
	srv := newServer(demoSockets(t, trace), t, t, cfg)
	listening := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- srv.serve(func(netip.AddrPort) { close(listening) }) }()
	select {
	case err := <-done:
		t.finish(err)
	case <-listening:
		srv.stopAndWait(done)
		fmt.Fprintln(srv.out, "interrupt: server stopped")
	}
	return t
}
