package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// runDemo runs the chapter's server and the seed's client in this process,
// each in its own goroutine, and prints both terminals once both are done.
func runDemo(stdout io.Writer, trace bool) error {
	fmt.Fprint(stdout, `Chapter 01: blocking calls, one client.
The server and the client run in this one process, as they would in two
terminals. The server listens on 127.0.0.1 at a port the system picks
(shown as PORT); the client sends "this is a test" and shuts down sending.
`)
	server := newTerminal("01-blocking server -addr 127.0.0.1:0")
	ready := make(chan netip.AddrPort, 1)
	done := make(chan error, 1)
	go func() {
		socks := demoSockets(server, trace)
		listening := func(addr netip.AddrPort) { ready <- addr }
		done <- serveOneClient(socks, server, endpoint{"127.0.0.1", 0}, false,
			listening)
	}()

	// The client may connect only once the server listens.
	var addr netip.AddrPort
	select {
	case addr = <-ready:
	case err := <-done:
		return err
	}
	to := endpoint{"127.0.0.1", addr.Port()}
	client := runClient(to, trace)
	server.finish(<-done)
	port := strconv.Itoa(int(addr.Port()))
	show(stdout, "the server's terminal", server, port)
	show(stdout, "the client's terminal", client, port)
	if server.status != 0 || client.status != 0 {
		return errors.New("demo: the exchange failed; see the terminals above")
	}

	// The server closed its listening socket right after accept; now that
	// it has exited too, a second client finds nobody there.
	fmt.Fprint(stdout, `
The server served its one client and exited. It closed its listening socket
right after accept, so a second client, even one that came during the first
exchange, finds nobody listening:
`)
	second := runClient(to, trace)
	show(stdout, "a second client", second, port)
	fmt.Fprintln(stdout, "\nChapter 02 serves many clients with one thread.")
	if second.status != 1 {
		return errors.New("demo: the second client should have been refused")
	}
	return nil
}

// runClient runs the seed's client against to and returns its terminal.
func runClient(to endpoint, trace bool) *terminal {
	t := newTerminal(fmt.Sprintf("01-blocking client -addr 127.0.0.1:%d",
		to.port))
	socks := demoSockets(t, trace)
	message := strings.NewReader("this is a test")
	t.finish(sendAndReceive(socks, t, to, message, defaultTimeout, false))
	return t
}
